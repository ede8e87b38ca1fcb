package io.ocppsec.ocpp.rpc;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import java.util.Optional;
import java.util.function.Supplier;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.core.ObjectReadContext;
import tools.jackson.core.TokenStreamLocation;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads OCPP-J frames for one connection's OCPP version. Total: every input, however broken or
 * large, gives a {@link ReadResult} (or a {@link FrameHeader} from the fast path); no exception
 * leaves this class. Sizes are checked before parsing, nesting and token counts while parsing.
 *
 * <p>What a broken frame gets (Part 4 §4.1.3, §4.2.3, §4.4):
 * <ul>
 *   <li>unreadable (not JSON, not an array, no readable type or id): CALLERROR
 *       {@code RpcFrameworkError} with message id {@code "-1"};</li>
 *   <li>a CALL whose header is readable but whose payload is not: CALLERROR
 *       {@code FormatViolation} with the CALL's id;</li>
 *   <li>a CALL with the wrong number of elements or a missing action: CALLERROR
 *       {@code RpcFrameworkError} with its id;</li>
 *   <li>a message type the version does not have: in 2.0.1 CALLERROR
 *       {@code MessageTypeNotSupported}; in 2.1 the frame is ignored;</li>
 *   <li>a broken CALLRESULT: in 2.1 CALLRESULTERROR; in 2.0.1 dropped (nothing answers a result);</li>
 *   <li>a broken CALLERROR, CALLRESULTERROR or SEND: dropped (they are never answered).</li>
 * </ul>
 * Thread-safe.
 */
public final class FrameReader {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /**
     * The fast path looks at no more than this many bytes (or chars): enough for the type, a
     * 36-character id and an action name even when escaped, whatever the frame's size.
     */
    static final int HEADER_WINDOW = 1024;

    private final OcppVersion version;
    private final OcppJson json;

    public FrameReader(OcppVersion version) {
        this(version, OcppJson.standard());
    }

    public FrameReader(OcppVersion version, OcppJson json) {
        this.version = version;
        this.json = json;
    }

    public OcppVersion version() {
        return version;
    }

    // ------------------------------------------------------------------ fast path

    /**
     * Reads type, id and action from the front of a UTF-8 frame without parsing the payload, and
     * without looking further than {@value #HEADER_WINDOW} bytes into it.
     */
    public FrameHeader peek(byte[] frame) {
        return frame == null ? FrameHeader.UNREADABLE : peek(frame, 0, frame.length);
    }

    /** Reads type, id and action from {@code frame[offset, offset+length)}. */
    public FrameHeader peek(byte[] frame, int offset, int length) {
        if (frame == null || offset < 0 || length < 0 || offset > frame.length - length) {
            return FrameHeader.UNREADABLE;
        }
        int window = Math.min(length, HEADER_WINDOW);
        try (JsonParser p = json.factory().createParser(ObjectReadContext.empty(), frame, offset, window)) {
            return peek(p);
        } catch (RuntimeException e) {
            return FrameHeader.UNREADABLE;
        }
    }

    /** Reads type, id and action from the front of a frame given as text. */
    public FrameHeader peek(String frame) {
        if (frame == null) {
            return FrameHeader.UNREADABLE;
        }
        String window = frame.length() > HEADER_WINDOW ? frame.substring(0, HEADER_WINDOW) : frame;
        try (JsonParser p = json.factory().createParser(ObjectReadContext.empty(), window)) {
            return peek(p);
        } catch (RuntimeException e) {
            return FrameHeader.UNREADABLE;
        }
    }

    private static FrameHeader peek(JsonParser p) {
        int type = -1;
        String id = null;
        try {
            if (p.nextToken() != JsonToken.START_ARRAY || p.nextToken() != JsonToken.VALUE_NUMBER_INT
                    || p.getNumberType() != JsonParser.NumberType.INT) {
                return FrameHeader.UNREADABLE;
            }
            type = p.getIntValue();
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return new FrameHeader(type, null, null);
            }
            String candidate = p.getString();
            id = MessageIds.isValid(candidate) ? candidate : null;
            if (type != MessageType.CALL.number() && type != MessageType.SEND.number()) {
                return new FrameHeader(type, id, null);
            }
            if (p.nextToken() != JsonToken.VALUE_STRING) {
                return new FrameHeader(type, id, null);
            }
            String action = p.getString();
            return new FrameHeader(type, id, action.isEmpty() ? null : action);
        } catch (RuntimeException e) {
            return type < 0 ? FrameHeader.UNREADABLE : new FrameHeader(type, id, null);
        }
    }

    // ------------------------------------------------------------------ full read

    /** Reads and checks a complete frame given as UTF-8 bytes. */
    public ReadResult read(byte[] frame) {
        if (frame == null) {
            return unreadable("no frame");
        }
        return read(frame.length, () -> peek(frame), () -> json.mapper().readTree(frame));
    }

    /** Reads and checks a complete frame given as text (its length is counted in chars). */
    public ReadResult read(String frame) {
        if (frame == null) {
            return unreadable("no frame");
        }
        return read(frame.length(), () -> peek(frame), () -> json.mapper().readTree(frame));
    }

    private ReadResult read(int size, Supplier<FrameHeader> header, Supplier<JsonNode> parse) {
        if (size > json.limits().maxFrameBytes()) {
            return answerByHeader(header.get(), RpcErrorCode.FormatViolation,
                    "frame of " + size + " bytes exceeds the limit of " + json.limits().maxFrameBytes());
        }
        JsonNode tree;
        try {
            tree = parse.get();
        } catch (JacksonException e) {
            return answerByHeader(header.get(), RpcErrorCode.FormatViolation, describe(e));
        } catch (RuntimeException e) {
            // Jackson reports some values it cannot represent (e.g. 6e44444444444444444 as a
            // BigDecimal) with NumberFormatException rather than JacksonException; found by fuzzing.
            return answerByHeader(header.get(), RpcErrorCode.FormatViolation,
                    "a value in the frame cannot be read (number out of range)");
        }
        return interpret(tree);
    }

    private ReadResult interpret(JsonNode tree) {
        if (tree == null || !tree.isArray() || tree.isEmpty()) {
            return unreadable("frame is not a JSON array");
        }
        JsonNode typeNode = tree.get(0);
        if (!typeNode.isIntegralNumber() || !typeNode.canConvertToInt()) {
            return unreadable("message type is not an integer");
        }
        int typeNumber = typeNode.intValue();
        JsonNode idNode = tree.size() > 1 ? tree.get(1) : null;
        String id = idNode != null && idNode.isString() && MessageIds.isValid(idNode.stringValue())
                ? idNode.stringValue() : null;

        Optional<MessageType> known = MessageType.fromNumber(typeNumber).filter(t -> t.existsIn(version));
        if (known.isEmpty()) {
            String reason = "message type " + typeNumber + " is not supported in " + version;
            if (version.atLeast(OcppVersion.OCPP_2_1)) {
                // 2.1 §4.1.3 / §4.4: a message type not in the list SHALL be ignored.
                return drop(RpcErrorCode.MessageTypeNotSupported, reason);
            }
            // 2.0.1 §4.4: respond with CALLERROR MessageTypeNotSupported.
            return callError(orUnreadable(id), RpcErrorCode.MessageTypeNotSupported, reason);
        }
        MessageType type = known.get();
        if (id == null) {
            return withoutId(type, switch (type) {
                case CALL -> "message id is missing, not a string or longer than " + MessageIds.MAX_LENGTH + " characters";
                case CALL_RESULT -> "message id is missing, not a string or too long";
                default -> type + " without a valid message id";
            });
        }
        return switch (type) {
            case CALL -> readCall(tree, id);
            case CALL_RESULT -> readCallResult(tree, id);
            case CALL_ERROR, CALL_RESULT_ERROR -> readError(tree, id, type);
            case SEND -> readSend(tree, id);
        };
    }

    private ReadResult readCall(JsonNode tree, String id) {
        if (tree.size() != 4) {
            return callError(id, RpcErrorCode.RpcFrameworkError, "CALL must have 4 elements, got " + tree.size());
        }
        JsonNode action = tree.get(2);
        if (!action.isString() || action.stringValue().isEmpty()) {
            return callError(id, RpcErrorCode.RpcFrameworkError, "CALL action is missing or not a string");
        }
        ObjectNode payload = payloadOf(tree.get(3));
        if (payload == null) {
            return callError(id, RpcErrorCode.FormatViolation, "CALL payload is not a JSON object");
        }
        return new ReadResult.Accepted(new RpcFrame.Call(id, action.stringValue(), payload));
    }

    private ReadResult readCallResult(JsonNode tree, String id) {
        if (tree.size() != 3) {
            return resultError(id, RpcErrorCode.RpcFrameworkError, "CALLRESULT must have 3 elements, got " + tree.size());
        }
        ObjectNode payload = payloadOf(tree.get(2));
        if (payload == null) {
            return resultError(id, RpcErrorCode.FormatViolation, "CALLRESULT payload is not a JSON object");
        }
        return new ReadResult.Accepted(new RpcFrame.CallResult(id, payload));
    }

    private ReadResult readError(JsonNode tree, String id, MessageType type) {
        if (tree.size() != 5) {
            return drop(RpcErrorCode.RpcFrameworkError, type + " must have 5 elements, got " + tree.size());
        }
        JsonNode code = tree.get(2);
        JsonNode description = tree.get(3);
        ObjectNode details = payloadOf(tree.get(4));
        if (!code.isString() || !description.isString() || details == null) {
            return drop(RpcErrorCode.RpcFrameworkError, type + " elements have the wrong types");
        }
        RpcFrame frame = type == MessageType.CALL_ERROR
                ? new RpcFrame.CallError(id, code.stringValue(), description.stringValue(), details)
                : new RpcFrame.CallResultError(id, code.stringValue(), description.stringValue(), details);
        return new ReadResult.Accepted(frame);
    }

    private ReadResult readSend(JsonNode tree, String id) {
        if (tree.size() != 4) {
            return drop(RpcErrorCode.RpcFrameworkError, "SEND must have 4 elements, got " + tree.size());
        }
        JsonNode action = tree.get(2);
        ObjectNode payload = payloadOf(tree.get(3));
        if (!action.isString() || action.stringValue().isEmpty() || payload == null) {
            return drop(RpcErrorCode.FormatViolation, "SEND action or payload malformed");
        }
        return new ReadResult.Accepted(new RpcFrame.Send(id, action.stringValue(), payload));
    }

    /** The payload as an object; JSON null counts as an empty payload (§4.1.5); anything else is refused. */
    private static ObjectNode payloadOf(JsonNode node) {
        if (node.isObject()) {
            return (ObjectNode) node;
        }
        return node.isNull() ? NODES.objectNode() : null;
    }

    // ------------------------------------------------------------------ refusals

    /**
     * Answers a frame that cannot be accepted, using as much of its header as could be read: the
     * message id when there is one, {@code "-1"} otherwise.
     */
    private ReadResult answerByHeader(FrameHeader header, RpcErrorCode code, String reason) {
        Optional<MessageType> type = header.type().filter(t -> t.existsIn(version));
        if (type.isEmpty()) {
            boolean typeRead = header.typeNumber() >= 0;
            return typeRead && version.atLeast(OcppVersion.OCPP_2_1) ? drop(code, reason) : unreadable(reason);
        }
        if (!header.hasMessageId()) {
            return withoutId(type.get(), reason);
        }
        return switch (type.get()) {
            case CALL -> callError(header.messageId(),
                    header.action() == null ? RpcErrorCode.RpcFrameworkError : code, reason);
            case CALL_RESULT -> resultError(header.messageId(), code, reason);
            default -> drop(code, reason);
        };
    }

    /**
     * A frame of a known type whose message id cannot be read: a CALL is answered with id "-1", a
     * CALLRESULT with a CALLRESULTERROR where the version has one, anything else is dropped.
     */
    private ReadResult withoutId(MessageType type, String reason) {
        return switch (type) {
            case CALL -> unreadable(reason);
            case CALL_RESULT -> resultError(MessageIds.UNREADABLE, RpcErrorCode.RpcFrameworkError, reason);
            default -> drop(RpcErrorCode.RpcFrameworkError, reason);
        };
    }

    private ReadResult unreadable(String reason) {
        return reject(RpcErrorCode.RpcFrameworkError, reason,
                RpcFrame.CallError.of(MessageIds.UNREADABLE, RpcErrorCode.RpcFrameworkError, reason));
    }

    private static ReadResult callError(String id, RpcErrorCode code, String reason) {
        return reject(code, reason, RpcFrame.CallError.of(id, code, reason));
    }

    /** A broken CALLRESULT: answered with CALLRESULTERROR in 2.1; in 2.0.1 nothing can answer it. */
    private ReadResult resultError(String id, RpcErrorCode code, String reason) {
        if (version.atLeast(OcppVersion.OCPP_2_1)) {
            return reject(code, reason, RpcFrame.CallResultError.of(id, code, reason));
        }
        return drop(code, reason);
    }

    private static ReadResult reject(RpcErrorCode code, String reason, RpcFrame reply) {
        return new ReadResult.Rejected(code, reason, Optional.of(reply));
    }

    private static ReadResult drop(RpcErrorCode code, String reason) {
        return new ReadResult.Rejected(code, reason, Optional.empty());
    }

    /** A description of a parse failure that never quotes the input. */
    private static String describe(JacksonException e) {
        if (e instanceof StreamConstraintsException) {
            String m = String.valueOf(e.getOriginalMessage());
            if (m.contains("nesting depth")) {
                return "frame nests deeper than allowed";
            }
            if (m.contains("Number value length") || m.contains("number")) {
                return "number literal too long";
            }
            if (m.contains("Name length")) {
                return "property name too long";
            }
            if (m.contains("Token count")) {
                return "frame has too many JSON tokens";
            }
            return "frame exceeds a size limit";
        }
        if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate Object property")) {
            return "duplicate property name in a JSON object";
        }
        TokenStreamLocation loc = e.getLocation();
        if (loc != null && loc.getLineNr() > 0) {
            return "not valid JSON (line " + loc.getLineNr() + ", column " + loc.getColumnNr() + ")";
        }
        return "not valid JSON";
    }

    private static String orUnreadable(String id) {
        return id == null ? MessageIds.UNREADABLE : id;
    }

}
