package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.CertificateSigningUse;

/**
 * SignCertificateRequest (A02/A03): a PEM PKCS#10 CSR. No certificateType means the certificate is
 * for both the CSMS connection and ISO 15118. OCPP 2.1 adds {@code hashRootCertificate} (the root
 * the station wants to be signed under) and {@code requestId} (to be echoed in CertificateSigned).
 */
public record SignCertificateRequest(
        String csr,
        CertificateSigningUse certificateType,
        CertificateHashData hashRootCertificate,
        Integer requestId) implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.SignCertificate;
    }
}
