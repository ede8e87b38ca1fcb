package io.ocppsec.pki.ca;

import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.store.Refusal;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The checks a trust anchor brought in from outside must pass (a Plug & Charge V2G, MO or OEM root, a
 * manufacturer root for signed firmware), as {@link Refusal}s with stable reason codes.
 */
public final class AnchorChecks {
    private AnchorChecks() {
    }

    /** The key types an imported anchor may carry. */
    public enum AnchorKeys {
        /** The CA engine's own: EC P-256/P-384/P-521, RSA 2048/3072/4096 (manufacturer roots for signed firmware). */
        CA_ENGINE,
        /**
         * Those and Ed448, for ISO 15118 Plug & Charge anchors: ISO 15118-20 allows the whole PKI on Ed448
         * ([V2G20-2319]). An Ed448 anchor is stored without a key as {@link KeyAlgorithm#ED448}: trusted, never
         * signed with. Which key types a role really allows is the ISO 15118 profile check's business.
         */
        PLUG_AND_CHARGE
    }

    /** A root with a key type the CA engine knows; see {@link #checkSelfSignedCa(X509Certificate, AnchorKeys)}. */
    public static void checkSelfSignedCa(X509Certificate c) {
        checkSelfSignedCa(c, AnchorKeys.CA_ENGINE);
    }

    /** A root: subject = issuer, its signature verifies with its own key, and {@link #checkCa(X509Certificate, AnchorKeys)}. */
    public static void checkSelfSignedCa(X509Certificate c, AnchorKeys keys) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            throw Refusal.policy("NOT_SELF_SIGNED", "a root must be self-signed (subject = issuer)");
        }
        try {
            c.verify(c.getPublicKey(), io.ocppsec.iso15118.pki.Iso15118Crypto.provider());
        } catch (Exception e) {
            throw Refusal.policy("NOT_SELF_SIGNED", "the root's signature does not verify with its own key");
        }
        checkCa(c, keys);
    }

    /** A CA with a key type the CA engine knows; see {@link #checkCa(X509Certificate, AnchorKeys)}. */
    public static void checkCa(X509Certificate c) {
        checkCa(c, AnchorKeys.CA_ENGINE);
    }

    /** A CA (basicConstraints cA:true, keyCertSign when keyUsage is present), not expired, with a key type {@code keys} allows. */
    public static void checkCa(X509Certificate c, AnchorKeys keys) {
        if (c.getBasicConstraints() < 0) {
            throw Refusal.policy("NOT_A_CA", "the certificate is not a CA (basicConstraints cA:true is missing)");
        }
        boolean[] ku = c.getKeyUsage();
        if (ku != null && (ku.length < 6 || !ku[5])) {
            throw Refusal.policy("NOT_A_CA", "the CA's keyUsage lacks keyCertSign");
        }
        if (!c.getNotAfter().toInstant().isAfter(Instant.now())) {
            throw Refusal.policy("CERTIFICATE_EXPIRED", "the certificate has expired");
        }
        keyAlgorithm(c.getPublicKey(), keys);
    }

    /** The CA engine's name for a key: EC P-256/P-384/P-521 or RSA 2048/3072/4096, else KEY_ALGORITHM_UNSUPPORTED. */
    public static KeyAlgorithm keyAlgorithm(PublicKey key) {
        return keyAlgorithm(key, AnchorKeys.CA_ENGINE);
    }

    /**
     * The CA engine's name for an anchor's key: EC P-256/P-384/P-521 or RSA 2048/3072/4096, and with
     * {@link AnchorKeys#PLUG_AND_CHARGE} also {@link KeyAlgorithm#ED448}; else KEY_ALGORITHM_UNSUPPORTED
     * (Ed25519, other curves and sizes, other algorithms).
     */
    public static KeyAlgorithm keyAlgorithm(PublicKey key, AnchorKeys keys) {
        if (key instanceof ECPublicKey ec) {
            int bits = ec.getParams().getCurve().getField().getFieldSize();
            switch (bits) {
                case 256:
                    return KeyAlgorithm.EC_P256;
                case 384:
                    return KeyAlgorithm.EC_P384;
                case 521:
                    return KeyAlgorithm.EC_P521;
                default:
                    throw Refusal.policy("KEY_ALGORITHM_UNSUPPORTED", "unsupported EC curve");
            }
        }
        if (key instanceof RSAPublicKey rsa) {
            switch (rsa.getModulus().bitLength()) {
                case 2048:
                    return KeyAlgorithm.RSA_2048;
                case 3072:
                    return KeyAlgorithm.RSA_3072;
                case 4096:
                    return KeyAlgorithm.RSA_4096;
                default:
                    break;
            }
        }
        if (isEd448(key)) {
            if (keys == AnchorKeys.PLUG_AND_CHARGE) {
                return KeyAlgorithm.ED448;
            }
            throw Refusal.policy("KEY_ALGORITHM_UNSUPPORTED", "Ed448 keys are accepted only for ISO 15118-20 Plug & Charge"
                    + " anchors; the key must be EC P-256/P-384/P-521 or RSA 2048/3072/4096");
        }
        throw Refusal.policy("KEY_ALGORITHM_UNSUPPORTED", keys == AnchorKeys.PLUG_AND_CHARGE
                ? "the key must be EC P-256/P-384/P-521, RSA 2048/3072/4096 or Ed448 (ISO 15118-20)"
                : "the key must be EC P-256/P-384/P-521 or RSA 2048/3072/4096");
    }

    /** Whether the key is an RFC 8410 id-Ed448 key (no parameters), from whichever provider. */
    private static boolean isEd448(PublicKey key) {
        try {
            byte[] der = key.getEncoded();
            if (der == null) {
                return false;
            }
            AlgorithmIdentifier alg = SubjectPublicKeyInfo.getInstance(der).getAlgorithm();
            ASN1ObjectIdentifier oid = alg.getAlgorithm();
            return EdECObjectIdentifiers.id_Ed448.equals(oid) && alg.getParameters() == null;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
