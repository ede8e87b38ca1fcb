package io.ocppsec.pki.terminator;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.Decoded;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.SetVariablesRequest;
import io.ocppsec.ocpp.message.SetVariablesResponse;
import io.ocppsec.ocpp.message.type.SetVariableResult;
import io.ocppsec.ocpp.schema.Violation;
import io.ocppsec.pki.station.StationService;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StationRecord;
import io.ocppsec.pki.store.TerminatorStore;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Server-initiated calls to a station, through the terminator that holds it: the payload is
 * checked against the rules of the OCPP version the station speaks, the call goes to that
 * terminator's control API, and the station's answer comes back as the terminator gave it. Every
 * call is audited (action, station, terminator, outcome), never with its payload: a SetVariables
 * can carry a password.
 */
public final class StationCalls {
    /** The actions the API sends on an operator's behalf. */
    public static final List<Action> ALLOWED = List.of(Action.CertificateSigned, Action.TriggerMessage,
            Action.InstallCertificate, Action.GetInstalledCertificateIds, Action.DeleteCertificate, Action.SetVariables);
    public static final int DEFAULT_TIMEOUT_SECONDS = 30;
    /** The call's timeout plus the 5 s grace must stay within the 300 s an exchange may take. */
    public static final int MAX_TIMEOUT_SECONDS = ControlClient.MAX_REQUEST_SECONDS - ControlClient.GRACE_SECONDS;

    private final StationService stations;
    private final TerminatorService terminators;
    private final ControlClient client;
    private final Ledger ledger;

    public StationCalls(StationService stations, TerminatorService terminators, ControlClient client, Ledger ledger) {
        this.stations = stations;
        this.terminators = terminators;
        this.client = client;
        this.ledger = ledger;
    }

    /**
     * Sends a CALL and returns the terminator's answer (CALLRESULT or CALLERROR). Refusals: 400
     * for an action not allowed, a bad timeout or a payload its OCPP version refuses; 404 unknown
     * station; 409 STATION_OFFLINE (no terminator holds it) or OCPP_VERSION_NOT_SUPPORTED
     * (ocpp1.6); 504 STATION_TIMEOUT; 502/504 TERMINATOR_* when the terminator fails.
     */
    public ControlClient.Answered call(String identity, String actionName, JsonNode payload, Integer timeoutSeconds,
                                       String actor) {
        StationRecord station = stations.require(identity);
        String subject = "station:" + station.identity();
        Action action;
        int timeout;
        try {
            action = allowed(actionName);
            timeout = timeout(timeoutSeconds);
            if (payload == null || !payload.isObject()) {
                throw Refusal.badRequest("BAD_PAYLOAD", "payload must be the JSON object of the " + action.wireName() + "Request");
            }
        } catch (Refusal r) {
            throw audited(actor, subject, actionName, null, r);
        }
        Route route = route(station, action, actor);
        Optional<Violation> violation = OcppCodec.of(route.version()).validate(action, OcppCodec.Kind.REQUEST, payload);
        if (violation.isPresent()) {
            Violation v = violation.get();
            throw audited(actor, subject, action.wireName(), route.session().terminatorId(),
                    Refusal.badRequest("PAYLOAD_INVALID", "the payload is not a valid " + action.wireName() + "Request of "
                            + route.version() + " (" + v.code().name() + "): " + v.describe()));
        }
        ControlClient.Delivery delivery = client.send(route.instance(), station.identity(), action.wireName(), payload, timeout);
        return answered(station, route, action.wireName(), delivery, actor, null);
    }

    /** What became of a password rotation sent to the station. */
    public enum RotationOutcome {
        /** The station answered Accepted: the new password is the current one (A01.FR.03). */
        ACCEPTED,
        /** The station answered another attributeStatus or a CALLERROR: the old password stays (A01.FR.04). */
        REJECTED,
        /** No answer in time: both passwords work until the station connects with the new one or confirm is called. */
        UNCONFIRMED
    }

    /**
     * A rotation sent through the terminator. The password itself is not part of it: only the
     * station needs it, and it has it.
     */
    public record SentRotation(String identity, RotationOutcome outcome, String messageId, String result,
                               String attributeStatus, String errorCode, String detail, boolean passwordRotationPending) {
    }

    /**
     * A01 end to end: rotates the station's password, sends the SetVariablesRequest through the
     * terminator holding the station and confirms from its attributeStatus. A station that is not
     * connected is refused (409 STATION_OFFLINE) before anything changes; a call that certainly
     * did not reach the station drops the new password again.
     */
    public SentRotation rotatePasswordAndSend(String identity, Integer timeoutSeconds, String actor) {
        StationRecord station = stations.require(identity);
        int timeout;
        try {
            timeout = timeout(timeoutSeconds);
        } catch (Refusal r) {
            throw audited(actor, "station:" + station.identity(), Action.SetVariables.wireName(), null, r);
        }
        Route route = route(station, Action.SetVariables, actor);
        StationService.Rotation rotation = stations.rotatePassword(identity, actor);
        JsonNode payload = OcppCodec.of(route.version()).encode(SetVariablesRequest.basicAuthPassword(rotation.password()));
        ControlClient.Delivery delivery = client.send(route.instance(), station.identity(), Action.SetVariables.wireName(),
                payload, timeout);
        ControlClient.Answered answer;
        try {
            answer = answered(station, route, Action.SetVariables.wireName(), delivery, actor, "password rotation");
        } catch (Refusal r) {
            boolean notSent = delivery instanceof ControlClient.NotHeld
                    || delivery instanceof ControlClient.Failed f && !f.failure().mayHaveBeenDelivered();
            if (notSent) {
                settle(identity, false, actor);
                throw r;
            }
            return new SentRotation(station.identity(), RotationOutcome.UNCONFIRMED, null, null, null, null,
                    r.getMessage() + "; both the old and the new password work until the station connects with the new "
                            + "one or its answer is reported to password/confirm", pending(identity));
        }
        if (!answer.callResult()) {
            settle(identity, false, actor);
            return new SentRotation(station.identity(), RotationOutcome.REJECTED, answer.messageId(), "CALLERROR", null,
                    answer.errorCode(), "the station answered with a CALLERROR; the old password stays valid",
                    pending(identity));
        }
        Decoded<SetVariablesResponse> decoded = OcppCodec.of(route.version())
                .decodeResponse(SetVariablesResponse.class, answer.json().get("payload"));
        String status = decoded instanceof Decoded.Valid<SetVariablesResponse> valid ? attributeStatus(valid.message()) : null;
        if (status == null) {
            return new SentRotation(station.identity(), RotationOutcome.UNCONFIRMED, answer.messageId(), "CALLRESULT", null,
                    null, "the station's SetVariablesResponse has no valid result for SecurityCtrlr.BasicAuthPassword; "
                    + "both passwords work until it connects with the new one", pending(identity));
        }
        boolean accepted = "Accepted".equals(status);
        settle(identity, accepted, actor);
        return new SentRotation(station.identity(), accepted ? RotationOutcome.ACCEPTED : RotationOutcome.REJECTED,
                answer.messageId(), "CALLRESULT", status, null, accepted ? "the new password is now the current one"
                : "the station did not accept the new password; the old one stays valid", pending(identity));
    }

    /** The station's attributeStatus for SecurityCtrlr.BasicAuthPassword (or its only result). */
    private static String attributeStatus(SetVariablesResponse response) {
        List<SetVariableResult> results = response.setVariableResult();
        if (results == null || results.isEmpty()) {
            return null;
        }
        for (SetVariableResult r : results) {
            if (r.component() != null && "SecurityCtrlr".equals(r.component().name()) && r.variable() != null
                    && "BasicAuthPassword".equals(r.variable().name())) {
                return r.attributeStatus() == null ? null : r.attributeStatus().name();
            }
        }
        return results.size() == 1 && results.get(0).attributeStatus() != null ? results.get(0).attributeStatus().name() : null;
    }

    /** Confirms or drops the pending password; a station that connected with it meanwhile has settled it already. */
    private void settle(String identity, boolean accepted, String actor) {
        try {
            stations.confirmPassword(identity, accepted, actor);
        } catch (Refusal r) {
            if (!"NO_PENDING_PASSWORD".equals(r.reason()) && !"STATION_CHANGED".equals(r.reason())) {
                throw r;
            }
        }
    }

    private boolean pending(String identity) {
        return stations.find(identity).map(s -> s.pendingPasswordHash() != null).orElse(false);
    }

    private record Route(TerminatorStore.Session session, OcppVersion version, TerminatorStore.Instance instance) {
    }

    /** The session and terminator a call to this station goes through, or a refusal (audited). */
    private Route route(StationRecord station, Action action, String actor) {
        String subject = "station:" + station.identity();
        Optional<TerminatorStore.Session> session = terminators.sessionOf(station);
        if (session.isEmpty()) {
            throw audited(actor, subject, action.wireName(), null, offline());
        }
        TerminatorStore.Session s = session.get();
        OcppVersion version = TerminatorService.version(s);
        if (!version.hasTypedMessages() || !action.existsIn(version)) {
            throw audited(actor, subject, action.wireName(), s.terminatorId(), Refusal.conflict("OCPP_VERSION_NOT_SUPPORTED",
                    "the station is connected with " + version + "; calls through ocppsec need ocpp2.0.1 or ocpp2.1"));
        }
        Optional<TerminatorStore.Instance> instance = terminators.instance(s.terminatorId());
        if (instance.isEmpty()) {
            throw audited(actor, subject, action.wireName(), s.terminatorId(), offline());
        }
        return new Route(s, version, instance.get());
    }

    /** The terminator's 200 answer, audited; anything else becomes a refusal (audited). */
    private ControlClient.Answered answered(StationRecord station, Route route, String action,
                                            ControlClient.Delivery delivery, String actor, String purpose) {
        String subject = "station:" + station.identity();
        String terminatorId = route.session().terminatorId();
        if (delivery instanceof ControlClient.Answered a) {
            Ledger.join(ledger.audit(AuditEntry.ok(actor, "station.call", subject, Details.of("action", action,
                    "purpose", purpose, "terminatorId", terminatorId, "messageId", a.messageId(),
                    "result", a.callResult() ? "CALLRESULT" : "CALLERROR", "errorCode", a.errorCode()))));
            return a;
        }
        Refusal r;
        if (delivery instanceof ControlClient.NotHeld) {
            terminators.forget(route.session(), actor);
            r = offline();
        } else if (delivery instanceof ControlClient.StationTimeout) {
            r = new Refusal("STATION_TIMEOUT", 504, "the station did not answer the " + action + " in time; it may still act on it");
        } else {
            ControlClient.Failed f = (ControlClient.Failed) delivery;
            r = switch (f.failure()) {
                case UNREACHABLE -> new Refusal("TERMINATOR_UNAVAILABLE", 502, f.detail() + "; nothing was sent to the station");
                case REFUSED -> new Refusal("TERMINATOR_REFUSED", 502, f.detail() + "; nothing was sent to the station");
                case NO_ANSWER -> new Refusal("TERMINATOR_TIMEOUT", 504, f.detail() + "; the call may have reached the station");
                case BAD_ANSWER -> new Refusal("TERMINATOR_FAILED", 502, f.detail() + "; the call may have reached the station");
            };
        }
        throw audited(actor, subject, action, terminatorId, r);
    }

    private static Refusal offline() {
        return Refusal.conflict("STATION_OFFLINE", "the station is not connected to any terminator");
    }

    private static Action allowed(String name) {
        return Action.fromWire(name).filter(ALLOWED::contains).orElseThrow(() -> Refusal.badRequest("ACTION_NOT_ALLOWED",
                "action must be one of " + ALLOWED.stream().map(Action::wireName).collect(Collectors.joining(", "))));
    }

    private static int timeout(Integer seconds) {
        if (seconds == null) {
            return DEFAULT_TIMEOUT_SECONDS;
        }
        if (seconds < 1 || seconds > MAX_TIMEOUT_SECONDS) {
            throw Refusal.badRequest("BAD_TIMEOUT", "timeoutSeconds must be between 1 and " + MAX_TIMEOUT_SECONDS);
        }
        return seconds;
    }

    private Refusal audited(String actor, String subject, String action, String terminatorId, Refusal r) {
        Ledger.join(ledger.audit(AuditEntry.refused(actor, "station.call", subject, r.reason(),
                Details.of("action", action == null ? null : action.length() > 64 ? action.substring(0, 64) : action,
                        "terminatorId", terminatorId))));
        return r;
    }
}
