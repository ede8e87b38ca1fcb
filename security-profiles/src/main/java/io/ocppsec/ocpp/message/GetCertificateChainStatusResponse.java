package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateStatus;
import java.util.List;

/** OCPP 2.1 GetCertificateChainStatusResponse (M07.FR.08): one status per requested certificate. */
public record GetCertificateChainStatusResponse(List<CertificateStatus> certificateStatus) implements OcppResponse {

    public GetCertificateChainStatusResponse {
        certificateStatus = certificateStatus == null ? null : List.copyOf(certificateStatus);
    }

    @Override
    public Action ocppAction() {
        return Action.GetCertificateChainStatus;
    }
}
