package io.ocppsec.pki.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Terminator instances and which of them holds which station. Reads directly; writes through
 * {@link Ledger} work units (which also serializes them across pki-service instances: every ledger
 * transaction locks the audit chain head first, so an update-then-insert cannot race another).
 */
public final class TerminatorStore {

    /** A terminator instance: where its control API is and the token it wants. */
    public record Instance(String terminatorId, String controlUrl, String controlToken, Instant registeredAt,
                           String registeredBy) {
        @Override
        public String toString() {
            return "Instance[terminatorId=" + terminatorId + ", controlUrl=" + controlUrl + ", controlToken=<redacted>]";
        }
    }

    /** A station's connection through a terminator, as that terminator reported it. */
    public record Session(String stationKey, String station, String terminatorId, int securityProfile, String subprotocol,
                          String clientCertificateSha256, String remoteAddress, Instant connectedAt) {
    }

    private static final String SESSION_COLUMNS = "station_key, station_identity, terminator_id, security_profile, "
            + "subprotocol, client_cert_sha256, remote_address, connected_at";

    private final JdbcClient jdbc;

    public TerminatorStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<Instance> instance(String terminatorId) {
        return jdbc.sql("select terminator_id, control_url, control_token, registered_at, registered_by from terminator_instance "
                        + "where terminator_id = ?").param(terminatorId)
                .query((rs, n) -> new Instance(rs.getString(1), rs.getString(2), rs.getString(3),
                        Sql.instant(rs, "registered_at"), rs.getString(5))).optional();
    }

    public Optional<Session> session(String stationKey) {
        return jdbc.sql("select " + SESSION_COLUMNS + " from station_session where station_key = ?").param(stationKey)
                .query((rs, n) -> session(rs)).optional();
    }

    /**
     * Registers (or updates) a terminator and forgets every session it held: it has just started,
     * so it holds none. Returns how many sessions were cleared.
     */
    public static int register(Connection c, Instance i) throws SQLException {
        try (PreparedStatement up = c.prepareStatement("update terminator_instance set control_url = ?, control_token = ?, "
                + "registered_at = ?, registered_by = ? where terminator_id = ?")) {
            up.setString(1, i.controlUrl());
            up.setString(2, i.controlToken());
            Sql.instant(up, 3, i.registeredAt());
            up.setString(4, i.registeredBy());
            up.setString(5, i.terminatorId());
            if (up.executeUpdate() == 0) {
                try (PreparedStatement ins = c.prepareStatement("insert into terminator_instance (terminator_id, control_url, "
                        + "control_token, registered_at, registered_by) values (?, ?, ?, ?, ?)")) {
                    ins.setString(1, i.terminatorId());
                    ins.setString(2, i.controlUrl());
                    ins.setString(3, i.controlToken());
                    Sql.instant(ins, 4, i.registeredAt());
                    ins.setString(5, i.registeredBy());
                    ins.executeUpdate();
                }
            }
        }
        try (PreparedStatement del = c.prepareStatement("delete from station_session where terminator_id = ?")) {
            del.setString(1, i.terminatorId());
            return del.executeUpdate();
        }
    }

    /**
     * Records that {@code s.terminatorId()} holds the station now, replacing whatever session the
     * station had (the last terminator to report a station holds it). An unknown terminator is a
     * {@link Refusal} (409 TERMINATOR_UNKNOWN), an unknown station 404 STATION_UNKNOWN.
     */
    public static Session open(Connection c, Session s) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select 1 from terminator_instance where terminator_id = ?")) {
            ps.setString(1, s.terminatorId());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw Refusal.conflict("TERMINATOR_UNKNOWN", "no terminator registered with this terminatorId; "
                            + "PUT /api/v1/terminator/instances/{terminatorId} first");
                }
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select 1 from station where identity_key = ?")) {
            ps.setString(1, s.stationKey());
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw Refusal.notFound("STATION_UNKNOWN", "no station with this identity");
                }
            }
        }
        try (PreparedStatement up = c.prepareStatement("update station_session set station_identity = ?, terminator_id = ?, "
                + "security_profile = ?, subprotocol = ?, client_cert_sha256 = ?, remote_address = ?, connected_at = ? "
                + "where station_key = ?")) {
            up.setString(1, s.station());
            up.setString(2, s.terminatorId());
            up.setInt(3, s.securityProfile());
            up.setString(4, s.subprotocol());
            up.setString(5, s.clientCertificateSha256());
            up.setString(6, s.remoteAddress());
            Sql.instant(up, 7, s.connectedAt());
            up.setString(8, s.stationKey());
            if (up.executeUpdate() == 1) {
                return s;
            }
        }
        try (PreparedStatement ins = c.prepareStatement("insert into station_session (" + SESSION_COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?)")) {
            ins.setString(1, s.stationKey());
            ins.setString(2, s.station());
            ins.setString(3, s.terminatorId());
            ins.setInt(4, s.securityProfile());
            ins.setString(5, s.subprotocol());
            ins.setString(6, s.clientCertificateSha256());
            ins.setString(7, s.remoteAddress());
            Sql.instant(ins, 8, s.connectedAt());
            ins.executeUpdate();
            return s;
        }
    }

    /**
     * Ends the station's session if {@code terminatorId} holds it (and, when {@code connectedAt} is
     * given, still the same session). A session held elsewhere is a {@link Refusal}
     * (409 SESSION_NOT_HELD) so that the ledger records nothing for it.
     */
    public static void close(Connection c, String stationKey, String terminatorId, Instant connectedAt) throws SQLException {
        String sql = "delete from station_session where station_key = ? and terminator_id = ?"
                + (connectedAt == null ? "" : " and connected_at = ?");
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            ps.setString(1, stationKey);
            ps.setString(2, terminatorId);
            if (connectedAt != null) {
                Sql.instant(ps, 3, connectedAt);
            }
            if (ps.executeUpdate() != 1) {
                throw Refusal.conflict("SESSION_NOT_HELD", "the station's session is not held by this terminator");
            }
        }
    }

    private static Session session(ResultSet rs) throws SQLException {
        return new Session(rs.getString("station_key"), rs.getString("station_identity"), rs.getString("terminator_id"),
                rs.getInt("security_profile"), rs.getString("subprotocol"), rs.getString("client_cert_sha256"),
                rs.getString("remote_address"), Sql.instant(rs, "connected_at"));
    }
}
