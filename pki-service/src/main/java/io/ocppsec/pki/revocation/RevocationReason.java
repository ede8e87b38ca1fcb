package io.ocppsec.pki.revocation;

import io.ocppsec.pki.store.Refusal;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.bouncycastle.asn1.x509.CRLReason;

/**
 * The RFC 5280 §5.3.1 reason codes we accept when revoking. Not supported: certificateHold (and
 * with it removeFromCRL): a hold is a revocation that may be undone, and OCPP stations cache
 * statuses, so we only revoke for good; aACompromise: we issue no attribute certificates.
 */
public enum RevocationReason {
    unspecified(CRLReason.unspecified),
    keyCompromise(CRLReason.keyCompromise),
    cACompromise(CRLReason.cACompromise),
    affiliationChanged(CRLReason.affiliationChanged),
    superseded(CRLReason.superseded),
    cessationOfOperation(CRLReason.cessationOfOperation),
    privilegeWithdrawn(CRLReason.privilegeWithdrawn);

    private final int code;

    RevocationReason(int code) {
        this.code = code;
    }

    /** The CRLReason code (the value of the reasonCode extension and of OCSP's revocationReason). */
    public int code() {
        return code;
    }

    /** The reason named in a request; null means unspecified. */
    public static RevocationReason parse(String name) {
        if (name == null || name.isBlank()) {
            return unspecified;
        }
        for (RevocationReason r : values()) {
            if (r.name().equalsIgnoreCase(name.trim())) {
                return r;
            }
        }
        throw Refusal.badRequest("BAD_REASON", "reason must be one of "
                + Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "))
                + " (certificateHold is not supported)");
    }

    /** The stored reason (a name written by {@link #parse}); unknown or missing reads as unspecified. */
    public static RevocationReason stored(String name) {
        if (name != null) {
            for (RevocationReason r : values()) {
                if (r.name().equals(name)) {
                    return r;
                }
            }
        }
        return unspecified;
    }
}
