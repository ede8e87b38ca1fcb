# Shared by run-idle.sh, run-storm.sh and run-proxy.sh: build, start BenchPki, EchoCsms and the
# terminator, wait for them, clean up on exit. Source it; do not run it.
#
# Environment (all optional):
#   WORK=DIR          scratch directory (default: a new mktemp -d; kept for the logs)
#   NO_BUILD=1        skip the Maven build (and reuse jars already in $WORK, if any)
#   PIN=0             do not pin with taskset (default 1: terminator on CPU 1, the rest on CPU 0)
#   TERMINATOR_JAVA_OPTS  JVM flags of the terminator (each script sets its own default)
#   LOAD_JAVA_OPTS    JVM flags of the load generator (default -Xms2g -Xmx2g)
#   WSS_PORT, CONTROL_PORT, PKI_PORT, CSMS_WS_PORT, CSMS_WSS_PORT  fixed ports (defaults below)

set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$ROOT"
WORK=${WORK:-$(mktemp -d /tmp/ocppsec-terminator-bench.XXXXXX)}
mkdir -p "$WORK"
# The jars are copied into $WORK after the build (snapshot_jars): other builds in the same tree
# may rewrite target/ while a run is going on.
BENCH_JAR=$WORK/benchmarks.jar
TERMINATOR_JAR=$WORK/tls-terminator.jar
# away from the ports of the other benchmark scripts (benchmarks/tls uses 18443/18444)
WSS_PORT=${WSS_PORT:-27443}
CONTROL_PORT=${CONTROL_PORT:-27081}
PKI_PORT=${PKI_PORT:-27080}
CSMS_WS_PORT=${CSMS_WS_PORT:-27100}
CSMS_WSS_PORT=${CSMS_WSS_PORT:-27444}
for p in $WSS_PORT $CONTROL_PORT $PKI_PORT $CSMS_WS_PORT $CSMS_WSS_PORT; do
  if ss -Hltn "sport = :$p" | grep -q .; then
    echo "port $p is in use (set WSS_PORT, CONTROL_PORT, PKI_PORT, CSMS_WS_PORT, CSMS_WSS_PORT)" >&2
    exit 1
  fi
done
LOAD_JAVA_OPTS=${LOAD_JAVA_OPTS:--Xms2g -Xmx2g}
PIN=${PIN:-1}
PIDS=()

# The hard limit is the ceiling: this machine's container has RLIMIT_NOFILE 20000 (soft = hard) and
# no CAP_SYS_RESOURCE, so no process here can hold more than 20000 descriptors.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

if [ "$PIN" = 1 ] && [ "$(nproc)" -ge 2 ]; then
  PIN_TERMINATOR="taskset -c 1"
  PIN_OTHERS="taskset -c 0"
else
  PIN_TERMINATOR=""
  PIN_OTHERS=""
fi

cleanup() {
  local rc=$?
  # reverse order: load generator, terminator, CSMS, pki
  for (( i=${#PIDS[@]}-1; i>=0; i-- )); do
    kill "${PIDS[$i]}" 2>/dev/null || true
  done
  for p in "${PIDS[@]}"; do
    wait "$p" 2>/dev/null || true
  done
  echo "logs in $WORK"
  exit $rc
}
trap cleanup EXIT INT TERM

build() {
  if [ "${NO_BUILD:-0}" != 1 ]; then
    echo "== build"
    ./mvnw -q -B -o -Dfuzz.skip=true -DskipTests -pl tls-terminator,benchmarks -am install
  fi
  if [ ! -s "$BENCH_JAR" ] || [ "${NO_BUILD:-0}" != 1 ]; then
    cp "$ROOT/benchmarks/target/benchmarks.jar" "$BENCH_JAR"
    cp "$ROOT/tls-terminator/target/tls-terminator.jar" "$TERMINATOR_JAR"
  fi
  echo "   jars: benchmarks $(sha256sum "$BENCH_JAR" | cut -c1-12), tls-terminator $(sha256sum "$TERMINATOR_JAR" | cut -c1-12)" \
       "(HEAD $(git -C "$ROOT" rev-parse --short HEAD); tls-terminator sources vs HEAD: $(git -C "$ROOT" status --short -- tls-terminator/src | wc -l) changed file(s))"
}

machine() {
  echo "== machine: $(nproc) CPUs, $(free -g | awk '/Mem:/{print $2}') GiB, $(java -version 2>&1 | head -1)"
  echo "   ulimit -n $(ulimit -n) (hard $(ulimit -Hn)), PIN=$PIN, net.core.somaxconn $(cat /proc/sys/net/core/somaxconn 2>/dev/null || echo '?')"
  echo "   loadavg before: $(cat /proc/loadavg)"
}

start_pki() {
  echo "== BenchPki"
  $PIN_OTHERS java -Xmx256m -XX:+UseSerialGC -cp "$BENCH_JAR" io.ocppsec.bench.terminator.BenchPki \
      --dir="$WORK/pki" --port="$PKI_PORT" --threads=4 >"$WORK/pki.log" 2>&1 &
  PKI_PID=$!
  PIDS+=($PKI_PID)
  for _ in $(seq 1 100); do
    [ -s "$WORK/pki/pki.port" ] && break
    sleep 0.2
  done
  cat "$WORK/pki.log"
}

# start_csms [taskset prefix]: EchoCsms, pinned like the load generator unless told otherwise
start_csms() {
  local pin=${1-$PIN_OTHERS}
  echo "== EchoCsms${pin:+ ($pin)}"
  $pin java -Xms256m -Xmx256m -cp "$BENCH_JAR" io.ocppsec.bench.terminator.EchoCsms \
      --dir="$WORK/pki" --ws-port="$CSMS_WS_PORT" --wss-port="$CSMS_WSS_PORT" --threads=1 >"$WORK/csms.log" 2>&1 &
  CSMS_PID=$!
  PIDS+=($CSMS_PID)
  for _ in $(seq 1 100); do
    [ -s "$WORK/pki/csms.ports" ] && break
    sleep 0.2
  done
  cat "$WORK/csms.log"
}

# start_terminator EXTRA_ARGS...: starts it, waits for /health UP, sets TERMINATOR_PID
start_terminator() {
  echo "== terminator: java $TERMINATOR_JAVA_OPTS -jar tls-terminator.jar $*"
  $PIN_TERMINATOR java $TERMINATOR_JAVA_OPTS -jar "$TERMINATOR_JAR" \
      --wss-host=127.0.0.1 --wss-port="$WSS_PORT" --control-port="$CONTROL_PORT" --tls-dir="$WORK/pki" \
      --pki-url="http://127.0.0.1:$PKI_PORT" --pki-token-file="$WORK/pki/terminator-token" \
      --identity-key-file="$WORK/identity.key" "$@" >"$WORK/terminator.log" 2>&1 &
  TERMINATOR_PID=$!
  PIDS+=($TERMINATOR_PID)
  for _ in $(seq 1 150); do
    if curl -fs "http://127.0.0.1:$CONTROL_PORT/health" 2>/dev/null | grep -q '"status":"UP"'; then
      break
    fi
    sleep 0.2
  done
  echo "   health: $(curl -s "http://127.0.0.1:$CONTROL_PORT/health")"
  if ! curl -fs "http://127.0.0.1:$CONTROL_PORT/health" 2>/dev/null | grep -q '"status":"UP"'; then
    echo "the terminator is not UP; its log:" >&2
    tail -30 "$WORK/terminator.log" >&2
    exit 1
  fi
  echo "   pid $TERMINATOR_PID, $(ls /proc/$TERMINATOR_PID/fd | wc -l) fds open, CPUs allowed $(grep Cpus_allowed_list /proc/$TERMINATOR_PID/status | cut -f2)," \
       "GC $(jcmd $TERMINATOR_PID VM.flags 2>/dev/null | grep -o -E 'Use[A-Za-z0-9]+GC' | head -1)"
}

# load ARGS...: runs StationLoad in the foreground, output to the screen and $WORK/load.log
load() {
  echo "== java $LOAD_JAVA_OPTS -cp benchmarks.jar io.ocppsec.bench.terminator.StationLoad $*"
  $PIN_OTHERS java $LOAD_JAVA_OPTS -cp "$BENCH_JAR" io.ocppsec.bench.terminator.StationLoad "$@" 2>&1 | tee -a "$WORK/load.log"
}

# sample_fds SECONDS: in the background, every SECONDS, the terminator's descriptors and its TCP
# sockets by role and state (to $WORK/fds.log and the screen)
sample_fds() {
  local every=${1:-10}
  (
    while kill -0 "$TERMINATOR_PID" 2>/dev/null; do
      local fds stations pki
      fds=$(ls /proc/"$TERMINATOR_PID"/fd 2>/dev/null | wc -l)
      stations=$(ss -tanH "sport = :$WSS_PORT" 2>/dev/null | awk '{print $1}' | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')
      pki=$(ss -tanpH "dport = :$PKI_PORT" 2>/dev/null | grep "pid=$TERMINATOR_PID," | awk '{print $1}' | sort | uniq -c | awk '{printf "%s=%s ", $2, $1}')
      echo "fds $(date +%T) terminator fds=$fds | station sockets: ${stations:-none}| terminator->pki sockets: ${pki:-none}" | tee -a "$WORK/fds.log"
      sleep "$every"
    done
  ) &
  PIDS+=($!)
}

terminator_report() {
  echo "== terminator after the run: $(kill -0 "$TERMINATOR_PID" 2>/dev/null && echo alive || echo DEAD), loadavg $(cat /proc/loadavg)"
  echo "   health: $(curl -s -m 5 "http://127.0.0.1:$CONTROL_PORT/health" || echo 'no answer')"
  echo "   log lines WARN/ERROR: $(grep -cE 'WARN|ERROR' "$WORK/terminator.log" || true); first ones:"
  grep -E 'WARN|ERROR|Exception' "$WORK/terminator.log" | head -10 | sed 's/^/     /' || true
  echo "   BenchPki: $(curl -s -m 5 "http://127.0.0.1:$PKI_PORT/bench/stats")"
  if kill -0 "$TERMINATOR_PID" 2>/dev/null; then
    echo "   terminator CPU by thread (live threads only; exited ones are in the process total):"
    thread_cpu "$TERMINATOR_PID"
  fi
}

# thread_cpu PID: the process's CPU seconds by thread group (names with digits folded, e.g.
# "C2 CompilerThre#", "station-loop-#"), largest first: where a run's CPU went (JIT, GC, event loops)
thread_cpu() {
  local pid=$1 hz
  hz=$(getconf CLK_TCK)
  for t in /proc/"$pid"/task/*; do
    # comm may contain spaces: fields 14/15 (utime/stime) are counted after the closing ")"
    printf '%s\t%s\n' "$(tr -d '\n' <"$t/comm" | sed 's/[0-9]\+/#/g')" "$(sed 's/.*) //' "$t/stat" | awk '{print $12+$13}')"
  done 2>/dev/null | awk -F'\t' -v hz="$hz" '{s[$1]+=$2; n[$1]++; t+=$2}
      END {for (k in s) printf "     %8.1f s  %5.1f %%  %s (%d)\n", s[k]/hz, 100*s[k]/t, k, n[k]; printf "     %8.1f s  total of live threads\n", t/hz}' | sort -rn
}
