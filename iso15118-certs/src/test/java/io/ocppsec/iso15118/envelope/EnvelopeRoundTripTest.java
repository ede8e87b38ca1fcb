package io.ocppsec.iso15118.envelope;

import io.ocppsec.iso15118.pki.Iso15118Crypto;
import io.ocppsec.iso15118.pki.KeyType;
import org.junit.jupiter.api.Test;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.Arrays;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EnvelopeRoundTripTest {

    private static final String PCID = "WMIABCDEF12345678X";
    private static final byte[] SKI = HexFormat.of().parseHex("0011223344556677");

    // ---------------------------------------------------------------- ISO 15118-2

    @Test
    void iso15118_2RoundTripGivesAKeyThatSignsForTheContractCertificate() throws Exception {
        KeyPair contract = KeyType.SECP256R1.generate();
        KeyPair oem = KeyType.SECP256R1.generate();
        SealedKey s = Iso15118_2Envelope.wrap((ECPrivateKey) contract.getPrivate(), (ECPublicKey) oem.getPublic());
        assertThat(s.encryptedPrivateKey()).hasSize(48);
        assertThat(s.dhPublicKey()).hasSize(65).startsWith(0x04);
        Unsealed u = Iso15118_2Envelope.unwrap(s, oem.getPrivate(), (ECPublicKey) contract.getPublic());
        assertThat(u).isInstanceOf(Unsealed.Opened.class);
        // the opened key makes signatures the contract public key verifies
        Signature sig = Signature.getInstance("SHA256withECDSA", Iso15118Crypto.provider());
        sig.initSign(((Unsealed.Opened) u).contractKey());
        sig.update(new byte[] {1, 2, 3});
        byte[] sv = sig.sign();
        sig.initVerify(contract.getPublic());
        sig.update(new byte[] {1, 2, 3});
        assertThat(sig.verify(sv)).isTrue();
    }

    @Test
    void iso15118_2FreshEphemeralKeyAndIvEveryTime_V2G2_815() {
        KeyPair contract = KeyType.SECP256R1.generate();
        KeyPair oem = KeyType.SECP256R1.generate();
        SealedKey a = Iso15118_2Envelope.wrap((ECPrivateKey) contract.getPrivate(), (ECPublicKey) oem.getPublic());
        SealedKey b = Iso15118_2Envelope.wrap((ECPrivateKey) contract.getPrivate(), (ECPublicKey) oem.getPublic());
        assertThat(a.dhPublicKey()).isNotEqualTo(b.dhPublicKey());
        assertThat(Arrays.copyOf(a.encryptedPrivateKey(), 16)).isNotEqualTo(Arrays.copyOf(b.encryptedPrivateKey(), 16));
    }

    @Test
    void iso15118_2TamperingIsATypedRefusal() {
        KeyPair contract = KeyType.SECP256R1.generate();
        KeyPair oem = KeyType.SECP256R1.generate();
        ECPublicKey contractPub = (ECPublicKey) contract.getPublic();
        SealedKey s = Iso15118_2Envelope.wrap((ECPrivateKey) contract.getPrivate(), (ECPublicKey) oem.getPublic());
        // CBC has no integrity: a flipped bit gives another scalar, caught by d·G [V2G2-823]
        for (int i : new int[] {0, 15, 16, 47}) {
            byte[] enc = s.encryptedPrivateKey();
            enc[i] ^= 0x01;
            assertThat(reason(Iso15118_2Envelope.unwrap(new SealedKey(enc, s.dhPublicKey()), oem.getPrivate(), contractPub)))
                    .as("bit flipped in byte %d", i).isIn(Unsealed.Reason.KEY_MISMATCH, Unsealed.Reason.OUT_OF_RANGE);
        }
        // a wrong receiver key, another contract certificate
        assertThat(reason(Iso15118_2Envelope.unwrap(s, KeyType.SECP256R1.generate().getPrivate(), contractPub)))
                .isEqualTo(Unsealed.Reason.KEY_MISMATCH);
        assertThat(reason(Iso15118_2Envelope.unwrap(s, oem.getPrivate(), (ECPublicKey) KeyType.SECP256R1.generate().getPublic())))
                .isEqualTo(Unsealed.Reason.KEY_MISMATCH);
        // malformed fields: lengths, a point off the curve, a compressed point
        assertThat(reason(Iso15118_2Envelope.unwrap(new SealedKey(new byte[47], s.dhPublicKey()), oem.getPrivate(), contractPub)))
                .isEqualTo(Unsealed.Reason.MALFORMED);
        byte[] offCurve = s.dhPublicKey();
        offCurve[64] ^= 0x01;
        assertThat(reason(Iso15118_2Envelope.unwrap(new SealedKey(s.encryptedPrivateKey(), offCurve), oem.getPrivate(), contractPub)))
                .isEqualTo(Unsealed.Reason.MALFORMED);
        assertThat(reason(Iso15118_2Envelope.unwrap(new SealedKey(s.encryptedPrivateKey(), Arrays.copyOf(s.dhPublicKey(), 33)),
                oem.getPrivate(), contractPub))).isEqualTo(Unsealed.Reason.MALFORMED);
        assertThat(reason(Iso15118_2Envelope.unwrap(new SealedKey(s.encryptedPrivateKey(), new byte[0]), oem.getPrivate(), contractPub)))
                .isEqualTo(Unsealed.Reason.MALFORMED);
    }

    @Test
    void iso15118_2RefusesKeysOfOtherCurves() {
        KeyPair p521 = KeyType.SECP521R1.generate();
        KeyPair p256 = KeyType.SECP256R1.generate();
        assertThatThrownBy(() -> Iso15118_2Envelope.wrap((ECPrivateKey) p521.getPrivate(), (ECPublicKey) p256.getPublic()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secp256r1");
        assertThat(reason(Iso15118_2Envelope.unwrap(Iso15118_2Envelope.wrap((ECPrivateKey) p256.getPrivate(), (ECPublicKey) p256.getPublic()),
                p256.getPrivate(), (ECPublicKey) p521.getPublic()))).isEqualTo(Unsealed.Reason.MALFORMED);
    }

    // ---------------------------------------------------------------- ISO 15118-20

    @Test
    void iso15118_20Secp521RoundTripAndTampering() {
        KeyPair contract = KeyType.SECP521R1.generate();
        KeyPair oem = KeyType.SECP521R1.generate();
        ECPublicKey contractPub = (ECPublicKey) contract.getPublic();
        SealedKey s = Iso15118_20Envelope.wrapSecp521((ECPrivateKey) contract.getPrivate(), (ECPublicKey) oem.getPublic(), PCID, SKI);
        assertThat(s.encryptedPrivateKey()).hasSize(94);
        assertThat(s.dhPublicKey()).hasSize(133);
        Unsealed u = Iso15118_20Envelope.unwrapSecp521(s, oem.getPrivate(), contractPub, PCID, SKI);
        assertThat(((ECPrivateKey) ((Unsealed.Opened) u).contractKey()).getS()).isEqualTo(((ECPrivateKey) contract.getPrivate()).getS());
        // GCM: any flipped bit, another PCID or SKI (AAD) fails authentication
        for (int i : new int[] {0, 11, 12, 77, 93}) {
            byte[] enc = s.encryptedPrivateKey();
            enc[i] ^= 0x01;
            assertThat(reason(Iso15118_20Envelope.unwrapSecp521(new SealedKey(enc, s.dhPublicKey()), oem.getPrivate(), contractPub, PCID, SKI)))
                    .as("byte %d", i).isEqualTo(Unsealed.Reason.DECRYPTION_FAILED);
        }
        assertThat(reason(Iso15118_20Envelope.unwrapSecp521(s, oem.getPrivate(), contractPub, "WMIABCDEF12345678Y", SKI)))
                .isEqualTo(Unsealed.Reason.DECRYPTION_FAILED);
        assertThat(reason(Iso15118_20Envelope.unwrapSecp521(s, oem.getPrivate(), contractPub, PCID, new byte[] {1, 2, 3, 4, 5, 6, 7, 8})))
                .isEqualTo(Unsealed.Reason.DECRYPTION_FAILED);
        assertThat(reason(Iso15118_20Envelope.unwrapSecp521(s, oem.getPrivate(), (ECPublicKey) KeyType.SECP521R1.generate().getPublic(), PCID, SKI)))
                .isEqualTo(Unsealed.Reason.KEY_MISMATCH);
        assertThat(reason(Iso15118_20Envelope.unwrapSecp521(s, oem.getPrivate(), contractPub, "lowercase-pcid", SKI)))
                .isEqualTo(Unsealed.Reason.MALFORMED);
        assertThat(reason(Iso15118_20Envelope.unwrapSecp521(new SealedKey(s.encryptedPrivateKey(), new byte[133]), oem.getPrivate(), contractPub, PCID, SKI)))
                .isEqualTo(Unsealed.Reason.MALFORMED);
    }

    @Test
    void iso15118_20X448RoundTripAndTampering() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("X448", Iso15118Crypto.provider());
        KeyPair contract = g.generateKeyPair();
        KeyPair oem = g.generateKeyPair();
        SealedKey s = Iso15118_20Envelope.wrapX448(contract.getPrivate(), oem.getPublic(), PCID, SKI);
        assertThat(s.encryptedPrivateKey()).hasSize(84);
        assertThat(s.dhPublicKey()).hasSize(56);
        Unsealed u = Iso15118_20Envelope.unwrapX448(s, oem.getPrivate(), contract.getPublic(), PCID, SKI);
        assertThat(u).isInstanceOf(Unsealed.Opened.class);
        assertThat(((Unsealed.Opened) u).contractKey().getEncoded()).isEqualTo(contract.getPrivate().getEncoded());
        byte[] enc = s.encryptedPrivateKey();
        enc[40] ^= 0x80;
        assertThat(reason(Iso15118_20Envelope.unwrapX448(new SealedKey(enc, s.dhPublicKey()), oem.getPrivate(), contract.getPublic(), PCID, SKI)))
                .isEqualTo(Unsealed.Reason.DECRYPTION_FAILED);
        assertThat(reason(Iso15118_20Envelope.unwrapX448(s, oem.getPrivate(), g.generateKeyPair().getPublic(), PCID, SKI)))
                .isEqualTo(Unsealed.Reason.KEY_MISMATCH);
        assertThat(reason(Iso15118_20Envelope.unwrapX448(new SealedKey(s.encryptedPrivateKey(), new byte[55]), oem.getPrivate(), contract.getPublic(), PCID, SKI)))
                .isEqualTo(Unsealed.Reason.MALFORMED);
    }

    private static Unsealed.Reason reason(Unsealed u) {
        assertThat(u).isInstanceOf(Unsealed.Refused.class);
        return ((Unsealed.Refused) u).reason();
    }
}
