package io.ocppsec.pki.broker;

import java.util.Optional;

/**
 * Our own OCSP responder, asked in process (no network) for certificates issued by a CA we run.
 *
 * <p>Contract: {@code ocspRequestDer} is a DER {@code OCSPRequest} (RFC 6960 §4.1.1) with exactly
 * one {@code Request}, whose CertID uses the hash algorithm the station chose (SHA-256, SHA-384 or
 * SHA-512) over the issuer name and key; the broker sends it without a nonce and unsigned. The
 * answer is a DER {@code OCSPResponse} (RFC 6960 §4.2.1), normally {@code successful} with a
 * {@code BasicOCSPResponse} signed by the issuing CA or by a delegated signer certificate issued by
 * it (id-kp-OCSPSigning) and included in {@code certs}; its SingleResponse must carry the same
 * CertID (same hash algorithm) and a {@code nextUpdate}. Empty means "not one of our issuers". The
 * broker verifies the answer exactly like one from an external responder. Must be thread-safe and
 * must not block on the network.
 */
@FunctionalInterface
public interface LocalOcspResponder {
    Optional<byte[]> respond(byte[] ocspRequestDer);
}
