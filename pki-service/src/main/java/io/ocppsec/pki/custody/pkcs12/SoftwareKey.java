package io.ocppsec.pki.custody.pkcs12;

import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyFacts;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * A private key held in memory, signing with Bouncy Castle's lightweight API.
 *
 * <p>Why the lightweight API: the CA signs thousands of certificates a second from many threads.
 * A JCA {@code Signature} is stateful and must be pooled or kept per thread; the lightweight
 * signers are created per call (a few small objects) on top of immutable key parameters, so this
 * class is thread-safe with no lock and no pool, and fast (no provider lookup, no key conversion
 * per call; the curve's fixed-point tables are shared).
 *
 * <p>ECDSA uses deterministic nonces (RFC 6979, {@link HMacDSAKCalculator} over the message
 * digest): no random number is drawn per signature, so a weak or contended RNG can never leak
 * the key through a repeated or biased {@code k}, and signing threads do not contend on a shared
 * {@code SecureRandom}. Signatures are DER {@code ECDSA-Sig-Value}. RSA signing is blinded and
 * draws its blinding factor (and the PSS salt) from a {@link SecureRandom}.
 *
 * <p>{@link #toString()} names the key only; the key material is never printed.
 */
final class SoftwareKey {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int PSS_SALT_LENGTH = 32;

    private final String label;
    private final KeyAlgorithm algorithm;
    private final AsymmetricKeyParameter privateKey;
    private final AsymmetricKeyParameter publicParameters;
    private final PublicKey publicKey;

    private SoftwareKey(String label, KeyAlgorithm algorithm, AsymmetricKeyParameter privateKey,
            AsymmetricKeyParameter publicParameters, PublicKey publicKey) {
        this.label = label;
        this.algorithm = algorithm;
        this.privateKey = privateKey;
        this.publicParameters = publicParameters;
        this.publicKey = publicKey;
    }

    /**
     * Wraps a JCA private key (any provider that can encode it as PKCS#8) and its public key,
     * after checking that they are a pair (a test signature must verify).
     */
    static SoftwareKey of(String label, PrivateKey key, PublicKey publicKey) {
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null) {
            throw new CustodyException("the private key for " + label + " cannot be exported (an HSM key?), so it cannot be held in a PKCS#12 file");
        }
        KeyAlgorithm algorithm = KeyFacts.algorithmOf(publicKey);
        AsymmetricKeyParameter priv;
        AsymmetricKeyParameter pub;
        try {
            priv = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(pkcs8));
            pub = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
        } catch (IOException | RuntimeException e) {
            throw new CustodyException("cannot read the private key for " + label, e);
        } finally {
            java.util.Arrays.fill(pkcs8, (byte) 0);
        }
        if (algorithm.isEc() != (priv instanceof ECPrivateKeyParameters)
                || !algorithm.isEc() && !(priv instanceof RSAKeyParameters)) {
            throw new CustodyException("the private key for " + label + " is not a " + algorithm.family() + " key like its certificate");
        }
        SoftwareKey k = new SoftwareKey(label, algorithm, priv, pub, publicKey);
        k.requirePairwiseConsistent();
        return k;
    }

    String label() {
        return label;
    }

    KeyAlgorithm algorithm() {
        return algorithm;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    /** Signs {@code data}; thread-safe. */
    byte[] sign(SigningAlgorithm signing, byte[] data) {
        KeyFacts.requireFits(algorithm, signing);
        try {
            if (signing.isEcdsa()) {
                ECPrivateKeyParameters ec = (ECPrivateKeyParameters) privateKey;
                byte[] hash = digest(signing, data);
                ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(newDigest(signing)));
                signer.init(true, ec);
                BigInteger[] rs = signer.generateSignature(hash);
                return StandardDSAEncoding.INSTANCE.encode(ec.getParameters().getN(), rs[0], rs[1]);
            }
            Signer signer = rsaSigner(signing);
            signer.init(true, new ParametersWithRandom(privateKey, RANDOM));
            signer.update(data, 0, data.length);
            return signer.generateSignature();
        } catch (CryptoException | IOException | RuntimeException e) {
            throw new CustodyException("signing with key " + label + " failed", e);
        }
    }

    private boolean verify(SigningAlgorithm signing, byte[] data, byte[] signature) {
        try {
            if (signing.isEcdsa()) {
                ECPublicKeyParameters ec = (ECPublicKeyParameters) publicParameters;
                BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(ec.getParameters().getN(), signature);
                ECDSASigner verifier = new ECDSASigner();
                verifier.init(false, ec);
                return verifier.verifySignature(digest(signing, data), rs[0], rs[1]);
            }
            Signer verifier = rsaSigner(signing);
            verifier.init(false, publicParameters);
            verifier.update(data, 0, data.length);
            return verifier.verifySignature(signature);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    private void requirePairwiseConsistent() {
        SigningAlgorithm probe = SigningAlgorithm.forKey(algorithm);
        byte[] data = new byte[32];
        RANDOM.nextBytes(data);
        if (!verify(probe, data, sign(probe, data))) {
            throw new CustodyException("the private key for " + label + " does not match its public key / certificate");
        }
    }

    private static Signer rsaSigner(SigningAlgorithm signing) {
        switch (signing) {
            case SHA256_WITH_RSA:
                return new RSADigestSigner(new SHA256Digest());
            case SHA256_WITH_RSA_PSS:
                return new PSSSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(), PSS_SALT_LENGTH,
                        PSSSigner.TRAILER_IMPLICIT);
            default:
                throw new CustodyException("unsupported RSA signing algorithm " + signing.jcaName());
        }
    }

    private static byte[] digest(SigningAlgorithm signing, byte[] data) {
        Digest d = newDigest(signing);
        d.update(data, 0, data.length);
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    private static Digest newDigest(SigningAlgorithm signing) {
        switch (signing.digest()) {
            case "SHA-256":
                return new SHA256Digest();
            case "SHA-384":
                return new SHA384Digest();
            case "SHA-512":
                return new SHA512Digest();
            default:
                throw new CustodyException("unsupported digest " + signing.digest());
        }
    }

    @Override
    public String toString() {
        return "SoftwareKey[" + label + ", " + algorithm + "]";
    }
}
