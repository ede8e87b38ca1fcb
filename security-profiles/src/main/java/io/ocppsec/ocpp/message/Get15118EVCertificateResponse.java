package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.Iso15118EVCertificateStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;

/**
 * Get15118EVCertificateResponse: the base64 EXI CertificateInstallationRes/UpdateRes. The field is
 * required even when {@code status} is Failed, so a failure still carries a well-formed EXI
 * response (stations crash on anything else). OCPP 2.1 adds {@code remainingContracts}.
 */
public record Get15118EVCertificateResponse(
        Iso15118EVCertificateStatus status,
        StatusInfo statusInfo,
        String exiResponse,
        Integer remainingContracts) implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.Get15118EVCertificate;
    }
}
