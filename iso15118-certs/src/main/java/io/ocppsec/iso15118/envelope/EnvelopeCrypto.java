package io.ocppsec.iso15118.envelope;

import io.ocppsec.iso15118.pki.Iso15118Crypto;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.agreement.kdf.ConcatenationKDFGenerator;
import org.bouncycastle.crypto.params.KDFParameters;
import org.bouncycastle.jce.ECNamedCurveTable;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import javax.crypto.KeyAgreement;

/** ECDH, ConcatKDF and point helpers shared by the -2 and -20 envelopes. */
final class EnvelopeCrypto {

    /** ConcatKDF OtherInfo: AlgorithmID 0x01, PartyUInfo 'U', PartyVInfo 'V' [V2G2-818], [V2G20-2535]. */
    static final byte[] OTHER_INFO = {0x01, 0x55, 0x56};

    private EnvelopeCrypto() {
    }

    /** One-pass ECDH / XDH: the shared secret Z (x-coordinate, field size; or the X448 u-coordinate). */
    static byte[] agree(String algorithm, PrivateKey mine, PublicKey theirs) throws GeneralSecurityException {
        KeyAgreement ka = KeyAgreement.getInstance(algorithm, Iso15118Crypto.provider());
        ka.init(mine);
        ka.doPhase(theirs, true);
        return ka.generateSecret();
    }

    /** ConcatKDF (NIST SP 800-56A single-step, counter from 1) over Z ‖ OtherInfo. */
    static byte[] concatKdf(Digest digest, byte[] z, int length) {
        ConcatenationKDFGenerator kdf = new ConcatenationKDFGenerator(digest);
        kdf.init(new KDFParameters(z, OTHER_INFO));
        byte[] out = new byte[length];
        kdf.generateBytes(out, 0, length);
        return out;
    }

    static ECNamedCurveParameterSpec curve(String name) {
        return ECNamedCurveTable.getParameterSpec(name);
    }

    /** Whether a JCA EC key's parameters are those of the named curve (same order and generator). */
    static boolean onCurve(ECParameterSpec params, ECNamedCurveParameterSpec curve) {
        return params != null && params.getOrder().equals(curve.getN())
                && params.getGenerator().getAffineX().equals(curve.getG().normalize().getAffineXCoord().toBigInteger())
                && params.getGenerator().getAffineY().equals(curve.getG().normalize().getAffineYCoord().toBigInteger());
    }

    /** The uncompressed encoding 04 ‖ X ‖ Y of an EC public key. */
    static byte[] uncompressed(ECPublicKey key, int fieldBytes) {
        byte[] out = new byte[1 + 2 * fieldBytes];
        out[0] = 0x04;
        System.arraycopy(BigIntegers.asUnsignedByteArray(fieldBytes, key.getW().getAffineX()), 0, out, 1, fieldBytes);
        System.arraycopy(BigIntegers.asUnsignedByteArray(fieldBytes, key.getW().getAffineY()), 0, out, 1 + fieldBytes, fieldBytes);
        return out;
    }

    /**
     * An EC public key from its uncompressed encoding; null if the bytes are not an uncompressed
     * point of the curve (BC checks that the point lies on the curve).
     */
    static PublicKey decodePoint(byte[] encoded, ECNamedCurveParameterSpec curve, int fieldBytes) {
        if (encoded.length != 1 + 2 * fieldBytes || encoded[0] != 0x04) {
            return null;
        }
        try {
            ECPoint p = curve.getCurve().decodePoint(encoded);
            if (p.isInfinity() || !p.isValid()) {
                return null;
            }
            KeyFactory kf = KeyFactory.getInstance("EC", Iso15118Crypto.provider());
            return kf.generatePublic(new org.bouncycastle.jce.spec.ECPublicKeySpec(p, curve));
        } catch (RuntimeException | GeneralSecurityException e) {
            return null;
        }
    }

    /** An EC private key on {@code curve} from its scalar. */
    static ECPrivateKey privateKey(BigInteger d, ECNamedCurveParameterSpec curve) throws GeneralSecurityException {
        KeyFactory kf = KeyFactory.getInstance("EC", Iso15118Crypto.provider());
        return (ECPrivateKey) kf.generatePrivate(new org.bouncycastle.jce.spec.ECPrivateKeySpec(d, curve));
    }

    /** Whether d·G is the point of {@code expected}, compared in constant time on the encodings. */
    static boolean matches(BigInteger d, ECPublicKey expected, ECNamedCurveParameterSpec curve, int fieldBytes) {
        ECPoint q = curve.getG().multiply(d).normalize();
        byte[] mine = q.getEncoded(false);
        byte[] theirs = uncompressed(expected, fieldBytes);
        return java.security.MessageDigest.isEqual(mine, theirs);
    }
}
