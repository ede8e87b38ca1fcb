package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateHashData;

/**
 * DeleteCertificateRequest (M04). M04.FR.07: use the hash algorithm the station used in its
 * GetInstalledCertificateIds answer.
 */
public record DeleteCertificateRequest(CertificateHashData certificateHashData) implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.DeleteCertificate;
    }
}
