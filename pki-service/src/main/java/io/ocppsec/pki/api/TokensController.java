package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.Caller;
import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.pki.auth.TokenService;
import io.ocppsec.pki.store.Refusal;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** API tokens (admin only): {@code /api/v1/tokens}. */
@RestController
@RequestMapping("/api/v1/tokens")
@RequiresRole(Role.ADMIN)
public class TokensController {
    private final TokenService tokens;

    public TokensController(TokenService tokens) {
        this.tokens = tokens;
    }

    public record NewTokenBody(String name, String role) {
    }

    /** A new token: {@code token} is shown this once and stored only as its hash. */
    public record IssuedTokenView(String id, String name, String role, String token) {
        @Override
        public String toString() {
            return "IssuedTokenView[id=" + id + ", name=" + name + ", role=" + role + ", token=<redacted>]";
        }
    }

    public record TokenView(String id, String name, String role, Instant createdAt, Instant revokedAt) {
    }

    @PostMapping
    public ResponseEntity<IssuedTokenView> create(@RequestBody NewTokenBody body, HttpServletRequest request) {
        Role role;
        try {
            role = Role.valueOf(String.valueOf(body.role()).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw Refusal.badRequest("BAD_ROLE", "role must be csms, terminator, operator or admin");
        }
        TokenService.Issued t = tokens.create(body.name(), role, Caller.of(request).actor());
        return ResponseEntity.status(HttpStatus.CREATED)
                .body(new IssuedTokenView(t.id(), t.name(), t.role().name().toLowerCase(Locale.ROOT), t.token()));
    }

    @GetMapping
    public List<TokenView> list() {
        return tokens.list().stream().map(t -> new TokenView(t.id(), t.name(), t.role().toLowerCase(Locale.ROOT),
                t.createdAt(), t.revokedAt())).toList();
    }

    @DeleteMapping("/{id}")
    public ResponseEntity<Void> revoke(@PathVariable("id") String id, HttpServletRequest request) {
        tokens.revoke(id, Caller.of(request).actor());
        return ResponseEntity.noContent().build();
    }
}
