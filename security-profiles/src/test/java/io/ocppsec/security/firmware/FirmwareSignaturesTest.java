package io.ocppsec.security.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.security.testing.TestPki;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateCrtKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.params.RSAPrivateCrtKeyParameters;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.RSADigestSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The UpdateFirmware {@code signature} field (L01.FR.04: a signature over the SHA-256 of the whole
 * image): strict base64 with reason codes, ECDSA DER only, RSA-PSS with any salt length.
 */
class FirmwareSignaturesTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    private static byte[] digestOf(String s) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private static String reasonOf(String base64) {
        try {
            FirmwareSignatures.decode(base64);
            return "decoded";
        } catch (FirmwareSignatureException e) {
            assertThat(e.getMessage()).doesNotContain(base64 == null || base64.length() < 4 ? "\u0000" : base64);
            return e.reason();
        }
    }

    // ------------------------------------------------------------------ decode

    @Test
    void decodeAcceptsCanonicalBase64UpTo800Characters() {
        byte[] sig = new byte[600];
        RANDOM.nextBytes(sig);
        String b64 = FirmwareSignatures.encode(sig);
        assertThat(b64).hasSize(800);
        assertThat(FirmwareSignatures.decode(b64)).isEqualTo(sig);
        assertThat(FirmwareSignatures.decode("QQ==")).containsExactly('A');
        assertThat(FirmwareSignatures.decode("QUI=")).containsExactly('A', 'B');
        assertThat(FirmwareSignatures.decode("QUJD")).containsExactly('A', 'B', 'C');
    }

    @Test
    void decodeRefusesWithReasonCodes() {
        assertThat(reasonOf(null)).isEqualTo("SIGNATURE_EMPTY");
        assertThat(reasonOf("")).isEqualTo("SIGNATURE_EMPTY");
        // UpdateFirmware firmware.signature maxLength is 800 (2.0.1 and 2.1); the length is checked before anything else.
        assertThat(reasonOf("A".repeat(801))).isEqualTo("SIGNATURE_TOO_LONG");
        assertThat(reasonOf(" ".repeat(801))).isEqualTo("SIGNATURE_TOO_LONG");
        assertThat(reasonOf("QUJD".repeat(200) + "QQ==")).isEqualTo("SIGNATURE_TOO_LONG");
        for (String bad : new String[] {
            "QQ",            // padding missing
            "QQ=",           // padding short
            "QQ===",         // too much padding
            "Q===",          // padding where data must be
            "====",
            "QQ==QUJD",      // padding in the middle
            "QUJD ",         // whitespace
            " QUJD",
            "QU JD",
            "QUJD\n",        // line break
            "QUJD\r\nQUJD",
            "QUJ-",          // URL-safe alphabet
            "QUJ_",
            "QR==",          // non-zero unused bits ('R' = 17: low four bits 0001)
            "QUL=",          // non-zero unused bits ('L' = 11: low two bits 11)
            "QUJD\u00e9",
            "\u0000QUJ"}) {
            assertThat(reasonOf(bad)).as("%s", bad.replace("\n", "\\n").replace("\r", "\\r")).isEqualTo("SIGNATURE_NOT_BASE64");
        }
    }

    // ------------------------------------------------------------------ ECDSA

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void L01_FR_04_ecdsaSignaturesOverTheDigestVerify(String curve) throws Exception {
        KeyPair keys = TestPki.ecKeyPair(curve);
        byte[] digest = digestOf("image " + curve);

        assertThat(FirmwareSignatures.algorithmFor(keys.getPublic())).isEqualTo(FirmwareSignatureAlgorithm.ECDSA_SHA256);
        byte[] sig = FirmwareSignatures.sign(keys.getPrivate(), FirmwareSignatureAlgorithm.ECDSA_SHA256, digest);
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, sig)).isTrue();
        // Deterministic nonce (RFC 6979): the same digest gives the same signature.
        assertThat(FirmwareSignatures.sign(keys.getPrivate(), FirmwareSignatureAlgorithm.ECDSA_SHA256, digest)).isEqualTo(sig);

        byte[] other = digest.clone();
        other[31] ^= 1;
        assertThat(FirmwareSignatures.verify(keys.getPublic(), other, sig)).isFalse();
        assertThat(FirmwareSignatures.verify(TestPki.ecKeyPair(curve).getPublic(), digest, sig)).isFalse();
    }

    @Test
    void ecdsaSignaturesThatAreNotStrictDerAreFalseNotExceptions() throws Exception {
        KeyPair keys = TestPki.ecKeyPair("secp256r1");
        byte[] digest = digestOf("strict");
        byte[] der = FirmwareSignatures.sign(keys.getPrivate(), FirmwareSignatureAlgorithm.ECDSA_SHA256, digest);
        BigInteger n = ((ECPublicKey) keys.getPublic()).getParams().getOrder();
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(n, der);

        byte[] raw = org.bouncycastle.crypto.signers.PlainDSAEncoding.INSTANCE.encode(n, rs[0], rs[1]);
        byte[] trailing = Arrays.copyOf(der, der.length + 1);
        // r with a superfluous leading zero octet: valid BER, not DER.
        byte[] r = rs[0].toByteArray();
        byte[] padded = new byte[r.length + 1];
        System.arraycopy(r, 0, padded, 1, r.length);
        byte[] nonMinimal = tlv(0x30, tlv(0x02, padded), tlv(0x02, rs[1].toByteArray()));
        // The same hand-made encoding without the extra octet is the DER signature itself (the helper is right).
        assertThat(tlv(0x30, tlv(0x02, r), tlv(0x02, rs[1].toByteArray()))).isEqualTo(der);
        byte[] zeroR = new DERSequence(new ASN1Integer[] {new ASN1Integer(0), new ASN1Integer(rs[1])}).getEncoded();
        byte[] rAtN = new DERSequence(new ASN1Integer[] {new ASN1Integer(n), new ASN1Integer(rs[1])}).getEncoded();

        for (byte[] bad : new byte[][] {raw, trailing, nonMinimal, zeroR, rAtN, new byte[0], {0x30}, {0x30, 0x00}, new byte[70]}) {
            assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, bad)).isFalse();
        }
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, null)).isFalse();
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, der)).isTrue();
    }

    /** A DER-style tag-length-value with a short or one-octet long length (enough for P-256 signatures). */
    private static byte[] tlv(int tag, byte[]... parts) {
        java.io.ByteArrayOutputStream content = new java.io.ByteArrayOutputStream();
        for (byte[] p : parts) {
            content.writeBytes(p);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        out.write(tag);
        if (content.size() > 127) {
            out.write(0x81);
        }
        out.write(content.size());
        out.writeBytes(content.toByteArray());
        return out.toByteArray();
    }

    // ------------------------------------------------------------------ RSA-PSS

    @ParameterizedTest
    @ValueSource(ints = {0, 20, 32, 64, -1})
    void L01_FR_04_rsaPssVerifiesWhateverSaltLengthTheSignerChose(int salt) throws Exception {
        KeyPair keys = TestPki.rsaKeyPair(2048);
        byte[] digest = digestOf("pss " + salt);
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) keys.getPrivate();
        int emLen = (k.getModulus().bitLength() - 1 + 7) / 8;
        int saltLength = salt >= 0 ? salt : emLen - 32 - 2; // -1: the longest salt, openssl's default
        PSSSigner signer = PSSSigner.createRawSigner(new RSAEngine(), new SHA256Digest(), new SHA256Digest(), saltLength,
                PSSSigner.TRAILER_IMPLICIT);
        signer.init(true, new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient()));
        signer.update(digest, 0, digest.length);
        byte[] sig = signer.generateSignature();

        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, sig)).isTrue();
        byte[] other = digest.clone();
        other[0] ^= 1;
        assertThat(FirmwareSignatures.verify(keys.getPublic(), other, sig)).isFalse();
        sig[sig.length / 2] ^= 1;
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, sig)).isFalse();
    }

    @Test
    void rsaSignaturesWeMakeArePssWithA32ByteSalt() throws Exception {
        KeyPair keys = TestPki.rsaKeyPair(3072);
        byte[] digest = digestOf("ours");
        assertThat(FirmwareSignatures.algorithmFor(keys.getPublic())).isEqualTo(FirmwareSignatureAlgorithm.RSA_PSS_SHA256);
        byte[] sig = FirmwareSignatures.sign(keys.getPrivate(), FirmwareSignatureAlgorithm.RSA_PSS_SHA256, digest);
        assertThat(sig).hasSize(384);
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, sig)).isTrue();

        // A verifier fixed to salt 32 accepts it; one fixed to salt 20 does not.
        RSAPublicKey pub = (RSAPublicKey) keys.getPublic();
        org.bouncycastle.crypto.params.RSAKeyParameters p = new org.bouncycastle.crypto.params.RSAKeyParameters(false,
                pub.getModulus(), pub.getPublicExponent());
        for (int salt : new int[] {32, 20}) {
            PSSSigner v = PSSSigner.createRawSigner(new RSAEngine(), new SHA256Digest(), new SHA256Digest(), salt, PSSSigner.TRAILER_IMPLICIT);
            v.init(false, p);
            v.update(digest, 0, digest.length);
            assertThat(v.verifySignature(sig)).as("salt %d", salt).isEqualTo(salt == 32);
        }
    }

    @Test
    void rsaSignaturesThatAreNotPssAreFalse() throws Exception {
        KeyPair keys = TestPki.rsaKeyPair(2048);
        byte[] digest = digestOf("pkcs1");
        RSAPrivateCrtKey k = (RSAPrivateCrtKey) keys.getPrivate();
        RSADigestSigner pkcs1 = new RSADigestSigner(new SHA256Digest());
        pkcs1.init(true, new RSAPrivateCrtKeyParameters(k.getModulus(), k.getPublicExponent(), k.getPrivateExponent(),
                k.getPrimeP(), k.getPrimeQ(), k.getPrimeExponentP(), k.getPrimeExponentQ(), k.getCrtCoefficient()));
        byte[] image = "pkcs1".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        pkcs1.update(image, 0, image.length);
        byte[] v15 = pkcs1.generateSignature();
        byte[] pss = FirmwareSignatures.sign(keys.getPrivate(), FirmwareSignatureAlgorithm.RSA_PSS_SHA256, digest);
        byte[] modulus = ((RSAPublicKey) keys.getPublic()).getModulus().toByteArray();

        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, v15)).isFalse();
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, Arrays.copyOf(pss, pss.length - 1))).isFalse();
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, Arrays.copyOf(pss, pss.length + 1))).isFalse();
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, Arrays.copyOfRange(modulus, 1, modulus.length))).isFalse();
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, new byte[256])).isFalse();
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, pss)).isTrue();
    }

    @Test
    void rsassaPssKeysSignAndVerify() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSASSA-PSS");
        g.initialize(2048);
        KeyPair keys = g.generateKeyPair();
        byte[] digest = digestOf("rsassa-pss key");
        assertThat(FirmwareSignatures.algorithmFor(keys.getPublic())).isEqualTo(FirmwareSignatureAlgorithm.RSA_PSS_SHA256);
        byte[] sig = FirmwareSignatures.sign(keys.getPrivate(), FirmwareSignatureAlgorithm.RSA_PSS_SHA256, digest);
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, sig)).isTrue();
    }

    // ------------------------------------------------------------------ keys

    @Test
    void keysFirmwareCannotBeSignedWithAreRefused() throws Exception {
        byte[] digest = digestOf("keys");
        KeyPairGenerator ed = KeyPairGenerator.getInstance("Ed25519");
        KeyPair edKeys = ed.generateKeyPair();
        KeyPair rsa1024 = TestPki.rsaKeyPair(1024);
        KeyPairGenerator k1 = KeyPairGenerator.getInstance("EC", new BouncyCastleProvider());
        k1.initialize(new ECGenParameterSpec("secp256k1"));
        KeyPair secp256k1 = k1.generateKeyPair();

        for (KeyPair keys : new KeyPair[] {edKeys, rsa1024, secp256k1}) {
            assertThatThrownBy(() -> FirmwareSignatures.algorithmFor(keys.getPublic()))
                    .isInstanceOfSatisfying(FirmwareSignatureException.class, e -> assertThat(e.reason()).isEqualTo("UNSUPPORTED_KEY"));
            assertThat(FirmwareSignatures.verify(keys.getPublic(), digest, new byte[64])).isFalse();
        }
        // A supported key with the other algorithm.
        KeyPair ec = TestPki.ecKeyPair("secp256r1");
        assertThatThrownBy(() -> FirmwareSignatures.sign(ec.getPrivate(), FirmwareSignatureAlgorithm.RSA_PSS_SHA256, digest))
                .isInstanceOfSatisfying(FirmwareSignatureException.class, e -> assertThat(e.reason()).isEqualTo("UNSUPPORTED_KEY"));
        assertThatThrownBy(() -> FirmwareSignatures.sign(rsa1024.getPrivate(), FirmwareSignatureAlgorithm.RSA_PSS_SHA256, digest))
                .isInstanceOfSatisfying(FirmwareSignatureException.class, e -> assertThat(e.reason()).isEqualTo("UNSUPPORTED_KEY"));
        // A digest that is not 32 bytes is a programming error.
        assertThatThrownBy(() -> FirmwareSignatures.verify(ec.getPublic(), new byte[48], new byte[64])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FirmwareSignatures.sign(ec.getPrivate(), FirmwareSignatureAlgorithm.ECDSA_SHA256, new byte[20]))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeIsPlainBase64WithoutLineBreaks() {
        byte[] sig = new byte[300];
        RANDOM.nextBytes(sig);
        assertThat(FirmwareSignatures.encode(sig)).isEqualTo(Base64.getEncoder().encodeToString(sig)).doesNotContain("\n");
    }
}
