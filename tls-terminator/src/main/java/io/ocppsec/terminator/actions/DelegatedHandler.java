package io.ocppsec.terminator.actions;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.terminator.pki.PkiClient;
import io.ocppsec.terminator.session.StationSession;
import tools.jackson.databind.node.ObjectNode;

/**
 * A security action whose answer pki-service computes: GetCertificateStatus and
 * GetCertificateChainStatus (the OCSP broker) and Get15118EVCertificate (Plug &amp; Charge). The
 * request goes to {@code path} as {@code {"station","ocppVersion","request"}} and pki-service
 * answers with the OCPP response payload. While pki-service does not offer the endpoint (HTTP 404
 * or 405), the CALL goes on to the CSMS when there is one, else it gets CALLERROR NotImplemented;
 * when pki-service fails, the station gets {@code failure} (a well-formed answer) or a CALLERROR.
 */
public final class DelegatedHandler implements ActionHandler {
    private final String action;
    private final String path;
    private final PkiClient pki;
    private final java.util.function.Function<StationSession, ObjectNode> failure;

    public DelegatedHandler(String action, String path, PkiClient pki,
                            java.util.function.Function<StationSession, ObjectNode> failure) {
        this.action = action;
        this.path = path;
        this.pki = pki;
        this.failure = failure;
    }

    /** GetCertificateStatus's failure: status Failed with a reason (M06). */
    public static ObjectNode certificateStatusFailed(StationSession s) {
        ObjectNode out = s.context().json().createObjectNode().put("status", "Failed");
        out.putObject("statusInfo").put("reasonCode", "Unavailable").put("additionalInfo", "the OCSP broker is not available");
        return out;
    }

    @Override
    public String action() {
        return action;
    }

    @Override
    public void handle(StationSession session, RpcFrame.Call call) {
        ObjectNode body = session.context().json().createObjectNode();
        body.put("station", session.identity().value());
        body.put("ocppVersion", session.version().subprotocol());
        body.set("request", call.payload());
        pki.postJson(path, body).whenComplete((answer, err) -> {
            if (err == null && answer instanceof ObjectNode payload) {
                session.answer(new RpcFrame.CallResult(call.messageId(), payload));
                return;
            }
            Throwable c = err != null && err.getCause() != null ? err.getCause() : err;
            if (c instanceof PkiClient.PkiException p && (p.status() == 404 || p.status() == 405) && p.code() == null) {
                if (session.context().config().proxied()) {
                    session.passUpstream(call);
                } else {
                    session.answer(RpcFrame.CallError.of(call.messageId(), RpcErrorCode.NotImplemented,
                            action + " is not available yet"));
                }
                return;
            }
            ObjectNode failed = failure == null ? null : failure.apply(session);
            if (failed != null) {
                session.answer(new RpcFrame.CallResult(call.messageId(), failed));
            } else {
                session.answer(RpcFrame.CallError.of(call.messageId(), RpcErrorCode.InternalError,
                        action + " could not be completed"));
            }
        });
    }
}
