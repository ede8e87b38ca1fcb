package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.schema.ObjectShape;
import io.ocppsec.ocpp.schema.Violation;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes the typed security messages of one OCPP version. Reading checks the payload
 * against that version's rules ({@link MessageSchemas}) before anything is mapped, so a record is
 * only ever built from a conforming payload; writing checks the produced JSON against the same
 * rules, so this service never sends a message its schema refuses. Thread-safe.
 */
public final class OcppCodec {
    private static final Map<OcppVersion, OcppCodec> STANDARD = new EnumMap<>(OcppVersion.class);

    static {
        for (OcppVersion v : OcppVersion.values()) {
            if (v.hasTypedMessages()) {
                STANDARD.put(v, new OcppCodec(v, OcppJson.standard()));
            }
        }
    }

    private final OcppVersion version;
    private final MessageSchemas schemas;
    private final OcppJson json;

    private OcppCodec(OcppVersion version, OcppJson json) {
        this.version = version;
        this.schemas = MessageSchemas.of(version);
        this.json = json;
    }

    /** The codec of {@code version} (2.0.1 or 2.1). */
    public static OcppCodec of(OcppVersion version) {
        OcppCodec codec = STANDARD.get(version);
        if (codec == null) {
            throw new IllegalArgumentException("no typed messages for " + version);
        }
        return codec;
    }

    public OcppVersion version() {
        return version;
    }

    public MessageSchemas schemas() {
        return schemas;
    }

    /** Whether a payload is a request (CALL) or a response (CALLRESULT). */
    public enum Kind { REQUEST, RESPONSE }

    /** Checks a payload against its rules without mapping it. */
    public Optional<Violation> validate(Action action, Kind kind, JsonNode payload) {
        return Optional.ofNullable(check(action, kind, payload));
    }

    /** Reads the payload of a CALL. */
    public Decoded<OcppRequest> decodeRequest(Action action, JsonNode payload) {
        return decode(action, Kind.REQUEST, payload, action.requestType());
    }

    /** Reads the payload of a CALLRESULT. */
    public Decoded<OcppResponse> decodeResponse(Action action, JsonNode payload) {
        return decode(action, Kind.RESPONSE, payload, action.responseType());
    }

    /** Reads the payload of a CALL whose type the caller knows, e.g. {@code SignCertificateRequest.class}. */
    public <T extends OcppRequest> Decoded<T> decodeRequest(Class<T> type, JsonNode payload) {
        return decode(actionOf(type, true), Kind.REQUEST, payload, type);
    }

    /** Reads the payload of a CALLRESULT whose type the caller knows. */
    public <T extends OcppResponse> Decoded<T> decodeResponse(Class<T> type, JsonNode payload) {
        return decode(actionOf(type, false), Kind.RESPONSE, payload, type);
    }

    /**
     * Writes a message as its JSON payload.
     *
     * @throws InvalidMessageException if the message breaks this version's rules (for example a
     *         2.1-only field set on a 2.0.1 message, or a string over its length limit)
     */
    public ObjectNode encode(OcppMessage message) {
        Action action = message.ocppAction();
        Kind kind = message instanceof OcppRequest ? Kind.REQUEST : Kind.RESPONSE;
        ObjectNode node;
        try {
            node = json.mapper().valueToTree(message);
        } catch (JacksonException e) {
            // e.g. a date-time whose year RFC 3339 cannot express (outside 0000-9999)
            throw new InvalidMessageException(action, kind == Kind.REQUEST ? "Request" : "Response",
                    new Violation(RpcErrorCode.TypeConstraintViolation, "", "a value cannot be written as OCPP JSON"));
        }
        Violation v = check(action, kind, node);
        if (v != null) {
            throw new InvalidMessageException(action, kind == Kind.REQUEST ? "Request" : "Response", v);
        }
        return node;
    }

    private <T extends OcppMessage> Decoded<T> decode(Action action, Kind kind, JsonNode payload, Class<? extends T> type) {
        JsonNode effective = payload == null || payload.isNull() || payload.isMissingNode()
                ? JsonNodeFactory.instance.objectNode() // OCPP-J §4.1.5: null is tolerated for an empty payload
                : payload;
        Violation v = check(action, kind, effective);
        if (v != null) {
            return new Decoded.Invalid<>(v);
        }
        try {
            return new Decoded.Valid<>(json.mapper().treeToValue(effective, type));
        } catch (JacksonException e) {
            // Cannot happen for a payload that passed its rules; kept total all the same.
            return new Decoded.Invalid<>(new Violation(RpcErrorCode.InternalError, "",
                    "payload conforms but could not be mapped"));
        }
    }

    private Violation check(Action action, Kind kind, JsonNode payload) {
        ObjectShape shape = kind == Kind.REQUEST ? schemas.request(action) : schemas.response(action);
        if (shape == null) {
            return new Violation(RpcErrorCode.NotImplemented, "", action.wireName() + " is not an action of " + version);
        }
        if (payload == null || !payload.isObject()) {
            return new Violation(RpcErrorCode.FormatViolation, "", "payload is not a JSON object");
        }
        return shape.validate(payload).orElse(null);
    }

    private static Action actionOf(Class<?> type, boolean request) {
        for (Action a : Action.values()) {
            if ((request ? a.requestType() : a.responseType()) == type) {
                return a;
            }
        }
        throw new IllegalArgumentException(type + " is not a message type");
    }
}
