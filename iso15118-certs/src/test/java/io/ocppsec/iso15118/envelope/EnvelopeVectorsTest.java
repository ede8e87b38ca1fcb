package io.ocppsec.iso15118.envelope;

import io.ocppsec.iso15118.pki.Iso15118Crypto;
import io.ocppsec.iso15118.pki.SharedVectors;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyPair;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The envelopes against the generated vectors in shared/iso15118/vectors (produced with the OpenSSL
 * CLI and python-cryptography, independently of this code).
 */
class EnvelopeVectorsTest {

    private static final HexFormat HEX = HexFormat.of();

    private static JsonNode vector(String dir) throws Exception {
        return JsonMapper.builder().build().readTree(Files.readString(SharedVectors.file(dir + "/vector.json")));
    }

    private static byte[] hex(JsonNode v, String field) {
        return HEX.parseHex(v.get(field).asString());
    }

    static ECPrivateKey priv(byte[] d, ECNamedCurveParameterSpec curve) throws Exception {
        return EnvelopeCrypto.privateKey(new BigInteger(1, d), curve);
    }

    static ECPublicKey pub(byte[] point, ECNamedCurveParameterSpec curve, int field) {
        ECPublicKey k = (ECPublicKey) EnvelopeCrypto.decodePoint(point, curve, field);
        assertThat(k).as("vector point decodes").isNotNull();
        return k;
    }

    @Test
    void iso15118_2VectorIsReproducedByteForByte_V2G2_814_to_819() throws Exception {
        JsonNode v = vector("generated-envelope-iso15118-2");
        ECNamedCurveParameterSpec p256 = EnvelopeCrypto.curve("secp256r1");
        ECPublicKey receiver = pub(hex(v, "receiverStaticPublicKey"), p256, 32);
        ECPrivateKey receiverPriv = priv(hex(v, "receiverStaticPrivateKey_oemProvOrOldContract"), p256);
        KeyPair eph = new KeyPair(pub(hex(v, "DHpublickey"), p256, 32), priv(hex(v, "senderEphemeralPrivateKey"), p256));
        ECPrivateKey contract = priv(hex(v, "contractPrivateKeyPlain"), p256);
        ECPublicKey contractPub = pub(hex(v, "contractPublicKey"), p256, 32);

        // the intermediate values: Z and the ConcatKDF session key [V2G2-818]
        byte[] z = EnvelopeCrypto.agree("ECDH", eph.getPrivate(), receiver);
        assertThat(HEX.formatHex(z)).isEqualTo(v.get("sharedSecretZ").asString());
        assertThat(HEX.formatHex(EnvelopeCrypto.concatKdf(new SHA256Digest(), z, 16))).isEqualTo(v.get("sessionKey").asString());

        SealedKey sealed = Iso15118_2Envelope.wrap(contract, receiver, eph, hex(v, "iv"));
        assertThat(HEX.formatHex(sealed.encryptedPrivateKey())).isEqualTo(v.get("ContractSignatureEncryptedPrivateKey").asString());
        assertThat(HEX.formatHex(sealed.dhPublicKey())).isEqualTo(v.get("DHpublickey").asString());
        assertThat(sealed.encryptedPrivateKey()).hasSize(48);
        assertThat(sealed.dhPublicKey()).hasSize(65);

        // the receiver side opens the vector's fields and checks d·G [V2G2-823]
        Unsealed u = Iso15118_2Envelope.unwrap(new SealedKey(hex(v, "ContractSignatureEncryptedPrivateKey"), hex(v, "DHpublickey")),
                receiverPriv, contractPub);
        assertThat(u).isInstanceOf(Unsealed.Opened.class);
        assertThat(((ECPrivateKey) ((Unsealed.Opened) u).contractKey()).getS())
                .isEqualTo(new BigInteger(1, hex(v, "contractPrivateKeyPlain")));
    }

    @Test
    void iso15118_2OutOfRangeScalarIsRefused_V2G2_823() throws Exception {
        JsonNode v = vector("generated-envelope-iso15118-2");
        ECNamedCurveParameterSpec p256 = EnvelopeCrypto.curve("secp256r1");
        ECPublicKey receiver = pub(hex(v, "receiverStaticPublicKey"), p256, 32);
        ECPrivateKey receiverPriv = priv(hex(v, "receiverStaticPrivateKey_oemProvOrOldContract"), p256);
        ECPrivateKey ephPriv = priv(hex(v, "senderEphemeralPrivateKey"), p256);
        ECPublicKey contractPub = pub(hex(v, "contractPublicKey"), p256, 32);
        byte[] k = EnvelopeCrypto.concatKdf(new SHA256Digest(), EnvelopeCrypto.agree("ECDH", ephPriv, receiver), 16);
        byte[] iv = hex(v, "iv");
        for (BigInteger bad : new BigInteger[] {BigInteger.ZERO, p256.getN()}) {
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding", Iso15118Crypto.provider());
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new IvParameterSpec(iv));
            byte[] c = aes.doFinal(org.bouncycastle.util.BigIntegers.asUnsignedByteArray(32, bad));
            byte[] field = new byte[48];
            System.arraycopy(iv, 0, field, 0, 16);
            System.arraycopy(c, 0, field, 16, 32);
            Unsealed u = Iso15118_2Envelope.unwrap(new SealedKey(field, hex(v, "DHpublickey")), receiverPriv, contractPub);
            assertThat(u).isEqualTo(new Unsealed.Refused(Unsealed.Reason.OUT_OF_RANGE, "decrypted value is not in 1..n-1 [V2G2-823]"));
        }
    }

    @Test
    void iso15118_20Secp521VectorIsReproducedByteForByte() throws Exception {
        JsonNode v = vector("generated-envelope-iso15118-20-secp521r1");
        ECNamedCurveParameterSpec p521 = EnvelopeCrypto.curve("secp521r1");
        ECPublicKey receiver = pub(hex(v, "receiverStaticPublicKey"), p521, 66);
        ECPrivateKey receiverPriv = priv(hex(v, "receiverStaticPrivateKey_oemProv"), p521);
        KeyPair eph = new KeyPair(pub(hex(v, "DHPublicKey"), p521, 66), priv(hex(v, "senderEphemeralPrivateKey"), p521));
        ECPrivateKey contract = priv(hex(v, "contractPrivateKeyPlain66"), p521);
        ECPublicKey contractPub = pub(hex(v, "contractPublicKey"), p521, 66);
        String pcid = v.get("pcid").asString();
        byte[] ski = HEX.parseHex(v.get("contractSkiHex").asString());

        byte[] z = EnvelopeCrypto.agree("ECDH", eph.getPrivate(), receiver);
        assertThat(HEX.formatHex(z)).isEqualTo(v.get("sharedSecretZ").asString());
        assertThat(HEX.formatHex(EnvelopeCrypto.concatKdf(new SHA512Digest(), z, 32))).isEqualTo(v.get("sessionKey").asString());
        assertThat(HEX.formatHex(Iso15118_20Envelope.aad(pcid, ski))).isEqualTo(v.get("aad").asString());
        assertThat(new String(Iso15118_20Envelope.aad(pcid, ski), StandardCharsets.US_ASCII)).isEqualTo(pcid + "0123456789ABCDEF");

        SealedKey sealed = Iso15118_20Envelope.wrapSecp521(contract, receiver, pcid, ski, eph, hex(v, "iv"));
        assertThat(HEX.formatHex(sealed.encryptedPrivateKey())).isEqualTo(v.get("SECP521_EncryptedPrivateKey").asString());
        assertThat(HEX.formatHex(sealed.dhPublicKey())).isEqualTo(v.get("DHPublicKey").asString());
        assertThat(sealed.encryptedPrivateKey()).hasSize(94);
        assertThat(sealed.dhPublicKey()).hasSize(133);

        Unsealed u = Iso15118_20Envelope.unwrapSecp521(new SealedKey(hex(v, "SECP521_EncryptedPrivateKey"), hex(v, "DHPublicKey")),
                receiverPriv, contractPub, pcid, ski);
        assertThat(u).isInstanceOf(Unsealed.Opened.class);
        assertThat(((ECPrivateKey) ((Unsealed.Opened) u).contractKey()).getS())
                .isEqualTo(new BigInteger(1, hex(v, "contractPrivateKeyPlain66")));
    }

    @Test
    void iso15118_20SetPaddingBitsAreRefused() throws Exception {
        JsonNode v = vector("generated-envelope-iso15118-20-secp521r1");
        ECNamedCurveParameterSpec p521 = EnvelopeCrypto.curve("secp521r1");
        ECPublicKey receiver = pub(hex(v, "receiverStaticPublicKey"), p521, 66);
        ECPrivateKey receiverPriv = priv(hex(v, "receiverStaticPrivateKey_oemProv"), p521);
        ECPrivateKey ephPriv = priv(hex(v, "senderEphemeralPrivateKey"), p521);
        ECPublicKey contractPub = pub(hex(v, "contractPublicKey"), p521, 66);
        String pcid = v.get("pcid").asString();
        byte[] ski = HEX.parseHex(v.get("contractSkiHex").asString());
        byte[] k = EnvelopeCrypto.concatKdf(new SHA512Digest(), EnvelopeCrypto.agree("ECDH", ephPriv, receiver), 32);
        byte[] plain = hex(v, "contractPrivateKeyPlain66");
        plain[0] |= 0x02;                                    // a bit of the 7-bit padding
        byte[] iv = hex(v, "iv");
        Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", Iso15118Crypto.provider());
        gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new javax.crypto.spec.GCMParameterSpec(128, iv));
        gcm.updateAAD(Iso15118_20Envelope.aad(pcid, ski));
        byte[] ct = gcm.doFinal(plain);
        byte[] field = new byte[94];
        System.arraycopy(iv, 0, field, 0, 12);
        System.arraycopy(ct, 0, field, 12, 82);
        Unsealed u = Iso15118_20Envelope.unwrapSecp521(new SealedKey(field, hex(v, "DHPublicKey")), receiverPriv, contractPub, pcid, ski);
        assertThat(u).isInstanceOf(Unsealed.Refused.class);
        assertThat(((Unsealed.Refused) u).reason()).isEqualTo(Unsealed.Reason.OUT_OF_RANGE);
    }
}
