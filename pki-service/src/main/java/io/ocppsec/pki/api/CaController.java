package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.ca.CaAdministration;
import io.ocppsec.pki.ca.CaInfo;
import io.ocppsec.pki.custody.KeyAlgorithm;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Base64;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.store.Refusal;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** CA information and certificate downloads: {@code /api/v1/ca}. */
@RestController
@RequestMapping("/api/v1/ca")
public class CaController {
    static final MediaType PEM_CHAIN = MediaType.parseMediaType("application/pem-certificate-chain");

    private final IssuerRegistry issuers;
    private final CaInfo info;
    private final CaAdministration admin;

    public CaController(IssuerRegistry issuers, CaInfo info, CaAdministration admin) {
        this.issuers = issuers;
        this.info = info;
        this.admin = admin;
    }

    /**
     * Importing an existing CA: either {@code chain} (PEM, the CA first, up to its root) with
     * {@code key} (PEM private key; {@code keyPassword} when encrypted), or {@code pkcs12}
     * (base64) with {@code password}, or {@code existingKeyLabel} (a key already in the HSM or
     * Vault) with {@code chain}.
     */
    public record ImportBody(String chain, String key, String keyPassword, String pkcs12, String password, String existingKeyLabel) {
        @Override
        public String toString() {
            return "ImportBody[existingKeyLabel=" + existingKeyLabel + ", secrets=<redacted>]";
        }
    }

    public record SubCaRequestBody(String subject, String keyAlgorithm) {
    }

    public record SubCaInstallBody(String id, String certificateChain) {
    }

    @PostMapping("/import")
    @RequiresRole(Role.ADMIN)
    public CaAdministration.Imported importCa(@RequestBody ImportBody body, HttpServletRequest request) {
        String actor = Caller.of(request).actor();
        if (body.pkcs12() != null) {
            byte[] p12;
            try {
                p12 = Base64.getMimeDecoder().decode(body.pkcs12());
            } catch (IllegalArgumentException e) {
                throw Refusal.badRequest("BAD_PKCS12", "pkcs12 must be base64");
            }
            return admin.importPkcs12(p12, body.password() == null ? new char[0] : body.password().toCharArray(), actor);
        }
        if (body.existingKeyLabel() != null) {
            return admin.importExistingKey(body.existingKeyLabel(), body.chain(), actor);
        }
        if (body.chain() == null || body.key() == null) {
            throw Refusal.badRequest("MISSING_FIELD", "give chain and key, or pkcs12 and password, or existingKeyLabel and chain");
        }
        return admin.importPem(body.chain(), body.key(), body.keyPassword() == null ? null : body.keyPassword().toCharArray(), actor);
    }

    /** Generates a sub-CA key in the custody backend and returns the CSR for an offline root. */
    @PostMapping("/sub-ca/request")
    @RequiresRole(Role.ADMIN)
    public CaAdministration.SubCaRequest requestSubCa(@RequestBody SubCaRequestBody body, HttpServletRequest request) {
        KeyAlgorithm alg;
        try {
            // Ed448 names imported ISO 15118-20 anchors only: the CA holds no Ed448 key
            alg = KeyAlgorithm.custodialValueOf(body.keyAlgorithm() == null ? "EC_P256" : body.keyAlgorithm());
        } catch (IllegalArgumentException e) {
            throw Refusal.badRequest("BAD_KEY_ALGORITHM", "keyAlgorithm must be one of EC_P256, EC_P384, EC_P521, RSA_2048, RSA_3072, RSA_4096");
        }
        if (body.subject() == null) {
            throw Refusal.badRequest("MISSING_FIELD", "subject is required");
        }
        return admin.requestSubCa(body.subject(), alg, Caller.of(request).actor());
    }

    /** Installs the certificate the offline root signed, with the chain up to the root. */
    @PostMapping("/sub-ca/install")
    @RequiresRole(Role.ADMIN)
    public CaAdministration.Imported installSubCa(@RequestBody SubCaInstallBody body, HttpServletRequest request) {
        if (body.id() == null || body.certificateChain() == null) {
            throw Refusal.badRequest("MISSING_FIELD", "id and certificateChain are required");
        }
        return admin.installSubCa(body.id(), body.certificateChain(), Caller.of(request).actor());
    }

    /** The organization, every CA certificate with its fingerprint, and the key custody in use. */
    @GetMapping
    @RequiresRole(Role.CSMS)
    public CaInfo.Status status() {
        return info.status();
    }

    /** The root certificates stations and peers must trust (install as CSMSRootCertificate), PEM. */
    @GetMapping(value = "/chain", produces = "application/pem-certificate-chain")
    @RequiresRole(Role.CSMS)
    public ResponseEntity<String> chain() {
        var roots = issuers.trustedRoots();
        if (roots.isEmpty()) {
            throw Refusal.notFound("NO_ROOT", "no CSMS root is configured yet");
        }
        return ResponseEntity.ok().contentType(PEM_CHAIN).body(Pem.certificates(roots));
    }

    /** One CA certificate, PEM. */
    @GetMapping(value = "/certificates/{id}", produces = "application/pem-certificate-chain")
    @RequiresRole(Role.CSMS)
    public ResponseEntity<String> certificate(@PathVariable("id") String id) {
        return issuers.byId(id)
                .map(i -> ResponseEntity.ok().contentType(PEM_CHAIN).body(i.record().certificatePem()))
                .orElseThrow(() -> Refusal.notFound("CA_CERTIFICATE_UNKNOWN", "no CA certificate with this id"));
    }
}
