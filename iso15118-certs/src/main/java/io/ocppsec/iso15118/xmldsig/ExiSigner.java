package io.ocppsec.iso15118.xmldsig;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.util.Objects;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Signs the EXI encoding of a {@code ds:SignedInfo}. Implementations return the signature in its XML form
 * (ECDSA: raw r||s, each left-padded to the coordinate length). Key custody backends (HSM, Vault) that return
 * DER ECDSA signatures wrap with {@link #fromDerEcdsa}.
 */
public interface ExiSigner {

    /** Bouncy Castle, used without being installed as a JCA provider. */
    java.security.Provider BC = new BouncyCastleProvider();

    /** The SignatureMethod URI. */
    String signatureMethod();

    /** Signature over {@code signedInfoExi} (the signer hashes; do not pre-hash). */
    byte[] sign(byte[] signedInfoExi) throws GeneralSecurityException;

    /** A DER-producing ECDSA signing function (e.g. a custody backend). */
    @FunctionalInterface
    interface DerSigningFunction {
        byte[] signDer(byte[] data) throws GeneralSecurityException;
    }

    /** ISO 15118-2: ecdsa-sha256 with a P-256 private key held in this JVM. */
    static ExiSigner ecdsaP256(PrivateKey key) {
        return local(ExiSignatureAlgorithm.ECDSA_SHA256, key);
    }

    /** ISO 15118-20: ecdsa-sha512 with a P-521 private key (raw 66+66). */
    static ExiSigner ecdsaP521(PrivateKey key) {
        return local(ExiSignatureAlgorithm.ECDSA_SHA512, key);
    }

    /** ISO 15118-20: Ed448. */
    static ExiSigner ed448(PrivateKey key) {
        return local(ExiSignatureAlgorithm.ED448, key);
    }

    private static ExiSigner local(ExiSignatureAlgorithm alg, PrivateKey key) {
        Objects.requireNonNull(key, "key");
        if (alg.isEcdsa() && !(key instanceof ECPrivateKey)) {
            throw new IllegalArgumentException("an EC private key is required for " + alg);
        }
        return new ExiSigner() {
            @Override
            public String signatureMethod() {
                return alg.signatureMethod();
            }

            @Override
            public byte[] sign(byte[] signedInfoExi) throws GeneralSecurityException {
                Signature s = Signature.getInstance(alg.jcaName(), BC);
                s.initSign(key);
                s.update(signedInfoExi);
                byte[] sig = s.sign();
                if (!alg.isEcdsa()) {
                    return sig;
                }
                return derToRaw(sig, ((ECPrivateKey) key).getParams().getOrder());
            }

            @Override
            public String toString() {
                return "ExiSigner[" + alg + "]"; // never the key
            }
        };
    }

    /**
     * Wraps a DER-returning ECDSA signer (HSM/Vault) for {@code alg} whose curve has order {@code order}.
     */
    static ExiSigner fromDerEcdsa(ExiSignatureAlgorithm alg, BigInteger order, DerSigningFunction derSigner) {
        if (!alg.isEcdsa()) {
            throw new IllegalArgumentException(alg + " is not ECDSA");
        }
        Objects.requireNonNull(derSigner, "derSigner");
        return new ExiSigner() {
            @Override
            public String signatureMethod() {
                return alg.signatureMethod();
            }

            @Override
            public byte[] sign(byte[] signedInfoExi) throws GeneralSecurityException {
                return derToRaw(derSigner.signDer(signedInfoExi), order);
            }
        };
    }

    /** DER ECDSA-Sig-Value to raw r||s (each left-padded to the order's byte length); strict DER. */
    static byte[] derToRaw(byte[] der, BigInteger order) throws GeneralSecurityException {
        try {
            BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(order, der);
            return PlainDSAEncoding.INSTANCE.encode(order, rs[0], rs[1]);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new java.security.SignatureException("malformed DER ECDSA signature", e);
        }
    }

    /** Raw r||s to DER ECDSA-Sig-Value. */
    static byte[] rawToDer(byte[] raw, BigInteger order) throws GeneralSecurityException {
        try {
            BigInteger[] rs = PlainDSAEncoding.INSTANCE.decode(order, raw);
            return StandardDSAEncoding.INSTANCE.encode(order, rs[0], rs[1]);
        } catch (java.io.IOException | IllegalArgumentException e) {
            throw new java.security.SignatureException("malformed raw ECDSA signature", e);
        }
    }
}
