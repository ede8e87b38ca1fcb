package io.ocppsec.iso15118.exi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.iso15118.exi.ExiException.Reason;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Bad input gives a typed {@link ExiException}, never an unchecked crash. */
class NegativeDecodeTest {
    private static final String RES = "vectors/derived-from-rise-v2g/CertificateInstallationRes_V2G_Message.exi.hex";
    private static Exificient exificient;

    @BeforeAll
    static void grammars() throws Exception {
        exificient = new Exificient(Vectors.iso("xsd"));
    }

    private static Reason reasonOf(byte[] exi) {
        try {
            Iso15118_2Codec.decode(exi);
            return null;
        } catch (ExiException e) {
            assertThat(e.getMessage()).isNotBlank();
            return e.reason();
        }
    }

    @Test
    void everyTruncationOfTheRiseStreamIsTruncated() throws Exception {
        byte[] exi = Vectors.hex(RES);
        for (int len = 0; len < exi.length; len++) {
            assertThat(reasonOf(Arrays.copyOf(exi, len))).as("prefix of %d bytes", len).isEqualTo(Reason.TRUNCATED);
        }
    }

    @Test
    void trailingGarbageIsRefused() throws Exception {
        byte[] exi = Vectors.hex(RES);
        byte[] longer = Arrays.copyOf(exi, exi.length + 1);
        assertThat(reasonOf(longer)).isEqualTo(Reason.TRAILING_DATA);
    }

    @Test
    void nonZeroPaddingIsRefused() throws Exception {
        V2gMessage m = new RandomMessages(7).message();
        // find a message whose last byte has padding bits, then set one
        for (long seed = 1; ; seed++) {
            m = new RandomMessages(seed).message();
            byte[] exi = Iso15118_2Codec.encode(m);
            byte[] flipped = exi.clone();
            flipped[flipped.length - 1] |= 1;
            if (flipped[flipped.length - 1] != exi[exi.length - 1] && reasonOf(flipped) == Reason.TRAILING_DATA) {
                return;
            }
            assertThat(seed).as("no stream with padding found").isLessThan(50);
        }
    }

    @Test
    void oversizedStreamIsRefusedBeforeDecoding() {
        byte[] big = new byte[Iso15118_2Codec.MAX_STREAM_BYTES + 1];
        big[0] = (byte) 0x80;
        assertThat(reasonOf(big)).isEqualTo(Reason.LIMIT_EXCEEDED);
        assertThat(reasonOf(new byte[0])).isEqualTo(Reason.TRUNCATED);
    }

    @Test
    void cookieOrOptionsInTheHeaderAreUnsupported() {
        assertThat(reasonOf(new byte[] {'$', 'E', 'X', 'I', (byte) 0x80})).isEqualTo(Reason.UNSUPPORTED);
        assertThat(reasonOf(new byte[] {(byte) 0xA0, 0})).isEqualTo(Reason.UNSUPPORTED); // options present
    }

    @Test
    void otherBodyElementsAreRefusedByName() throws Exception {
        byte[] sessionSetup = exificient.document(s -> s.start(Exificient.DEF, "V2G_Message")
                .start(Exificient.DEF, "Header").simple(Exificient.HDR, "SessionID", "0102030405060708")
                .end(Exificient.DEF, "Header").start(Exificient.DEF, "Body")
                .start(Exificient.BODY, "SessionSetupReq").simple(Exificient.BODY, "EVCCID", "A1B2C3D4E5F6")
                .end(Exificient.BODY, "SessionSetupReq").end(Exificient.DEF, "Body").end(Exificient.DEF, "V2G_Message"));
        assertThatThrownBy(() -> Iso15118_2Codec.decode(sessionSetup)).isInstanceOf(ExiException.class)
                .hasMessage("unsupported body element SessionSetupReq")
                .extracting(e -> ((ExiException) e).reason()).isEqualTo(Reason.UNSUPPORTED);
        byte[] empty = exificient.document(s -> s.start(Exificient.DEF, "V2G_Message")
                .start(Exificient.DEF, "Header").simple(Exificient.HDR, "SessionID", "01")
                .end(Exificient.DEF, "Header").start(Exificient.DEF, "Body").end(Exificient.DEF, "Body")
                .end(Exificient.DEF, "V2G_Message"));
        assertThatThrownBy(() -> Iso15118_2Codec.decode(empty)).hasMessage("empty Body");
    }

    @Test
    void keyInfoInTheHeaderSignatureIsRefusedV2G2_771() throws Exception {
        V2gMessage m = new RandomMessages(3).message();
        byte[] withKeyInfo = exificient.document(s -> {
            s.start(Exificient.DEF, "V2G_Message").start(Exificient.DEF, "Header")
                    .simple(Exificient.HDR, "SessionID", "01").start(Exificient.DS, "Signature");
            Exificient.signedInfo(s, new RandomMessages(4).signature().signedInfo());
            s.simple(Exificient.DS, "SignatureValue", "AAAA").start(Exificient.DS, "KeyInfo")
                    .simple(Exificient.DS, "KeyName", "k").end(Exificient.DS, "KeyInfo").end(Exificient.DS, "Signature")
                    .end(Exificient.DEF, "Header").start(Exificient.DEF, "Body");
            Exificient.body(s, m.body());
            s.end(Exificient.DEF, "Body").end(Exificient.DEF, "V2G_Message");
        });
        assertThatThrownBy(() -> Iso15118_2Codec.decode(withKeyInfo)).isInstanceOf(ExiException.class)
                .hasMessage("forbidden element (V2G2-771) KeyInfo");
    }

    @Test
    void valuesBeyondTheFacetsAreRefusedOnDecodeAndEncode() throws Exception {
        byte[] cert801 = new byte[801];
        V2gMessage m = new V2gMessage(new Header(new byte[8], null, null), new CertificateInstallationReq("id1",
                cert801, List.of(new RootCertificateId("CN=root", java.math.BigInteger.ONE))));
        assertThatThrownBy(() -> Iso15118_2Codec.encode(m)).isInstanceOf(ExiException.class)
                .extracting(e -> ((ExiException) e).reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
        byte[] theirs = exificient.encode(m); // EXIficient does not check the maxLength facet
        assertThat(reasonOf(theirs)).isEqualTo(Reason.LIMIT_EXCEEDED);

        V2gMessage longSession = new V2gMessage(new Header(new byte[9], null, null), m.body());
        assertThat(reasonOf(exificient.encode(longSession))).isEqualTo(Reason.LIMIT_EXCEEDED);

        CertificateUpdateReq badEmaid = new CertificateUpdateReq("id1",
                new CertificateChain(null, new byte[10], List.of()), "TOO-SHORT", List.of(new RootCertificateId("x",
                java.math.BigInteger.TEN)));
        assertThatThrownBy(() -> Iso15118_2Codec.encode(new V2gMessage(new Header(new byte[1], null, null), badEmaid)))
                .isInstanceOf(ExiException.class);
        assertThat(reasonOf(exificient.encode(new V2gMessage(new Header(new byte[1], null, null), badEmaid))))
                .isEqualTo(Reason.INVALID);
    }

    @Test
    void tooManyRootIdsAreRefused() throws Exception {
        List<RootCertificateId> roots = java.util.Collections.nCopies(21,
                new RootCertificateId("CN=r", java.math.BigInteger.TWO));
        V2gMessage m = new V2gMessage(new Header(new byte[1], null, null),
                new CertificateInstallationReq("id1", new byte[3], roots));
        assertThatThrownBy(() -> Iso15118_2Codec.encode(m)).isInstanceOf(ExiException.class)
                .extracting(e -> ((ExiException) e).reason()).isEqualTo(Reason.LIMIT_EXCEEDED);
        // EXIficient encodes the 21st as a schema deviation; we refuse deviations
        assertThat(reasonOf(exificient.encode(m))).isEqualTo(Reason.UNSUPPORTED);
    }

    @Test
    void randomCorruptionNeverEscapesAsAnUncheckedException() throws Exception {
        java.util.Random rnd = new java.util.Random(42);
        byte[] exi = Vectors.hex(RES);
        for (int i = 0; i < 3_000; i++) {
            byte[] bad = exi.clone();
            int flips = 1 + rnd.nextInt(4);
            for (int f = 0; f < flips; f++) {
                bad[rnd.nextInt(bad.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            try {
                Iso15118_2Codec.decode(bad); // may decode to something else: fine
            } catch (ExiException expected) {
                assertThat(expected.reason()).isNotNull();
            }
        }
    }
}
