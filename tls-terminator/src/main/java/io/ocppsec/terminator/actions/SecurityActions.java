package io.ocppsec.terminator.actions;

import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.rpc.FrameHeader;
import io.ocppsec.ocpp.rpc.FrameWriter;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.ocpp.schema.Violation;
import io.ocppsec.terminator.Metrics;
import io.ocppsec.terminator.session.StationSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The routing table of the security actions answered here: action name to handler. A CALL for one
 * of them is read in full and its payload checked against the schema of the session's OCPP version
 * before its handler sees it; a broken one gets the CALLERROR the reader or the schema says.
 */
public final class SecurityActions {
    private final Map<String, ActionHandler> handlers = new HashMap<>();
    private final Metrics metrics;

    public SecurityActions(List<ActionHandler> all, Set<String> enabled, Metrics metrics) {
        for (ActionHandler h : all) {
            if (enabled.contains(h.action())) {
                handlers.put(h.action(), h);
            }
        }
        this.metrics = metrics;
    }

    /** Whether a CALL with {@code action} is answered here on this session. */
    public boolean intercepts(String action, StationSession session) {
        if (action == null || !session.version().hasTypedMessages()) {
            return false;
        }
        ActionHandler h = handlers.get(action);
        return h != null && Action.fromWire(action).map(a -> a.existsIn(session.version())).orElse(false);
    }

    /** Reads the whole CALL, checks its payload and hands it to its handler. */
    public void handle(StationSession session, FrameHeader header, byte[] bytes) {
        metrics.securityAction();
        ReadResult r = session.reader().read(bytes);
        if (r instanceof ReadResult.Rejected rejected) {
            rejected.reply().ifPresent(session::answer);
            return;
        }
        RpcFrame.Call call = (RpcFrame.Call) ((ReadResult.Accepted) r).frame();
        Action action = Action.fromWire(call.action()).orElseThrow();
        Optional<Violation> violation = OcppCodec.of(session.version()).validate(action, OcppCodec.Kind.REQUEST, call.payload());
        if (violation.isPresent()) {
            session.answer(FrameWriter.callErrorFor(call.messageId(), violation.get()));
            return;
        }
        handlers.get(call.action()).handle(session, call);
    }
}
