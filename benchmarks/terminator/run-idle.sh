#!/usr/bin/env bash
# Idle security-profile-3 connections held by the TLS terminator: memory per connection.
#
#   benchmarks/terminator/run-idle.sh [N] [extra terminator settings, e.g. --max-frame-bytes=65536]
#
# N stations (default 19900: the most this machine allows, see below) connect at RATE per second
# (default 200, at most 200 unfinished at once), each sends BootNotification and stays. Before the
# first connection, at CHECKPOINT connections (default 2000) and with all N, the load generator
# reads the terminator's VmRSS and its heap after a full GC (jcmd), and prints the live-heap growth
# by class. Then it holds the connections HOLD seconds (default 120; the terminator pings silent
# stations, which answer) and measures again.
#
# Terminator: standalone mode (no CSMS), --idle-timeout=3600s, HEAP (default 1g) fixed with
# -Xms=-Xmx and -XX:+AlwaysPreTouch, so RSS growth is native memory and heap growth is read from
# the heap itself. Pinned to CPU 1 (taskset) unless PIN=0; BenchPki and the load generator on CPU 0.
#
# Limit of this machine: RLIMIT_NOFILE is 20000 (hard) and the container lacks CAP_SYS_RESOURCE,
# so neither the terminator nor the load generator can hold more than about 19,950 sockets.
source "$(dirname "$0")/common.sh"
N=${1:-19900}
shift || true
HEAP=${HEAP:-1g}
RATE=${RATE:-200}
HOLD=${HOLD:-120}
CHECKPOINT=${CHECKPOINT:-2000}
TERMINATOR_JAVA_OPTS=${TERMINATOR_JAVA_OPTS:-"-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch"}

build
machine
start_pki
start_terminator --idle-timeout=3600s "$@"
load idle "$N" --dir="$WORK/pki" --port="$WSS_PORT" --control-port="$CONTROL_PORT" --pid="$TERMINATOR_PID" \
    --rate="$RATE" --inflight=200 --per-ip=1000 --checkpoint="$CHECKPOINT" --hold="$HOLD" --histogram
terminator_report
