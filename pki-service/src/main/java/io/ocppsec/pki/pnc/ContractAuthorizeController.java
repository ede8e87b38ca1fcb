package io.ocppsec.pki.pnc;

import io.ocppsec.iso15118.authorize.ContractAuthorization;
import io.ocppsec.iso15118.authorize.Decision;
import io.ocppsec.iso15118.authorize.RevocationLookup;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.AuthorizeRequest;
import io.ocppsec.ocpp.message.AuthorizeResponse;
import io.ocppsec.ocpp.message.GetCertificateStatusResponse;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.type.AuthorizationStatus;
import io.ocppsec.ocpp.message.type.GetCertificateStatusEnum;
import io.ocppsec.ocpp.message.type.IdTokenInfo;
import io.ocppsec.pki.api.BadRequestException;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.broker.OcspBroker;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authorize with a contract certificate (OCPP C07) for CSMS backends: {@code POST
 * /api/v1/pnc/authorize} with {@code {"ocppVersion", "request": <AuthorizeRequest>, "tokenStatus"?}}
 * answers the AuthorizeResponse payload: {@code idTokenInfo.status} and {@code certificateStatus}
 * by the C07 decision table (C07.FR.04/05/13–17). The chain (when {@code certificate} is sent,
 * central contract validation C07.FR.06) is validated up to our MO or V2G roots with the ISO
 * profile and the hash data are computed from it (TC_C_52); {@code iso15118CertificateHashData} sent
 * beside it must describe certificates of that chain, else CertChainError; every OCSP check goes
 * through the OCSP broker (cached until nextUpdate, C07.FR.05). The eMAID's own status
 * is the CSMS's {@code tokenStatus} when it sends one (its token database decides), else our
 * contract store's: active → Accepted, cancelled → its token status, unknown → Unknown.
 */
@RestController
@RequiresRole(Role.CSMS)
@RequestMapping("/api/v1/pnc")
public class ContractAuthorizeController {
    private static final Logger log = LoggerFactory.getLogger(ContractAuthorizeController.class);
    private final PncPki pki;
    private final ContractStore contracts;
    private final OcspBroker broker;
    private final Leniency leniency;
    private final Clock clock = Clock.systemUTC();

    public ContractAuthorizeController(PncPki pki, ContractStore contracts, OcspBroker broker, PncProperties properties) {
        this.pki = pki;
        this.contracts = contracts;
        this.broker = broker;
        this.leniency = properties.leniency();
    }

    @PostMapping("/authorize")
    public ObjectNode authorize(@RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw new BadRequestException("malformed-body", "the body must be a JSON object");
        }
        OcppVersion version = io.ocppsec.pki.api.ApiInputs.typedOcppVersion(body.get("ocppVersion"));
        AuthorizationStatus given = null;
        JsonNode ts = body.get("tokenStatus");
        if (ts != null && !ts.isNull()) {
            given = ts.isString() ? parseStatus(ts.stringValue()).orElse(null) : null;
            if (given == null) {
                throw new BadRequestException("invalid-field", "tokenStatus must be an AuthorizationStatus (Accepted, Blocked, "
                        + "ConcurrentTx, Expired, Invalid, NoCredit, NotAllowedTypeEVSE, NotAtThisLocation, NotAtThisTime, Unknown)");
            }
        }
        AuthorizeRequest req = io.ocppsec.pki.api.ApiInputs.ocppRequest(version, AuthorizeRequest.class, body);
        AuthorizationStatus tokenStatus = given;
        ContractAuthorization auth = new ContractAuthorization(
                new Iso15118ChainValidator(new TrustAnchors(both(pki.v2gRoots(), pki.v2gRoots20()),
                        both(pki.moRoots(), pki.moRoots20()), java.util.List.of()), leniency),
                this::revocation,
                emaid -> tokenStatus != null ? tokenStatus : contracts.findByEmaid(emaid)
                        .map(c -> c.active() ? AuthorizationStatus.Accepted
                                : parseStatus(c.tokenStatus()).orElse(AuthorizationStatus.Blocked))
                        .orElse(AuthorizationStatus.Unknown));
        Decision decision = auth.decidePem(req.idToken().idToken(), req.certificate(), req.iso15118CertificateHashData(),
                clock.instant());
        log.info("Authorize with contract {}: {} / {} ({})", req.idToken().idToken(), decision.idTokenStatus(),
                decision.certificateStatus(), decision.reason());
        return OcppCodec.of(version).encode(AuthorizeResponse.of(IdTokenInfo.of(decision.idTokenStatus()),
                decision.certificateStatus()));
    }

    /** The broker's verified answer for one certificate: good, revoked, unknown, or unavailable. */
    private RevocationLookup.Status revocation(io.ocppsec.ocpp.message.type.OcspRequestData data) {
        GetCertificateStatusResponse r = broker.certificateStatus(data, OcppVersion.OCPP_2_1);
        if (r.status() != GetCertificateStatusEnum.Accepted || r.ocspResult() == null) {
            return RevocationLookup.Status.UNAVAILABLE;
        }
        try {
            OCSPResp resp = new OCSPResp(Base64.getDecoder().decode(r.ocspResult()));
            BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
            if (basic == null || basic.getResponses().length == 0) {
                return RevocationLookup.Status.UNAVAILABLE;
            }
            SingleResp single = basic.getResponses()[0];
            Object status = single.getCertStatus();
            if (status == null) {
                return RevocationLookup.Status.GOOD;
            }
            if (status instanceof RevokedStatus) {
                return RevocationLookup.Status.REVOKED;
            }
            return status instanceof UnknownStatus ? RevocationLookup.Status.UNKNOWN : RevocationLookup.Status.UNAVAILABLE;
        } catch (java.io.IOException | org.bouncycastle.cert.ocsp.OCSPException | IllegalArgumentException | ClassCastException e) {
            return RevocationLookup.Status.UNAVAILABLE;
        }
    }

    /** ISO 15118-2 and -20 anchors together: the chain's own key type decides the edition it is checked by. */
    private static java.util.List<java.security.cert.X509Certificate> both(java.util.List<java.security.cert.X509Certificate> a,
                                                                           java.util.List<java.security.cert.X509Certificate> b) {
        java.util.List<java.security.cert.X509Certificate> out = new java.util.ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static Optional<AuthorizationStatus> parseStatus(String s) {
        for (AuthorizationStatus a : AuthorizationStatus.values()) {
            if (a.name().equals(s)) {
                return Optional.of(a);
            }
        }
        return Optional.empty();
    }

}
