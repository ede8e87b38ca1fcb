package io.ocppsec.iso15118.exi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential test against EXIficient 1.0.7 (grammars from the ISO 15118-2 XSDs in the shared folder,
 * ISO 15118-2 settings): random messages of all four body types, with and without Header Signature and
 * Notification, are encoded by both and compared byte for byte; EXIficient's bytes are decoded by our codec
 * back to the same record. Signed fragments and SignedInfo likewise.
 */
class ExificientDifferentialTest {
    private static final int MESSAGES = 10_000;
    private static Exificient exificient;

    @BeforeAll
    static void grammars() throws Exception {
        exificient = new Exificient(Vectors.iso("xsd"));
    }

    @Test
    void randomMessagesEncodeLikeExificientAndDecodeBack() throws Exception {
        RandomMessages random = new RandomMessages(0x15118L);
        int[] perType = new int[4];
        int signed = 0;
        for (int i = 0; i < MESSAGES; i++) {
            V2gMessage m = random.message();
            byte[] ours = Iso15118_2Codec.encode(m);
            byte[] theirs = exificient.encode(m);
            if (!java.util.Arrays.equals(ours, theirs)) {
                assertThat(HexFormat.of().formatHex(ours)).as("message %d: %s", i, m)
                        .isEqualTo(HexFormat.of().formatHex(theirs));
            }
            assertThat(Iso15118_2Codec.decode(theirs)).as("message %d", i).isEqualTo(m);
            Body b = m.body();
            perType[b instanceof CertificateInstallationReq ? 0 : b instanceof CertificateUpdateReq ? 1
                    : b instanceof CertificateInstallationRes ? 2 : 3]++;
            if (m.header().signature() != null) {
                signed++;
            }
        }
        assertThat(java.util.Arrays.stream(perType).min().orElse(0)).isGreaterThan(MESSAGES / 8);
        assertThat(signed).isGreaterThan(MESSAGES / 4);
    }

    @Test
    void signedFragmentsAndSignedInfoEncodeLikeExificient() throws Exception {
        RandomMessages random = new RandomMessages(0x2013L);
        for (int i = 0; i < 2_000; i++) {
            Body body = random.body();
            Map<String, byte[]> ours = Iso15118_2Codec.signedFragments(body);
            if (body instanceof CertificateInstallationReq r) {
                same(ours.get(r.id()), exificient.fragment(s -> Exificient.installationReq(s, r)), body);
            } else if (body instanceof CertificateUpdateReq r) {
                same(ours.get(r.id()), exificient.fragment(s -> Exificient.updateReq(s, r)), body);
            } else if (body instanceof CertificateInstallationRes r) {
                responseFragments(ours, r.contractChain(), r.encryptedPrivateKey(), r.dhPublicKey(), r.emaid(), body);
            } else if (body instanceof CertificateUpdateRes r) {
                responseFragments(ours, r.contractChain(), r.encryptedPrivateKey(), r.dhPublicKey(), r.emaid(), body);
            }
            var si = random.signature().signedInfo();
            same(Iso15118_2Codec.encodeSignedInfo(si), exificient.signedInfo(si), si);
        }
    }

    private static void responseFragments(Map<String, byte[]> ours, CertificateChain chain, EncryptedPrivateKey key,
            DhPublicKey dh, Emaid emaid, Object what) throws Exception {
        same(ours.get(chain.id()), exificient.fragment(s -> Exificient.chain(s, "ContractSignatureCertChain", chain)), what);
        same(ours.get(key.id()), exificient.fragment(s -> Exificient.idValue(s, "ContractSignatureEncryptedPrivateKey",
                key.id(), java.util.Base64.getEncoder().encodeToString(key.value()))), what);
        same(ours.get(dh.id()), exificient.fragment(s -> Exificient.idValue(s, "DHpublickey", dh.id(),
                java.util.Base64.getEncoder().encodeToString(dh.value()))), what);
        same(ours.get(emaid.id()), exificient.fragment(s -> Exificient.idValue(s, "eMAID", emaid.id(), emaid.value())),
                what);
    }

    private static void same(byte[] ours, byte[] theirs, Object what) {
        assertThat(ours).as("%s", what).isNotNull();
        if (!java.util.Arrays.equals(ours, theirs)) {
            assertThat(HexFormat.of().formatHex(ours)).as("%s", what).isEqualTo(HexFormat.of().formatHex(theirs));
        }
    }
}
