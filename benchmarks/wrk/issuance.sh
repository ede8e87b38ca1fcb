#!/usr/bin/env bash
# Issuance load test of pki-service over real HTTP (docs/benchmarks.md, issue 3).
#
#   benchmarks/wrk/issuance.sh h2|postgresql|pkcs11 [runs] [seconds]
#
# Starts pki-service.jar on port 18080 with a fresh data directory under target/bench-issuance,
# registers 64 stations, writes distinct P-256 CSRs (benchmarks.IssuanceLoad), warms up for 20 s
# and then runs wrk (2 threads, 32 connections) `runs` times for `seconds` each, every run on CSRs
# never sent before. After each run it counts the certificates the service stored: the count must
# match the 201s wrk saw, up to the requests still in flight when wrk stopped (at most 32).
#
# postgresql: uses schema "bench" of database test on 127.0.0.1:5432 (user postgres), dropped
# first. pkcs11: a SoftHSM2 token in target/bench-issuance/softhsm2 holds the CA keys.
# Needs: built jars (./mvnw -Dmaven.test.skip=true package), wrk, curl; psql for postgresql;
# softhsm2-util for pkcs11.
set -euo pipefail
backend=${1:?usage: issuance.sh h2|postgresql|pkcs11 [runs] [seconds]}
runs=${2:-3}
seconds=${3:-30}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/target/bench-issuance/$backend
port=18080
api=http://127.0.0.1:$port
jar=$root/pki-service/target/pki-service.jar
bench="java -cp $root/benchmarks/target/benchmarks.jar io.ocppsec.bench.IssuanceLoad"
rm -rf "$work" && mkdir -p "$work"

args=(--ocppsec.data-dir="$work/data" --server.port=$port)
count() { curl -sf -H "Authorization: Bearer $(cat "$work/data/admin-token")" "$api/api/v1/certificates/export?format=csv" | tail -n +2 | wc -l; }
case $backend in
  h2) ;;
  postgresql)
    psql -q -h 127.0.0.1 -U postgres -d test -c 'drop schema if exists bench cascade' -c 'create schema bench'
    args+=(--ocppsec.database.url='jdbc:postgresql://127.0.0.1:5432/test?currentSchema=bench'
           --ocppsec.database.username=postgres --spring.flyway.schemas=bench) ;;
  pkcs11)
    export SOFTHSM2_CONF=$work/softhsm2/softhsm2.conf
    mkdir -p "$work/softhsm2/tokens"
    printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/softhsm2/tokens" > "$SOFTHSM2_CONF"
    slot=$(softhsm2-util --init-token --free --label ocppsec-bench --so-pin bench-so-pin --pin bench-user-pin \
           | sed -n 's/.*reassigned to slot \([0-9]*\).*/\1/p')
    args+=(--ocppsec.custody.backend=pkcs11 --ocppsec.custody.pkcs11.library=/usr/lib/softhsm/libsofthsm2.so
           --ocppsec.custody.pkcs11.slot="$slot" --ocppsec.custody.pkcs11.pin=bench-user-pin) ;;
  *) echo "unknown backend $backend" >&2; exit 2 ;;
esac

java -Xms1g -Xmx1g -jar "$jar" "${args[@]}" > "$work/service.log" 2>&1 &
service=$!
trap 'kill $service 2>/dev/null; wait $service 2>/dev/null || true' EXIT
for _ in $(seq 120); do
  curl -sf "$api/actuator/health" >/dev/null 2>&1 && break
  kill -0 $service || { tail -20 "$work/service.log"; exit 1; }
  sleep 0.5
done

$bench "$api" "$work/data/admin-token" 64 $((seconds * 6000 * runs + 80000)) "$work/all.jsonl"
per_run=$((seconds * 6000))
sed -n 1,80000p "$work/all.jsonl" > "$work/warm.jsonl"
wrk_run() { THREADS=2 BODIES=$1 TOKEN=$(cat "$work/data/admin-token") \
  wrk -t2 -c32 -d"$2"s --latency -s "$root/benchmarks/wrk/issue.lua" "$api/api/v1/certificates/sign"; }
wrk_run "$work/warm.jsonl" 20 > "$work/warmup.txt"
echo "backend=$backend runs=$runs x ${seconds}s, 2 wrk threads, 32 connections, $(nproc) cores"
for r in $(seq "$runs"); do
  first=$((80001 + (r - 1) * per_run))
  sed -n "${first},$((first + per_run - 1))p" "$work/all.jsonl" > "$work/run.jsonl"
  before=$(count)
  out=$(wrk_run "$work/run.jsonl" "$seconds")
  sleep 1
  after=$(count)
  created=$(sed -n 's/^201 Created: \([0-9]*\).*/\1/p' <<< "$out")
  echo "run $r: $(grep -E '^issued per second' <<< "$out" | cut -d: -f2 | tr -d ' ') certs/s," \
       "p50 $(sed -n 's/^latency p50: //p' <<< "$out"), p99 $(sed -n 's/^latency p99: //p' <<< "$out")," \
       "p99.9 $(sed -n 's/^latency p99.9: //p' <<< "$out");" \
       "201s $created, stored $((after - before)), $(grep -o 'other: [0-9]*' <<< "$out")"
done
