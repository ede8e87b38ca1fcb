package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.GenericStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;

/** SignCertificateResponse (A02/A03.FR.11/12). */
public record SignCertificateResponse(GenericStatus status, StatusInfo statusInfo) implements OcppResponse {

    public static SignCertificateResponse accepted() {
        return new SignCertificateResponse(GenericStatus.Accepted, null);
    }

    public static SignCertificateResponse rejected(StatusInfo why) {
        return new SignCertificateResponse(GenericStatus.Rejected, why);
    }

    @Override
    public Action ocppAction() {
        return Action.SignCertificate;
    }
}
