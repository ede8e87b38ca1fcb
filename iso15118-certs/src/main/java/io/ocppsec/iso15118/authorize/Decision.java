package io.ocppsec.iso15118.authorize;

import io.ocppsec.ocpp.message.type.AuthorizationStatus;
import io.ocppsec.ocpp.message.type.AuthorizeCertificateStatus;
import io.ocppsec.ocpp.message.type.OcspRequestData;

import java.util.List;
import java.util.Objects;

/**
 * The answer to an Authorize with contract certificate data (C07): what goes into
 * {@code idTokenInfo.status} and {@code certificateStatus}, why, and which OCSP request data
 * were checked.
 *
 * @param idTokenStatus     AuthorizeResponse.idTokenInfo.status
 * @param certificateStatus AuthorizeResponse.certificateStatus
 * @param reason            a sentence for logs / security events (no key material)
 * @param checked           the OCSP request data queried (computed from the chain when one was given)
 */
public record Decision(AuthorizationStatus idTokenStatus, AuthorizeCertificateStatus certificateStatus, String reason,
                       List<OcspRequestData> checked) {

    public Decision {
        Objects.requireNonNull(idTokenStatus, "idTokenStatus");
        Objects.requireNonNull(certificateStatus, "certificateStatus");
        Objects.requireNonNull(reason, "reason");
        checked = List.copyOf(checked);
    }

    public Decision(AuthorizationStatus idTokenStatus, AuthorizeCertificateStatus certificateStatus, String reason) {
        this(idTokenStatus, certificateStatus, reason, List.of());
    }
}
