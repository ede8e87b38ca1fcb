package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.AuthorizeCertificateStatus;
import io.ocppsec.ocpp.message.type.EnergyTransferMode;
import io.ocppsec.ocpp.message.type.IdTokenInfo;
import java.util.List;

/**
 * AuthorizeResponse: the idToken verdict and, for a contract certificate, the certificate status
 * (C07 decision table). OCPP 2.1 adds {@code allowedEnergyTransfer} and {@code tariff}; the tariff
 * is the CSMS's business and is checked by the schema rules but not modelled here.
 */
public record AuthorizeResponse(
        IdTokenInfo idTokenInfo,
        AuthorizeCertificateStatus certificateStatus,
        List<EnergyTransferMode> allowedEnergyTransfer) implements OcppResponse {

    public AuthorizeResponse {
        allowedEnergyTransfer = allowedEnergyTransfer == null ? null : List.copyOf(allowedEnergyTransfer);
    }

    public static AuthorizeResponse of(IdTokenInfo idTokenInfo, AuthorizeCertificateStatus certificateStatus) {
        return new AuthorizeResponse(idTokenInfo, certificateStatus, null);
    }

    @Override
    public Action ocppAction() {
        return Action.Authorize;
    }
}
