package io.ocppsec.security.firmware;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking a firmware signature and its signing certificate, in OCPP's terms.
 *
 * @param outcome    Valid, or what the station would answer
 * @param reason     a stable code (VALID, EXPIRED, CHAIN_LOOP, SIGNATURE_MISMATCH, ...)
 * @param message    a sentence for people; never secret
 * @param path       the signing certificate first, up to and including the trusted root (empty when none was built)
 * @param revocation what revocation checking found for the path: GOOD, REVOKED, UNKNOWN, UNAVAILABLE, or NOT_CHECKED
 */
public record FirmwareVerification(Outcome outcome, String reason, String message, List<X509Certificate> path,
                                   String revocation) {
    /** The outcomes; the names are the OCPP ones (UpdateFirmwareStatus, FirmwareStatus). */
    public enum Outcome { Valid, InvalidCertificate, RevokedCertificate, InvalidSignature }

    public FirmwareVerification {
        Objects.requireNonNull(outcome, "outcome");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(message, "message");
        Objects.requireNonNull(revocation, "revocation");
        path = List.copyOf(path);
    }

    public boolean valid() {
        return outcome == Outcome.Valid;
    }
}
