package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.DeleteCertificateStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;

/** DeleteCertificateResponse. */
public record DeleteCertificateResponse(DeleteCertificateStatus status, StatusInfo statusInfo) implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.DeleteCertificate;
    }
}
