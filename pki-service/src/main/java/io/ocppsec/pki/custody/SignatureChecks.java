package io.ocppsec.pki.custody;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Verifies signatures in the exact forms the custody backends return (DER {@code ECDSA-Sig-Value};
 * RSA PKCS#1 v1.5; RSA-PSS with SHA-256, MGF1-SHA-256 and a 32-byte salt), with Bouncy Castle's
 * lightweight API: fast (the JDK 17 SunEC verifier manages about 560 a second), thread-safe,
 * no provider. Backends use it to check what an external signer produced before handing it on.
 */
public final class SignatureChecks {
    /** The PSS salt length {@link SigningAlgorithm#SHA256_WITH_RSA_PSS} uses. */
    public static final int PSS_SALT_LENGTH = 32;

    private SignatureChecks() {}

    /** Whether {@code signature} is a valid {@code algorithm} signature of {@code data} by {@code key}. Never throws. */
    public static boolean verifies(PublicKey key, SigningAlgorithm algorithm, byte[] data, byte[] signature) {
        try {
            AsymmetricKeyParameter pub = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
            if (algorithm.isEcdsa()) {
                if (!(pub instanceof ECPublicKeyParameters ec)) {
                    return false;
                }
                BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(ec.getParameters().getN(), signature);
                ECDSASigner verifier = new ECDSASigner();
                verifier.init(false, ec);
                return verifier.verifySignature(digest(algorithm, data), rs[0], rs[1]);
            }
            Signer verifier = rsaSigner(algorithm);
            verifier.init(false, pub);
            verifier.update(data, 0, data.length);
            return verifier.verifySignature(signature);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /** A fresh lightweight RSA signer/verifier for {@code algorithm} (PKCS#1 v1.5 or PSS). */
    public static Signer rsaSigner(SigningAlgorithm algorithm) {
        switch (algorithm) {
            case SHA256_WITH_RSA:
                return new RSADigestSigner(new SHA256Digest());
            case SHA256_WITH_RSA_PSS:
                return new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), PSS_SALT_LENGTH,
                        PSSSigner.TRAILER_IMPLICIT);
            default:
                throw new CustodyException("unsupported RSA signing algorithm " + algorithm.jcaName());
        }
    }

    /** The message digest {@code algorithm} signs, computed with Bouncy Castle. */
    public static byte[] digest(SigningAlgorithm algorithm, byte[] data) {
        Digest d = newDigest(algorithm);
        d.update(data, 0, data.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    /** A fresh digest of the kind {@code algorithm} uses. */
    public static Digest newDigest(SigningAlgorithm algorithm) {
        switch (algorithm.digest()) {
            case "SHA-256":
                return new SHA256Digest();
            case "SHA-384":
                return new SHA384Digest();
            case "SHA-512":
                return new SHA512Digest();
            default:
                throw new CustodyException("unsupported digest " + algorithm.digest());
        }
    }
}
