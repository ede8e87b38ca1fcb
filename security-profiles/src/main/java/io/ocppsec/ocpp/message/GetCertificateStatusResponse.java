package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.GetCertificateStatusEnum;
import io.ocppsec.ocpp.message.type.StatusInfo;
import java.util.Base64;

/**
 * GetCertificateStatusResponse (M06.FR.02–04, 08/09): {@code status} says whether an OCSP response
 * could be had, not whether the certificate is good; {@code ocspResult} is the RFC 6960
 * OCSPResponse, DER, base64.
 */
public record GetCertificateStatusResponse(
        GetCertificateStatusEnum status,
        StatusInfo statusInfo,
        String ocspResult) implements OcppResponse {

    /** M06.FR.02/03/08/09: a retrieved OCSP response. */
    public static GetCertificateStatusResponse accepted(byte[] derOcspResponse) {
        return new GetCertificateStatusResponse(GetCertificateStatusEnum.Accepted, null,
                Base64.getEncoder().encodeToString(derOcspResponse));
    }

    /** M06.FR.04: no OCSP response could be had. */
    public static GetCertificateStatusResponse failed(StatusInfo why) {
        return new GetCertificateStatusResponse(GetCertificateStatusEnum.Failed, why, null);
    }

    @Override
    public Action ocppAction() {
        return Action.GetCertificateStatus;
    }
}
