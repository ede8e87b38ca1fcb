package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.store.AuditLog;
import java.time.Instant;
import java.util.List;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit log (admin only): {@code /api/v1/audit}. */
@RestController
@RequestMapping("/api/v1/audit")
@RequiresRole(Role.ADMIN)
public class AuditController {
    private final AuditLog log;

    public AuditController(AuditLog log) {
        this.log = log;
    }

    public record RecordView(long seq, Instant at, String actor, String action, String subject, String outcome,
                             String reason, String details, String hash) {
    }

    /** Walks the whole hash chain; names the first broken link if there is one. */
    @GetMapping("/verify")
    public AuditLog.Verification verify() {
        return log.verify();
    }

    /** The newest records. */
    @GetMapping
    public List<RecordView> latest(@RequestParam(name = "limit", defaultValue = "50") int limit) {
        return log.latest(Math.max(1, Math.min(limit, 1000))).stream().map(r -> new RecordView(r.seq(), r.at(),
                r.entry().actor(), r.entry().action(), r.entry().subject(), r.entry().outcome().name(),
                r.entry().reason(), r.entry().details(), r.hash())).toList();
    }
}
