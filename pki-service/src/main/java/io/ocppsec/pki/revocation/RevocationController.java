package io.ocppsec.pki.revocation;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.store.IssuedCertificateRecord;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * Revocation through the API (OPERATOR and up). Both calls are idempotent and answer 200: a
 * certificate revoked before keeps its first time and reason and comes back with
 * {@code revokedNow: false}.
 */
@RestController
public class RevocationController {
    private final RevocationService revocations;

    public RevocationController(RevocationService revocations) {
        this.revocations = revocations;
    }

    /** {@code {"reason": "keyCompromise"}}; no body or no reason means unspecified. */
    public record RevokeBody(String reason) {
    }

    /** A certificate after the call. */
    public record RevokedView(String serialNumber, String station, String issuer, String status, Instant revokedAt,
                              String revocationReason, boolean revokedNow) {
        static RevokedView of(RevocationService.Outcome o) {
            IssuedCertificateRecord r = o.certificate();
            return new RevokedView(r.serial(), r.station(), r.issuerId(), r.status(), r.revokedAt(), r.revocationReason(),
                    o.revokedNow());
        }
    }

    /** What a station revocation did: every certificate that was valid, now revoked. */
    public record StationRevokedView(String station, int revoked, List<RevokedView> certificates) {
    }

    @PostMapping("/api/v1/certificates/{serial}/revoke")
    @RequiresRole(Role.OPERATOR)
    public RevokedView revoke(@PathVariable("serial") String serial, @RequestBody(required = false) RevokeBody body,
                              HttpServletRequest request) {
        RevocationReason reason = RevocationReason.parse(body == null ? null : body.reason());
        return RevokedView.of(revocations.revoke(serial(serial), reason, Caller.of(request).actor()));
    }

    @PostMapping("/api/v1/stations/{id}/revoke-certificates")
    @RequiresRole(Role.OPERATOR)
    public StationRevokedView revokeStation(@PathVariable("id") String id, @RequestBody(required = false) RevokeBody body,
                                            HttpServletRequest request) {
        if (!(StationIdentity.parse(id) instanceof IdentityCheck.Valid v)) {
            throw Refusal.badRequest("BAD_IDENTITY", "station is not a valid OCPP identity");
        }
        RevocationReason reason = RevocationReason.parse(body == null ? null : body.reason());
        List<RevokedView> out = revocations.revokeStation(v.identity().canonicalKey(), reason, Caller.of(request).actor())
                .stream().map(RevokedView::of).toList();
        return new StationRevokedView(id, (int) out.stream().filter(RevokedView::revokedNow).count(), out);
    }

    /** Serials are stored as lower-case hex without leading zeroes; accept any case and leading zeroes. */
    static String serial(String serial) {
        String s = serial.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.length() > 40 || !s.matches("[0-9a-f]+")) {
            throw Refusal.badRequest("BAD_SERIAL", "serial must be hexadecimal, at most 40 digits");
        }
        return s.replaceFirst("^0+(?=.)", "");
    }
}
