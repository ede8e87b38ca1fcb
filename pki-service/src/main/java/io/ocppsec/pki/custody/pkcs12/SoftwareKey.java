package io.ocppsec.pki.custody.pkcs12;

import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyFacts;
import io.ocppsec.pki.custody.SignatureChecks;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.Signer;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;

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

    private final String label;
    private final KeyAlgorithm algorithm;
    private final AsymmetricKeyParameter privateKey;
    private final PublicKey publicKey;

    private SoftwareKey(String label, KeyAlgorithm algorithm, AsymmetricKeyParameter privateKey, PublicKey publicKey) {
        this.label = label;
        this.algorithm = algorithm;
        this.privateKey = privateKey;
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
        try {
            priv = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(pkcs8));
        } catch (IOException | RuntimeException e) {
            throw new CustodyException("cannot read the private key for " + label, e);
        } finally {
            java.util.Arrays.fill(pkcs8, (byte) 0);
        }
        if (algorithm.isEc() != (priv instanceof ECPrivateKeyParameters)
                || !algorithm.isEc() && !(priv instanceof RSAKeyParameters)) {
            throw new CustodyException("the private key for " + label + " is not a " + algorithm.family() + " key like its certificate");
        }
        SoftwareKey k = new SoftwareKey(label, algorithm, priv, publicKey);
        k.requirePairwiseConsistent();
        return k;
    }

    PublicKey publicKey() {
        return publicKey;
    }

    /** Signs {@code data}; thread-safe. */
    byte[] sign(SigningAlgorithm signing, byte[] data) {
        KeyFacts.requireFits(algorithm, signing);
        try {
            if (signing.isEcdsa()) {
                return ecdsa(signing, SignatureChecks.digest(signing, data));
            }
            Signer signer = SignatureChecks.rsaSigner(signing);
            signer.init(true, new ParametersWithRandom(privateKey, RANDOM));
            signer.update(data, 0, data.length);
            return signer.generateSignature();
        } catch (CryptoException | RuntimeException e) {
            throw new CustodyException("signing with key " + label + " failed", e);
        }
    }

    /**
     * Signs a digest made elsewhere, giving what {@link #sign} gives for data with that digest (for
     * ECDSA and PKCS#1 v1.5 the very same bytes), and checks the signature with the public key
     * before returning it; thread-safe.
     */
    byte[] signDigest(SigningAlgorithm signing, byte[] digest) {
        KeyFacts.requireFits(algorithm, signing);
        KeyFacts.requireDigestFor(signing, digest);
        byte[] signature;
        try {
            if (signing.isEcdsa()) {
                signature = ecdsa(signing, digest);
            } else {
                Signer signer = SignatureChecks.rsaDigestSigner(signing);
                signer.init(true, new ParametersWithRandom(privateKey, RANDOM));
                signer.update(digest, 0, digest.length);
                signature = signer.generateSignature();
            }
        } catch (CryptoException | RuntimeException e) {
            throw new CustodyException("signing a digest with key " + label + " failed", e);
        }
        if (!SignatureChecks.verifiesDigest(publicKey, signing, digest, signature)) {
            throw new CustodyException("the " + signing.jcaName() + " signature of key " + label + " over a digest does not verify");
        }
        return signature;
    }

    /** ECDSA over {@code hash} with an RFC 6979 nonce (HMAC with the algorithm's own hash), DER encoded. */
    private byte[] ecdsa(SigningAlgorithm signing, byte[] hash) {
        ECPrivateKeyParameters ec = (ECPrivateKeyParameters) privateKey;
        ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(SignatureChecks.newDigest(signing)));
        signer.init(true, ec);
        BigInteger[] rs = signer.generateSignature(hash);
        try {
            return StandardDSAEncoding.INSTANCE.encode(ec.getParameters().getN(), rs[0], rs[1]);
        } catch (IOException e) {
            throw new CustodyException("cannot encode the ECDSA signature of key " + label, e);
        }
    }

    private void requirePairwiseConsistent() {
        SigningAlgorithm probe = SigningAlgorithm.forKey(algorithm);
        byte[] data = new byte[32];
        RANDOM.nextBytes(data);
        if (!SignatureChecks.verifies(publicKey, probe, data, sign(probe, data))) {
            throw new CustodyException("the private key for " + label + " does not match its public key / certificate");
        }
    }

    @Override
    public String toString() {
        return "SoftwareKey[" + label + ", " + algorithm + "]";
    }
}
