package io.ocppsec.ocpp.message.type;

/** HashAlgorithmEnumType: the hash used for the issuer name and key hashes of a CertificateHashData. */
public enum HashAlgorithm {
    SHA256("SHA-256", 32),
    SHA384("SHA-384", 48),
    SHA512("SHA-512", 64);

    private final String jcaName;
    private final int length;

    HashAlgorithm(String jcaName, int length) {
        this.jcaName = jcaName;
        this.length = length;
    }

    /** The JCA name of the digest, e.g. {@code SHA-256}. */
    public String jcaName() {
        return jcaName;
    }

    /** Digest length in bytes. */
    public int length() {
        return length;
    }
}
