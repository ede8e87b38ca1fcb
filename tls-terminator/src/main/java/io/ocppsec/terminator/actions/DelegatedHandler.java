package io.ocppsec.terminator.actions;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.terminator.pki.PkiClient;
import io.ocppsec.terminator.session.StationSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
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
    private final java.util.function.BiFunction<StationSession, JsonNode, ObjectNode> failure;

    /**
     * @param failure the well-formed answer the station gets when pki-service fails (built from the
     *                request), or null for a CALLERROR InternalError
     */
    public DelegatedHandler(String action, String path, PkiClient pki,
                            java.util.function.BiFunction<StationSession, JsonNode, ObjectNode> failure) {
        this.action = action;
        this.path = path;
        this.pki = pki;
        this.failure = failure;
    }

    /** GetCertificateStatus's failure: status Failed with a reason (M06). */
    public static ObjectNode certificateStatusFailed(StationSession s, JsonNode request) {
        ObjectNode out = s.context().json().createObjectNode().put("status", "Failed");
        out.putObject("statusInfo").put("reasonCode", "Unavailable").put("additionalInfo", "the OCSP broker is not available");
        return out;
    }

    /**
     * GetCertificateChainStatus's failure (M07.FR.03/06: a certificate whose status could not be
     * obtained is Failed): one entry per requested certificate, echoing its hash data and source.
     */
    public static ObjectNode chainStatusFailed(StationSession s, JsonNode request) {
        ObjectNode out = s.context().json().createObjectNode();
        ArrayNode statuses = out.putArray("certificateStatus");
        String now = java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
        for (JsonNode r : request.path("certificateStatusRequests")) {
            ObjectNode e = statuses.addObject();
            e.set("certificateHashData", r.path("certificateHashData").deepCopy());
            e.put("source", r.path("source").asString());
            e.put("status", "Failed");
            e.put("nextUpdate", now);
        }
        return out;
    }

    /**
     * Get15118EVCertificate's failure: status Failed with statusInfo and an empty exiResponse (the
     * field is required; there is no EXI answer to give when the service behind us cannot be asked).
     */
    public static ObjectNode evCertificateFailed(StationSession s, JsonNode request) {
        ObjectNode out = s.context().json().createObjectNode().put("status", "Failed").put("exiResponse", "");
        out.putObject("statusInfo").put("reasonCode", "Unavailable")
                .put("additionalInfo", "the contract certificate service is not available");
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
            ObjectNode failed = failure == null ? null : failure.apply(session, call.payload());
            if (failed != null) {
                session.answer(new RpcFrame.CallResult(call.messageId(), failed));
            } else {
                session.answer(RpcFrame.CallError.of(call.messageId(), RpcErrorCode.InternalError,
                        action + " could not be completed"));
            }
        });
    }
}
