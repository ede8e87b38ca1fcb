package io.ocppsec.security.firmware;

import java.security.cert.X509Certificate;

/** Asks whether a certificate of the signing path is revoked (pki-service: the OCSP broker). */
@FunctionalInterface
public interface RevocationCheck {
    /** What is known of one certificate. */
    enum Status { GOOD, REVOKED, UNKNOWN, UNAVAILABLE }

    Status status(X509Certificate certificate, X509Certificate issuer);
}
