#!/usr/bin/env bash
# Test PKI for the TLS handshake benchmark and the TLS scan (docs/benchmarks.md, issue 4).
#
#   benchmarks/tls/pki.sh DIR
#
# Makes, with the openssl CLI, all PEM, all keys EC P-256 (PKCS#8, unencrypted):
#   DIR/ca.pem, ca.key            self-signed CA "ocppsec bench CA" (CA:true, keyCertSign, cRLSign)
#   DIR/server.pem, server.key    server certificate CN=localhost, SAN DNS:localhost, IP:127.0.0.1,
#                                 extendedKeyUsage serverAuth, signed by the CA
#   DIR/client.pem, client.key    client certificate CN=CP001 (a charging station identity),
#                                 extendedKeyUsage clientAuth, signed by the CA
#   DIR/server-haproxy.pem        server.pem followed by server.key (HAProxy's "crt" file)
#   DIR/server-chain.pem          server.pem followed by ca.pem
# A server under test needs server.pem + server.key (or server-haproxy.pem) as its certificate
# and ca.pem as the trust anchor for client certificates; the client uses client.pem,
# client.key and ca.pem. Existing files in DIR are overwritten.
set -euo pipefail
dir=${1:?usage: pki.sh DIR}
mkdir -p "$dir"
cd "$dir"
days=3650

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; chmod 600 "$1"; }

key ca.key
openssl req -new -x509 -key ca.key -sha256 -days $days -subj "/O=ocppsec bench/CN=ocppsec bench CA" \
  -addext "basicConstraints=critical,CA:true" -addext "keyUsage=critical,keyCertSign,cRLSign" \
  -addext "subjectKeyIdentifier=hash" -out ca.pem

leaf() { # name subject extensions...
  local name=$1 subject=$2; shift 2
  key "$name.key"
  openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr"
  printf '%s\n' "$@" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -sha256 -days $days \
    -extfile "$name.ext" -out "$name.pem" 2>/dev/null
  rm -f "$name.csr" "$name.ext"
}
leaf server "/O=ocppsec bench/CN=localhost" \
  "basicConstraints=critical,CA:false" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=serverAuth" "subjectAltName=DNS:localhost,IP:127.0.0.1" \
  "authorityKeyIdentifier=keyid" "subjectKeyIdentifier=hash"
leaf client "/O=ocppsec bench/CN=CP001" \
  "basicConstraints=critical,CA:false" "keyUsage=critical,digitalSignature" \
  "extendedKeyUsage=clientAuth" "authorityKeyIdentifier=keyid" "subjectKeyIdentifier=hash"
rm -f ca.srl

cat server.pem server.key > server-haproxy.pem
chmod 600 server-haproxy.pem
cat server.pem ca.pem > server-chain.pem
openssl verify -CAfile ca.pem server.pem client.pem >/dev/null
echo "test PKI in $(pwd): ca.pem, server.pem/server.key (localhost, 127.0.0.1), client.pem/client.key (CN=CP001), server-haproxy.pem"
