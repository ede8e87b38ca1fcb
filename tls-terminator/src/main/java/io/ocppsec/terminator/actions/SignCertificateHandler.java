package io.ocppsec.terminator.actions;

import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.terminator.pki.PkiClient;
import io.ocppsec.terminator.session.CallOutcome;
import io.ocppsec.terminator.session.StationSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * SignCertificate (A02/A03): pki-service checks the CSR and issues the certificate; the station
 * gets Accepted, and only once that answer is flushed to its socket does CertificateSigned leave,
 * through the session's call queue (one outstanding CALL). The station's CertificateSigned answer
 * goes back to pki-service. A refused CSR gets Rejected with pki-service's reason.
 */
public final class SignCertificateHandler implements ActionHandler {
    private static final Logger log = LoggerFactory.getLogger(SignCertificateHandler.class);
    private final PkiClient pki;

    public SignCertificateHandler(PkiClient pki) {
        this.pki = pki;
    }

    @Override
    public String action() {
        return "SignCertificate";
    }

    @Override
    public void handle(StationSession session, RpcFrame.Call call) {
        ObjectNode p = call.payload();
        String csr = p.path("csr").asString();
        String type = p.path("certificateType").asString("ChargingStationCertificate");
        Long requestId = p.has("requestId") ? p.get("requestId").asLong() : null;
        String station = session.identity().value();
        pki.sign(station, csr, type, requestId).whenComplete((signed, err) -> {
            if (err != null) {
                Throwable c = err.getCause() != null ? err.getCause() : err;
                session.answer(new RpcFrame.CallResult(call.messageId(), rejected(session, c)));
                return;
            }
            ObjectNode accepted = session.context().json().createObjectNode().put("status", "Accepted");
            session.answer(new RpcFrame.CallResult(call.messageId(), accepted)).addListener(flushed -> {
                if (!flushed.isSuccess()) {
                    return;
                }
                ObjectNode signedCall = session.context().json().createObjectNode();
                signedCall.put("certificateChain", signed.certificateChain());
                signedCall.put("certificateType", type);
                if (requestId != null && session.version().atLeast(io.ocppsec.ocpp.OcppVersion.OCPP_2_1)) {
                    signedCall.put("requestId", requestId);
                }
                session.inject("CertificateSigned", signedCall, session.context().config().callTimeout())
                        .whenComplete((outcome, e2) -> report(station, signed.serialNumber(), outcome, e2));
            });
        });
    }

    private void report(String station, String serial, CallOutcome outcome, Throwable err) {
        String status;
        JsonNode info = null;
        if (err != null) {
            status = "NoAnswer";
            log.info("station {}: CertificateSigned for {} not answered: {}", station, serial, err.getMessage());
        } else if (outcome instanceof CallOutcome.Result r) {
            status = r.payload().path("status").asString("Rejected");
            info = r.payload().get("statusInfo");
        } else {
            status = "Rejected";
        }
        if (err != null) {
            return;
        }
        pki.certificateSigned(station, serial, status, info).exceptionally(e -> {
            log.warn("station {}: CertificateSigned outcome {} for {} not recorded: {}", station, status, serial, e.getMessage());
            return null;
        });
    }

    private static ObjectNode rejected(StationSession session, Throwable c) {
        String code = "Unavailable";
        String detail = "the CA is not available";
        if (c instanceof PkiClient.PkiException p && p.status() >= 400 && p.status() < 500) {
            code = p.code() != null && p.code().matches("[A-Za-z0-9_]{1,20}") ? p.code() : "InvalidCSR";
            detail = p.getMessage();
        }
        ObjectNode out = session.context().json().createObjectNode().put("status", "Rejected");
        ObjectNode info = out.putObject("statusInfo").put("reasonCode", code);
        info.put("additionalInfo", detail.length() > 512 ? detail.substring(0, 512) : detail);
        return out;
    }
}
