package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateHashDataChain;
import io.ocppsec.ocpp.message.type.GetInstalledCertificateStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;
import java.util.List;

/** GetInstalledCertificateIdsResponse (M03). */
public record GetInstalledCertificateIdsResponse(
        GetInstalledCertificateStatus status,
        StatusInfo statusInfo,
        List<CertificateHashDataChain> certificateHashDataChain) implements OcppResponse {

    public GetInstalledCertificateIdsResponse {
        certificateHashDataChain = certificateHashDataChain == null ? null : List.copyOf(certificateHashDataChain);
    }

    @Override
    public Action ocppAction() {
        return Action.GetInstalledCertificateIds;
    }
}
