package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.GetCertificateIdUse;
import java.util.List;

/** GetInstalledCertificateIdsRequest (M03); no type list means all types. */
public record GetInstalledCertificateIdsRequest(List<GetCertificateIdUse> certificateType) implements OcppRequest {

    public GetInstalledCertificateIdsRequest {
        certificateType = certificateType == null ? null : List.copyOf(certificateType);
    }

    @Override
    public Action ocppAction() {
        return Action.GetInstalledCertificateIds;
    }
}
