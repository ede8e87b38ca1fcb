package io.ocppsec.ocpp.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The OCPP-J frame reader (Part 4 §4). Test names cite the section of OCPP-J 2.0.1/2.1 Part 4 they
 * prove.
 */
class FrameReaderTest {
    private final FrameReader v201 = new FrameReader(OcppVersion.OCPP_2_0_1);
    private final FrameReader v21 = new FrameReader(OcppVersion.OCPP_2_1);

    private static ReadResult.Accepted accepted(ReadResult r) {
        assertThat(r).isInstanceOf(ReadResult.Accepted.class);
        return (ReadResult.Accepted) r;
    }

    private static ReadResult.Rejected rejected(ReadResult r) {
        assertThat(r).isInstanceOf(ReadResult.Rejected.class);
        return (ReadResult.Rejected) r;
    }

    private static RpcFrame.CallError callErrorReply(ReadResult r) {
        ReadResult.Rejected rej = rejected(r);
        assertThat(rej.reply()).isPresent();
        assertThat(rej.reply().get()).isInstanceOf(RpcFrame.CallError.class);
        return (RpcFrame.CallError) rej.reply().get();
    }

    @Test
    void ocppj_4_2_1_callIsReadWithIdActionAndPayload() {
        RpcFrame.Call call = (RpcFrame.Call) accepted(v201.read(
                "[2,\"19223201\",\"BootNotification\",{\"reason\":\"PowerUp\"}]")).frame();
        assertThat(call.messageId()).isEqualTo("19223201");
        assertThat(call.action()).isEqualTo("BootNotification");
        assertThat(call.payload().get("reason").stringValue()).isEqualTo("PowerUp");
    }

    @Test
    void ocppj_4_2_2_callResultIsRead() {
        RpcFrame.CallResult r = (RpcFrame.CallResult) accepted(v201.read("[3,\"19223201\",{\"status\":\"Accepted\"}]")).frame();
        assertThat(r.messageId()).isEqualTo("19223201");
        assertThat(r.payload().get("status").stringValue()).isEqualTo("Accepted");
    }

    @Test
    void ocppj_4_2_3_callErrorIsReadAndKeepsAnUnknownErrorCodeAsSent() {
        RpcFrame.CallError e = (RpcFrame.CallError) accepted(v201.read(
                "[4,\"162376037\",\"FormationViolation\",\"1.6-style code\",{}]")).frame();
        assertThat(e.errorCode()).isEqualTo("FormationViolation");
        assertThat(RpcErrorCode.fromWire(e.errorCode())).isEmpty();
    }

    @Test
    void ocppj_4_1_5_nullPayloadIsReadAsEmptyObject() {
        RpcFrame.Call call = (RpcFrame.Call) accepted(v201.read("[2,\"1\",\"Heartbeat\",null]")).frame();
        assertThat(call.payload().isEmpty()).isTrue();
    }

    @Test
    void ocppj_4_1_3_callResultErrorAndSendAreReadIn21() {
        assertThat(accepted(v21.read("[5,\"abc\",\"FormatViolation\",\"bad result\",{}]")).frame())
                .isInstanceOf(RpcFrame.CallResultError.class);
        RpcFrame.Send send = (RpcFrame.Send) accepted(v21.read(
                "[6,\"s1\",\"NotifyPeriodicEventStream\",{\"id\":1,\"pending\":0,\"data\":[]}]")).frame();
        assertThat(send.action()).isEqualTo("NotifyPeriodicEventStream");
    }

    @Test
    void ocppj201_4_4_unknownMessageTypeIsAnsweredWithMessageTypeNotSupported() {
        // OCPP 2.0.1 knows only 2, 3 and 4: a SEND (6) gets MessageTypeNotSupported, with its id.
        RpcFrame.CallError e = callErrorReply(v201.read("[6,\"s1\",\"NotifyPeriodicEventStream\",{}]"));
        assertThat(e.messageId()).isEqualTo("s1");
        assertThat(e.errorCode()).isEqualTo("MessageTypeNotSupported");
        assertThat(callErrorReply(v201.read("[9,\"x\"]")).errorCode()).isEqualTo("MessageTypeNotSupported");
    }

    @Test
    void ocppj21_4_1_3_unknownMessageTypeIsIgnoredIn21() {
        ReadResult.Rejected r = rejected(v21.read("[7,\"x\",\"Future\",{}]"));
        assertThat(r.reply()).isEmpty();
        assertThat(r.code()).isEqualTo(RpcErrorCode.MessageTypeNotSupported);
    }

    @Test
    void ocppj_4_2_3_unreadableFrameIsAnsweredWithMessageIdMinusOne() {
        for (String garbage : new String[] {"", "not json", "{}", "[]", "\"text\"", "[\"2\",\"a\",\"B\",{}]",
                "[2.5,\"a\",\"B\",{}]", "[2]", "[2,17,\"B\",{}]", "[2,\"\",\"B\",{}]",
                "[2,\"0123456789012345678901234567890123456\",\"B\",{}]", "[99999999999,\"a\"]"}) {
            RpcFrame.CallError e = callErrorReply(v201.read(garbage));
            assertThat(e.messageId()).as(garbage).isEqualTo("-1");
            assertThat(e.errorCode()).as(garbage).isIn("RpcFrameworkError", "MessageTypeNotSupported");
        }
    }

    @Test
    void ocppj_4_1_4_messageIdOf36CharactersIsAccepted() {
        String id = "01234567-89ab-cdef-0123-456789abcdef";
        assertThat(id).hasSize(36);
        assertThat(accepted(v201.read("[2,\"" + id + "\",\"Heartbeat\",{}]")).frame().messageId()).isEqualTo(id);
    }

    @Test
    void ocppj_4_2_1_callWithWrongElementCountIsRpcFrameworkErrorWithItsId() {
        RpcFrame.CallError e = callErrorReply(v201.read("[2,\"m1\",\"Heartbeat\"]"));
        assertThat(e.messageId()).isEqualTo("m1");
        assertThat(e.errorCode()).isEqualTo("RpcFrameworkError");
        assertThat(callErrorReply(v201.read("[2,\"m1\",\"Heartbeat\",{},{}]")).errorCode()).isEqualTo("RpcFrameworkError");
        assertThat(callErrorReply(v201.read("[2,\"m1\",42,{}]")).errorCode()).isEqualTo("RpcFrameworkError");
        assertThat(callErrorReply(v201.read("[2,\"m1\",\"\",{}]")).errorCode()).isEqualTo("RpcFrameworkError");
    }

    @Test
    void ocppj_4_3_callWhosePayloadIsNotAnObjectIsFormatViolation() {
        RpcFrame.CallError e = callErrorReply(v201.read("[2,\"m2\",\"Heartbeat\",[1,2]]"));
        assertThat(e.messageId()).isEqualTo("m2");
        assertThat(e.errorCode()).isEqualTo("FormatViolation");
    }

    @Test
    void ocppj_4_2_3_invalidJsonAfterAReadableHeaderIsFormatViolationWithTheId() {
        RpcFrame.CallError e = callErrorReply(v201.read("[2,\"abc\",\"SignCertificate\",{\"csr\":}]"));
        assertThat(e.messageId()).isEqualTo("abc");
        assertThat(e.errorCode()).isEqualTo("FormatViolation");
        // §4.2.3: the CALLERROR must not carry the invalid JSON itself.
        assertThat(e.errorDescription()).doesNotContain("csr").startsWith("not valid JSON");
    }

    @Test
    void truncatedCallWithReadableIdIsRpcFrameworkErrorWithThatId() {
        RpcFrame.CallError e = callErrorReply(v201.read("[2,\"abc\""));
        assertThat(e.messageId()).isEqualTo("abc");
        assertThat(e.errorCode()).isEqualTo("RpcFrameworkError");
    }

    @Test
    void trailingContentAfterTheFrameIsRefused() {
        RpcFrame.CallError e = callErrorReply(v201.read("[2,\"t1\",\"Heartbeat\",{}] [2]"));
        assertThat(e.messageId()).isEqualTo("t1");
        assertThat(e.errorCode()).isEqualTo("FormatViolation");
    }

    @Test
    void duplicatePropertyNamesAreRefusedSoNoTwoParsersDisagree() {
        RpcFrame.CallError e = callErrorReply(v201.read(
                "[2,\"d1\",\"SignCertificate\",{\"csr\":\"a\",\"csr\":\"b\"}]"));
        assertThat(e.messageId()).isEqualTo("d1");
        assertThat(e.errorCode()).isEqualTo("FormatViolation");
        assertThat(e.errorDescription()).contains("duplicate");
    }

    @Test
    void excessiveNestingIsRefusedWithTheCallsId() {
        String deep = "[".repeat(40) + "]".repeat(40);
        RpcFrame.CallError e = callErrorReply(v201.read("[2,\"n1\",\"DataTransfer\",{\"data\":" + deep + "}]"));
        assertThat(e.messageId()).isEqualTo("n1");
        assertThat(e.errorCode()).isEqualTo("FormatViolation");
        assertThat(e.errorDescription()).contains("nests deeper");
    }

    @Test
    void oversizedFrameIsRefusedBeforeParsing() {
        FrameReader small = new FrameReader(OcppVersion.OCPP_2_0_1,
                OcppJson.withLimits(RpcLimits.DEFAULT.withMaxFrameBytes(1024)));
        String big = "[2,\"big1\",\"DataTransfer\",{\"data\":\"" + "x".repeat(5000) + "\"}]";
        RpcFrame.CallError e = callErrorReply(small.read(big.getBytes(StandardCharsets.UTF_8)));
        assertThat(e.messageId()).isEqualTo("big1");
        assertThat(e.errorCode()).isEqualTo("FormatViolation");
        assertThat(e.errorDescription()).contains("exceeds the limit of 1024");
        // A frame that is too large and not even an array is refused all the same.
        assertThat(callErrorReply(small.read("x".repeat(4096))).messageId()).isEqualTo("-1");
    }

    @Test
    void numberOutOfRangeForExactDecimalsIsRefusedNotThrown() {
        // Found by the fuzzer: Jackson reports this with NumberFormatException, not JacksonException.
        assertThat(callErrorReply(v201.read("[6e44444444444444444,\"x\"]")).messageId()).isEqualTo("-1");
        RpcFrame.CallError e = callErrorReply(v201.read("[2,\"big\",\"DataTransfer\",{\"x\":6e44444444444444444}]"));
        assertThat(e.messageId()).isEqualTo("big");
        assertThat(e.errorCode()).isEqualTo("FormatViolation");
    }

    @Test
    void longNumberLiteralsAreRefused() {
        String n = "1".repeat(200);
        RpcFrame.CallError e = callErrorReply(v201.read("[2,\"num\",\"DataTransfer\",{\"x\":" + n + "}]"));
        assertThat(e.errorCode()).isEqualTo("FormatViolation");
    }

    @Test
    void brokenCallResultIsDroppedIn201AndAnsweredWithCallResultErrorIn21() {
        String bad = "[3,\"r1\",\"not an object\"]";
        ReadResult.Rejected r201 = rejected(v201.read(bad));
        assertThat(r201.reply()).isEmpty();
        ReadResult.Rejected r21 = rejected(v21.read(bad));
        assertThat(r21.reply()).get().isInstanceOf(RpcFrame.CallResultError.class);
        assertThat(r21.reply().get().messageId()).isEqualTo("r1");
    }

    @Test
    void brokenCallErrorAndSendAreNeverAnswered() {
        assertThat(rejected(v201.read("[4,\"e1\",\"GenericError\"]")).reply()).isEmpty();
        assertThat(rejected(v201.read("[4,\"e1\",7,\"x\",{}]")).reply()).isEmpty();
        assertThat(rejected(v21.read("[6,\"s1\",\"NotifyPeriodicEventStream\"]")).reply()).isEmpty();
        assertThat(rejected(v21.read("[6,\"s1\",\"NotifyPeriodicEventStream\",{\"a\":}]")).reply()).isEmpty();
        assertThat(rejected(v21.read("[5,\"s1\",\"x\",\"y\",[]]")).reply()).isEmpty();
    }

    @Test
    void nullAndEmptyInputGiveAResultNotAnException() {
        assertThat(rejected(v201.read((byte[]) null)).code()).isEqualTo(RpcErrorCode.RpcFrameworkError);
        assertThat(rejected(v201.read((String) null)).code()).isEqualTo(RpcErrorCode.RpcFrameworkError);
        assertThat(rejected(v201.read(new byte[0])).reply()).isPresent();
    }

    @Test
    void invalidUtf8IsRefused() {
        byte[] frame = {'[', '2', ',', '"', 'a', '"', ',', '"', (byte) 0xC3, (byte) 0x28, '"', ',', '{', '}', ']'};
        RpcFrame.CallError e = callErrorReply(v201.read(frame));
        assertThat(e.errorCode()).isIn("FormatViolation", "RpcFrameworkError");
    }
}
