package io.ocppsec.pki.pnc;

import java.time.Instant;

/**
 * One Plug & Charge contract of local provisioning: the eMAID an EV (its PCID) gets.
 *
 * @param emaid       as given (separators kept)
 * @param pcid        as given
 * @param status      ACTIVE or CANCELLED
 * @param tokenStatus what Authorize with this contract answers as idTokenInfo.status (C07.FR.13/14):
 *                    Accepted while ACTIVE; Blocked, Expired or Invalid once cancelled
 */
public record ContractRecord(String emaid, String pcid, Status status, String tokenStatus, Instant createdAt,
                             String createdBy, Instant updatedAt, String updatedBy) {

    /** The lifecycle of a contract. */
    public enum Status { ACTIVE, CANCELLED }

    /** Token statuses a cancelled contract may carry (OCPP AuthorizationStatusEnumType). */
    public static final java.util.Set<String> CANCELLED_TOKEN_STATUSES = java.util.Set.of("Blocked", "Expired", "Invalid");

    public boolean active() {
        return status == Status.ACTIVE;
    }

    /** The eMAID without separators, upper case. */
    public String emaidKey() {
        return emaid.replace("-", "").toUpperCase(java.util.Locale.ROOT);
    }
}
