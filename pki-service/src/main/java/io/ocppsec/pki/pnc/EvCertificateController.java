package io.ocppsec.pki.pnc;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Get15118EVCertificateRequest;
import io.ocppsec.ocpp.message.Get15118EVCertificateResponse;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.type.Iso15118EVCertificateStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;
import io.ocppsec.pki.api.BadRequestException;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Get15118EVCertificate (OCPP M01/M02), called by the TLS terminator for a station and by CSMS
 * backends: {@code POST /api/v1/pnc/ev-certificate} with {@code {"station": id (optional for a
 * CSMS), "ocppVersion": "ocpp2.0.1"|"ocpp2.1", "request": <Get15118EVCertificateRequest>}}; the
 * answer is the OCPP response payload. A request its schema refuses is a 400 problem; every other
 * failure is a well-formed response: status Failed with statusInfo, and the EXI answer with its
 * FAILED_* ResponseCode whenever one could be built (else an empty exiResponse).
 */
@RestController
@RequiresRole(Role.CSMS)
@RequestMapping("/api/v1/pnc")
public class EvCertificateController {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(EvCertificateController.class);
    private final ContractProvisioner provisioner;

    public EvCertificateController(ContractProvisioner provisioner) {
        this.provisioner = provisioner;
    }

    @PostMapping("/ev-certificate")
    public ObjectNode evCertificate(@RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("malformed-body", "the body must be a JSON object");
        }
        String station = null;
        JsonNode s = body.get("station");
        if (s != null && !s.isNull()) {
            if (!s.isString() || s.stringValue().isBlank() || s.stringValue().length() > 48) {
                throw new BadRequestException("invalid-field", "station must be a station identity of at most 48 characters");
            }
            station = s.stringValue();
        }
        OcppVersion version = io.ocppsec.pki.api.ApiInputs.typedOcppVersion(body.get("ocppVersion"));
        Get15118EVCertificateRequest req = io.ocppsec.pki.api.ApiInputs.ocppRequest(version, Get15118EVCertificateRequest.class, body);
        ProvisioningOutcome outcome = provisioner.provision(new ProvisioningRequest(station, req.iso15118SchemaVersion(),
                req.action().name(), req.exiRequest(), req.maximumContractCertificateChains(), req.prioritizedEMAIDs(),
                version.subprotocol()));
        outcome = fitted(outcome, version);
        Get15118EVCertificateResponse response;
        if (outcome instanceof ProvisioningOutcome.Accepted a) {
            response = new Get15118EVCertificateResponse(Iso15118EVCertificateStatus.Accepted, null,
                    a.exiResponseBase64(), version == OcppVersion.OCPP_2_1 ? a.remainingContracts() : null);
        } else {
            ProvisioningOutcome.Failed f = (ProvisioningOutcome.Failed) outcome;
            response = new Get15118EVCertificateResponse(Iso15118EVCertificateStatus.Failed,
                    StatusInfo.of(f.reasonCode(), f.additionalInfo()), f.exiResponseBase64() == null ? "" : f.exiResponseBase64(),
                    null);
        }
        return OcppCodec.of(version).encode(response);
    }

    /** exiResponse's maxLength: 5600 in OCPP 2.0.1, 17000 in 2.1 (the official schemas). */
    static int maxExiResponse(OcppVersion version) {
        return version == OcppVersion.OCPP_2_1 ? 17_000 : 5_600;
    }

    /**
     * An answer whose EXI does not fit exiResponse cannot be sent (the station would refuse the
     * whole message): it becomes Failed with the size in the reason, so an operator can act
     * (shorter certificate chains, or OCPP 2.1).
     */
    static ProvisioningOutcome fitted(ProvisioningOutcome outcome, OcppVersion version) {
        String exi = outcome instanceof ProvisioningOutcome.Accepted a ? a.exiResponseBase64()
                : ((ProvisioningOutcome.Failed) outcome).exiResponseBase64();
        int max = maxExiResponse(version);
        if (exi == null || exi.length() <= max) {
            return outcome;
        }
        log.warn("Get15118EVCertificate: the EXI response has {} Base64 characters, {} allows {}; the station gets Failed",
                exi.length(), version.subprotocol(), max);
        return new ProvisioningOutcome.Failed("ResponseTooLarge", "the EXI response has " + exi.length()
                + " Base64 characters; " + version.subprotocol() + " allows " + max
                + " (shorter certificate chains, or OCPP 2.1, make it fit)");
    }

}
