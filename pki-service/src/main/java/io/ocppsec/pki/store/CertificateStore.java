package io.ocppsec.pki.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** The inventory of issued certificates. */
public final class CertificateStore {
    private static final String COLUMNS = "serial, issuer_id, station_key, station_identity, certificate_type, subject, not_before, "
            + "not_after, status, revoked_at, revocation_reason, csr_sha256, request_id, requester, certificate_pem, issued_at";

    private final JdbcClient jdbc;

    public CertificateStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<IssuedCertificateRecord> bySerial(String serial) {
        return jdbc.sql("select " + COLUMNS + " from issued_certificate where serial = ?")
                .param(serial).query((rs, n) -> map(rs)).optional();
    }

    /** The certificate already issued for this CSR (idempotency). */
    public Optional<IssuedCertificateRecord> byCsr(String stationKey, String certificateType, String csrSha256) {
        return jdbc.sql("select " + COLUMNS + " from issued_certificate where station_key = ? and certificate_type = ? "
                        + "and csr_sha256 = ?")
                .param(stationKey).param(certificateType).param(csrSha256).query((rs, n) -> map(rs)).optional();
    }

    /** Search criteria; every field is optional. */
    public record Query(String stationKey, String serial, Instant expiringBefore, String status, String certificateType) {
    }

    /** Matching certificates, newest first, a page at a time. */
    public List<IssuedCertificateRecord> search(Query q, int offset, int limit) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from issued_certificate where 1 = 1");
        List<Object> params = new ArrayList<>();
        where(q, sql, params);
        sql.append(" order by issued_at desc, serial limit ? offset ?");
        params.add(limit);
        params.add(offset);
        return jdbc.sql(sql.toString()).params(params).query((rs, n) -> map(rs)).list();
    }

    /** Streams every matching certificate (for exports), oldest first, without holding them all. */
    public void forEach(Query q, Consumer<IssuedCertificateRecord> sink) {
        StringBuilder sql = new StringBuilder("select " + COLUMNS + " from issued_certificate where 1 = 1");
        List<Object> params = new ArrayList<>();
        where(q, sql, params);
        sql.append(" order by issued_at, serial");
        jdbc.sql(sql.toString()).params(params).query(rs -> {
            sink.accept(map(rs));
        });
    }

    public long count() {
        return jdbc.sql("select count(*) from issued_certificate").query(Long.class).single();
    }

    private static void where(Query q, StringBuilder sql, List<Object> params) {
        if (q.stationKey() != null) {
            sql.append(" and station_key = ?");
            params.add(q.stationKey());
        }
        if (q.serial() != null) {
            sql.append(" and serial = ?");
            params.add(q.serial());
        }
        if (q.expiringBefore() != null) {
            sql.append(" and not_after <= ?");
            params.add(q.expiringBefore().atOffset(ZoneOffset.UTC));
        }
        if (q.status() != null) {
            sql.append(" and status = ?");
            params.add(q.status());
        }
        if (q.certificateType() != null) {
            sql.append(" and certificate_type = ?");
            params.add(q.certificateType());
        }
    }

    /**
     * Whether {@code requestId} was answered for this station since {@code since} with a
     * certificate for another CSR (OCPP 2.1 requestId reuse). Runs in the caller's transaction.
     */
    public static boolean requestIdTaken(Connection c, String stationKey, long requestId, Instant since, String csrSha256)
            throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from issued_certificate where station_key = ?"
                + " and request_id = ? and issued_at >= ? and csr_sha256 <> ?")) {
            ps.setString(1, stationKey);
            ps.setLong(2, requestId);
            Sql.instant(ps, 3, since);
            ps.setString(4, csrSha256);
            ps.setMaxRows(1);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        }
    }

    /**
     * Stores an issued certificate. A duplicate serial is astronomically unlikely with 127 random
     * bits but is still caught (SERIAL_COLLISION) rather than stored twice; a duplicate CSR is the
     * idempotency constraint (CSR_ALREADY_ISSUED), which the caller resolves by reading the
     * existing certificate.
     */
    public static void insert(Connection c, IssuedCertificateRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into issued_certificate (" + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            int i = 0;
            ps.setString(++i, r.serial());
            ps.setString(++i, r.issuerId());
            ps.setString(++i, r.stationKey());
            ps.setString(++i, r.station());
            ps.setString(++i, r.certificateType());
            ps.setString(++i, r.subject());
            Sql.instant(ps, ++i, r.notBefore());
            Sql.instant(ps, ++i, r.notAfter());
            ps.setString(++i, r.status());
            Sql.instant(ps, ++i, r.revokedAt());
            ps.setString(++i, r.revocationReason());
            ps.setString(++i, r.csrSha256());
            Sql.longOrNull(ps, ++i, r.requestId());
            ps.setString(++i, r.requester());
            ps.setString(++i, r.certificatePem());
            Sql.instant(ps, ++i, r.issuedAt());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (StoreException.isDuplicateKey(e)) {
                String m = String.valueOf(e.getMessage()).toLowerCase(java.util.Locale.ROOT);
                if (m.contains("issued_certificate_csr")) {
                    throw Refusal.conflict("CSR_ALREADY_ISSUED", "a certificate for this CSR exists");
                }
                throw Refusal.conflict("SERIAL_COLLISION", "serial number collision");
            }
            throw e;
        }
    }

    static IssuedCertificateRecord map(ResultSet rs) throws SQLException {
        return new IssuedCertificateRecord(
                rs.getString("serial"),
                rs.getString("issuer_id"),
                rs.getString("station_key"),
                rs.getString("station_identity") == null ? rs.getString("station_key") : rs.getString("station_identity"),
                rs.getString("certificate_type"),
                rs.getString("subject"),
                Sql.instant(rs, "not_before"),
                Sql.instant(rs, "not_after"),
                rs.getString("status"),
                Sql.instant(rs, "revoked_at"),
                rs.getString("revocation_reason"),
                rs.getString("csr_sha256"),
                Sql.longOrNull(rs, "request_id"),
                rs.getString("requester"),
                rs.getString("certificate_pem"),
                Sql.instant(rs, "issued_at"));
    }
}
