package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA384Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PublicKeyFactory;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ECDSA certificate signatures checked with Bouncy Castle's lightweight API and the issuer's key
 * kept as one {@link ECPublicKeyParameters} per issuer (by its SubjectPublicKeyInfo bytes), so BC
 * keeps the issuer point's WNAF precomputation from one certificate to the next: an OEM Sub-CA
 * signs every car's provisioning certificate, and the JCA path ({@code JcaContentVerifierProviderBuilder}
 * with the certificate's SunEC key) converted and re-validated the point and rebuilt that table for
 * every car.
 *
 * <p>Same decisions as the JCA path (BC's {@code SHA*withECDSA}): the digest over the TBS bytes as
 * given, the DER signature decoded by the same {@link StandardDSAEncoding} (strict: it re-encodes and
 * compares, so a non-canonical encoding is refused), the same {@link ECDSASigner}. Only
 * ecdsa-with-SHA256/384/512 without parameters and named-curve EC keys are handled; for anything else
 * (Ed448, RSA, explicit curve parameters, a key BC's lightweight factory refuses) {@link #verify}
 * answers null and the caller uses the JCA path. Only valid keys are kept, at most {@value #MAX_KEYS}
 * (least recently used dropped first): any certificate's key may land here (a chain sent by an EV
 * names its own Sub-CAs), and a key used a few times carries BC's promoted precomputation (a comb
 * table and WNAF tables of some tens of points, an estimate, not measured), so the bound keeps the
 * worst case to some MB. Thread-safe.
 */
final class EcIssuerKeys {

    static final int MAX_KEYS = 256;

    private static final Map<Spki, ECPublicKeyParameters> KEYS = new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Spki, ECPublicKeyParameters> eldest) {
            return size() > MAX_KEYS;
        }
    };

    private EcIssuerKeys() {
    }

    /**
     * Whether the issuer key {@code issuerSpki} signed {@code tbs} with {@code signature} (DER
     * ECDSA-Sig-Value) under {@code signatureAlgorithm}; null when this is not an ECDSA case handled
     * here (the caller then verifies through JCA).
     */
    static Boolean verify(AlgorithmIdentifier signatureAlgorithm, byte[] tbs, byte[] signature, byte[] issuerSpki) {
        Digest digest = digestFor(signatureAlgorithm);
        if (digest == null) {
            return null;
        }
        ECPublicKeyParameters key = key(issuerSpki);
        if (key == null) {
            return null;
        }
        digest.update(tbs, 0, tbs.length);
        byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        BigInteger[] rs;
        try {
            rs = StandardDSAEncoding.INSTANCE.decode(key.getParameters().getN(), signature);
        } catch (Exception e) {
            return Boolean.FALSE;
        }
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, key);
        return signer.verifySignature(hash, rs[0], rs[1]);
    }

    /** A fresh digest for ecdsa-with-SHA256/384/512 (no parameters), else null. */
    private static Digest digestFor(AlgorithmIdentifier alg) {
        if (alg.getParameters() != null) {
            return null;
        }
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        if (X9ObjectIdentifiers.ecdsa_with_SHA256.equals(oid)) {
            return new SHA256Digest();
        }
        if (X9ObjectIdentifiers.ecdsa_with_SHA384.equals(oid)) {
            return new SHA384Digest();
        }
        if (X9ObjectIdentifiers.ecdsa_with_SHA512.equals(oid)) {
            return new SHA512Digest();
        }
        return null;
    }

    /** The issuer's key as BC parameters (remembered), or null when it is not a named-curve EC key BC takes. */
    private static ECPublicKeyParameters key(byte[] spkiBytes) {
        Spki id = new Spki(spkiBytes);
        synchronized (KEYS) {
            ECPublicKeyParameters known = KEYS.get(id);
            if (known != null) {
                return known;
            }
        }
        ECPublicKeyParameters parsed;
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(spkiBytes);
            if (!X9ObjectIdentifiers.id_ecPublicKey.equals(spki.getAlgorithm().getAlgorithm())
                    || !(spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier)) {
                return null;
            }
            AsymmetricKeyParameter k = PublicKeyFactory.createKey(spki);
            if (!(k instanceof ECPublicKeyParameters ec)) {
                return null;
            }
            parsed = ec; // its constructor validated the point (on the curve, not infinity)
        } catch (Exception e) {
            return null;
        }
        synchronized (KEYS) {
            ECPublicKeyParameters raced = KEYS.putIfAbsent(id, parsed);
            return raced != null ? raced : parsed;
        }
    }

    /** How many issuer keys are remembered (tests). */
    static int size() {
        synchronized (KEYS) {
            return KEYS.size();
        }
    }

    /** SubjectPublicKeyInfo bytes as a map key. */
    private static final class Spki {
        private final byte[] der;
        private final int hash;

        Spki(byte[] der) {
            this.der = der.clone();
            this.hash = Arrays.hashCode(der);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Spki s && s.hash == hash && Arrays.equals(s.der, der);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
