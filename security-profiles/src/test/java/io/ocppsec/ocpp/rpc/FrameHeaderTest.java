package io.ocppsec.ocpp.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.OcppVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The fast path: type, id and action without parsing the payload. */
class FrameHeaderTest {
    private final FrameReader reader = new FrameReader(OcppVersion.OCPP_2_0_1);

    private FrameHeader peek(String s) {
        return reader.peek(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void readsCallHeaderWithoutTouchingThePayload() {
        // The payload is broken on purpose: the fast path never reads it.
        FrameHeader h = peek("[2,\"42\",\"Heartbeat\",{\"broken\": ");
        assertThat(h).isEqualTo(new FrameHeader(2, "42", "Heartbeat"));
        assertThat(h.isComplete()).isTrue();
        assertThat(h.type()).contains(MessageType.CALL);
    }

    @Test
    void readsResultAndErrorHeaders() {
        assertThat(peek("[3,\"r\",{}]")).isEqualTo(new FrameHeader(3, "r", null));
        assertThat(peek("[4,\"e\",\"GenericError\",\"\",{}]")).isEqualTo(new FrameHeader(4, "e", null));
        assertThat(peek("[3,\"r\",{}]").isComplete()).isTrue();
    }

    @Test
    void decodesEscapesInIdAndAction() {
        assertThat(peek("[ 2 , \"\\u0031\\u0032\" , \"Sign\\u0043ertificate\" , {} ]"))
                .isEqualTo(new FrameHeader(2, "12", "SignCertificate"));
    }

    @Test
    void reportsWhatCouldBeReadOfABrokenHeader() {
        assertThat(peek("garbage")).isEqualTo(FrameHeader.UNREADABLE);
        assertThat(peek("[\"2\"]")).isEqualTo(FrameHeader.UNREADABLE);
        assertThat(peek("[2]").typeNumber()).isEqualTo(2);
        assertThat(peek("[2,5,\"A\",{}]").hasMessageId()).isFalse();
        assertThat(peek("[2,\"" + "x".repeat(37) + "\",\"A\",{}]").hasMessageId()).isFalse();
        assertThat(peek("[2,\"id\",{}]").isComplete()).isFalse();
        assertThat(peek("[7,\"id\",\"A\",{}]").type()).isEmpty();
    }

    @Test
    void offsetAndLengthAreHonouredAndBadRangesAreUnreadable() {
        byte[] buf = "xx[2,\"1\",\"Heartbeat\",{}]yy".getBytes(StandardCharsets.UTF_8);
        assertThat(reader.peek(buf, 2, buf.length - 4)).isEqualTo(new FrameHeader(2, "1", "Heartbeat"));
        assertThat(reader.peek(buf, -1, 3)).isEqualTo(FrameHeader.UNREADABLE);
        assertThat(reader.peek(buf, 5, 1000)).isEqualTo(FrameHeader.UNREADABLE);
        assertThat(reader.peek((byte[]) null)).isEqualTo(FrameHeader.UNREADABLE);
    }
}
