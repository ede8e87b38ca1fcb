package io.ocppsec.terminator.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

/** The ClientHello reading behind the ECDSA/RSA certificate choice (the openssl tests check it end to end). */
class CertificateSelectorTest {

    /** A ClientHello body: version, random, empty session id, suites, null compression, extensions. */
    static ByteBuf hello(int[] suites, int[] versions, int[] sigalgs) {
        ByteBuf b = Unpooled.buffer();
        b.writeShort(0x0303).writeZero(32).writeByte(0);
        b.writeShort(suites.length * 2);
        for (int s : suites) {
            b.writeShort(s);
        }
        b.writeByte(1).writeByte(0);
        ByteBuf ext = Unpooled.buffer();
        if (versions != null) {
            ext.writeShort(43).writeShort(1 + versions.length * 2).writeByte(versions.length * 2);
            for (int v : versions) {
                ext.writeShort(v);
            }
        }
        if (sigalgs != null) {
            ext.writeShort(13).writeShort(2 + sigalgs.length * 2).writeShort(sigalgs.length * 2);
            for (int s : sigalgs) {
                ext.writeShort(s);
            }
        }
        b.writeShort(ext.readableBytes()).writeBytes(ext);
        return b;
    }

    @Test
    void tls12RsaOnlySuitesGetRsa() {
        assertThat(CertificateSelector.wantsRsa(hello(new int[] {0x009C, 0x009D}, null, new int[] {0x0401}))).isTrue();
    }

    @Test
    void tls12EcdsaSuitesGetEcdsa() {
        assertThat(CertificateSelector.wantsRsa(hello(new int[] {0xC02B, 0x009C}, null, new int[] {0x0403, 0x0401}))).isFalse();
    }

    @Test
    void tls13PicksBySignatureSchemes() {
        assertThat(CertificateSelector.wantsRsa(hello(new int[] {0x1301}, new int[] {0x0304}, new int[] {0x0804}))).isTrue();
        assertThat(CertificateSelector.wantsRsa(hello(new int[] {0x1301}, new int[] {0x0304}, new int[] {0x0403, 0x0804}))).isFalse();
    }

    @Test
    void garbageFallsBackToEcdsa() {
        assertThat(CertificateSelector.wantsRsa(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}))).isFalse();
        // cut inside the suite list (the handler passes a slice exactly as long as the ClientHello)
        ByteBuf truncated = hello(new int[] {0x009C}, null, null).slice(0, 36);
        assertThat(CertificateSelector.wantsRsa(truncated)).isFalse();
    }
}
