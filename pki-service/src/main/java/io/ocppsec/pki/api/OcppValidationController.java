package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.Decoded;
import io.ocppsec.ocpp.message.OcppActions;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.FrameWriter;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.ocpp.schema.Violation;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/ocpp/validate}: checks an OCPP-J frame, or one payload, against the rules
 * this service enforces on the wire, and answers with the CALLERROR a station would get. For CSMS
 * developers who want to know before a station or the terminator tells them.
 *
 * <p>Body: {@code {"ocppVersion":"2.0.1", "frame":"[2,\"1\",\"SignCertificate\",{...}]"}} or
 * {@code {"ocppVersion":"2.1", "action":"SignCertificate", "kind":"request"|"response",
 * "payload":{...}}}.
 */
@RestController
@RequiresRole(Role.CSMS)
@RequestMapping("/api/v1/ocpp")
public class OcppValidationController {

    @PostMapping("/validate")
    public Map<String, Object> validate(@RequestBody JsonNode body) {
        OcppVersion version = ApiInputs.ocppVersion(body.get("ocppVersion"));
        if (!version.hasTypedMessages()) {
            throw new BadRequestException("unsupported-version", "ocppVersion must be 2.0.1 or 2.1");
        }
        JsonNode frame = body.get("frame");
        if (frame != null) {
            if (!frame.isString()) {
                throw new BadRequestException("bad-frame", "frame must be the OCPP-J message as a JSON string");
            }
            return validateFrame(version, frame.stringValue(), ApiInputs.optionalText(body.get("action")));
        }
        Action action = ApiInputs.action(body.get("action"), version);
        String kind = ApiInputs.text(body.get("kind"), "kind");
        OcppCodec codec = OcppCodec.of(version);
        Optional<Violation> violation = switch (kind) {
            case "request" -> violationOf(codec.decodeRequest(action, body.get("payload")));
            case "response" -> violationOf(codec.decodeResponse(action, body.get("payload")));
            default -> throw new BadRequestException("bad-kind", "kind must be request or response");
        };
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ocppVersion", version.subprotocol());
        out.put("action", action.wireName());
        out.put("kind", kind);
        putVerdict(out, violation);
        return out;
    }

    private static Map<String, Object> validateFrame(OcppVersion version, String frame, String resultAction) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ocppVersion", version.subprotocol());
        ReadResult read = new FrameReader(version).read(frame);
        FrameWriter writer = new FrameWriter(version);
        if (read instanceof ReadResult.Rejected rejected) {
            out.put("valid", false);
            out.put("errorCode", rejected.code().name());
            out.put("description", rejected.reason());
            out.put("reply", rejected.reply().map(writer::writeString).orElse(null));
            return out;
        }
        RpcFrame f = ((ReadResult.Accepted) read).frame();
        out.put("messageType", f.type().name());
        out.put("messageId", f.messageId());
        OcppCodec codec = OcppCodec.of(version);
        if (f instanceof RpcFrame.Call call) {
            out.put("action", call.action());
            Optional<Action> typed = Action.fromWire(call.action()).filter(a -> a.existsIn(version));
            if (typed.isEmpty()) {
                boolean known = OcppActions.isCallAction(version, call.action());
                out.put("valid", known);
                out.put("payloadChecked", false);
                if (!known) {
                    out.put("errorCode", "NotImplemented");
                    out.put("description", "unknown action for " + version);
                }
                return out;
            }
            Optional<Violation> v = violationOf(codec.decodeRequest(typed.get(), call.payload()));
            putVerdict(out, v);
            v.ifPresent(violation -> out.put("reply", writer.writeString(FrameWriter.callErrorFor(call.messageId(), violation))));
            return out;
        }
        if (f instanceof RpcFrame.CallResult result && resultAction != null) {
            Action action = ApiInputs.action(resultAction, version);
            out.put("action", action.wireName());
            putVerdict(out, violationOf(codec.decodeResponse(action, result.payload())));
            return out;
        }
        out.put("valid", true);
        out.put("payloadChecked", false);
        return out;
    }

    private static void putVerdict(Map<String, Object> out, Optional<Violation> violation) {
        out.put("valid", violation.isEmpty());
        out.put("payloadChecked", true);
        violation.ifPresent(v -> {
            out.put("errorCode", v.code().name());
            out.put("pointer", v.pointer());
            out.put("description", v.describe());
        });
    }

    private static Optional<Violation> violationOf(Decoded<?> decoded) {
        return decoded instanceof Decoded.Invalid<?> invalid ? Optional.of(invalid.violation()) : Optional.empty();
    }
}
