package io.ocppsec.ocpp.message.type;

/**
 * CertificateHashDataType: identifies a certificate the way RFC 6960's CertID does.
 *
 * @param hashAlgorithm  the hash used for both hashes
 * @param issuerNameHash hex of H(DER of the certificate's issuer Name)
 * @param issuerKeyHash  hex of H(issuer's subjectPublicKey BIT STRING value)
 * @param serialNumber   the serial number as hex, without "0x" and without leading zeroes
 */
public record CertificateHashData(
        HashAlgorithm hashAlgorithm,
        String issuerNameHash,
        String issuerKeyHash,
        String serialNumber) {

    /** This certificate id with a responder URL, as GetCertificateStatus and Authorize carry it. */
    public OcspRequestData withResponderUrl(String responderURL) {
        return new OcspRequestData(hashAlgorithm, issuerNameHash, issuerKeyHash, serialNumber, responderURL);
    }
}
