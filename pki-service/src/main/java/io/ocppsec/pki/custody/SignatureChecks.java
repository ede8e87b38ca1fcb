package io.ocppsec.pki.custody;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PublicKey;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.Prehash;
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

    /**
     * Whether {@code signature} is a valid {@code algorithm} signature by {@code key} of data whose
     * digest is {@code digest} (the digest made elsewhere, see {@link KeyCustody#signDigest}).
     * False for a digest of the wrong length. Never throws.
     */
    public static boolean verifiesDigest(PublicKey key, SigningAlgorithm algorithm, byte[] digest, byte[] signature) {
        if (algorithm == null || digest == null || signature == null || digest.length != algorithm.digestLength()) {
            return false;
        }
        try {
            AsymmetricKeyParameter pub = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(key.getEncoded()));
            if (algorithm.isEcdsa()) {
                if (!(pub instanceof ECPublicKeyParameters ec)) {
                    return false;
                }
                BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(ec.getParameters().getN(), signature);
                ECDSASigner verifier = new ECDSASigner();
                verifier.init(false, ec);
                return verifier.verifySignature(digest, rs[0], rs[1]);
            }
            Signer verifier = rsaDigestSigner(algorithm);
            verifier.init(false, pub);
            verifier.update(digest, 0, digest.length);
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

    /**
     * A fresh lightweight RSA signer/verifier for {@code algorithm} that takes the message's
     * digest as its input, not the message: PKCS#1 v1.5 over {@code DigestInfo(SHA-256) || digest},
     * or PSS over the digest as its {@code mHash}. Its signatures are those {@link #rsaSigner}
     * makes for the message.
     */
    public static Signer rsaDigestSigner(SigningAlgorithm algorithm) {
        switch (algorithm) {
            case SHA256_WITH_RSA:
                return new RSADigestSigner(Prehash.forDigest(new SHA256Digest()), NISTObjectIdentifiers.id_sha256);
            case SHA256_WITH_RSA_PSS:
                return pssDigestSigner(new RSABlindedEngine());
            default:
                throw new CustodyException("unsupported RSA signing algorithm " + algorithm.jcaName());
        }
    }

    /**
     * A PSS signer for {@link SigningAlgorithm#SHA256_WITH_RSA_PSS} that takes the SHA-256 digest as
     * its input and has {@code rsa} perform the raw RSA operation on the encoded block (an HSM's
     * private key, for example). Initialize it with the key's {@link
     * org.bouncycastle.crypto.params.RSAKeyParameters} (the modulus sets the block size).
     */
    public static Signer pssDigestSigner(AsymmetricBlockCipher rsa) {
        return PSSSigner.createRawSigner(rsa, new SHA256Digest(), new SHA256Digest(), PSS_SALT_LENGTH, PSSSigner.TRAILER_IMPLICIT);
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
