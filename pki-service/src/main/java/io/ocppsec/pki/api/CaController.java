package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.ca.CaInfo;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.store.Refusal;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** CA information and certificate downloads: {@code /api/v1/ca}. */
@RestController
@RequestMapping("/api/v1/ca")
public class CaController {
    static final MediaType PEM_CHAIN = MediaType.parseMediaType("application/pem-certificate-chain");

    private final IssuerRegistry issuers;
    private final CaInfo info;

    public CaController(IssuerRegistry issuers, CaInfo info) {
        this.issuers = issuers;
        this.info = info;
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
