package io.ocppsec.pki.rotation;

import io.ocppsec.pki.custody.KeyHandle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Root rotations and what each station answered to the new root (tables of V9). */
public final class RotationStore {
    private static final String COLUMNS = "id, state, old_root_id, new_root_id, new_root_subject, new_root_sha256, "
            + "new_root_pem, key_backend, key_id, key_algorithm, link_sha256, link_pem, prepared_by, prepared_at, "
            + "finished_by, finished_at";

    /** Where a root rotation stands. */
    public enum State {
        /** New root and link certificate made; being distributed; not yet in use. */
        PREPARED,
        /** The new root is the active CSMS root. */
        ACTIVATED,
        /** Given up before activation; the new root was never used. */
        CANCELLED
    }

    /** A root rotation. */
    public record RootRotation(String id, State state, String oldRootId, String newRootId, String newRootSubject,
                               String newRootSha256, String newRootPem, KeyHandle key, String keyAlgorithm,
                               String linkSha256, String linkPem, String preparedBy, Instant preparedAt,
                               String finishedBy, Instant finishedAt) {
    }

    /** What a station answered to InstallCertificate(CSMSRootCertificate). */
    public enum InstallStatus {
        /** The station installed the new root. */
        ACCEPTED,
        /** The station refused it (M05.FR.06/07: invalid, or too many certificates). */
        REJECTED,
        /** The station answered Failed, or with a CALLERROR. */
        FAILED,
        /** Sent, but no answer came back (timeout, terminator failure); it may or may not have been installed. */
        NOT_DELIVERED,
        /** Not sent yet: the station was not connected (or is not reached through ocppsec). */
        PENDING
    }

    /** One station's record. */
    public record StationInstall(String rotationId, String stationKey, String identity, InstallStatus status,
                                 String detail, int attempts, Instant updatedAt) {
    }

    private final JdbcClient jdbc;

    public RotationStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<RootRotation> find(String id) {
        return jdbc.sql("select " + COLUMNS + " from root_rotation where id = ?").param(id)
                .query((rs, n) -> map(rs)).optional();
    }

    /** The newest rotation, whatever its state. */
    public Optional<RootRotation> latest() {
        return jdbc.sql("select " + COLUMNS + " from root_rotation order by prepared_at desc, id desc limit 1")
                .query((rs, n) -> map(rs)).optional();
    }

    /** The rotation being prepared, if any (at most one exists). */
    public Optional<RootRotation> prepared() {
        return jdbc.sql("select " + COLUMNS + " from root_rotation where state = 'PREPARED' order by prepared_at desc limit 1")
                .query((rs, n) -> map(rs)).optional();
    }

    /** The roots activated rotations replaced: they stay trusted for what they issued. */
    public java.util.Set<String> replacedRoots() {
        return java.util.Set.copyOf(jdbc.sql("select old_root_id from root_rotation where state = 'ACTIVATED'")
                .query((rs, n) -> rs.getString(1)).list());
    }

    public List<StationInstall> installs(String rotationId) {
        return jdbc.sql("select rotation_id, station_key, identity, status, detail, attempts, updated_at "
                        + "from root_rotation_station where rotation_id = ? order by station_key")
                .param(rotationId)
                .query((rs, n) -> new StationInstall(rs.getString(1), rs.getString(2), rs.getString(3),
                        InstallStatus.valueOf(rs.getString(4)), rs.getString(5), rs.getInt(6), instant(rs, "updated_at")))
                .list();
    }

    static boolean anyPrepared(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select count(*) from root_rotation where state = 'PREPARED'");
             ResultSet rs = ps.executeQuery()) {
            rs.next();
            return rs.getLong(1) > 0;
        }
    }

    static void insert(Connection c, RootRotation r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into root_rotation (" + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, r.id());
            ps.setString(2, r.state().name());
            ps.setString(3, r.oldRootId());
            ps.setString(4, r.newRootId());
            ps.setString(5, r.newRootSubject());
            ps.setString(6, r.newRootSha256());
            ps.setString(7, r.newRootPem());
            ps.setString(8, r.key().backend());
            ps.setString(9, r.key().id());
            ps.setString(10, r.keyAlgorithm());
            ps.setString(11, r.linkSha256());
            ps.setString(12, r.linkPem());
            ps.setString(13, r.preparedBy());
            instant(ps, 14, r.preparedAt());
            ps.setString(15, r.finishedBy());
            instant(ps, 16, r.finishedAt());
            ps.executeUpdate();
        }
    }

    /** Moves a PREPARED rotation to {@code to}; false when it was not PREPARED any more (someone else finished it). */
    static boolean finish(Connection c, String id, State to, String actor, Instant at) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update root_rotation set state = ?, finished_by = ?, finished_at = ? "
                + "where id = ? and state = 'PREPARED'")) {
            ps.setString(1, to.name());
            ps.setString(2, actor);
            instant(ps, 3, at);
            ps.setString(4, id);
            return ps.executeUpdate() == 1;
        }
    }

    /** Records a station's answer (one row per rotation and station; attempts counts the sends). */
    static void record(Connection c, StationInstall s, boolean sent) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update root_rotation_station set identity = ?, status = ?, detail = ?, "
                + "attempts = attempts + ?, updated_at = ? where rotation_id = ? and station_key = ?")) {
            ps.setString(1, s.identity());
            ps.setString(2, s.status().name());
            ps.setString(3, s.detail());
            ps.setInt(4, sent ? 1 : 0);
            instant(ps, 5, s.updatedAt());
            ps.setString(6, s.rotationId());
            ps.setString(7, s.stationKey());
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("insert into root_rotation_station (rotation_id, station_key, identity, "
                + "status, detail, attempts, updated_at) values (?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, s.rotationId());
            ps.setString(2, s.stationKey());
            ps.setString(3, s.identity());
            ps.setString(4, s.status().name());
            ps.setString(5, s.detail());
            ps.setInt(6, sent ? 1 : 0);
            instant(ps, 7, s.updatedAt());
            ps.executeUpdate();
        }
    }

    private static RootRotation map(ResultSet rs) throws SQLException {
        return new RootRotation(rs.getString("id"), State.valueOf(rs.getString("state")), rs.getString("old_root_id"),
                rs.getString("new_root_id"), rs.getString("new_root_subject"), rs.getString("new_root_sha256"),
                rs.getString("new_root_pem"), new KeyHandle(rs.getString("key_backend"), rs.getString("key_id")),
                rs.getString("key_algorithm"), rs.getString("link_sha256"), rs.getString("link_pem"),
                rs.getString("prepared_by"), instant(rs, "prepared_at"), rs.getString("finished_by"),
                instant(rs, "finished_at"));
    }

    private static void instant(PreparedStatement ps, int i, Instant value) throws SQLException {
        if (value == null) {
            ps.setNull(i, Types.TIMESTAMP_WITH_TIMEZONE);
        } else {
            ps.setObject(i, value.atOffset(ZoneOffset.UTC));
        }
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
