package io.ocppsec.terminator.upgrade;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.terminator.pki.StationRecord;

/** What {@link StationAdmission} decided about an upgrade request. */
public sealed interface Decision permits Decision.Admit, Decision.Refuse {

    /**
     * The station may connect.
     *
     * @param version         the subprotocol to speak; null when the station offered none we allow
     *                        (OCPP-J §3.3: complete the handshake without the header, then close)
     * @param clientCommonName the CN of the profile-3 client certificate (kept for B01.FR.11/12), else null;
     *                        the certificate itself is not kept, so an idle connection stays small
     * @param clientCertificateSha256 its SHA-256 fingerprint (lower-case hex), else null
     * @param expiredAccepted true when an expired certificate was accepted under A00.FR.429
     */
    record Admit(StationRecord station, int profile, OcppVersion version, String clientCommonName,
                 String clientCertificateSha256, boolean expiredAccepted) implements Decision {
    }

    /**
     * The station is refused.
     *
     * @param httpStatus  the status of the HTTP answer
     * @param reason      a machine-readable reason (metrics label, security event reason)
     * @param requirement the OCPP requirement enforced, or null
     * @param eventType   the security event type to record
     * @param detail      a short text without secrets
     * @param retryAfterSeconds for 429/503, else 0
     * @param countsAsFailure whether it feeds the back-off (a refusal during back-off does not)
     */
    record Refuse(int httpStatus, String reason, String requirement, String eventType, String detail,
                  long retryAfterSeconds, boolean countsAsFailure) implements Decision {

        static Refuse of(int status, String reason, String requirement, String eventType, String detail) {
            return new Refuse(status, reason, requirement, eventType, detail, 0, true);
        }
    }
}
