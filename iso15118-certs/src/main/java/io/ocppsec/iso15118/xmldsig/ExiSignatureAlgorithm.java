package io.ocppsec.iso15118.xmldsig;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.util.Optional;
import org.bouncycastle.jcajce.provider.digest.SHA256;
import org.bouncycastle.jcajce.provider.digest.SHA512;

/**
 * The XML signature algorithms ISO 15118 uses over EXI: SignatureMethod and DigestMethod URIs, the JCA names,
 * and the raw signature size (ECDSA: r||s, each left-padded to the coordinate length).
 */
public enum ExiSignatureAlgorithm {
    /** ISO 15118-2: ECDSA P-256 with SHA-256, SHA-256 digests, 32+32 byte r||s. */
    ECDSA_SHA256("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha256", "http://www.w3.org/2001/04/xmlenc#sha256",
            "SHA256withECDSA", 32, 256),
    /** ISO 15118-20: ECDSA P-521 with SHA-512, SHA-512 digests, 66+66 byte r||s [V2G20-1000]. */
    ECDSA_SHA512("http://www.w3.org/2001/04/xmldsig-more#ecdsa-sha512", "http://www.w3.org/2001/04/xmlenc#sha512",
            "SHA512withECDSA", 66, 521),
    /**
     * ISO 15118-20: Ed448 (114-byte signature) with SHAKE256 digests. The digest output length (64 bytes) is
     * our reading of the -20 text, not checked against a public vector.
     */
    ED448("urn:iso:std:iso:15118:-20:Security:xmldsig#Ed448", "urn:iso:std:iso:15118:-20:Security:xmlenc#SHAKE256",
            "Ed448", 0, 0);

    private final String signatureMethod;
    private final String digestMethod;
    private final String jcaName;
    private final int coordinateLength;
    private final int fieldBits;

    ExiSignatureAlgorithm(String signatureMethod, String digestMethod, String jcaName, int coordinateLength,
            int fieldBits) {
        this.signatureMethod = signatureMethod;
        this.digestMethod = digestMethod;
        this.jcaName = jcaName;
        this.coordinateLength = coordinateLength;
        this.fieldBits = fieldBits;
    }

    public String signatureMethod() {
        return signatureMethod;
    }

    public String digestMethod() {
        return digestMethod;
    }

    String jcaName() {
        return jcaName;
    }

    /** ECDSA coordinate length in bytes (r and s each), 0 for EdDSA. */
    public int coordinateLength() {
        return coordinateLength;
    }

    boolean isEcdsa() {
        return coordinateLength > 0;
    }

    /** Raw signature length: 2 x coordinate for ECDSA, 114 for Ed448. */
    public int signatureLength() {
        return isEcdsa() ? 2 * coordinateLength : 114;
    }

    public static Optional<ExiSignatureAlgorithm> bySignatureMethod(String uri) {
        for (ExiSignatureAlgorithm a : values()) {
            if (a.signatureMethod.equals(uri)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

    /** Whether {@code key} is of the type and size this algorithm needs. */
    boolean accepts(PublicKey key) {
        if (isEcdsa()) {
            return key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == fieldBits;
        }
        return "Ed448".equalsIgnoreCase(key.getAlgorithm()) || "EdDSA".equalsIgnoreCase(key.getAlgorithm())
                && key.getEncoded().length == 69; // SPKI of a 57-byte Ed448 key
    }

    /** Digest of an EXI fragment with this algorithm's DigestMethod. */
    byte[] digest(byte[] data) {
        MessageDigest md = switch (this) {
            case ECDSA_SHA256 -> new SHA256.Digest();
            case ECDSA_SHA512 -> new SHA512.Digest();
            case ED448 -> shake256();
        };
        return md.digest(data);
    }

    private static MessageDigest shake256() {
        try {
            return MessageDigest.getInstance("SHAKE256-512", ExiSigner.BC);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Bouncy Castle SHAKE256 unavailable", e);
        }
    }
}
