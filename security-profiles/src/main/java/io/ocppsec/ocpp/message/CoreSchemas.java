package io.ocppsec.ocpp.message;

import static io.ocppsec.ocpp.schema.Shapes.array;
import static io.ocppsec.ocpp.schema.Shapes.bool;
import static io.ocppsec.ocpp.schema.Shapes.dateTime;
import static io.ocppsec.ocpp.schema.Shapes.integer;
import static io.ocppsec.ocpp.schema.Shapes.object;
import static io.ocppsec.ocpp.schema.Shapes.oneOf;
import static io.ocppsec.ocpp.schema.Shapes.string;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.OcppCodec.Kind;
import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.schema.IntegerShape;
import io.ocppsec.ocpp.schema.ObjectShape;
import io.ocppsec.ocpp.schema.Violation;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * The message rules of the core actions this service accepts without reading them into records:
 * Heartbeat, StatusNotification and NotifyEvent, which the terminator's standalone mode answers so
 * that a station stays connected. Written like {@link MessageSchemas} (same vocabulary, same
 * official schemas, same oracle tests) but looked up by wire name, since these actions have no
 * {@link Action} constant and no typed messages. Thread-safe.
 */
public final class CoreSchemas {

    /** The wire names of the actions with rules here, in both versions. */
    public static final List<String> ACTIONS = List.of("Heartbeat", "NotifyEvent", "StatusNotification");

    private static final CoreSchemas V201 = new CoreSchemas(OcppVersion.OCPP_2_0_1);
    private static final CoreSchemas V21 = new CoreSchemas(OcppVersion.OCPP_2_1);

    /** The rules of one version (2.0.1 or 2.1). */
    public static CoreSchemas of(OcppVersion version) {
        return switch (version) {
            case OCPP_2_0_1 -> V201;
            case OCPP_2_1 -> V21;
            case OCPP_1_6 -> throw new IllegalArgumentException("no message rules for OCPP 1.6");
        };
    }

    /**
     * Checks a payload of one of {@link #ACTIONS} against the rules of {@code version}; empty when it
     * conforms. Total: a payload that is not a JSON object is a {@code FormatViolation}; an action
     * that is not an OCPP action of {@code version} is {@code NotImplemented}, and one that is but
     * has no rules here (or a version without rules, OCPP 1.6) is {@code NotSupported}.
     */
    public static Optional<Violation> validate(OcppVersion version, String action, Kind kind, JsonNode payload) {
        if (!version.hasTypedMessages()) {
            return Optional.of(new Violation(RpcErrorCode.NotSupported, "", "no message rules for " + version));
        }
        return of(version).validate(action, kind, payload);
    }

    private final OcppVersion version;
    private final boolean is21;
    private final Map<String, ObjectShape> requests = new HashMap<>();
    private final Map<String, ObjectShape> responses = new HashMap<>();

    private CoreSchemas(OcppVersion version) {
        this.version = version;
        this.is21 = version == OcppVersion.OCPP_2_1;
        define(MessageSchemas.of(version));
    }

    public OcppVersion version() {
        return version;
    }

    /** The request rules of {@code action}; null when it is not one of {@link #ACTIONS}. */
    public ObjectShape request(String action) {
        return requests.get(action);
    }

    /** The response rules of {@code action}; null when it is not one of {@link #ACTIONS}. */
    public ObjectShape response(String action) {
        return responses.get(action);
    }

    /** Checks a payload against its rules in this version; see {@link #validate(OcppVersion, String, Kind, JsonNode)}. */
    public Optional<Violation> validate(String action, Kind kind, JsonNode payload) {
        ObjectShape shape = kind == Kind.REQUEST ? request(action) : response(action);
        if (shape == null) {
            return OcppActions.isCallAction(version, action)
                    ? Optional.of(new Violation(RpcErrorCode.NotSupported, "", action + " has no message rules here"))
                    : Optional.of(new Violation(RpcErrorCode.NotImplemented, "", action + " is not an action of " + version));
        }
        if (payload == null || !payload.isObject()) {
            return Optional.of(new Violation(RpcErrorCode.FormatViolation, "", "payload is not a JSON object"));
        }
        return shape.validate(payload);
    }

    /** An integer that has a minimum of 0 from 2.1 on (ids, sequence numbers, severities). */
    private IntegerShape count() {
        return is21 ? integer(0) : integer();
    }

    private void define(MessageSchemas common) {
        requests.put("Heartbeat", object().build());
        responses.put("Heartbeat", object()
                .required("currentTime", dateTime())
                .build());

        requests.put("StatusNotification", object()
                .required("timestamp", dateTime())
                .required("connectorStatus", oneOf(List.of("Available", "Occupied", "Reserved", "Unavailable", "Faulted")))
                .required("evseId", count())
                .required("connectorId", count())
                .build());
        responses.put("StatusNotification", object().build());

        ObjectShape eventData = object()
                .required("eventId", count())
                .required("timestamp", dateTime())
                .required("trigger", oneOf(List.of("Alerting", "Delta", "Periodic")))
                .optional("cause", count())
                .required("actualValue", string(2500))
                .optional("techCode", string(50))
                .optional("techInfo", string(500))
                .optional("cleared", bool())
                .optional("transactionId", string(36))
                .required("component", common.component())
                .optional("variableMonitoringId", count())
                .required("eventNotificationType", oneOf(List.of(
                        "HardWiredNotification", "HardWiredMonitor", "PreconfiguredMonitor", "CustomMonitor")))
                .required("variable", common.variable())
                .optionalIf(is21, "severity", integer(0))
                .build();
        requests.put("NotifyEvent", object()
                .required("generatedAt", dateTime())
                .optional("tbc", bool())
                .required("seqNo", count())
                .required("eventData", array(eventData, 1))
                .build());
        responses.put("NotifyEvent", object().build());
    }
}
