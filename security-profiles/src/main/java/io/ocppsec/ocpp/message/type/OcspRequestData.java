package io.ocppsec.ocpp.message.type;

/**
 * OCSPRequestDataType: a {@link CertificateHashData} plus the URL of the OCSP responder.
 */
public record OcspRequestData(
        HashAlgorithm hashAlgorithm,
        String issuerNameHash,
        String issuerKeyHash,
        String serialNumber,
        String responderURL) {

    /** The certificate id part, without the responder URL. */
    public CertificateHashData certificateHashData() {
        return new CertificateHashData(hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber);
    }
}
