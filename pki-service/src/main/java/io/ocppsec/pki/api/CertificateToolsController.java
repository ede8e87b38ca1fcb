package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.security.cert.CertificateIdentifier;
import io.ocppsec.security.cert.PemCertificates;
import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /api/v1/certificates/hash-data}: the OCPP CertificateHashData (and, when the
 * certificate names an OCSP responder, the OCSPRequestData) of a certificate, as a CSMS needs it
 * for DeleteCertificate, GetInstalledCertificateIds matching or GetCertificateStatus.
 *
 * <p>Body: {@code {"certificate": PEM, "issuer": PEM (optional), "hashAlgorithm": "SHA256"}}.
 * Without {@code issuer} the issuer is the next certificate of a PEM chain, or the certificate
 * itself when it is self-signed.
 */
@RestController
@RequiresRole(Role.CSMS)
@RequestMapping("/api/v1/certificates")
public class CertificateToolsController {

    @PostMapping("/hash-data")
    public Map<String, Object> hashData(@RequestBody JsonNode body) {
        List<X509Certificate> chain = pem(body.get("certificate"), "certificate");
        X509Certificate cert = chain.get(0);
        X509Certificate issuer;
        if (body.hasNonNull("issuer")) {
            issuer = pem(body.get("issuer"), "issuer").get(0);
        } else if (chain.size() > 1) {
            issuer = chain.get(1);
        } else if (cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal())) {
            issuer = cert;
        } else {
            throw new BadRequestException("issuer-required",
                    "the certificate is not self-signed: give its issuer as 'issuer' or as the next certificate of a chain");
        }
        HashAlgorithm alg = algorithm(body.get("hashAlgorithm"));
        CertificateHashData data;
        try {
            data = CertificateIdentifier.of(cert, issuer, alg);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("bad-certificate", e.getMessage());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("hashAlgorithm", data.hashAlgorithm().name());
        out.put("issuerNameHash", data.issuerNameHash());
        out.put("issuerKeyHash", data.issuerKeyHash());
        out.put("serialNumber", data.serialNumber());
        CertificateIdentifier.ocspResponderUrl(cert).ifPresent(url -> out.put("responderURL", url));
        return out;
    }

    private static List<X509Certificate> pem(JsonNode node, String field) {
        String text = ApiInputs.text(node, field);
        try {
            return PemCertificates.read(text);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("bad-certificate", field + ": " + e.getMessage());
        }
    }

    private static HashAlgorithm algorithm(JsonNode node) {
        if (node == null || node.isNull()) {
            return HashAlgorithm.SHA256;
        }
        for (HashAlgorithm a : HashAlgorithm.values()) {
            if (node.isString() && a.name().equals(node.stringValue())) {
                return a;
            }
        }
        throw new BadRequestException("bad-hash-algorithm", "hashAlgorithm must be SHA256, SHA384 or SHA512");
    }
}
