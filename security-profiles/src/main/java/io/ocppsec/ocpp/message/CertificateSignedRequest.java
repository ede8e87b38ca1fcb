package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateSigningUse;

/**
 * CertificateSignedRequest (CSMS to station, A02/A03): the signed chain as PEM, leaf first,
 * without the root. A02/A03.FR.14 recommends echoing the certificateType of the SignCertificate
 * request; in OCPP 2.1 its requestId must be copied too (A02.FR.25, A03.FR.21).
 */
public record CertificateSignedRequest(
        String certificateChain,
        CertificateSigningUse certificateType,
        Integer requestId) implements OcppRequest {

    /** The answer to a {@link SignCertificateRequest}: echoes its type and request id. */
    public static CertificateSignedRequest answering(SignCertificateRequest request, String certificateChain) {
        return new CertificateSignedRequest(certificateChain, request.certificateType(), request.requestId());
    }

    @Override
    public Action ocppAction() {
        return Action.CertificateSigned;
    }
}
