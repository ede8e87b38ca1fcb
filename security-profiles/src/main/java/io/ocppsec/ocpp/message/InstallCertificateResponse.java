package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.InstallCertificateStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;

/** InstallCertificateResponse (M05). */
public record InstallCertificateResponse(InstallCertificateStatus status, StatusInfo statusInfo) implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.InstallCertificate;
    }
}
