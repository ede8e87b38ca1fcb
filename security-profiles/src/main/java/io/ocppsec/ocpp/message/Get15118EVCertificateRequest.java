package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateAction;
import java.util.List;

/**
 * Get15118EVCertificateRequest (M01/M02): the EV's base64 EXI CertificateInstallationReq or
 * CertificateUpdateReq, and the ISO 15118 schema namespace needed to decode it. OCPP 2.1 adds
 * {@code maximumContractCertificateChains} and {@code prioritizedEMAIDs} (ISO 15118-20).
 */
public record Get15118EVCertificateRequest(
        String iso15118SchemaVersion,
        CertificateAction action,
        String exiRequest,
        Integer maximumContractCertificateChains,
        List<String> prioritizedEMAIDs) implements OcppRequest {

    public Get15118EVCertificateRequest {
        prioritizedEMAIDs = prioritizedEMAIDs == null ? null : List.copyOf(prioritizedEMAIDs);
    }

    @Override
    public Action ocppAction() {
        return Action.Get15118EVCertificate;
    }
}
