package io.ocppsec.pki.store;

import io.ocppsec.pki.custody.KeyHandle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The CA's own certificates. */
public final class CaStore {
    private static final String COLUMNS = "id, role, status, subject, serial, sha256, parent_id, key_backend, key_id, "
            + "key_algorithm, not_before, not_after, certificate_pem, created_at";

    private final JdbcClient jdbc;

    public CaStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public List<CaCertificateRecord> all() {
        return jdbc.sql("select " + COLUMNS + " from ca_certificate order by created_at, id").query((rs, n) -> map(rs)).list();
    }

    /** The newest active certificate of a role. */
    public Optional<CaCertificateRecord> active(CaCertificateRecord.CaRole role) {
        return jdbc.sql("select " + COLUMNS + " from ca_certificate where role = ? and status = 'ACTIVE' "
                        + "order by created_at desc, id limit 1")
                .param(role.name()).query((rs, n) -> map(rs)).optional();
    }

    public static void insert(Connection c, CaCertificateRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into ca_certificate (" + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.role().name());
            ps.setString(3, r.status().name());
            ps.setString(4, r.subject());
            ps.setString(5, r.serial());
            ps.setString(6, r.sha256());
            ps.setString(7, r.parentId());
            ps.setString(8, r.key() == null ? null : r.key().backend());
            ps.setString(9, r.key() == null ? null : r.key().id());
            ps.setString(10, r.keyAlgorithm());
            Sql.instant(ps, 11, r.notBefore());
            Sql.instant(ps, 12, r.notAfter());
            ps.setString(13, r.certificatePem());
            Sql.instant(ps, 14, r.createdAt());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (StoreException.isDuplicateKey(e)) {
                throw Refusal.conflict("CA_CERTIFICATE_EXISTS", "this CA certificate is already known");
            }
            throw e;
        }
    }

    /** Sets the status of every certificate of a role, e.g. retires the previous issuing CA. */
    public static void setStatus(Connection c, String id, CaCertificateRecord.CaStatus status) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update ca_certificate set status = ? where id = ?")) {
            ps.setString(1, status.name());
            ps.setString(2, id);
            ps.executeUpdate();
        }
    }

    /** A sub-CA key waiting for its certificate (the offline-root CSR flow). */
    public record PendingKey(String id, String subject, KeyHandle key, String keyAlgorithm, String csrPem, java.time.Instant createdAt) {
    }

    public Optional<PendingKey> pending(String id) {
        return jdbc.sql("select id, subject, key_backend, key_id, key_algorithm, csr_pem, created_at from ca_pending_key where id = ?")
                .param(id).query((rs, n) -> new PendingKey(rs.getString(1), rs.getString(2),
                        new KeyHandle(rs.getString(3), rs.getString(4)), rs.getString(5), rs.getString(6),
                        Sql.instant(rs, "created_at"))).optional();
    }

    public static void insertPending(Connection c, PendingKey p) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into ca_pending_key (id, subject, key_backend, key_id, key_algorithm, "
                + "csr_pem, created_at) values (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, p.id());
            ps.setString(2, p.subject());
            ps.setString(3, p.key().backend());
            ps.setString(4, p.key().id());
            ps.setString(5, p.keyAlgorithm());
            ps.setString(6, p.csrPem());
            Sql.instant(ps, 7, p.createdAt());
            ps.executeUpdate();
        }
    }

    public static void deletePending(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from ca_pending_key where id = ?")) {
            ps.setString(1, id);
            if (ps.executeUpdate() != 1) {
                throw Refusal.notFound("PENDING_KEY_UNKNOWN", "no pending sub-CA key with this id");
            }
        }
    }

    /** Retires every active certificate of a role (when an imported CA takes over). */
    public static void retireRole(Connection c, CaCertificateRecord.CaRole role) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update ca_certificate set status = 'RETIRED' where role = ? and status = 'ACTIVE'")) {
            ps.setString(1, role.name());
            ps.executeUpdate();
        }
    }

    private static CaCertificateRecord map(ResultSet rs) throws SQLException {
        String backend = rs.getString("key_backend");
        return new CaCertificateRecord(
                rs.getString("id"),
                CaCertificateRecord.CaRole.valueOf(rs.getString("role")),
                CaCertificateRecord.CaStatus.valueOf(rs.getString("status")),
                rs.getString("subject"),
                rs.getString("serial"),
                rs.getString("sha256"),
                rs.getString("parent_id"),
                backend == null ? null : new KeyHandle(backend, rs.getString("key_id")),
                rs.getString("key_algorithm"),
                Sql.instant(rs, "not_before"),
                Sql.instant(rs, "not_after"),
                rs.getString("certificate_pem"),
                Sql.instant(rs, "created_at"));
    }
}
