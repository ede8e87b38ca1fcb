package io.ocppsec.pki.custody;

/** The key types the CA creates and accepts for its own keys. */
public enum KeyAlgorithm {
    EC_P256("EC", "secp256r1", 256),
    EC_P384("EC", "secp384r1", 384),
    EC_P521("EC", "secp521r1", 521),
    RSA_2048("RSA", null, 2048),
    RSA_3072("RSA", null, 3072),
    RSA_4096("RSA", null, 4096);

    private final String family;
    private final String curve;
    private final int bits;

    KeyAlgorithm(String family, String curve, int bits) {
        this.family = family;
        this.curve = curve;
        this.bits = bits;
    }

    /** {@code EC} or {@code RSA}. */
    public String family() {
        return family;
    }

    /** The named curve (JCA name) for EC keys, null for RSA. */
    public String curve() {
        return curve;
    }

    public int bits() {
        return bits;
    }

    public boolean isEc() {
        return "EC".equals(family);
    }
}
