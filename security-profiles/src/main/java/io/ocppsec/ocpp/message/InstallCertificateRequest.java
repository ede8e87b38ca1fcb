package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.InstallCertificateUse;

/** InstallCertificateRequest (M05): a root certificate, PEM. */
public record InstallCertificateRequest(InstallCertificateUse certificateType, String certificate) implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.InstallCertificate;
    }
}
