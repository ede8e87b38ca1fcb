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

    @Test
    void iso15118_20X448EcdhSealsASecp521ContractKey_V2G20_2534_2495_2500() {
        // an Ed448 OEM provisioning certificate offers its X448 alternate key for the ECDH [V2G20-2534]; the
        // contract certificate is secp521r1 [V2G20-2674], so SECP521_EncryptedPrivateKey carries it under the
        // X448 session key [V2G20-2500], [V2G20-2493] NOTE 1
        KeyPair contract = KeyType.SECP521R1.generate();
        KeyPair evX448 = x448();
        ECPublicKey contractPub = (ECPublicKey) contract.getPublic();
        var x448 = Iso15118_20Envelope.Ecdh.X448;
        var secp521 = Iso15118_20Envelope.ContractKey.SECP521;
        SealedKey s = Iso15118_20Envelope.wrap(x448, secp521, contract.getPrivate(), evX448.getPublic(), PCID, SKI);
        assertThat(s.dhPublicKey()).hasSize(56); // the raw X448 key, no padding to 133 [V2G20-2495]
        assertThat(s.encryptedPrivateKey()).hasSize(94); // IV 12 ‖ 66-byte padded scalar ‖ tag 16
        Unsealed u = Iso15118_20Envelope.unwrap(x448, secp521, s, evX448.getPrivate(), contractPub, PCID, SKI);
        assertThat(u).isInstanceOf(Unsealed.Opened.class);
        assertThat(((ECPrivateKey) ((Unsealed.Opened) u).contractKey()).getS()).isEqualTo(((ECPrivateKey) contract.getPrivate()).getS());

        // a tampered ciphertext, IV or tag, a tampered DHPublicKey, another EV's X448 key: GCM refuses
        for (int i : new int[] {0, 11, 12, 50, 77, 93}) {
            byte[] enc = s.encryptedPrivateKey();
            enc[i] ^= 0x01;
            assertThat(reason(Iso15118_20Envelope.unwrap(x448, secp521, new SealedKey(enc, s.dhPublicKey()), evX448.getPrivate(),
                    contractPub, PCID, SKI))).as("byte %d", i).isEqualTo(Unsealed.Reason.DECRYPTION_FAILED);
        }
        byte[] dh = s.dhPublicKey();
        dh[20] ^= 0x01;
        assertThat(reason(Iso15118_20Envelope.unwrap(x448, secp521, new SealedKey(s.encryptedPrivateKey(), dh), evX448.getPrivate(),
                contractPub, PCID, SKI))).isEqualTo(Unsealed.Reason.DECRYPTION_FAILED);
        assertThat(reason(Iso15118_20Envelope.unwrap(x448, secp521, s, x448().getPrivate(), contractPub, PCID, SKI)))
                .isEqualTo(Unsealed.Reason.DECRYPTION_FAILED);
        assertThat(reason(Iso15118_20Envelope.unwrap(x448, secp521, s, evX448.getPrivate(),
                (ECPublicKey) KeyType.SECP521R1.generate().getPublic(), PCID, SKI))).isEqualTo(Unsealed.Reason.KEY_MISMATCH);

        // ECDHCurve and the DHPublicKey length must agree: 133 bytes are no X448 key, 56 no P-521 point
        assertThat(reason(Iso15118_20Envelope.unwrap(x448, secp521, new SealedKey(s.encryptedPrivateKey(), new byte[133]),
                evX448.getPrivate(), contractPub, PCID, SKI))).isEqualTo(Unsealed.Reason.MALFORMED);
        assertThat(reason(Iso15118_20Envelope.unwrap(Iso15118_20Envelope.Ecdh.SECP521, secp521, s, evX448.getPrivate(),
                contractPub, PCID, SKI))).isEqualTo(Unsealed.Reason.MALFORMED);
        // and the encrypted field must be the contract certificate's type
        assertThat(reason(Iso15118_20Envelope.unwrap(x448, Iso15118_20Envelope.ContractKey.X448, s, evX448.getPrivate(),
                contractPub, PCID, SKI))).isEqualTo(Unsealed.Reason.MALFORMED);
        assertThat(reason(Iso15118_20Envelope.unwrap(x448, secp521, s, evX448.getPrivate(), x448().getPublic(), PCID, SKI)))
                .isEqualTo(Unsealed.Reason.MALFORMED);
        // an EC receiver private key cannot do X448
        assertThat(reason(Iso15118_20Envelope.unwrap(x448, secp521, s, KeyType.SECP521R1.generate().getPrivate(), contractPub,
                PCID, SKI))).isEqualTo(Unsealed.Reason.MALFORMED);
    }

    @Test
    void iso15118_20WrapRefusesKeysThatDoNotFitTheCurveOrTheKeyType() throws Exception {
        KeyPair p521 = KeyType.SECP521R1.generate();
        KeyPair evX448 = x448();
        var x448 = Iso15118_20Envelope.Ecdh.X448;
        var secp521 = Iso15118_20Envelope.ContractKey.SECP521;
        // a P-521 receiver for X448, an X448 receiver for P-521, an X448 contract key as SECP521_EncryptedPrivateKey
        assertThatThrownBy(() -> Iso15118_20Envelope.wrap(x448, secp521, p521.getPrivate(), p521.getPublic(), PCID, SKI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X448");
        assertThatThrownBy(() -> Iso15118_20Envelope.wrap(Iso15118_20Envelope.Ecdh.SECP521, secp521, p521.getPrivate(),
                evX448.getPublic(), PCID, SKI)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("secp521r1");
        assertThatThrownBy(() -> Iso15118_20Envelope.wrap(x448, secp521, x448().getPrivate(), evX448.getPublic(), PCID, SKI))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SECP521_EncryptedPrivateKey");
        // a low-order X448 receiver key (u = 1) gives an all-zero shared secret (RFC 7748 §6.2): refused, nothing sealed
        byte[] one = new byte[56];
        one[0] = 1;
        java.security.PublicKey lowOrder = java.security.KeyFactory.getInstance("X448", Iso15118Crypto.provider())
                .generatePublic(new java.security.spec.X509EncodedKeySpec(new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                        new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_X448),
                        one).getEncoded()));
        assertThatThrownBy(() -> Iso15118_20Envelope.wrap(x448, secp521, p521.getPrivate(), lowOrder, PCID, SKI))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static KeyPair x448() {
        try {
            return KeyPairGenerator.getInstance("X448", Iso15118Crypto.provider()).generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Unsealed.Reason reason(Unsealed u) {
        assertThat(u).isInstanceOf(Unsealed.Refused.class);
        return ((Unsealed.Refused) u).reason();
    }
}
