package io.ocppsec.pki.rotation;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.store.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Key and root rotation: {@code /api/v1/ca/rotations}. Making keys and switching roots needs the
 * admin role; sending the new root to the fleet and reading the status need an operator.
 */
@RestController
@RequestMapping("/api/v1/ca/rotations")
public class RotationController {
    static final MediaType PEM_CHAIN = MediaType.parseMediaType("application/pem-certificate-chain");

    private final KeyRotation keys;
    private final RootRotation roots;

    public RotationController(KeyRotation keys, RootRotation roots) {
        this.keys = keys;
        this.roots = roots;
    }

    public record StationCaBody(String keyAlgorithm) {
    }

    public record OcspSignerBody(String issuerId) {
    }

    public record PrepareBody(String keyAlgorithm) {
    }

    public record DistributeBody(Boolean onlyNotYet, Integer timeoutSeconds) {
    }

    public record ActivateBody(Boolean force, Integer minAcceptedPercent) {
    }

    /** A new issuing station CA under the active root; the previous one is retired. */
    @PostMapping("/station-ca")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<KeyRotation.Rotated> stationCa(@RequestBody(required = false) StationCaBody body, HttpServletRequest request) {
        KeyAlgorithm alg = algorithm(body == null ? null : body.keyAlgorithm(), KeyAlgorithm.EC_P256);
        return ResponseEntity.status(HttpStatus.CREATED).body(keys.rotateStationCa(alg, Caller.of(request).actor()));
    }

    /** A new OCSP signer for an issuer (default: the active station CA); the previous one is retired. */
    @PostMapping("/ocsp-signer")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<KeyRotation.Rotated> ocspSigner(@RequestBody(required = false) OcspSignerBody body, HttpServletRequest request) {
        String issuer = body == null ? null : body.issuerId();
        if (issuer != null && (issuer.isBlank() || issuer.length() > 64)) {
            throw Refusal.badRequest("BAD_ISSUER_ID", "issuerId must be the id of a CA certificate (at most 64 characters)");
        }
        return ResponseEntity.status(HttpStatus.CREATED).body(keys.rotateOcspSigner(issuer, Caller.of(request).actor()));
    }

    /** Root rotation stage 1: the new root and the link certificate. */
    @PostMapping("/root/prepare")
    @RequiresRole(Role.ADMIN)
    public ResponseEntity<RootRotation.Status> prepare(@RequestBody(required = false) PrepareBody body, HttpServletRequest request) {
        KeyAlgorithm alg = algorithm(body == null ? null : body.keyAlgorithm(), KeyAlgorithm.EC_P384);
        return ResponseEntity.status(HttpStatus.CREATED).body(roots.prepare(alg, Caller.of(request).actor()));
    }

    /** Root rotation stage 2: InstallCertificate(CSMSRootCertificate) to the fleet. */
    @PostMapping("/root/distribute")
    @RequiresRole(Role.OPERATOR)
    public RootRotation.Distribution distribute(@RequestBody(required = false) DistributeBody body, HttpServletRequest request) {
        boolean onlyNotYet = body != null && Boolean.TRUE.equals(body.onlyNotYet());
        return roots.distribute(onlyNotYet, body == null ? null : body.timeoutSeconds(), Caller.of(request).actor());
    }

    /** Which stations accepted the new root. */
    @GetMapping("/root")
    @RequiresRole(Role.OPERATOR)
    public RootRotation.Status status() {
        return roots.status();
    }

    /** The new root of the newest rotation, PEM. */
    @GetMapping(value = "/root/new-root", produces = "application/pem-certificate-chain")
    @RequiresRole(Role.CSMS)
    public ResponseEntity<String> newRoot() {
        return ResponseEntity.ok().contentType(PEM_CHAIN).body(roots.latest().newRootPem());
    }

    /** The link certificate of the newest rotation (the new root's key, signed by the old root), PEM. */
    @GetMapping(value = "/root/link", produces = "application/pem-certificate-chain")
    @RequiresRole(Role.CSMS)
    public ResponseEntity<String> link() {
        return ResponseEntity.ok().contentType(PEM_CHAIN).body(roots.latest().linkPem());
    }

    /** Root rotation stage 3: the new root takes over when the fleet is ready. */
    @PostMapping("/root/activate")
    @RequiresRole(Role.ADMIN)
    public RootRotation.Activated activate(@RequestBody(required = false) ActivateBody body, HttpServletRequest request) {
        boolean force = body != null && Boolean.TRUE.equals(body.force());
        return roots.activate(force, body == null ? null : body.minAcceptedPercent(), Caller.of(request).actor());
    }

    /** Gives up the prepared root rotation. */
    @PostMapping("/root/cancel")
    @RequiresRole(Role.ADMIN)
    public RootRotation.Status cancel(HttpServletRequest request) {
        return roots.cancel(Caller.of(request).actor());
    }

    private static KeyAlgorithm algorithm(String name, KeyAlgorithm fallback) {
        if (name == null) {
            return fallback;
        }
        try {
            // Ed448 names imported ISO 15118-20 anchors only: the CA holds no Ed448 key
            return KeyAlgorithm.custodialValueOf(name);
        } catch (IllegalArgumentException e) {
            throw Refusal.badRequest("BAD_KEY_ALGORITHM", "keyAlgorithm must be one of EC_P256, EC_P384, EC_P521, RSA_2048, "
                    + "RSA_3072, RSA_4096");
        }
    }
}
