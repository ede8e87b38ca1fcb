#!/usr/bin/env bash
# Latency the TLS terminator adds to a CALL round trip, at 5,000 CALLs/s.
#
#   benchmarks/terminator/run-proxy.sh [extra terminator settings]
#
# EchoCsms (answers each CALL with an empty CALLRESULT at once) listens on ws and, with client
# certificates required, on wss. The terminator proxies to its ws listener. STATIONS (default 50)
# stations per path send a 120-byte StatusNotification CALL each, at most one outstanding per
# station, RATE (default 5000) per second in all. The paths take turns, ROUNDS (default 3) times,
# each WARMUP (10) s unrecorded then DURATION (30) s recorded:
#   direct-wss  station -> EchoCsms (wss, mTLS)          the same TLS work at the station side
#   via         station -> terminator (wss) -> EchoCsms (ws)
#   direct-ws   station -> EchoCsms (ws)                 no TLS at all, for reference
# "added by the terminator" = via - direct-wss, percentile by percentile.
#
# Pinning (PIN=0: none): the server side on CPU 1 (the terminator and EchoCsms), the stations
# (load generator) and BenchPki on CPU 0. So on both paths the stations' TLS runs on CPU 0 and the
# server side's TLS on CPU 1; "via" adds the terminator's work (and its hop) to CPU 1.
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:-"-Xms512m -Xmx512m"}
source "$(dirname "$0")/common.sh"
STATIONS=${STATIONS:-50}
RATE=${RATE:-5000}
ROUNDS=${ROUNDS:-3}
WARMUP=${WARMUP:-10}
DURATION=${DURATION:-30}
HEAP=${HEAP:-512m}
TERMINATOR_JAVA_OPTS=${TERMINATOR_JAVA_OPTS:-"-Xms$HEAP -Xmx$HEAP -XX:+AlwaysPreTouch"}

build
machine
start_pki
start_csms "$PIN_TERMINATOR"
start_terminator --upstream="ws://127.0.0.1:$CSMS_WS_PORT/ocpp" "$@"
load proxy --dir="$WORK/pki" --port="$WSS_PORT" --csms-ws-port="$CSMS_WS_PORT" --csms-wss-port="$CSMS_WSS_PORT" \
    --stations="$STATIONS" --rate="$RATE" --rounds="$ROUNDS" --warmup="$WARMUP" --duration="$DURATION" \
    --paths=direct-wss,via,direct-ws --threads=1 --pid="$TERMINATOR_PID" --csms-pid="$CSMS_PID" --pki-pid="$PKI_PID"
echo "   terminator metrics: $(curl -s "http://127.0.0.1:$CONTROL_PORT/metrics" | grep -E '^ocppsec_terminator_(frames_total|upstream_connects_total|connections)' | tr '\n' ' ')"
terminator_report
