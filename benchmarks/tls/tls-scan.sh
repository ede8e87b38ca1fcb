#!/usr/bin/env bash
# Checks what a TLS server offers against the OCPP policy (docs/benchmarks.md, issue 4):
# only TLS 1.2 and TLS 1.3, and only the allowed suites (security-profiles CipherSuite):
#   TLS 1.3  TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384, TLS_CHACHA20_POLY1305_SHA256
#   TLS 1.2  ECDHE-ECDSA-AES128-GCM-SHA256, ECDHE-ECDSA-AES256-GCM-SHA384,
#            AES128-GCM-SHA256, AES256-GCM-SHA384 (the last two need an RSA server key)
# A server may offer a subset (an EC server key cannot negotiate the two TLS_RSA suites); the
# allowed suites it does not offer are listed for information.
#
#   benchmarks/tls/tls-scan.sh HOST:PORT [--cert CLIENT.pem --key CLIENT.key] [--sni NAME]
#                              [--no-testssl] [--no-sslscan] [--out DIR]
#
# Runs sslscan and, if installed, testssl.sh (-p -E: protocols, then every cipher per protocol,
# through its own sockets for what the local OpenSSL lacks). Give the client certificate when the
# server requires one: sslscan tests TLS 1.2 suites with complete OpenSSL handshakes, and without
# a certificate an mTLS server makes every TLS 1.2 handshake fail, so sslscan lists no TLS 1.2
# suite at all (reported here as inconclusive, not as a pass). testssl.sh 3.0 has no client
# certificate option; it decides from the ServerHello, which an mTLS server sends first.
# Also fails on TLS compression or insecure renegotiation reported by sslscan.
#
# Exit code: 0 every tool ran and found nothing outside the policy; 1 a violation (protocol or
# suite outside the policy); 2 inconclusive (a tool failed, or found no suite for an enabled
# protocol, or no tool ran). Raw outputs are kept in DIR (default target/tls-scan/<time>).
set -euo pipefail
target=${1:?usage: tls-scan.sh HOST:PORT [--cert CLIENT.pem --key CLIENT.key] [--sni NAME] [--no-testssl] [--no-sslscan] [--out DIR]}
shift
cert="" key="" sni="" use_testssl=1 use_sslscan=1 out=""
while [ $# -gt 0 ]; do
  case $1 in
    --cert) cert=$2; shift ;;
    --key) key=$2; shift ;;
    --sni) sni=$2; shift ;;
    --no-testssl) use_testssl="" ;;
    --no-sslscan) use_sslscan="" ;;
    --out) out=$2; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
  shift
done
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${out:-$root/target/tls-scan/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

# The policy, IANA names, "PROTOCOL NAME" per line (mirror of io.ocppsec.security.tls.CipherSuite).
allowed="TLSv1.3 TLS_AES_128_GCM_SHA256
TLSv1.3 TLS_AES_256_GCM_SHA384
TLSv1.3 TLS_CHACHA20_POLY1305_SHA256
TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256
TLSv1.2 TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384
TLSv1.2 TLS_RSA_WITH_AES_128_GCM_SHA256
TLSv1.2 TLS_RSA_WITH_AES_256_GCM_SHA384"
iana() { # OpenSSL name -> IANA name for the allowed TLS 1.2 suites; anything else unchanged
  case $1 in
    ECDHE-ECDSA-AES128-GCM-SHA256) echo TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 ;;
    ECDHE-ECDSA-AES256-GCM-SHA384) echo TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384 ;;
    AES128-GCM-SHA256) echo TLS_RSA_WITH_AES_128_GCM_SHA256 ;;
    AES256-GCM-SHA384) echo TLS_RSA_WITH_AES_256_GCM_SHA384 ;;
    *) echo "$1" ;;
  esac
}

verdict=0   # 0 ok, 1 violation, 2 inconclusive
fail() { echo "  FAIL: $*"; verdict=1; }
unsure() { echo "  INCONCLUSIVE: $*"; [ $verdict -eq 1 ] || verdict=2; }

# check TOOL PROTOCOLS_FILE SUITES_FILE: PROTOCOLS_FILE has "PROTOCOL yes|no" lines, SUITES_FILE
# "PROTOCOL IANA_NAME" lines.
check() {
  local tool=$1 protocols=$2 suites=$3 p state
  echo "$tool:"
  while read -r p state; do
    case $p in
      TLSv1.2|TLSv1.3) echo "  $p $([ "$state" = yes ] && echo offered || echo 'not offered')" ;;
      *) if [ "$state" = yes ]; then fail "$p offered"; else echo "  $p not offered (ok)"; fi ;;
    esac
  done < "$protocols"
  grep -q ' yes$' <(grep -E '^TLSv1\.[23] ' "$protocols") || fail "neither TLS 1.2 nor TLS 1.3 offered"
  while read -r p name; do
    if grep -qxF "$p $name" <<< "$allowed"; then echo "  $p $name (allowed)"; else fail "$p $name offered, not allowed"; fi
  done < "$suites"
  for p in TLSv1.2 TLSv1.3; do
    if grep -qx "$p yes" "$protocols" && ! grep -q "^$p " "$suites"; then
      unsure "$p is offered but $tool found no $p suite$([ "$p" = TLSv1.2 ] && [ -z "$cert" ] && echo ' (mTLS server? pass --cert/--key)')"
    fi
  done
  local missing
  missing=$(grep -vxF -f "$suites" <<< "$allowed" | awk '{printf "%s%s %s", (NR>1?", ":""), $1, $2}' || true)
  [ -z "$missing" ] || echo "  allowed but not offered (information): $missing"
}

ran=0
if [ -n "$use_sslscan" ]; then
  if command -v sslscan >/dev/null; then
    args=(--no-colour --no-heartbleed)
    [ -n "$cert" ] && args+=(--certs="$cert" --pk="$key")
    [ -n "$sni" ] && args+=(--sni-name="$sni")
    if sslscan "${args[@]}" "$target" > "$out/sslscan.txt" 2>&1 && grep -q 'SSL/TLS Protocols' "$out/sslscan.txt"; then
      ran=$((ran + 1))
      sed -n -E 's/^(SSLv2|SSLv3|TLSv1\.[0-3]) +(enabled|disabled).*/\1 \2/p' "$out/sslscan.txt" \
        | sed -e 's/ enabled$/ yes/' -e 's/ disabled$/ no/' > "$out/sslscan.protocols"
      sed -n -E 's/^(Preferred|Accepted) +(SSLv[23]|TLSv1\.[0-3]) +[0-9]+ bits +([^ ]+).*/\2 \3/p' "$out/sslscan.txt" \
        | while read -r p n; do echo "$p $(iana "$n")"; done | sort -u > "$out/sslscan.suites"
      check "sslscan $(sslscan --version 2>/dev/null | sed -n 's/\x1b\[[0-9;]*m//g; s/^[[:space:]]*\([0-9][0-9.]*\)$/\1/p' | head -1)" \
        "$out/sslscan.protocols" "$out/sslscan.suites"
      grep -q 'Insecure session renegotiation supported' "$out/sslscan.txt" && fail "sslscan: insecure renegotiation supported"
      grep -q 'Compression enabled' "$out/sslscan.txt" && fail "sslscan: TLS compression enabled"
      groups=$(sed -n '/Key Exchange Group/,/^$/p' "$out/sslscan.txt" | sed -n -E 's/^(TLSv1\.[23]) +[0-9]+ bits +(.*)/\1 \2/p' | paste -sd, - | sed 's/,/, /g')
      [ -z "$groups" ] || echo "  key exchange groups (information): $groups"
    else
      echo "sslscan:"; unsure "sslscan failed (see $out/sslscan.txt)"
    fi
  else
    echo "sslscan: not installed"
  fi
fi

if [ -n "$use_testssl" ]; then
  testssl_bin=$(command -v testssl || command -v testssl.sh || true)
  if [ -n "$testssl_bin" ]; then
    json=$out/testssl.json
    rm -f "$json"
    # testssl.sh 3.0 exits non-zero for reasons other than a failed scan (1 here for a clean
    # mTLS server); the scan counts when its JSON has the protocol results and no fatal problem.
    "$testssl_bin" --quiet --color 0 --warnings off -p -E --jsonfile "$json" "$target" > "$out/testssl.txt" 2>&1 || true
    if [ -s "$json" ] && jq -e 'any(.[]; .id == "TLS1_2") and any(.[]; .id == "scanTime")
                               and (any(.[]; .id == "scanProblem" and .severity == "FATAL") | not)' "$json" >/dev/null; then
      ran=$((ran + 1))
      jq -r '.[] | select(.id | test("^(SSLv2|SSLv3|TLS1|TLS1_1|TLS1_2|TLS1_3)$"))
             | "\(.id | sub("^TLS1$"; "TLSv1.0") | sub("^TLS1_"; "TLSv1.")) \(if (.finding | test("^not offered")) then "no" else "yes" end)"' \
        "$json" > "$out/testssl.protocols"
      jq -r '.[] | select(.id | startswith("cipher-")) | select(.id | test("^cipher-(ssl|tls)"))
             | "\(.id | capture("^cipher-(?<p>[a-z0-9_]+)_x").p | sub("^ssl2$"; "SSLv2") | sub("^ssl3$"; "SSLv3") | sub("^tls1$"; "TLSv1.0") | sub("^tls1_"; "TLSv1.")) \(.finding | split(" ") | map(select(. != "")) | last)"' \
        "$json" | sort -u > "$out/testssl.suites"
      check "testssl.sh $("$testssl_bin" --version 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g' | sed -n 's/.*testssl[^0-9]*\([0-9][0-9.a-z-]*\) from.*/\1/p' | head -1)" \
        "$out/testssl.protocols" "$out/testssl.suites"
    else
      echo "testssl.sh:"; unsure "testssl.sh failed (see $out/testssl.txt)"
    fi
  else
    echo "testssl.sh: not installed"
  fi
fi

[ $ran -gt 0 ] || unsure "no scanner ran"
case $verdict in
  0) echo "RESULT $target: PASS (only TLS 1.2/1.3 and allowed suites; $ran scanner(s); raw output in $out)" ;;
  1) echo "RESULT $target: FAIL (outside the policy; raw output in $out)" ;;
  *) echo "RESULT $target: INCONCLUSIVE (raw output in $out)" ;;
esac
exit $verdict
