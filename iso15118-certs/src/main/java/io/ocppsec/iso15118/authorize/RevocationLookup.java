package io.ocppsec.iso15118.authorize;

import io.ocppsec.ocpp.message.type.OcspRequestData;

/**
 * The revocation status of one certificate, by its OCSP request data (RFC 6960 CertID + responder
 * URL). The service implements it with its OCSP broker (real-time or cached responses, C07.FR.05).
 * It should return {@link Status#UNAVAILABLE} rather than throw when no answer can be had; a
 * thrown RuntimeException is treated as UNAVAILABLE.
 */
@FunctionalInterface
public interface RevocationLookup {

    /** The OCSP certStatus, or UNAVAILABLE when no verified response could be obtained. */
    enum Status { GOOD, REVOKED, UNKNOWN, UNAVAILABLE }

    Status status(OcspRequestData request);
}
