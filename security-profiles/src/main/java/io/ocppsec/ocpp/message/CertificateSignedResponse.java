package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateSignedStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;

/** CertificateSignedResponse: whether the station accepted the new chain. */
public record CertificateSignedResponse(CertificateSignedStatus status, StatusInfo statusInfo) implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.CertificateSigned;
    }
}
