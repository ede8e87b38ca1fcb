package io.ocppsec.pki.custody;

import java.io.IOException;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * Facts about public keys that every backend checks the same way: which {@link KeyAlgorithm} a key
 * is, whether two keys (from any JCA provider) are the same key, whether a signature algorithm fits
 * a key, and whether a certificate chain belongs to a key.
 */
public final class KeyFacts {
    private KeyFacts() {}

    /**
     * The {@link KeyAlgorithm} of a public key.
     *
     * @throws CustodyException if the key is not one the CA uses (another curve, another RSA size,
     *                          another algorithm; Ed448, which is known only as an imported trust
     *                          anchor's key, never one the CA holds)
     */
    public static KeyAlgorithm algorithmOf(PublicKey key) {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(alg)) {
            Object params = spki.getAlgorithm().getParameters();
            if (params instanceof ASN1ObjectIdentifier curve) {
                if (SECObjectIdentifiers.secp256r1.equals(curve)) {
                    return KeyAlgorithm.EC_P256;
                }
                if (SECObjectIdentifiers.secp384r1.equals(curve)) {
                    return KeyAlgorithm.EC_P384;
                }
                if (SECObjectIdentifiers.secp521r1.equals(curve)) {
                    return KeyAlgorithm.EC_P521;
                }
                throw new CustodyException("unsupported EC curve " + curve.getId() + ": the CA uses P-256, P-384 or P-521");
            }
            throw new CustodyException("unsupported EC key: only named curves P-256, P-384 and P-521 are accepted");
        }
        if (PKCSObjectIdentifiers.rsaEncryption.equals(alg)) {
            int bits;
            try {
                bits = ((RSAKeyParameters) PublicKeyFactory.createKey(spki)).getModulus().bitLength();
            } catch (IOException | RuntimeException e) {
                throw new CustodyException("cannot read the RSA public key", e);
            }
            for (KeyAlgorithm a : KeyAlgorithm.values()) {
                if (a.isRsa() && a.bits() == bits) {
                    return a;
                }
            }
            throw new CustodyException("unsupported RSA key size " + bits + ": the CA uses 2048, 3072 or 4096 bits");
        }
        if (EdECObjectIdentifiers.id_Ed448.equals(alg)) {
            KeyAlgorithm.ED448.requireCustodial(); // throws: the CA never holds an Ed448 key
        }
        throw new CustodyException("unsupported key algorithm " + alg.getId() + ": the CA uses EC or RSA keys");
    }

    /** Whether two public keys, possibly from different providers or encodings, are the same key. */
    public static boolean sameKey(PublicKey a, PublicKey b) {
        if (a == null || b == null) {
            return false;
        }
        try {
            AsymmetricKeyParameter x = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(a.getEncoded()));
            AsymmetricKeyParameter y = PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(b.getEncoded()));
            if (x instanceof ECPublicKeyParameters ex && y instanceof ECPublicKeyParameters ey) {
                return ex.getParameters().getCurve().equals(ey.getParameters().getCurve())
                        && ex.getParameters().getG().equals(ey.getParameters().getG())
                        && ex.getQ().normalize().equals(ey.getQ().normalize());
            }
            if (x instanceof RSAKeyParameters rx && y instanceof RSAKeyParameters ry) {
                return rx.getModulus().equals(ry.getModulus()) && rx.getExponent().equals(ry.getExponent());
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Throws a {@link CustodyException} unless {@code signing} can be made with a key of type
     * {@code key}. Only the family counts: an EC key of any curve fits every ECDSA algorithm (the
     * hash is truncated to the curve's order, or used whole), an RSA key of any size both RSA ones;
     * an Ed448 key (a trust anchor's, never ours) fits none.
     */
    public static void requireFits(KeyAlgorithm key, SigningAlgorithm signing) {
        if (signing == null) {
            throw new CustodyException("a signing algorithm is required");
        }
        key.requireCustodial();
        if (key.isEc() != signing.isEcdsa()) {
            throw new CustodyException("signing algorithm " + signing.jcaName() + " does not fit a "
                    + key.family() + " key (" + key + ")");
        }
    }

    /**
     * Throws a {@link CustodyException} unless {@code digest} can be signed as the hash of
     * {@code signing}: present, and exactly {@link SigningAlgorithm#digestLength()} bytes long.
     * Which key may sign it is {@link #requireFits}'s question: any EC key signs an ECDSA digest of
     * any of the three lengths (a P-384 key signs a SHA-256 firmware digest, L01.FR.04).
     */
    public static void requireDigestFor(SigningAlgorithm signing, byte[] digest) {
        if (signing == null) {
            throw new CustodyException("a signing algorithm is required");
        }
        if (digest == null) {
            throw new CustodyException("no digest to sign");
        }
        if (digest.length != signing.digestLength()) {
            throw new CustodyException(signing.jcaName() + " signs a " + signing.digestLength() + "-byte " + signing.digest()
                    + " digest, not " + digest.length + " bytes");
        }
    }

    /**
     * Checks that {@code chain} is a usable chain for the key {@code publicKey}: not empty, leaf
     * first, the leaf carries this very public key, and each certificate names the next one as
     * its issuer.
     */
    public static void requireChainFor(PublicKey publicKey, List<X509Certificate> chain) {
        if (chain == null || chain.isEmpty()) {
            throw new CustodyException("a certificate chain (leaf first) is required");
        }
        for (X509Certificate c : chain) {
            if (c == null) {
                throw new CustodyException("the certificate chain contains a null entry");
            }
        }
        if (!sameKey(publicKey, chain.get(0).getPublicKey())) {
            throw new CustodyException("the first certificate of the chain ("
                    + chain.get(0).getSubjectX500Principal().getName() + ") does not carry this key's public key");
        }
        for (int i = 0; i + 1 < chain.size(); i++) {
            if (!chain.get(i).getIssuerX500Principal().equals(chain.get(i + 1).getSubjectX500Principal())) {
                throw new CustodyException("certificate " + (i + 1) + " of the chain is not the issuer of certificate " + i
                        + ": give the chain leaf first, each certificate followed by its issuer");
            }
        }
    }
}
