package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.pnc.ContractRecord;
import io.ocppsec.pki.pnc.ContractService;
import io.ocppsec.pki.pnc.PncTrust;
import io.ocppsec.pki.store.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * ISO 15118 Plug & Charge: {@code /api/v1/pnc}. The V2G and MO roots (JSON, or PEM with
 * {@code Accept: application/pem-certificate-chain}) and their import, the trusted OEM roots, and
 * the PCID-to-eMAID contracts of local provisioning. Reading takes a CSMS token, changing an
 * operator token.
 */
@RestController
@RequestMapping("/api/v1/pnc")
public class PncController {
    private final PncTrust trust;
    private final ContractService contracts;

    public PncController(PncTrust trust, ContractService contracts) {
        this.trust = trust;
        this.contracts = contracts;
    }

    /** A root to import: PEM, and V2G or MO (optional when the root's DC says which). */
    public record RootBody(String certificate, String type) {
    }

    /** OEM root PEM, optionally followed by its sub-CAs. */
    public record OemRootBody(String certificate) {
    }

    public record ContractBody(String pcid, String emaid) {
    }

    public record CancelBody(String tokenStatus) {
    }

    /** A contract as the API shows it. */
    public record ContractView(String emaid, String pcid, String status, String tokenStatus, Instant createdAt, String createdBy,
                               Instant updatedAt, String updatedBy) {
        static ContractView of(ContractRecord c) {
            return new ContractView(c.emaid(), c.pcid(), c.status().name(), c.tokenStatus(), c.createdAt(), c.createdBy(),
                    c.updatedAt(), c.updatedBy());
        }
    }

    @GetMapping(value = "/roots", produces = "application/json")
    @RequiresRole(Role.CSMS)
    public List<PncTrust.Anchor> roots() {
        return trust.roots();
    }

    /** The V2G and MO roots as one PEM file: ISO 15118-2 V2G, MO, then ISO 15118-20 V2G, MO. */
    @GetMapping(value = "/roots", produces = "application/pem-certificate-chain")
    @RequiresRole(Role.CSMS)
    public ResponseEntity<String> rootsPem() {
        List<PncTrust.Anchor> roots = trust.roots();
        if (roots.isEmpty()) {
            throw Refusal.notFound("NO_PNC_ROOT", "no V2G or MO root is configured");
        }
        return ResponseEntity.ok().contentType(CaController.PEM_CHAIN)
                .body(String.join("", roots.stream().map(PncTrust.Anchor::certificate).toList()));
    }

    @PostMapping("/roots")
    @RequiresRole(Role.OPERATOR)
    public ResponseEntity<PncTrust.Anchor> importRoot(@RequestBody RootBody body, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(trust.importRoot(body.certificate(), body.type(), Caller.of(request).actor()));
    }

    @GetMapping("/oem-roots")
    @RequiresRole(Role.CSMS)
    public List<PncTrust.Anchor> oemRoots() {
        return trust.oemAnchors();
    }

    @PostMapping("/oem-roots")
    @RequiresRole(Role.OPERATOR)
    public ResponseEntity<List<PncTrust.Anchor>> addOemRoot(@RequestBody OemRootBody body, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED).body(trust.addOemRoot(body.certificate(), Caller.of(request).actor()));
    }

    @DeleteMapping("/oem-roots/{fingerprint}")
    @RequiresRole(Role.OPERATOR)
    public ResponseEntity<Void> removeOemRoot(@PathVariable("fingerprint") String fingerprint, HttpServletRequest request) {
        trust.removeOemRoot(fingerprint, Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }

    @PostMapping("/contracts")
    @RequiresRole(Role.OPERATOR)
    public ResponseEntity<ContractView> addContract(@RequestBody ContractBody body, HttpServletRequest request) {
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(ContractView.of(contracts.add(body.pcid(), body.emaid(), Caller.of(request).actor())));
    }

    /** Contracts in eMAID order ({@code after}, {@code limit}), or those of one EV ({@code pcid}). */
    @GetMapping("/contracts")
    @RequiresRole(Role.CSMS)
    public List<ContractView> contracts(@RequestParam(name = "pcid", required = false) String pcid,
                                        @RequestParam(name = "after", required = false) String after,
                                        @RequestParam(name = "limit", defaultValue = "100") int limit) {
        if (pcid != null) {
            io.ocppsec.pki.pnc.PncIdentifiers.pcidKey(pcid);
            return contracts.store().findByPcid(pcid).stream().map(ContractView::of).toList();
        }
        return contracts.store().list(after, Math.max(1, Math.min(limit, 1000))).stream().map(ContractView::of).toList();
    }

    @GetMapping("/contracts/{emaid}")
    @RequiresRole(Role.CSMS)
    public ContractView contract(@PathVariable("emaid") String emaid) {
        io.ocppsec.pki.pnc.PncIdentifiers.emaidKey(emaid);
        return contracts.store().findByEmaid(emaid).map(ContractView::of)
                .orElseThrow(() -> Refusal.notFound("CONTRACT_UNKNOWN", "no contract with this eMAID"));
    }

    @PostMapping("/contracts/{emaid}/cancel")
    @RequiresRole(Role.OPERATOR)
    public ContractView cancel(@PathVariable("emaid") String emaid, @RequestBody(required = false) CancelBody body,
                               HttpServletRequest request) {
        return ContractView.of(contracts.cancel(emaid, body == null ? null : body.tokenStatus(), Caller.of(request).actor()));
    }
}
