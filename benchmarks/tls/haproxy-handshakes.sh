#!/usr/bin/env bash
# Full mutual-TLS handshakes/s: HAProxy 2.6 (target A) against a second target B, same client
# (benchmarks.HandshakeLoad), same run, alternating A, B, A, B (docs/benchmarks.md, issue 4).
#
#   benchmarks/tls/haproxy-handshakes.sh [options]
#
#   -r ROUNDS           rounds (default 3); each round runs A then B for every TLS version
#   -d SECONDS          measured seconds per run (default 20)
#   -w SECONDS          client warm-up per run, not measured (default 5)
#   -c CONNECTIONS      connections in the closed loop (default 16)
#   --threads N         client event-loop threads (default 2)
#   --tls "1.2 1.3"     TLS versions (default both)
#   --warm SECONDS      one unmeasured-for-the-ratio warm-up run per target and version before
#                       round 1, so that a JVM server is JIT-compiled (default 10; 0 = none)
#   --out DIR           where runs are written (default target/bench-tls; a `mvn clean` of the
#                       root project deletes that, so use a directory outside the repo when
#                       others build on the same machine)
#   --pki DIR           test PKI (default OUT/pki; made with pki.sh if DIR/ca.pem
#                       is missing). A and B must both present a server certificate that chains
#                       to DIR/ca.pem (or to --target-ca) and both must accept DIR/client.pem.
#   --haproxy-port P    HAProxy's port on 127.0.0.1 (default 18443)
#   --target HOST:PORT  target B, already running (e.g. the terminator). Without it, B is the
#                       Netty stand-in benchmarks.TlsEchoServer, started here on 127.0.0.1:18444.
#   --target-pid PID    B's process id: the client then reports B's CPU seconds and handshakes
#                       per server CPU-second (always known for HAProxy and the stand-in)
#   --target-name NAME  B's label in the results (default "netty-standin" or "target")
#   --target-ca FILE    trust anchor for B's server certificate (default DIR/ca.pem)
#   --server-name NAME  name checked against B's certificate and sent as SNI (default: B's host)
#   --any-hostname      do not check B's certificate name (the chain is still verified)
#   --scan              first run benchmarks/tls/tls-scan.sh against A and B (with the client
#                       certificate); --scan-only: only that, no load
#
# Environment: CLIENT_CPUS / SERVER_CPUS = taskset CPU lists for the client JVM and for the
# servers this script starts (default: unpinned, everything shares the machine's cores);
# CLIENT_JAVA_OPTS (default -Xms256m -Xmx256m), SERVER_JAVA_OPTS (default -Xms512m -Xmx512m);
# BENCH_JAR = the benchmarks jar to use (default benchmarks/target/benchmarks.jar).
#
# Output: one line per run (HandshakeLoad's text line, with /proc/loadavg before it), all runs as
# JSON lines in OUT/<time>/results.jsonl, then a table per TLS version: rate of A and
# B per round, the ratio B/A per round, and overall (sum of B's handshakes / sum of A's), and the
# same for handshakes per server CPU-second; "other cpu-s" is the CPU the rest of the machine used
# during the run (other processes: a disturbed run shows there). HAProxy and the stand-in are
# stopped on exit.
# Needs: haproxy (2.6), java 17+, jq, openssl, built benchmarks.jar
#   (./mvnw -q -DskipTests -Dfuzz.skip=true install -pl security-profiles,benchmarks -am).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
jar=${BENCH_JAR:-$root/benchmarks/target/benchmarks.jar}
rounds=3 seconds=20 warmup=5 conns=16 threads=2 versions="1.2 1.3" warm=10
pki="" out_root=$root/target/bench-tls haproxy_port=18443
target="" target_pid="" target_name="" target_ca="" server_name="" any_hostname="" scan="" scan_only=""
while [ $# -gt 0 ]; do
  case $1 in
    -r) rounds=$2; shift ;;
    -d) seconds=$2; shift ;;
    -w) warmup=$2; shift ;;
    -c) conns=$2; shift ;;
    --threads) threads=$2; shift ;;
    --tls) versions=$2; shift ;;
    --warm) warm=$2; shift ;;
    --pki) pki=$2; shift ;;
    --out) out_root=$2; shift ;;
    --haproxy-port) haproxy_port=$2; shift ;;
    --target) target=$2; shift ;;
    --target-pid) target_pid=$2; shift ;;
    --target-name) target_name=$2; shift ;;
    --target-ca) target_ca=$2; shift ;;
    --server-name) server_name=$2; shift ;;
    --any-hostname) any_hostname=1 ;;
    --scan) scan=1 ;;
    --scan-only) scan=1 scan_only=1 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
  shift
done
for tool in haproxy java jq openssl; do
  command -v $tool >/dev/null || { echo "missing $tool" >&2; exit 2; }
done
[ -f "$jar" ] || { echo "build first: ./mvnw -q -DskipTests -Dfuzz.skip=true install -pl security-profiles,benchmarks -am" >&2; exit 2; }
pki=${pki:-$out_root/pki}
[ -f "$pki/ca.pem" ] || "$root/benchmarks/tls/pki.sh" "$pki" >/dev/null
pki=$(cd "$pki" && pwd)
target_ca=${target_ca:-$pki/ca.pem}
out=$out_root/$(date -u +%Y%m%dT%H%M%SZ)
mkdir -p "$out"
results=$out/results.jsonl
client_pin=() server_pin=()
[ -n "${CLIENT_CPUS:-}" ] && client_pin=(taskset -c "$CLIENT_CPUS")
[ -n "${SERVER_CPUS:-}" ] && server_pin=(taskset -c "$SERVER_CPUS")
read -r -a client_java <<< "${CLIENT_JAVA_OPTS:--Xms256m -Xmx256m}"
read -r -a server_java <<< "${SERVER_JAVA_OPTS:--Xms512m -Xmx512m}"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
}
trap cleanup EXIT INT TERM

wait_port() { # host port pid
  for _ in $(seq 100); do
    timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null && return 0
    kill -0 "$3" 2>/dev/null || return 1
    sleep 0.2
  done
  return 1
}

# --- A: HAProxy 2.6, configured as the terminator must be ---------------------------------
tls12="ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:AES128-GCM-SHA256:AES256-GCM-SHA384"
tls13="TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256"
cat > "$out/haproxy.cfg" <<EOF
global
  nbthread 2
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 30s
  timeout server 30s
frontend tls
  bind 127.0.0.1:$haproxy_port ssl crt $pki/server-haproxy.pem ca-file $pki/ca.pem verify required ssl-min-ver TLSv1.2 ciphers $tls12 ciphersuites $tls13
  http-request return status 200 content-type text/plain string "ok\n"
EOF
haproxy -c -q -f "$out/haproxy.cfg"
"${server_pin[@]}" haproxy -db -f "$out/haproxy.cfg" > "$out/haproxy.log" 2>&1 &
haproxy_pid=$!
pids+=("$haproxy_pid")
wait_port 127.0.0.1 "$haproxy_port" "$haproxy_pid" || { cat "$out/haproxy.log"; exit 1; }

# --- B: the given target, or the Netty stand-in --------------------------------------------
if [ -z "$target" ]; then
  target=127.0.0.1:18444
  target_name=${target_name:-netty-standin}
  "${server_pin[@]}" java "${server_java[@]}" -cp "$jar" io.ocppsec.bench.TlsEchoServer --listen "$target" \
    --cert "$pki/server.pem" --key "$pki/server.key" --ca "$pki/ca.pem" --workers 2 > "$out/standin.log" 2>&1 &
  target_pid=$!
  pids+=("$target_pid")
  wait_port 127.0.0.1 18444 "$target_pid" || { cat "$out/standin.log"; exit 1; }
fi
target_name=${target_name:-target}

{
  echo "# $(date -u +%FT%TZ) $(uname -srm), $(nproc) CPUs, $(haproxy -v | head -1)"
  echo "# java: $(java -version 2>&1 | head -1); client pinned: ${CLIENT_CPUS:-no}; servers pinned: ${SERVER_CPUS:-no}"
  echo "# A = haproxy 127.0.0.1:$haproxy_port (pid $haproxy_pid, nbthread 2); B = $target_name $target (pid ${target_pid:-unknown})"
  echo "# rounds=$rounds duration=${seconds}s warmup=${warmup}s connections=$conns client_threads=$threads tls=\"$versions\" pki=$pki"
} | tee "$out/header.txt"

if [ -n "$scan" ]; then
  scan_status=0
  for t in "127.0.0.1:$haproxy_port" "$target"; do
    echo "== tls-scan $t"
    "$root/benchmarks/tls/tls-scan.sh" "$t" --cert "$pki/client.pem" --key "$pki/client.key" --out "$out/scan-${t//[:\/]/_}" \
      || scan_status=$?
  done
  [ -z "$scan_only" ] || exit $scan_status
fi

run() { # phase round name host:port pid tls duration warmup [extra HandshakeLoad args...]
  local phase=$1 round=$2 name=$3 addr=$4 pid=$5 tls=$6 d=$7 w=$8; shift 8
  local args=(--connect "$addr" --cert "$pki/client.pem" --key "$pki/client.key" --tls "$tls"
              -c "$conns" --threads "$threads" -d "$d" -w "$w" --label "$phase/$round/$name" --json "$results")
  [ -n "$pid" ] && args+=(--server-pid "$pid")
  echo "loadavg: $(cat /proc/loadavg)"
  "${client_pin[@]}" java "${client_java[@]}" -cp "$jar" io.ocppsec.bench.HandshakeLoad "${args[@]}" "$@" \
    || echo "  (run reported errors, resumed handshakes or no handshake: see the line above)"
}
run_a() { run "$1" "$2" haproxy "127.0.0.1:$haproxy_port" "$haproxy_pid" "$3" "$4" "$5" --ca "$pki/ca.pem" --server-name localhost; }
run_b() {
  local extra=(--ca "$target_ca")
  [ -n "$server_name" ] && extra+=(--server-name "$server_name")
  [ -n "$any_hostname" ] && extra+=(--any-hostname)
  run "$1" "$2" "$target_name" "$target" "$target_pid" "$3" "$4" "$5" "${extra[@]}"
}

if [ "$warm" -gt 0 ]; then
  for tls in $versions; do
    run_a warm 0 "$tls" "$warm" 0
    run_b warm 0 "$tls" "$warm" 0
  done
fi
for r in $(seq "$rounds"); do
  for tls in $versions; do
    run_a round "$r" "$tls" "$seconds" "$warmup"
    run_b round "$r" "$tls" "$seconds" "$warmup"
  done
done

echo
echo "A = haproxy, B = $target_name; ratio = B / A. hs/cpu-s = handshakes per second of server CPU time."
for tls in $versions; do
  jq -rs --arg tls "TLSv$tls" '
    def r1: (. * 100 | round) / 100;
    [ .[] | select(.tls == $tls and (.label | startswith("round/")))
      | . + {round: (.label | split("/")[1]), who: (if (.label | split("/")[2]) == "haproxy" then "A" else "B" end)} ]
    | group_by(.round) as $rounds
    | ($rounds | map({round: .[0].round,
                      a: (map(select(.who == "A"))[0]), b: (map(select(.who == "B"))[0])})) as $rows
    | "\n\($tls)\nround  A hs/s   B hs/s   B/A    A p50/p99 ms    B p50/p99 ms    A hs/cpu-s  B hs/cpu-s  B/A    errors A/B  resumed A/B  other cpu-s A/B",
      ($rows[] | "\(.round)      \(.a.rate)   \(.b.rate)   \((.b.rate / .a.rate) | r1)   \(.a.p50_ms)/\(.a.p99_ms)   \(.b.p50_ms)/\(.b.p99_ms)   \(.a.hs_per_server_cpu_s // "-")   \(.b.hs_per_server_cpu_s // "-")   \(if .a.hs_per_server_cpu_s and .b.hs_per_server_cpu_s then (.b.hs_per_server_cpu_s / .a.hs_per_server_cpu_s | r1) else "-" end)   \(.a.errors)/\(.b.errors)   \(.a.resumed)/\(.b.resumed)   \(.a.other_cpu_s // "-")/\(.b.other_cpu_s // "-")"),
      ( ($rows | map(.a.handshakes) | add) as $ha | ($rows | map(.b.handshakes) | add) as $hb
        | ($rows | map(.a.server_cpu_s // 0) | add) as $ca | ($rows | map(.b.server_cpu_s // 0) | add) as $cb
        | "all    handshakes A \($ha), B \($hb): B/A = \(($hb / $ha) | r1)"
          + (if $ca > 0 and $cb > 0 then "; per server CPU-second A \(($ha / $ca) | round), B \(($hb / $cb) | round): B/A = \((($hb / $cb) / ($ha / $ca)) | r1)" else "" end))
  ' "$results"
done | tee "$out/summary.txt"
echo
echo "results: $results"
