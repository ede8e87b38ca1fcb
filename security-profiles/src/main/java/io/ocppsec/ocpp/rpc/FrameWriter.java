package io.ocppsec.ocpp.rpc;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.schema.Violation;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes OCPP-J frames. Refuses to write what the receiver would have to reject: a message id
 * that is not 1 to 36 characters (except {@code "-1"} in an error reply), an empty action, a
 * message type the version does not have. Error descriptions longer than 255 characters are cut
 * (§4.2.3, Table 7). Thread-safe.
 */
public final class FrameWriter {
    private static final int MAX_DESCRIPTION = 255;
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final OcppVersion version;
    private final OcppJson json;

    public FrameWriter(OcppVersion version) {
        this(version, OcppJson.standard());
    }

    public FrameWriter(OcppVersion version, OcppJson json) {
        this.version = version;
        this.json = json;
    }

    /** The frame as UTF-8 bytes. */
    public byte[] write(RpcFrame frame) {
        return json.mapper().writeValueAsBytes(toArray(frame));
    }

    /** The frame as text. */
    public String writeString(RpcFrame frame) {
        return json.mapper().writeValueAsString(toArray(frame));
    }

    /** A CALLERROR answering a CALL whose payload broke its rules; the pointer goes in the details. */
    public static RpcFrame.CallError callErrorFor(String messageId, Violation violation) {
        ObjectNode details = NODES.objectNode();
        if (!violation.pointer().isEmpty()) {
            details.put("pointer", violation.pointer());
        }
        return new RpcFrame.CallError(messageId, violation.code().name(), violation.describe(), details);
    }

    private ArrayNode toArray(RpcFrame frame) {
        if (!frame.type().existsIn(version)) {
            throw new IllegalArgumentException(frame.type() + " does not exist in " + version);
        }
        ArrayNode a = NODES.arrayNode();
        a.add(frame.type().number());
        if (frame instanceof RpcFrame.Call c) {
            a.add(requireId(c.messageId()));
            a.add(requireAction(c.action()));
            a.add(payload(c.payload()));
        } else if (frame instanceof RpcFrame.CallResult r) {
            a.add(requireId(r.messageId()));
            a.add(payload(r.payload()));
        } else if (frame instanceof RpcFrame.CallError e) {
            addError(a, e.messageId(), e.errorCode(), e.errorDescription(), e.errorDetails());
        } else if (frame instanceof RpcFrame.CallResultError e) {
            addError(a, e.messageId(), e.errorCode(), e.errorDescription(), e.errorDetails());
        } else if (frame instanceof RpcFrame.Send s) {
            a.add(requireId(s.messageId()));
            a.add(requireAction(s.action()));
            a.add(payload(s.payload()));
        }
        return a;
    }

    private static void addError(ArrayNode a, String id, String code, String description, ObjectNode details) {
        a.add(requireId(id)); // "-1" (MessageIds.UNREADABLE) is a valid id too
        if (code == null || code.isEmpty()) {
            throw new IllegalArgumentException("error code is required");
        }
        a.add(code);
        a.add(truncate(description == null ? "" : description));
        a.add(details == null ? NODES.objectNode() : details);
    }

    private static ObjectNode payload(ObjectNode payload) {
        return payload == null ? NODES.objectNode() : payload;
    }

    private static String requireId(String id) {
        if (!MessageIds.isValid(id)) {
            throw new IllegalArgumentException("message id must be 1 to " + MessageIds.MAX_LENGTH + " characters");
        }
        return id;
    }

    private static String requireAction(String action) {
        if (action == null || action.isEmpty()) {
            throw new IllegalArgumentException("action is required");
        }
        return action;
    }

    private static String truncate(String s) {
        if (s.length() <= MAX_DESCRIPTION || s.codePointCount(0, s.length()) <= MAX_DESCRIPTION) {
            return s;
        }
        return s.substring(0, s.offsetByCodePoints(0, MAX_DESCRIPTION));
    }
}
