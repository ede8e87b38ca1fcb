package io.ocppsec.pki.ca;

import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.store.Refusal;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;

/**
 * The checks a trust anchor brought in from outside must pass (a Plug & Charge V2G, MO or OEM root, a
 * manufacturer root for signed firmware), as {@link Refusal}s with stable reason codes.
 */
public final class AnchorChecks {
    private AnchorChecks() {
    }

    /** A root: subject = issuer, its signature verifies with its own key, and {@link #checkCa}. */
    public static void checkSelfSignedCa(X509Certificate c) {
        if (!c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            throw Refusal.policy("NOT_SELF_SIGNED", "a root must be self-signed (subject = issuer)");
        }
        try {
            c.verify(c.getPublicKey(), io.ocppsec.iso15118.pki.Iso15118Crypto.provider());
        } catch (Exception e) {
            throw Refusal.policy("NOT_SELF_SIGNED", "the root's signature does not verify with its own key");
        }
        checkCa(c);
    }

    /** A CA (basicConstraints cA:true, keyCertSign when keyUsage is present), not expired, with a key type the CA engine knows. */
    public static void checkCa(X509Certificate c) {
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
        keyAlgorithm(c.getPublicKey());
    }

    /** The CA engine's name for a key: EC P-256/P-384/P-521 or RSA 2048/3072/4096, else KEY_ALGORITHM_UNSUPPORTED. */
    public static KeyAlgorithm keyAlgorithm(PublicKey key) {
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
        throw Refusal.policy("KEY_ALGORITHM_UNSUPPORTED", "the key must be EC P-256/P-384/P-521 or RSA 2048/3072/4096");
    }
}
