package io.ocppsec.ocpp.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.schema.Violation;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.JsonNodeFactory;

class FrameWriterTest {
    private final FrameWriter w201 = new FrameWriter(OcppVersion.OCPP_2_0_1);
    private final FrameWriter w21 = new FrameWriter(OcppVersion.OCPP_2_1);
    private final FrameReader r201 = new FrameReader(OcppVersion.OCPP_2_0_1);

    @Test
    void writesEachFrameTypeAsOcppJArrays() {
        var payload = JsonNodeFactory.instance.objectNode().put("status", "Accepted");
        assertThat(w201.writeString(new RpcFrame.Call("1", "Heartbeat", null))).isEqualTo("[2,\"1\",\"Heartbeat\",{}]");
        assertThat(w201.writeString(new RpcFrame.CallResult("1", payload))).isEqualTo("[3,\"1\",{\"status\":\"Accepted\"}]");
        assertThat(w201.writeString(RpcFrame.CallError.of("-1", RpcErrorCode.RpcFrameworkError, "bad")))
                .isEqualTo("[4,\"-1\",\"RpcFrameworkError\",\"bad\",{}]");
        assertThat(w21.writeString(RpcFrame.CallResultError.of("9", RpcErrorCode.FormatViolation, "x")))
                .isEqualTo("[5,\"9\",\"FormatViolation\",\"x\",{}]");
    }

    @Test
    void ocppj_4_2_3_errorDescriptionIsCutTo255Characters() {
        String written = w201.writeString(RpcFrame.CallError.of("1", RpcErrorCode.GenericError, "é".repeat(300)));
        RpcFrame.CallError back = (RpcFrame.CallError) ((ReadResult.Accepted) r201.read(written)).frame();
        assertThat(back.errorDescription()).hasSize(255);
    }

    @Test
    void refusesFramesTheReceiverWouldReject() {
        assertThatThrownBy(() -> w201.write(new RpcFrame.Call("", "Heartbeat", null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w201.write(new RpcFrame.Call("x".repeat(37), "Heartbeat", null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w201.write(new RpcFrame.Call("1", "", null))).isInstanceOf(IllegalArgumentException.class);
        // SEND and CALLRESULTERROR do not exist in 2.0.1.
        assertThatThrownBy(() -> w201.write(new RpcFrame.Send("1", "NotifyPeriodicEventStream", null))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> w201.write(RpcFrame.CallResultError.of("1", RpcErrorCode.GenericError, ""))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void callErrorForAViolationCarriesCodeDescriptionAndPointer() {
        RpcFrame.CallError e = FrameWriter.callErrorFor("7",
                new Violation(RpcErrorCode.PropertyConstraintViolation, "/csr", "longer than 5500 characters"));
        assertThat(w201.writeString(e)).isEqualTo(
                "[4,\"7\",\"PropertyConstraintViolation\",\"/csr: longer than 5500 characters\",{\"pointer\":\"/csr\"}]");
    }

    @Test
    void everyReplyTheReaderProducesCanBeWritten() {
        for (String in : new String[] {"x", "[2,\"a\",\"B\",[]]", "[6,\"s\",\"N\",{}]", "[2,\"a\"]"}) {
            ReadResult r = r201.read(in);
            assertThat(r).isInstanceOf(ReadResult.Rejected.class);
            ((ReadResult.Rejected) r).reply().ifPresent(reply ->
                    assertThat(r201.read(w201.write(reply))).isInstanceOf(ReadResult.Accepted.class));
        }
    }
}
