package io.ocppsec.pki.auth;

import io.ocppsec.pki.config.DataDirectory;
import io.ocppsec.pki.config.OcppsecProperties;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.TokenStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * API bearer tokens with roles. Tokens are 256-bit random values ({@code ocps_<base64url>}),
 * stored only as their SHA-256; a lookup by hash reveals nothing useful about a token through
 * timing. On first start, when there is no token at all, an admin token is created and written to
 * {@code <data-dir>/admin-token} (mode 0600), or taken from {@code ocppsec.admin-token}.
 * Verified tokens are cached for {@value #CACHE_SECONDS} seconds, so a revocation on another
 * instance takes effect within that time; on this instance at once.
 */
public class TokenService {
    private static final Logger log = LoggerFactory.getLogger(TokenService.class);
    static final int CACHE_SECONDS = 30;
    public static final String ADMIN_TOKEN_FILE = "admin-token";

    private record Cached(Caller caller, long expiresAtNanos) {
    }

    /** A token just created: the only time the token itself is seen. */
    public record Issued(String id, String name, Role role, String token) {
        @Override
        public String toString() {
            return "Issued[id=" + id + ", name=" + name + ", role=" + role + ", token=<redacted>]";
        }
    }

    private final TokenStore store;
    private final Ledger ledger;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    public TokenService(TokenStore store, Ledger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    /** Creates the first admin token if there is no token yet. Returns where it was written, if it was. */
    public Optional<Path> bootstrap(OcppsecProperties properties, DataDirectory dataDirectory) {
        if (store.count() > 0) {
            return Optional.empty();
        }
        String token = properties.adminToken() != null ? properties.adminToken() : newToken();
        insert("admin (first start)", Role.ADMIN, token, "system");
        if (properties.adminToken() != null) {
            log.info("admin API token taken from configuration (ocppsec.admin-token)");
            return Optional.empty();
        }
        Path file = dataDirectory.root().resolve(ADMIN_TOKEN_FILE);
        DataDirectory.writePrivate(file, token + "\n");
        log.info("admin API token written to {}", file);
        return Optional.of(file);
    }

    /** Creates a token; the returned value is the only copy of the token anywhere. */
    public Issued create(String name, Role role, String actor) {
        if (name == null || name.isBlank() || name.length() > 128) {
            throw io.ocppsec.pki.store.Refusal.badRequest("BAD_TOKEN_NAME", "name must be 1 to 128 characters");
        }
        String token = newToken();
        String id = insert(name, role, token, actor);
        return new Issued(id, name, role, token);
    }

    public void revoke(String id, String actor) {
        ledger.write(c -> {
            TokenStore.revoke(c, id, Instant.now());
            return null;
        }, List.of(AuditEntry.ok(actor, "token.revoke", "token:" + id, null)),
                AuditEntry.refused(actor, "token.revoke", "token:" + id, null, null));
        cache.clear();
    }

    public List<TokenStore.TokenRecord> list() {
        return store.all();
    }

    /** The caller a presented token stands for; empty for an unknown, revoked or malformed token. */
    public Optional<Caller> authenticate(String presented) {
        if (presented == null || presented.length() < 24 || presented.length() > 256) {
            return Optional.empty();
        }
        String hash = sha256(presented);
        long now = System.nanoTime();
        Cached hit = cache.get(hash);
        if (hit != null && now - hit.expiresAtNanos() < 0) {
            return Optional.of(hit.caller());
        }
        Optional<Caller> caller = store.byHash(hash)
                .filter(t -> t.revokedAt() == null)
                .map(t -> new Caller(t.id(), t.name(), Role.valueOf(t.role())));
        caller.ifPresentOrElse(c -> cache.put(hash, new Cached(c, now + CACHE_SECONDS * 1_000_000_000L)),
                () -> cache.remove(hash));
        return caller;
    }

    private String insert(String name, Role role, String token, String actor) {
        byte[] idBytes = new byte[9];
        random.nextBytes(idBytes);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(idBytes);
        TokenStore.TokenRecord record = new TokenStore.TokenRecord(id, name, role.name(), sha256(token), Instant.now(), null);
        ledger.write(c -> {
            TokenStore.insert(c, record);
            return null;
        }, List.of(AuditEntry.ok(actor, "token.create", "token:" + id, Details.of("name", name, "role", role.name()))),
                null);
        return id;
    }

    private String newToken() {
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        return "ocps_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
    }

    static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
