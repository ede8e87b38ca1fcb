package io.ocppsec.security.cert;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;

/**
 * The SHA-256 fingerprint of a certificate (over its DER encoding), written as colon-separated
 * upper-case hex the way {@code openssl x509 -fingerprint -sha256} and browsers print it: what an
 * operator compares out of band before trusting a root.
 */
public final class CertificateFingerprint {
    private static final HexFormat COLONS = HexFormat.ofDelimiter(":").withUpperCase();

    private CertificateFingerprint() {
    }

    /** The fingerprint of a DER-encoded certificate. */
    public static String sha256(byte[] der) {
        try {
            return COLONS.formatHex(MessageDigest.getInstance("SHA-256").digest(der));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    /** The fingerprint of a certificate. */
    public static String sha256(X509Certificate certificate) {
        try {
            return sha256(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("the certificate cannot be encoded", e);
        }
    }
}
