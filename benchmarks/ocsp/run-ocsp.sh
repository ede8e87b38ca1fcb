#!/usr/bin/env bash
# OCSP responder load (docs/benchmarks.md, "OCSP responder (issue 5)"): pki-service's /ocsp with
# its pre-signed cache and `openssl ocsp -index ... -multi 2` on the same certificates and the same
# signer key, measured alternately in the same run by the same load generator
# (io.ocppsec.bench.ocsp.OcspLoad: keep-alive HTTP/1.1 POSTs over real sockets).
#
#   benchmarks/ocsp/run-ocsp.sh [certificates] [connections] [seconds] [rounds]
#
# Needs: built jars (pki-service.jar, benchmarks.jar), openssl, curl. Fresh data directory under
# target/bench-ocsp (embedded H2, PKCS#12 custody with a known password so openssl can be given the
# delegated signer's key: development PKI only).
set -euo pipefail
certs=${1:-1000}
connections=${2:-16}
seconds=${3:-20}
rounds=${4:-2}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$root/target/bench-ocsp
port=18481
oport=18482
api=http://127.0.0.1:$port
jar=$root/pki-service/target/pki-service.jar
load="java -cp $root/benchmarks/target/benchmarks.jar io.ocppsec.bench.ocsp.OcspLoad"
rm -rf "$work" && mkdir -p "$work"

java -Xms512m -Xmx512m -jar "$jar" --ocppsec.data-dir="$work/data" --server.port=$port \
  --ocppsec.custody.pkcs12.password=bench-keystore-pass --server.tomcat.max-keep-alive-requests=-1 > "$work/service.log" 2>&1 &
service=$!
ossl=
# openssl -multi forks workers that outlive a plain kill of the parent: kill them by parent id.
trap 'kill $service 2>/dev/null; [ -n "$ossl" ] && { pkill -KILL -P "$ossl"; kill -9 "$ossl"; } 2>/dev/null; wait $service 2>/dev/null || true' EXIT
for _ in $(seq 240); do
  curl -sf "$api/actuator/health" >/dev/null 2>&1 && break
  kill -0 $service || { tail -20 "$work/service.log"; exit 1; }
  sleep 0.5
done

$load prepare "$api" "$work/data/admin-token" "$work/data/ca.p12" bench-keystore-pass "$certs" "$work/pki"
cd "$work/pki"
openssl ocsp -index index.txt -port $oport -rsigner ocsp-signer.pem -rkey ocsp-signer.key -CA issuer.pem \
  -nmin 60 -multi 2 > "$work/openssl-ocsp.log" 2>&1 &
ossl=$!
sleep 1
kill -0 $ossl || { cat "$work/openssl-ocsp.log"; exit 1; }
# Both answer the same question the same way before anything is measured.
for p in $port $oport; do
  openssl ocsp -issuer issuer.pem -serial 0x"$(sed -n 2p index.txt | cut -f4)" -url http://127.0.0.1:$p/ocsp \
    -CAfile root.pem -verify_other issuer.pem -no_nonce 2>&1 | sed "s/^/[$p] /"
  openssl ocsp -issuer issuer.pem -serial 0x"$(sed -n 1p index.txt | cut -f4)" -url http://127.0.0.1:$p/ocsp \
    -CAfile root.pem -verify_other issuer.pem -no_nonce 2>&1 | sed "s/^/[$p] /"
done
echo "nproc=$(nproc) load=$(cut -d' ' -f1-3 /proc/loadavg) java=$(java -version 2>&1 | head -1) $(openssl version)"
for r in $(seq "$rounds"); do
  echo "round $r: pki-service"
  $load run 127.0.0.1 $port requests.bin "$connections" "$seconds" 5
  echo "round $r: openssl ocsp -multi 2"
  $load run 127.0.0.1 $oport requests.bin "$connections" "$seconds" 5
done
echo "pki-service CPU (user+sys ticks): $(awk '{print $14+$15}' /proc/$service/stat)"
