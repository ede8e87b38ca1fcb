package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.OcspRequestData;

/**
 * GetCertificateStatusRequest (M06): the station asks the CSMS to fetch an OCSP response for one
 * certificate. The responderURL comes from the station and must pass the SSRF guard.
 */
public record GetCertificateStatusRequest(OcspRequestData ocspRequestData) implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.GetCertificateStatus;
    }
}
