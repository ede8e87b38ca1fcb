package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectAltPublicKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.math.ec.rfc7748.X448;

import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Objects;

/**
 * The "Alternate Subject Public Key" of an ISO 15118-20 OEM provisioning certificate: an Ed448 certificate
 * signs with its Ed448 key and offers a second, X448 key for the ECDH of the contract-key envelope
 * (ECDHCurve X448, [V2G20-2534]; NOTE 9: Annex B.7.2, the OEM provisioning profile for Ed448 [V2G20-2319]).
 *
 * <p><b>Our reading, not the ISO text:</b> the standard names the extension but its OID was not available to
 * us. We take it to be the X.509 (10/2019) {@code subjectAltPublicKeyInfo} extension, id-ce 72 =
 * {@code 2.5.29.72} (Bouncy Castle {@link Extension#subjectAltPublicKeyInfo}, {@link SubjectAltPublicKeyInfo}),
 * whose value is a SubjectPublicKeyInfo; here it must hold an id-X448 key ({@code 1.3.101.111}, RFC 8410, no
 * parameters) of 56 bytes. We write it non-critical; {@link Iso15118Profile} accepts it on -20 OEM provisioning
 * certificates only, and refuses it marked critical as it refuses every critical extension it does not process.
 */
public final class AlternatePublicKey {

    /** subjectAltPublicKeyInfo, id-ce 72 (our reading of the "Alternate Subject Public Key" extension). */
    public static final ASN1ObjectIdentifier OID = Extension.subjectAltPublicKeyInfo;

    private static final int X448_KEY = 56;
    /** Any clamped scalar: a low-order point times a multiple of the cofactor is the identity (RFC 7748 §6.2). */
    private static final byte[] PROBE_SCALAR = filled(X448_KEY, (byte) 0x5A);

    private AlternatePublicKey() {
    }

    /** What a certificate offers as its X448 alternate key. */
    public sealed interface X448Lookup permits Absent, Found, Unusable {
    }

    /** The certificate has no subjectAltPublicKeyInfo extension. */
    public record Absent() implements X448Lookup {
    }

    /** An X448 key (56 bytes, not of low order). */
    public record Found(PublicKey key) implements X448Lookup {
        public Found {
            Objects.requireNonNull(key, "key");
        }
    }

    /** The extension is there but holds no usable X448 key; {@code reason} says what it holds. */
    public record Unusable(String reason) implements X448Lookup {
        public Unusable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** The X448 alternate key of {@code cert}. Total: a malformed extension is {@link Unusable}. */
    public static X448Lookup x448(X509Certificate cert) {
        Objects.requireNonNull(cert, "cert");
        byte[] value = cert.getExtensionValue(OID.getId());
        if (value == null) {
            return new Absent();
        }
        SubjectAltPublicKeyInfo info;
        try {
            info = SubjectAltPublicKeyInfo.getInstance(ASN1OctetString.getInstance(value).getOctets());
        } catch (RuntimeException e) {
            return new Unusable("the subjectAltPublicKeyInfo extension (" + OID + ") is no SubjectPublicKeyInfo");
        }
        String problem = x448Problem(info.getAlgorithm(), info.getSubjectAltPublicKey().getPadBits(),
                info.getSubjectAltPublicKey().getOctets());
        if (problem != null) {
            return new Unusable("the subjectAltPublicKeyInfo extension (" + OID + ") holds " + problem);
        }
        try {
            return new Found(KeyFactory.getInstance("X448", Iso15118Crypto.provider()).generatePublic(new X509EncodedKeySpec(
                    new SubjectPublicKeyInfo(info.getAlgorithm(), info.getSubjectAltPublicKey().getOctets()).getEncoded())));
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            return new Unusable("the subjectAltPublicKeyInfo extension (" + OID + ") holds an X448 key that cannot be read");
        }
    }

    /**
     * The non-critical subjectAltPublicKeyInfo extension carrying {@code x448Key}.
     *
     * @throws IllegalArgumentException if the key is not a 56-byte X448 key of full order
     */
    public static Extension x448Extension(SubjectPublicKeyInfo x448Key) {
        Objects.requireNonNull(x448Key, "x448Key");
        String problem = x448Problem(x448Key.getAlgorithm(), x448Key.getPublicKeyData().getPadBits(),
                x448Key.getPublicKeyData().getOctets());
        if (problem != null) {
            throw new IllegalArgumentException("the alternate key must be an X448 key; this is " + problem);
        }
        try {
            return new Extension(OID, false, new SubjectAltPublicKeyInfo(x448Key).getEncoded());
        } catch (IOException e) {
            throw new IllegalStateException("cannot encode subjectAltPublicKeyInfo", e);
        }
    }

    /** Null for an id-X448 key without parameters, 56 bytes, not of low order; else what it is. */
    private static String x448Problem(AlgorithmIdentifier algorithm, int padBits, byte[] key) {
        if (!EdECObjectIdentifiers.id_X448.equals(algorithm.getAlgorithm())) {
            return "a " + algorithm.getAlgorithm() + " key, not X448 (" + EdECObjectIdentifiers.id_X448 + ")";
        }
        if (algorithm.getParameters() != null) {
            return "an X448 algorithm identifier with parameters (RFC 8410 has none)";
        }
        if (padBits != 0 || key.length != X448_KEY) {
            return "an X448 key of " + key.length + " bytes, not " + X448_KEY;
        }
        if (!X448.calculateAgreement(PROBE_SCALAR, 0, key, 0, new byte[X448_KEY], 0)) {
            return "a low-order X448 key (its shared secrets are all zero, RFC 7748 §6.2)";
        }
        return null;
    }

    private static byte[] filled(int n, byte b) {
        byte[] out = new byte[n];
        Arrays.fill(out, b);
        return out;
    }
}
