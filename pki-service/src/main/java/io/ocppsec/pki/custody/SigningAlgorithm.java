package io.ocppsec.pki.custody;

/**
 * Signature algorithms the CA signs with. Signatures are returned in the form X.509, CRLs and OCSP
 * carry them: DER {@code ECDSA-Sig-Value} for ECDSA, the raw octets for RSA.
 */
public enum SigningAlgorithm {
    SHA256_WITH_ECDSA("SHA256withECDSA", "SHA-256", 32),
    SHA384_WITH_ECDSA("SHA384withECDSA", "SHA-384", 48),
    SHA512_WITH_ECDSA("SHA512withECDSA", "SHA-512", 64),
    SHA256_WITH_RSA("SHA256withRSA", "SHA-256", 32),
    /** RSASSA-PSS with SHA-256, MGF1-SHA-256, 32-byte salt (A00.FR.505 names RSA-PSS). */
    SHA256_WITH_RSA_PSS("SHA256withRSAandMGF1", "SHA-256", 32);

    private final String jcaName;
    private final String digest;
    private final int digestLength;

    SigningAlgorithm(String jcaName, String digest, int digestLength) {
        this.jcaName = jcaName;
        this.digest = digest;
        this.digestLength = digestLength;
    }

    /** The JCA / Bouncy Castle signature algorithm name. */
    public String jcaName() {
        return jcaName;
    }

    /** The JCA name of the message digest the signature uses. */
    public String digest() {
        return digest;
    }

    /** The length in bytes of that digest: what {@link KeyCustody#signDigest} takes. */
    public int digestLength() {
        return digestLength;
    }

    public boolean isEcdsa() {
        return jcaName.endsWith("ECDSA");
    }

    /**
     * The natural signature algorithm for a CA key of this type (hash strength follows key size).
     *
     * @throws CustodyException for {@link KeyAlgorithm#ED448}: the CA never signs with an Ed448 key
     *                          (Ed448 is only the key of an imported trust anchor)
     */
    public static SigningAlgorithm forKey(KeyAlgorithm key) {
        return switch (key) {
            case EC_P256 -> SHA256_WITH_ECDSA;
            case EC_P384 -> SHA384_WITH_ECDSA;
            case EC_P521 -> SHA512_WITH_ECDSA;
            case RSA_2048, RSA_3072, RSA_4096 -> SHA256_WITH_RSA;
            case ED448 -> throw new CustodyException(key.name() + " has no signing algorithm here: "
                    + "the CA never signs with an Ed448 key (Ed448 keys are those of imported ISO 15118-20 trust anchors)");
        };
    }
}
