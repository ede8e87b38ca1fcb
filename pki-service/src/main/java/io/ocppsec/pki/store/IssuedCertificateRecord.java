package io.ocppsec.pki.store;

import java.time.Instant;

/**
 * A certificate issued to a station, as the inventory keeps it: {@code stationKey} is the
 * canonical (lower-case) identity the lookups use, {@code station} the identity as registered.
 */
public record IssuedCertificateRecord(
        String serial,
        String issuerId,
        String stationKey,
        String station,
        String certificateType,
        String subject,
        Instant notBefore,
        Instant notAfter,
        String status,
        Instant revokedAt,
        String revocationReason,
        String csrSha256,
        Long requestId,
        String requester,
        String certificatePem,
        Instant issuedAt) {

    public static final String VALID = "VALID";
    public static final String REVOKED = "REVOKED";
}
