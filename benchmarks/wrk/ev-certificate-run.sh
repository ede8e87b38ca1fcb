#!/bin/bash
# One Get15118EVCertificate load run over HTTP (docs/benchmarks.md, "Plug & Charge (issue 6)"):
# starts pki-service from JARDIR/pki-service.jar on a fresh data directory, has EvCertificateLoad
# (JARDIR/benchmarks.jar) prepare 12,000 cars, then runs wrk (2 threads, 32 connections) for
# WARMUP rounds of 30 s that are not counted and 3 measured rounds of 30 s. Prints, per round, the
# installations per second, p50/p99, the load average and pki-service's CPU (from /proc/PID/stat).
# EDITION=20 makes the bodies ISO 15118-20 ones (OCPP 2.1, secp521r1 cars; EvCertificateLoad).
# With JFR=SECONDS, a 60 s JFR recording (settings=profile, stack depth 256) starts that many
# seconds after the JVM (at launch, not with jcmd: starting JFR in a running, saturated JVM
# deoptimised the hot code and the rate fell to a fifth for minutes).
#
#   flock /tmp/cpu.lock benchmarks/wrk/ev-certificate-run.sh JARDIR OUTDIR
#
# The JIT takes 2-3 minutes of this load to settle (the C2 compiler shares the 2 cores with the
# workers and wrk): hence 5 warm-up rounds by default.
set -u
JARDIR=$1
OUT=$2
WARMUP=${WARMUP:-5}
PORT=${PORT:-18080}
HERE=$(cd "$(dirname "$0")" && pwd)
rm -rf "$OUT"; mkdir -p "$OUT"
JOPTS="-Xms1g -Xmx1g"
if [ -n "${JFR:-}" ]; then
  JOPTS="$JOPTS -XX:FlightRecorderOptions=stackdepth=256 -XX:StartFlightRecording=settings=profile,delay=${JFR}s,duration=60s,filename=$OUT/server.jfr"
fi
java $JOPTS -jar "$JARDIR/pki-service.jar" --ocppsec.data-dir="$OUT/data" --server.port=$PORT ${PKI_ARGS:-} > "$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null' EXIT
for i in $(seq 1 180); do
  [ -f "$OUT/data/admin-token" ] && curl -sf -o /dev/null "http://127.0.0.1:$PORT/actuator/health" && break
  sleep 1
done
java -cp "$JARDIR/benchmarks.jar" io.ocppsec.bench.pnc.EvCertificateLoad "http://127.0.0.1:$PORT" "$OUT/data/admin-token" 12000 "$OUT/bodies.jsonl" "${EDITION:-2}"
TOKEN=$(cat "$OUT/data/admin-token")
TICKS=$(getconf CLK_TCK)
rounds=""
for i in $(seq 1 "$WARMUP"); do rounds="$rounds w$i"; done
for r in $rounds m1 m2 m3; do
  load=$(cut -d' ' -f1-3 /proc/loadavg)
  start=$(date +%H:%M:%S)
  t0=$(awk '{print $14+$15}' "/proc/$PID/stat")
  res=$(BODIES="$OUT/bodies.jsonl" TOKEN=$TOKEN wrk -t2 -c32 -d30s -s "$HERE/ev-certificate.lua" "http://127.0.0.1:$PORT" 2>&1)
  t1=$(awk '{print $14+$15}' "/proc/$PID/stat")
  echo "$res" > "$OUT/$r.txt"
  echo "$res" | awk -v r="$r" -v at="$start" -v la="$load" -v cpu=$((t1 - t0)) -v tck="$TICKS" '
    /^Accepted/ {acc = $2; other = $4}
    /latency p50/ {p50 = $3}
    /latency p99:/ {p99 = $3}
    /installations per second/ {ips = $4}
    END {printf "%s %s load %s: %s/s (Accepted %s, other %s), p50 %s ms, p99 %s ms, pki-service %.2f cores, %.2f ms CPU per installation\n",
         r, at, la, ips, acc, other, p50, p99, cpu / tck / 30, (acc > 0 ? 1000 * cpu / tck / acc : 0)}'
done
