#!/usr/bin/env bash
# Reconnect storm: N security-profile-3 stations connect to the TLS terminator at once.
#
#   benchmarks/terminator/run-storm.sh [N] [extra terminator settings, e.g. --accept-rate=500]
#
# All N (default 19500) start their TCP connect within SPREAD ms (default 1000), PER_IP stations
# per source address (default 100; 127.0.0.2 ...; PER_IP=1: every station its own); each does the TLS
# handshake with its client certificate, the upgrade and a BootNotification. A refused or closed
# attempt retries after 1 s doubling to 30 s plus up to 1 s of jitter (at least the Retry-After
# the terminator sends). Reports the time until all N are booted, the retries and their causes,
# the terminator's pacing figures from /health (acceptPauses and handshakesInProgress since commit
# 5eec645, acceptsPaced before), its refusals, and whether it stayed up. Every 10 s the
# terminator's descriptors and TCP sockets are sampled ($WORK/fds.log).
#
# Terminator: standalone mode, default settings otherwise (accept-rate 2000/s,
# max-handshakes-in-progress 512, max-pending-per-ip 256, handshake-timeout 10s), a fresh JVM (a restart storm meets a cold JIT),
# HEAP (default 1g) fixed. Pinned to CPU 1 unless PIN=0; BenchPki and the load generator on CPU 0.
# N is below 20000 because of this machine's RLIMIT_NOFILE (see run-idle.sh).
source "$(dirname "$0")/common.sh"
N=${1:-19500}
shift || true
HEAP=${HEAP:-1g}
SPREAD=${SPREAD:-1000}
PER_IP=${PER_IP:-100}
TERMINATOR_JAVA_OPTS=${TERMINATOR_JAVA_OPTS:-"-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch"}

build
machine
start_pki
start_terminator "$@"
sample_fds 10
load storm "$N" --dir="$WORK/pki" --port="$WSS_PORT" --control-port="$CONTROL_PORT" --pid="$TERMINATOR_PID" \
    --spread="$SPREAD" --per-ip="$PER_IP" --deadline=600
terminator_report
