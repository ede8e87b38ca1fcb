package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateStatusRequestInfo;
import java.util.List;

/** OCPP 2.1 GetCertificateChainStatusRequest (M07): 1 to 4 certificates to check by OCSP or CRL. */
public record GetCertificateChainStatusRequest(List<CertificateStatusRequestInfo> certificateStatusRequests)
        implements OcppRequest {

    public GetCertificateChainStatusRequest {
        certificateStatusRequests = certificateStatusRequests == null ? null : List.copyOf(certificateStatusRequests);
    }

    @Override
    public Action ocppAction() {
        return Action.GetCertificateChainStatus;
    }
}
