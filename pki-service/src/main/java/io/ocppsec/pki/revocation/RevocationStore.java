package io.ocppsec.pki.revocation;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The SQL of revocation: revoking, the revision counter, CRL numbers, revoked entries per CA. */
public final class RevocationStore {
    private final DataSource dataSource;
    private final JdbcClient jdbc;

    public RevocationStore(DataSource dataSource) {
        this.dataSource = dataSource;
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** A revoked certificate as a CRL entry needs it. */
    public record RevokedEntry(String serial, Instant revokedAt, RevocationReason reason) {
    }

    /** A revocation another instance (or this one) made after a revision. */
    public record Change(String issuerId, String serial, long revision) {
    }

    /**
     * Revokes a valid certificate in the caller's transaction: bumps the revision and marks the
     * certificate; false when it was not VALID (already revoked, or gone).
     */
    public static boolean revoke(Connection c, String serial, Instant at, RevocationReason reason) throws SQLException {
        long revision;
        try (PreparedStatement bump = c.prepareStatement("update revocation_state set revision = revision + 1 where id = 1")) {
            bump.executeUpdate();
        }
        try (PreparedStatement read = c.prepareStatement("select revision from revocation_state where id = 1");
             ResultSet rs = read.executeQuery()) {
            rs.next();
            revision = rs.getLong(1);
        }
        try (PreparedStatement ps = c.prepareStatement("update issued_certificate set status = 'REVOKED', revoked_at = ?, "
                + "revocation_reason = ?, revoked_revision = ? where serial = ? and status = 'VALID'")) {
            ps.setObject(1, at.atOffset(ZoneOffset.UTC));
            ps.setString(2, reason.name());
            ps.setLong(3, revision);
            ps.setString(4, serial);
            return ps.executeUpdate() == 1;
        }
    }

    public long revision() {
        return jdbc.sql("select revision from revocation_state where id = 1").query(Long.class).single();
    }

    /** Revocations made after {@code revision}, oldest first. */
    public List<Change> changesAfter(long revision) {
        return jdbc.sql("select issuer_id, serial, revoked_revision from issued_certificate where revoked_revision > ? "
                        + "order by revoked_revision")
                .param(revision).query((rs, n) -> new Change(rs.getString(1), rs.getString(2), rs.getLong(3))).list();
    }

    /** The revoked, unexpired certificates of a CA (RFC 5280 §3.3: an expired one may leave the CRL). */
    public List<RevokedEntry> revoked(String issuerId, Instant now) {
        return jdbc.sql("select serial, revoked_at, revocation_reason from issued_certificate where issuer_id = ? "
                        + "and status = 'REVOKED' and not_after > ? order by serial")
                .param(issuerId).param(now.atOffset(ZoneOffset.UTC))
                .query((rs, n) -> new RevokedEntry(rs.getString(1), rs.getObject(2, java.time.OffsetDateTime.class).toInstant(),
                        RevocationReason.stored(rs.getString(3)))).list();
    }

    /** The next CRL number of a CA, taken under the row lock in its own transaction. */
    public long nextCrlNumber(String issuerId) {
        for (int attempt = 0; ; attempt++) {
            try (Connection c = dataSource.getConnection()) {
                c.setAutoCommit(false);
                try {
                    long number;
                    try (PreparedStatement up = c.prepareStatement("update crl_state set crl_number = crl_number + 1 where issuer_id = ?")) {
                        up.setString(1, issuerId);
                        if (up.executeUpdate() == 0) {
                            try (PreparedStatement ins = c.prepareStatement("insert into crl_state (issuer_id, crl_number) values (?, 1)")) {
                                ins.setString(1, issuerId);
                                ins.executeUpdate();
                            }
                        }
                    }
                    try (PreparedStatement read = c.prepareStatement("select crl_number from crl_state where issuer_id = ?")) {
                        read.setString(1, issuerId);
                        try (ResultSet rs = read.executeQuery()) {
                            rs.next();
                            number = rs.getLong(1);
                        }
                    }
                    c.commit();
                    return number;
                } catch (SQLException e) {
                    c.rollback();
                    throw e;
                }
            } catch (SQLException e) {
                // Two instances inserted the first row at once: the loser retries with the update.
                if (attempt >= 3) {
                    throw new io.ocppsec.pki.store.StoreException(e);
                }
            }
        }
    }
}
