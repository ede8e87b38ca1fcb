package io.ocppsec.pki.custody;

/**
 * The key types the CA engine knows. EC and RSA are the ones it creates, holds and signs with
 * ({@link #custodial()}). {@link #ED448} is only ever the key of an imported trust anchor that we
 * trust but never sign for: an ISO 15118-20 V2G, MO or OEM root, or an OEM sub-CA, on Ed448
 * ([V2G20-2319]). No custody backend creates, imports or signs with an Ed448 key, and
 * {@link SigningAlgorithm#forKey} has no algorithm for one.
 */
public enum KeyAlgorithm {
    EC_P256("EC", "secp256r1", 256),
    EC_P384("EC", "secp384r1", 384),
    EC_P521("EC", "secp521r1", 521),
    RSA_2048("RSA", null, 2048),
    RSA_3072("RSA", null, 3072),
    RSA_4096("RSA", null, 4096),
    /** Ed448 (RFC 8410): imported ISO 15118-20 trust anchors only, never a key we hold. */
    ED448("EdDSA", null, 448);

    private final String family;
    private final String curve;
    private final int bits;

    KeyAlgorithm(String family, String curve, int bits) {
        this.family = family;
        this.curve = curve;
        this.bits = bits;
    }

    /** {@code EC}, {@code RSA} or {@code EdDSA}. */
    public String family() {
        return family;
    }

    /** The named curve (JCA name) for EC keys, null for RSA and Ed448. */
    public String curve() {
        return curve;
    }

    public int bits() {
        return bits;
    }

    public boolean isEc() {
        return "EC".equals(family);
    }

    public boolean isRsa() {
        return "RSA".equals(family);
    }

    /**
     * Whether the CA may create, hold and sign with a key of this type: EC and RSA. Ed448 is known
     * only as the key of an imported trust anchor.
     */
    public boolean custodial() {
        return isEc() || isRsa();
    }

    /**
     * The algorithm of this name if the CA may hold a key of it, as an API names the key of a new CA key.
     *
     * @throws IllegalArgumentException for an unknown name or {@link #ED448}
     */
    public static KeyAlgorithm custodialValueOf(String name) {
        KeyAlgorithm a = valueOf(name);
        if (!a.custodial()) {
            throw new IllegalArgumentException(name + " is not a key type the CA holds");
        }
        return a;
    }

    /**
     * This algorithm if the CA may hold a key of it ({@link #custodial()}).
     *
     * @throws CustodyException naming why not (Ed448: trust anchors only)
     */
    public KeyAlgorithm requireCustodial() {
        if (!custodial()) {
            throw new CustodyException(name() + " keys are never held by the CA: Ed448 is accepted only as the key of an"
                    + " imported ISO 15118-20 trust anchor (V2G, MO or OEM root, OEM sub-CA) that we trust but do not sign"
                    + " with; the CA's own keys are EC P-256/P-384/P-521 or RSA 2048/3072/4096");
        }
        return this;
    }
}
