package io.ocppsec.pki.broker;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.GetCertificateChainStatusRequest;
import io.ocppsec.ocpp.message.GetCertificateStatusRequest;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.OcppMessage;
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
 * The OCSP broker's API, called by the TLS terminator for a station (and by a CSMS):
 * {@code POST /api/v1/ocsp/certificate-status} (GetCertificateStatus, M06) and
 * {@code POST /api/v1/ocsp/chain-status} (GetCertificateChainStatus, M07, OCPP 2.1 only). Body
 * {@code {"station": id, "ocppVersion": "ocpp2.0.1"|"ocpp2.1", "request": <OCPP request payload>}};
 * answer: the OCPP response payload. A payload its schema refuses is a 400 problem; a broker
 * failure is a 200 with the OCPP failure answer.
 */
@RestController
@RequiresRole(Role.CSMS)
@RequestMapping("/api/v1/ocsp")
public class OcspBrokerController {
    private final OcspBroker broker;

    public OcspBrokerController(OcspBroker broker) {
        this.broker = broker;
    }

    @PostMapping("/certificate-status")
    public ObjectNode certificateStatus(@RequestBody JsonNode body) {
        OcppVersion version = version(body);
        GetCertificateStatusRequest req = io.ocppsec.pki.api.ApiInputs.ocppRequest(version, GetCertificateStatusRequest.class, body);
        return OcppCodec.of(version).encode(broker.certificateStatus(req.ocspRequestData(), version));
    }

    @PostMapping("/chain-status")
    public ObjectNode chainStatus(@RequestBody JsonNode body) {
        OcppVersion version = version(body);
        if (version != OcppVersion.OCPP_2_1) {
            throw new BadRequestException("unsupported-version", "GetCertificateChainStatus exists in OCPP 2.1 only");
        }
        GetCertificateChainStatusRequest req = io.ocppsec.pki.api.ApiInputs.ocppRequest(version, GetCertificateChainStatusRequest.class, body);
        return OcppCodec.of(version).encode((OcppMessage) broker.chainStatus(req));
    }

    private static OcppVersion version(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("malformed-body", "the body must be a JSON object");
        }
        JsonNode station = body.get("station");
        if (station == null || !station.isString() || station.stringValue().isBlank() || station.stringValue().length() > 48) {
            throw new BadRequestException("missing-field", "station is required: the station identity (at most 48 characters)");
        }
        return io.ocppsec.pki.api.ApiInputs.typedOcppVersion(body.get("ocppVersion"));
    }

}
