package io.ocppsec.pki.pnc;

import java.util.List;

/**
 * One Get15118EVCertificate request (OCPP 2.0.1/2.1 M02).
 *
 * @param stationId                        the station asking
 * @param iso15118SchemaVersion            e.g. {@code urn:iso:15118:2:2013:MsgDef} or
 *                                         {@code urn:iso:std:iso:15118:-20:CommonMessages}
 * @param action                           {@code Install} or {@code Update}
 * @param exiRequestBase64                 Base64 of the EXI V2G_Message from the EV
 * @param maximumContractCertificateChains OCPP 2.1, ISO 15118-20 only; null otherwise
 * @param prioritizedEmaids                OCPP 2.1, ISO 15118-20 only; empty otherwise
 * @param ocppVersion                      the station's OCPP subprotocol ({@code ocpp2.0.1}, {@code ocpp2.1}),
 *                                         or null when not known
 */
public record ProvisioningRequest(String stationId, String iso15118SchemaVersion, String action /* Install|Update */,
                                  String exiRequestBase64, Integer maximumContractCertificateChains,
                                  List<String> prioritizedEmaids, String ocppVersion) {
    public ProvisioningRequest {
        prioritizedEmaids = prioritizedEmaids == null ? List.of() : List.copyOf(prioritizedEmaids);
    }

    /** A request whose OCPP version is not known. */
    public ProvisioningRequest(String stationId, String iso15118SchemaVersion, String action, String exiRequestBase64,
                               Integer maximumContractCertificateChains, List<String> prioritizedEmaids) {
        this(stationId, iso15118SchemaVersion, action, exiRequestBase64, maximumContractCertificateChains, prioritizedEmaids, null);
    }

    public boolean update() {
        return "Update".equals(action);
    }
}
