package io.ocppsec.iso15118.xmldsig;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The lightweight SignatureValue check ({@link EcdsaRawVerifier}) answers as the JCA path
 * (BC {@code SHA*withECDSA} over the DER form), or leaves the case to it: checked on genuine,
 * altered, out-of-range and wrong-key signatures, with JDK (SunEC) and Bouncy Castle keys.
 */
class EcdsaRawVerifierTest {
    private static final byte[] DATA = "SignedInfo as EXI".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    @Test
    void p256AgreesWithTheJcaPath() throws Exception {
        for (String provider : new String[] {"SunEC", "BC"}) {
            KeyPair kp = keyPair("secp256r1", provider);
            KeyPair other = keyPair("secp256r1", provider);
            byte[] raw = sign(kp, ExiSignatureAlgorithm.ECDSA_SHA256);
            check(ExiSignatureAlgorithm.ECDSA_SHA256, kp.getPublic(), raw, true);
            check(ExiSignatureAlgorithm.ECDSA_SHA256, other.getPublic(), raw, false);
            byte[] flipped = raw.clone();
            flipped[40] ^= 0x01;
            check(ExiSignatureAlgorithm.ECDSA_SHA256, kp.getPublic(), flipped, false);
            // r = 0 and s = n: both out of range
            byte[] zeroR = raw.clone();
            Arrays.fill(zeroR, 0, 32, (byte) 0);
            check(ExiSignatureAlgorithm.ECDSA_SHA256, kp.getPublic(), zeroR, false);
            byte[] sIsN = raw.clone();
            BigInteger n = ((ECPublicKey) kp.getPublic()).getParams().getOrder();
            System.arraycopy(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, n), 0, sIsN, 32, 32);
            check(ExiSignatureAlgorithm.ECDSA_SHA256, kp.getPublic(), sIsN, false, false);
            // over other data
            assertThat(EcdsaRawVerifier.verify(ExiSignatureAlgorithm.ECDSA_SHA256, (ECPublicKey) kp.getPublic(),
                    new byte[] {1, 2, 3}, raw)).isFalse();
        }
    }

    @Test
    void p521AgreesWithTheJcaPathAndOtherCurvesAreLeftToIt() throws Exception {
        KeyPair kp = keyPair("secp521r1", "SunEC");
        byte[] raw = sign(kp, ExiSignatureAlgorithm.ECDSA_SHA512);
        check(ExiSignatureAlgorithm.ECDSA_SHA512, kp.getPublic(), raw, true);
        byte[] flipped = raw.clone();
        flipped[100] ^= 0x01;
        check(ExiSignatureAlgorithm.ECDSA_SHA512, kp.getPublic(), flipped, false);
        // a P-256 key under ecdsa-sha512, a P-521 key under ecdsa-sha256, a P-384 key: not handled here
        assertThat(EcdsaRawVerifier.verify(ExiSignatureAlgorithm.ECDSA_SHA512,
                (ECPublicKey) keyPair("secp256r1", "SunEC").getPublic(), DATA, raw)).isNull();
        assertThat(EcdsaRawVerifier.verify(ExiSignatureAlgorithm.ECDSA_SHA256, (ECPublicKey) kp.getPublic(), DATA,
                new byte[64])).isNull();
        assertThat(EcdsaRawVerifier.verify(ExiSignatureAlgorithm.ECDSA_SHA256,
                (ECPublicKey) keyPair("secp384r1", "SunEC").getPublic(), DATA, new byte[64])).isNull();
        // a raw value of the wrong length: left to the JCA path, which refuses it
        assertThat(EcdsaRawVerifier.verify(ExiSignatureAlgorithm.ECDSA_SHA512, (ECPublicKey) kp.getPublic(), DATA,
                Arrays.copyOf(raw, 130))).isNull();
    }

    /** The fast answer must be the JCA one; {@code handled}: whether it answers at all. */
    private static void check(ExiSignatureAlgorithm alg, PublicKey key, byte[] raw, boolean expected) throws Exception {
        check(alg, key, raw, expected, true);
    }

    private static void check(ExiSignatureAlgorithm alg, PublicKey key, byte[] raw, boolean expected, boolean handled)
            throws Exception {
        Boolean fast = EcdsaRawVerifier.verify(alg, (ECPublicKey) key, DATA, raw);
        boolean jca = jca(alg, key, raw);
        assertThat(jca).isEqualTo(expected);
        if (fast != null) {
            assertThat(fast).isEqualTo(jca);
        }
        if (handled) {
            assertThat(fast).as("handled here").isNotNull();
        } else {
            assertThat(fast).as("left to the JCA path").isNull();
        }
    }

    private static boolean jca(ExiSignatureAlgorithm alg, PublicKey key, byte[] raw) {
        try {
            Signature s = Signature.getInstance(alg.jcaName(), ExiSigner.BC);
            s.initVerify(key);
            s.update(DATA);
            return s.verify(ExiSigner.rawToDer(raw, ((ECPublicKey) key).getParams().getOrder()));
        } catch (Exception e) {
            return false;
        }
    }

    private static byte[] sign(KeyPair kp, ExiSignatureAlgorithm alg) throws Exception {
        Signature s = Signature.getInstance(alg.jcaName(), ExiSigner.BC);
        s.initSign(kp.getPrivate());
        s.update(DATA);
        return ExiSigner.derToRaw(s.sign(), ((ECPublicKey) kp.getPublic()).getParams().getOrder());
    }

    private static KeyPair keyPair(String curve, String provider) throws Exception {
        KeyPairGenerator g = provider.equals("BC") ? KeyPairGenerator.getInstance("EC", ExiSigner.BC)
                : KeyPairGenerator.getInstance("EC", provider);
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }
}
