package io.ocppsec.iso15118.exi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Byte-exact against the RISE-V2G CertificateInstallationRes (EXI produced by EXIficient with the ISO 15118-2
 * settings, shared/iso15118/vectors/derived-from-rise-v2g).
 */
class RiseVectorTest {
    private static final String DIR = "vectors/derived-from-rise-v2g/";

    @Test
    void decodesAndReEncodesTheWholeMessageByteForByte() throws Exception {
        byte[] exi = Vectors.hex(DIR + "CertificateInstallationRes_V2G_Message.exi.hex");
        V2gMessage m = Iso15118_2Codec.decode(exi);
        assertThat(m.body()).isInstanceOf(CertificateInstallationRes.class);
        CertificateInstallationRes res = (CertificateInstallationRes) m.body();
        assertThat(res.emaid().value()).isEqualTo("DEABCC123ABC56");
        assertThat(res.emaid().id()).isEqualTo("id4");
        assertThat(res.dhPublicKey().value()).hasSize(65);
        assertThat(res.encryptedPrivateKey().value()).hasSize(48);
        assertThat(m.header().signature()).isNotNull();
        assertThat(m.header().signature().signedInfo().references()).hasSize(4);
        assertThat(Iso15118_2Codec.encode(m)).isEqualTo(exi);
    }

    @Test
    void reproducesTheFourSignedFragmentsAndSignedInfo() throws Exception {
        V2gMessage m = Iso15118_2Codec.decode(Vectors.hex(DIR + "CertificateInstallationRes_V2G_Message.exi.hex"));
        Map<String, byte[]> fragments = Iso15118_2Codec.signedFragments(m.body());
        assertThat(fragments).containsOnlyKeys("id1", "id2", "id3", "id4");
        for (int i = 1; i <= 4; i++) {
            assertThat(fragments.get("id" + i)).as("fragment id" + i)
                    .isEqualTo(Vectors.hex(DIR + "fragment_id" + i + ".exi.hex"));
        }
        assertThat(Iso15118_2Codec.encodeSignedInfo(m.header().signature().signedInfo()))
                .isEqualTo(Vectors.hex(DIR + "SignedInfo.exi.hex"));
    }
}
