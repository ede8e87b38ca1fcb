package io.ocppsec.iso15118.xmldsig;

import java.math.BigInteger;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECFieldFp;
import java.security.spec.ECParameterSpec;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;

/**
 * ECDSA SignatureValue (raw r‖s) checks with Bouncy Castle's lightweight API on the named curve's own
 * domain parameters, so the generator's precomputation is shared by all requests: through JCA, a JDK
 * (SunEC) key was converted into fresh curve parameters and a fresh generator point for every
 * request, whose table BC then rebuilt.
 *
 * <p>The same decisions as {@code Signature.getInstance("SHA256withECDSA" / "SHA512withECDSA", BC)}
 * after {@link ExiSigner#rawToDer}: the same digest, the same {@link PlainDSAEncoding} decoding and the
 * same {@link ECDSASigner}. Whenever that path would fail with an exception rather than answer
 * (a key not on the algorithm's named curve, a point BC refuses, a malformed raw value), this answers
 * null and the caller takes the JCA path, so refusals keep their reasons.
 */
final class EcdsaRawVerifier {

    private static final ECDomainParameters P256 = domain("secp256r1");
    private static final ECDomainParameters P521 = domain("secp521r1");

    private EcdsaRawVerifier() {
    }

    /** True or false as the JCA path would answer; null when the JCA path should decide. */
    static Boolean verify(ExiSignatureAlgorithm alg, ECPublicKey key, byte[] data, byte[] raw) {
        ECDomainParameters domain;
        Digest digest;
        switch (alg) {
            case ECDSA_SHA256 -> {
                domain = P256;
                digest = new SHA256Digest();
            }
            case ECDSA_SHA512 -> {
                domain = P521;
                digest = new SHA512Digest();
            }
            default -> {
                return null;
            }
        }
        if (!sameCurve(key.getParams(), domain)) {
            return null;
        }
        ECPublicKeyParameters q;
        BigInteger[] rs;
        try {
            ECPoint w = domain.getCurve().createPoint(key.getW().getAffineX(), key.getW().getAffineY());
            q = new ECPublicKeyParameters(w, domain); // validates the point
            rs = PlainDSAEncoding.INSTANCE.decode(domain.getN(), raw);
        } catch (Exception e) {
            return null;
        }
        digest.update(data, 0, data.length);
        byte[] hash = new byte[digest.getDigestSize()];
        digest.doFinal(hash, 0);
        ECDSASigner signer = new ECDSASigner();
        signer.init(false, q);
        return signer.verifySignature(hash, rs[0], rs[1]);
    }

    /** Whether a JCA curve is exactly the named one: field, coefficients, generator, order, cofactor. */
    private static boolean sameCurve(ECParameterSpec p, ECDomainParameters d) {
        if (p == null || !(p.getCurve().getField() instanceof ECFieldFp fp)) {
            return false;
        }
        ECPoint g = d.getG().normalize();
        return fp.getP().equals(d.getCurve().getField().getCharacteristic())
                && p.getCurve().getA().equals(d.getCurve().getA().toBigInteger())
                && p.getCurve().getB().equals(d.getCurve().getB().toBigInteger())
                && p.getGenerator().getAffineX().equals(g.getAffineXCoord().toBigInteger())
                && p.getGenerator().getAffineY().equals(g.getAffineYCoord().toBigInteger())
                && p.getOrder().equals(d.getN())
                && BigInteger.valueOf(p.getCofactor()).equals(d.getH());
    }

    private static ECDomainParameters domain(String name) {
        X9ECParameters x9 = CustomNamedCurves.getByName(name);
        return new ECDomainParameters(x9.getCurve(), x9.getG(), x9.getN(), x9.getH(), x9.getSeed());
    }
}
