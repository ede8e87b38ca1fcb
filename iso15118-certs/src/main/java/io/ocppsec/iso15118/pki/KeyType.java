package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.Optional;

/**
 * The key types ISO 15118 certificates carry: secp256r1 (-2), secp521r1 or Ed448 (-20).
 */
public enum KeyType {
    /** NIST P-256 / prime256v1, ISO 15118-2 [V2G2-007]. */
    SECP256R1("secp256r1", SECObjectIdentifiers.secp256r1, "SHA256withECDSA"),
    /** NIST P-521, ISO 15118-20 [V2G20-2674]. */
    SECP521R1("secp521r1", SECObjectIdentifiers.secp521r1, "SHA512withECDSA"),
    /** Ed448 (RFC 8410), ISO 15118-20 [V2G20-2319]. */
    ED448("Ed448", EdECObjectIdentifiers.id_Ed448, "Ed448");

    private final String curveName;
    private final ASN1ObjectIdentifier oid;
    private final String signatureAlgorithm;

    KeyType(String curveName, ASN1ObjectIdentifier oid, String signatureAlgorithm) {
        this.curveName = curveName;
        this.oid = oid;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /** The JCA name of the certificate signature algorithm a key of this type makes. */
    public String signatureAlgorithm() {
        return signatureAlgorithm;
    }

    /** A fresh key pair of this type (Bouncy Castle provider). */
    public KeyPair generate() {
        return generate(new SecureRandom());
    }

    /** A fresh key pair of this type drawn from {@code random}. */
    public KeyPair generate(SecureRandom random) {
        try {
            if (this == ED448) {
                KeyPairGenerator g = KeyPairGenerator.getInstance("Ed448", Iso15118Crypto.provider());
                return g.generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Iso15118Crypto.provider());
            g.initialize(new ECGenParameterSpec(curveName), random);
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a " + this + " key pair", e);
        }
    }

    /**
     * The key type of a SubjectPublicKeyInfo: an id-ecPublicKey with a named curve, or id-Ed448.
     * Empty for anything else (other curves, explicit parameters, RSA, ...). Total.
     */
    public static Optional<KeyType> of(SubjectPublicKeyInfo spki) {
        if (spki == null) {
            return Optional.empty();
        }
        try {
            ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
            if (EdECObjectIdentifiers.id_Ed448.equals(alg)) {
                return spki.getAlgorithm().getParameters() == null ? Optional.of(ED448) : Optional.empty();
            }
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(alg)
                    || !(spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)) {
                return Optional.empty();
            }
            if (SECP256R1.oid.equals(curve)) {
                return Optional.of(SECP256R1);
            }
            if (SECP521R1.oid.equals(curve)) {
                return Optional.of(SECP521R1);
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
