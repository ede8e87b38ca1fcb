package io.ocppsec.pki.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads stations directly; writes through {@link Ledger} work units. */
public final class StationStore {
    private static final String COLUMNS = "identity_key, identity, serial_number, security_profile, profile_floor, "
            + "organization, certificate_types, secc_ids, password_hash, pending_password_hash, pending_since, enabled, "
            + "created_at, updated_at, version, ocpp_versions, allow_expired_client_cert";

    private final JdbcClient jdbc;

    public StationStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<StationRecord> find(String identityKey) {
        return jdbc.sql("select " + COLUMNS + " from station where identity_key = ?")
                .param(identityKey).query((rs, n) -> map(rs)).optional();
    }

    /** Stations in identity order, a page at a time. */
    public List<StationRecord> list(String afterIdentityKey, int limit) {
        return jdbc.sql("select " + COLUMNS + " from station where identity_key > ? order by identity_key limit ?")
                .param(afterIdentityKey == null ? "" : afterIdentityKey).param(limit).query((rs, n) -> map(rs)).list();
    }

    /** Inserts a new station; a taken identity is a {@link Refusal} (409 STATION_EXISTS). */
    public static StationRecord insert(Connection c, StationRecord s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into station (" + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            bind(ps, s);
            ps.executeUpdate();
            return s;
        } catch (SQLException e) {
            if (StoreException.isDuplicateKey(e)) {
                throw Refusal.conflict("STATION_EXISTS", "a station with this identity is already registered");
            }
            throw e;
        }
    }

    /**
     * Replaces a station if it still has {@code s.version() - 1}; a concurrent change is a
     * {@link Refusal} (409 STATION_CHANGED) rather than a lost update.
     */
    public static StationRecord update(Connection c, StationRecord s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update station set identity = ?, serial_number = ?, "
                + "security_profile = ?, profile_floor = ?, organization = ?, certificate_types = ?, secc_ids = ?, "
                + "password_hash = ?, pending_password_hash = ?, pending_since = ?, enabled = ?, updated_at = ?, "
                + "version = ?, ocpp_versions = ?, allow_expired_client_cert = ? where identity_key = ? and version = ?")) {
            ps.setString(1, s.identity());
            ps.setString(2, s.serialNumber());
            ps.setInt(3, s.securityProfile());
            ps.setInt(4, s.profileFloor());
            ps.setString(5, s.organization());
            ps.setString(6, String.join(",", s.certificateTypes()));
            ps.setString(7, s.seccIds().isEmpty() ? null : String.join(",", s.seccIds()));
            ps.setString(8, s.passwordHash());
            ps.setString(9, s.pendingPasswordHash());
            Sql.instant(ps, 10, s.pendingSince());
            ps.setBoolean(11, s.enabled());
            Sql.instant(ps, 12, s.updatedAt());
            ps.setLong(13, s.version());
            ps.setString(14, String.join(",", s.ocppVersions()));
            ps.setBoolean(15, s.allowExpiredClientCertificate());
            ps.setString(16, s.identityKey());
            ps.setLong(17, s.version() - 1);
            if (ps.executeUpdate() != 1) {
                throw Refusal.conflict("STATION_CHANGED", "the station was changed or removed meanwhile; read it again");
            }
            return s;
        }
    }

    /** Removes a station; an unknown one is a {@link Refusal} (404 STATION_UNKNOWN). */
    public static void delete(Connection c, String identityKey) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("delete from station where identity_key = ?")) {
            ps.setString(1, identityKey);
            if (ps.executeUpdate() != 1) {
                throw Refusal.notFound("STATION_UNKNOWN", "no station with this identity");
            }
        }
    }

    private static void bind(PreparedStatement ps, StationRecord s) throws SQLException {
        ps.setString(1, s.identityKey());
        ps.setString(2, s.identity());
        ps.setString(3, s.serialNumber());
        ps.setInt(4, s.securityProfile());
        ps.setInt(5, s.profileFloor());
        ps.setString(6, s.organization());
        ps.setString(7, String.join(",", s.certificateTypes()));
        ps.setString(8, s.seccIds().isEmpty() ? null : String.join(",", s.seccIds()));
        ps.setString(9, s.passwordHash());
        ps.setString(10, s.pendingPasswordHash());
        Sql.instant(ps, 11, s.pendingSince());
        ps.setBoolean(12, s.enabled());
        Sql.instant(ps, 13, s.createdAt());
        Sql.instant(ps, 14, s.updatedAt());
        ps.setLong(15, s.version());
        ps.setString(16, String.join(",", s.ocppVersions()));
        ps.setBoolean(17, s.allowExpiredClientCertificate());
    }

    private static LinkedHashSet<String> split(String csv) {
        LinkedHashSet<String> out = new LinkedHashSet<>();
        for (String part : csv == null ? new String[0] : csv.split(",")) {
            if (!part.isBlank()) {
                out.add(part);
            }
        }
        return out;
    }

    private static StationRecord map(ResultSet rs) throws SQLException {
        String secc = rs.getString("secc_ids");
        return new StationRecord(
                rs.getString("identity_key"),
                rs.getString("identity"),
                rs.getString("serial_number"),
                rs.getInt("security_profile"),
                rs.getInt("profile_floor"),
                rs.getString("organization"),
                split(rs.getString("certificate_types")),
                secc == null ? List.of() : List.copyOf(split(secc)),
                List.copyOf(split(rs.getString("ocpp_versions"))),
                rs.getBoolean("allow_expired_client_cert"),
                rs.getString("password_hash"),
                rs.getString("pending_password_hash"),
                Sql.instant(rs, "pending_since"),
                rs.getBoolean("enabled"),
                Sql.instant(rs, "created_at"),
                Sql.instant(rs, "updated_at"),
                rs.getLong("version"));
    }
}
