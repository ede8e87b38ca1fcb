package io.ocppsec.iso15118.xmldsig;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.iso15118.exi.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Emaid;
import io.ocppsec.iso15118.exi.Header;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.V2gMessage;
import io.ocppsec.iso15118.exi.Vectors;
import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECPrivateKeySpec;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** EXI XML signatures (ISO 15118-2 §7.9.2.4, [V2G2-771]) against the RISE-V2G signed CertificateInstallationRes. */
class ExiSignaturesTest {
    private static final String RES = "vectors/derived-from-rise-v2g/CertificateInstallationRes_V2G_Message.exi.hex";

    private static V2gMessage rise() throws Exception {
        return Iso15118_2Codec.decode(Vectors.hex(RES));
    }

    private static PublicKey cpsLeafKey() throws Exception {
        try (InputStream in = Files.newInputStream(Vectors.iso("vectors/rise-v2g-signature-testdata/cpsLeafCert.pem"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getPublicKey();
        }
    }

    private static PublicKey otherKey() throws Exception {
        try (InputStream in = Files.newInputStream(Vectors.iso("vectors/rise-v2g-signature-testdata/cpsSubCA2Cert.pem"))) {
            return ((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in)).getPublicKey();
        }
    }

    @Test
    void riseSignatureVerifiesWithTheCpsLeafKey() throws Exception {
        V2gMessage m = rise();
        SignatureVerification v = ExiSignatures.verify(m.header().signature(),
                Iso15118_2Codec.signedFragments(m.body()), cpsLeafKey());
        assertThat(v).isEqualTo(new SignatureVerification.Valid());
    }

    @Test
    void riseSignatureFailsWithAnotherKey() throws Exception {
        V2gMessage m = rise();
        SignatureVerification v = ExiSignatures.verify(m.header().signature(),
                Iso15118_2Codec.signedFragments(m.body()), otherKey());
        assertThat(v).isInstanceOf(SignatureVerification.Invalid.class);
    }

    @Test
    void tamperedSignedElementIsADigestMismatch() throws Exception {
        V2gMessage m = rise();
        CertificateInstallationRes r = (CertificateInstallationRes) m.body();
        CertificateInstallationRes tampered = new CertificateInstallationRes(r.responseCode(), r.saProvisioningChain(),
                r.contractChain(), r.encryptedPrivateKey(), r.dhPublicKey(), new Emaid("id4", "DEABCC123ABC57"));
        SignatureVerification v = ExiSignatures.verify(m.header().signature(),
                Iso15118_2Codec.signedFragments(tampered), cpsLeafKey());
        assertThat(v).isEqualTo(new SignatureVerification.Invalid("digest mismatch for Id id4"));
    }

    @Test
    void referencesMustCoverExactlyTheExpectedIds() throws Exception {
        V2gMessage m = rise();
        Map<String, byte[]> fragments = new LinkedHashMap<>(Iso15118_2Codec.signedFragments(m.body()));
        Map<String, byte[]> more = new LinkedHashMap<>(fragments);
        more.put("id5", new byte[] {1});
        assertThat(ExiSignatures.verify(m.header().signature(), more, cpsLeafKey()))
                .isEqualTo(new SignatureVerification.Invalid("signature does not cover Id(s) [id5]"));
        fragments.remove("id3");
        assertThat(ExiSignatures.verify(m.header().signature(), fragments, cpsLeafKey()))
                .isEqualTo(new SignatureVerification.Invalid("reference to unexpected Id id3"));
    }

    @Test
    void forbiddenConstructsAreRefusedV2G2_771() throws Exception {
        XmlSignature s = rise().header().signature();
        Map<String, byte[]> f = Iso15118_2Codec.signedFragments(rise().body());
        SignedInfo si = s.signedInfo();
        XmlSignature withId = new XmlSignature(new SignedInfo("si", si.canonicalizationMethod(), si.signatureMethod(),
                si.references()), s.signatureValue());
        assertThat(ExiSignatures.verify(withId, f, cpsLeafKey()).isValid()).isFalse();
        Reference r0 = si.references().get(0);
        Reference typed = new Reference(null, r0.uri(), "urn:x", r0.transforms(), r0.digestMethod(), r0.digestValue());
        XmlSignature withType = new XmlSignature(new SignedInfo(si.signatureMethod(),
                List.of(typed, si.references().get(1), si.references().get(2), si.references().get(3))),
                s.signatureValue());
        assertThat(ExiSignatures.verify(withType, f, cpsLeafKey()))
                .isEqualTo(new SignatureVerification.Invalid("Reference/@Type is not allowed (V2G2-771)"));
        XmlSignature valueId = new XmlSignature(null, si, s.signatureValue(), "sv");
        assertThat(ExiSignatures.verify(valueId, f, cpsLeafKey()).isValid()).isFalse();
    }

    @Test
    void signsWithTheRiseCpsKeyAndTheResultVerifiesAndRoundTripsThroughTheCodec() throws Exception {
        // the RISE test data publishes the CPS signing scalar in its README
        BigInteger d = new BigInteger("169FE1CBCE6CED08391F3235FD530DB84430F165E474117C0AC587D6554F581C", 16);
        ECPrivateKey template = (ECPrivateKey) ecKeyPair("secp256r1").getPrivate();
        PrivateKey cps = KeyFactory.getInstance("EC").generatePrivate(new ECPrivateKeySpec(d, template.getParams()));
        V2gMessage m = rise();
        Map<String, byte[]> fragments = Iso15118_2Codec.signedFragments(m.body());
        XmlSignature sig = ExiSignatures.sign(fragments, ExiSigner.ecdsaP256(cps));
        assertThat(sig.signatureValue()).hasSize(64);
        assertThat(sig.signedInfo().references()).extracting(Reference::uri)
                .containsExactly("#id1", "#id2", "#id3", "#id4");
        V2gMessage signed = new V2gMessage(new Header(m.header().sessionId(), null, sig), m.body());
        V2gMessage back = Iso15118_2Codec.decode(Iso15118_2Codec.encode(signed));
        assertThat(back).isEqualTo(signed);
        assertThat(ExiSignatures.verify(back.header().signature(), Iso15118_2Codec.signedFragments(back.body()),
                cpsLeafKey()).isValid()).isTrue();
    }

    @Test
    void derCustodySignerIsConvertedToRawRs() throws Exception {
        KeyPair kp = ecKeyPair("secp256r1");
        ExiSigner der = ExiSigner.fromDerEcdsa(ExiSignatureAlgorithm.ECDSA_SHA256,
                ((ECPrivateKey) kp.getPrivate()).getParams().getOrder(), data -> {
                    Signature s = Signature.getInstance("SHA256withECDSA");
                    s.initSign(kp.getPrivate());
                    s.update(data);
                    return s.sign();
                });
        Map<String, byte[]> f = Map.of("id1", new byte[] {(byte) 0x80, 1, 2});
        XmlSignature sig = ExiSignatures.sign(f, der);
        assertThat(sig.signatureValue()).hasSize(64);
        assertThat(ExiSignatures.verify(sig, f, kp.getPublic()).isValid()).isTrue();
        assertThat(ExiSignatures.verify(sig, Map.of("id1", new byte[] {(byte) 0x80, 1, 3}), kp.getPublic()).isValid())
                .isFalse();
    }

    @Test
    void ecdsaSha512AndEd448ForIso15118_20() throws Exception {
        KeyPair p521 = ecKeyPair("secp521r1");
        Map<String, byte[]> f = Map.of("id1", new byte[] {(byte) 0x80, 4});
        XmlSignature s1 = ExiSignatures.sign(f, ExiSigner.ecdsaP521(p521.getPrivate()));
        assertThat(s1.signatureValue()).hasSize(132);
        assertThat(s1.signedInfo().references().get(0).digestValue()).hasSize(64);
        assertThat(ExiSignatures.verify(s1, f, p521.getPublic()).isValid()).isTrue();
        // a P-256 key does not fit ecdsa-sha512
        assertThat(ExiSignatures.verify(s1, f, ecKeyPair("secp256r1").getPublic()).isValid()).isFalse();

        KeyPair ed = KeyPairGenerator.getInstance("Ed448", ExiSigner.BC).generateKeyPair();
        XmlSignature s2 = ExiSignatures.sign(f, ExiSigner.ed448(ed.getPrivate()));
        assertThat(s2.signatureValue()).hasSize(114);
        assertThat(ExiSignatures.verify(s2, f, ed.getPublic()).isValid()).isTrue();
        byte[] bad = s2.signatureValue();
        bad[10] ^= 1;
        assertThat(ExiSignatures.verify(new XmlSignature(s2.signedInfo(), bad), f, ed.getPublic()).isValid()).isFalse();
    }

    @Test
    void derAndRawConversionsAreInverse() throws Exception {
        KeyPair kp = ecKeyPair("secp256r1");
        BigInteger n = ((ECPrivateKey) kp.getPrivate()).getParams().getOrder();
        Signature s = Signature.getInstance("SHA256withECDSA");
        s.initSign(kp.getPrivate());
        s.update(new byte[] {1});
        byte[] der = s.sign();
        byte[] raw = ExiSigner.derToRaw(der, n);
        assertThat(raw).hasSize(64);
        assertThat(ExiSigner.rawToDer(raw, n)).isEqualTo(der);
    }

    private static KeyPair ecKeyPair(String curve) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec(curve));
        return g.generateKeyPair();
    }
}
