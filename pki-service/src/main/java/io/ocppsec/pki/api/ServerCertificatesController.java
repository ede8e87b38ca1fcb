package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.server.ServerCertificateService;
import io.ocppsec.pki.store.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The terminators' TLS server certificates: {@code /api/v1/terminator/server-certificates} (role
 * terminator). A terminator sends a CSR for its own key and gets a certificate under the CSMS root,
 * short-lived with fast expiration (A00.FR.701).
 */
@RestController
@RequestMapping("/api/v1/terminator/server-certificates")
@RequiresRole(Role.TERMINATOR)
public class ServerCertificatesController {
    private final ServerCertificateService service;

    public ServerCertificatesController(ServerCertificateService service) {
        this.service = service;
    }

    /** A CSR (PEM PKCS#10) for a server certificate. */
    public record CsrBody(String csr) {
    }

    @PostMapping
    public ResponseEntity<ServerCertificateService.Issued> issue(@RequestBody CsrBody body, HttpServletRequest request) {
        if (body == null || body.csr() == null || body.csr().isBlank()) {
            throw Refusal.badRequest("MISSING_FIELD", "csr is required");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(service.issue(body.csr(), Caller.of(request).actor()));
    }

    /** Whether fast expiration applies, the validity and the names allowed. */
    @GetMapping("/policy")
    public ServerCertificateService.Policy policy() {
        return service.policy();
    }
}
