package io.ocppsec.terminator.actions;

import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.terminator.SecurityEvents;
import io.ocppsec.terminator.session.StationSession;

/**
 * SecurityEventNotification (A04): recorded as a security event of the station; answered here, or,
 * when {@code forward-security-events} is on and a CSMS is configured, passed on to it as well
 * (the CSMS then answers).
 */
public final class SecurityEventNotificationHandler implements ActionHandler {
    private final SecurityEvents events;
    private final boolean forward;

    public SecurityEventNotificationHandler(SecurityEvents events, boolean forward) {
        this.events = events;
        this.forward = forward;
    }

    @Override
    public String action() {
        return "SecurityEventNotification";
    }

    @Override
    public void handle(StationSession session, RpcFrame.Call call) {
        events.station(session.identity().value(), session.remote(), call.payload().path("type").asString(),
                call.payload().path("techInfo").asString(null));
        if (forward && session.context().config().proxied()) {
            session.passUpstream(call);
            return;
        }
        session.answer(new RpcFrame.CallResult(call.messageId(), session.context().json().createObjectNode()));
    }
}
