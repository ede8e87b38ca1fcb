package io.ocppsec.pki.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** API bearer tokens, by the SHA-256 of the token. */
public final class TokenStore {

    /** A token as stored: never the token itself. */
    public record TokenRecord(String id, String name, String role, String tokenSha256, Instant createdAt, Instant revokedAt) {
    }

    private final JdbcClient jdbc;

    public TokenStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<TokenRecord> byHash(String sha256) {
        return jdbc.sql("select id, name, role, token_sha256, created_at, revoked_at from api_token where token_sha256 = ?")
                .param(sha256).query((rs, n) -> new TokenRecord(rs.getString(1), rs.getString(2), rs.getString(3),
                        rs.getString(4), Sql.instant(rs, "created_at"), Sql.instant(rs, "revoked_at"))).optional();
    }

    public List<TokenRecord> all() {
        return jdbc.sql("select id, name, role, token_sha256, created_at, revoked_at from api_token order by created_at")
                .query((rs, n) -> new TokenRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        Sql.instant(rs, "created_at"), Sql.instant(rs, "revoked_at"))).list();
    }

    public long count() {
        return jdbc.sql("select count(*) from api_token").query(Long.class).single();
    }

    public static void insert(Connection c, TokenRecord t) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(
                "insert into api_token (id, name, role, token_sha256, created_at, revoked_at) values (?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, t.id());
            ps.setString(2, t.name());
            ps.setString(3, t.role());
            ps.setString(4, t.tokenSha256());
            Sql.instant(ps, 5, t.createdAt());
            Sql.instant(ps, 6, t.revokedAt());
            ps.executeUpdate();
        }
    }

    public static void revoke(Connection c, String id, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update api_token set revoked_at = ? where id = ? and revoked_at is null")) {
            Sql.instant(ps, 1, at);
            ps.setString(2, id);
            if (ps.executeUpdate() != 1) {
                throw Refusal.notFound("TOKEN_UNKNOWN", "no active token with this id");
            }
        }
    }
}
