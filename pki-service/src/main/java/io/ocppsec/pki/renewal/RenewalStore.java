package io.ocppsec.pki.renewal;

import io.ocppsec.pki.store.Refusal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The renewal state per station and certificate type ({@code renewal_state}). Reads directly;
 * state changes that matter go through the ledger as static work units (so they are audited with
 * the change and serialized across pki-service instances by the ledger's chain-head lock).
 * Claiming a row for a trigger is one conditional update: of several instances only one sees
 * its update change the row.
 */
public final class RenewalStore {
    public static final String DUE = "DUE";
    public static final String TRIGGERED = "TRIGGERED";
    public static final String FAILED = "FAILED";
    public static final String DONE = "DONE";

    /** Why a renewal was opened. */
    public static final String WINDOW = "WINDOW";
    public static final String DISCARDED = "DISCARDED";

    /** A row of {@code renewal_state}. */
    public record State(String stationKey, String certificateType, String serial, int issuedCount, String state, String reason, int attempts,
                        int failures, String lastOutcome, Instant lastAttemptAt, Instant nextAttemptAt, Instant openedAt,
                        String renewedBy, String leaseOwner, Instant leaseUntil) {
        public boolean active() {
            return !DONE.equals(state);
        }
    }

    /**
     * A station's newest valid certificate of a type (by issue time, then notAfter, then serial: the
     * same one on every pass), how many of that type it has been issued, and its renewal row.
     */
    public record Candidate(String stationKey, String station, String serial, Instant notAfter, Instant issuedAt,
                            int issuedCount, State renewal) {
    }

    /** A row ready to be triggered: its station is held by a terminator. */
    public record Claimable(String stationKey, String station, String certificateType, String serial, int attempts,
                            int failures) {
    }

    private static final String STATE_COLUMNS = "r.station_key, r.certificate_type, r.serial, r.issued_count, r.state, r.reason, r.attempts, "
            + "r.failures, r.last_outcome, r.last_attempt_at, r.next_attempt_at, r.opened_at, r.renewed_by, r.lease_owner, "
            + "r.lease_until";

    /** The newest valid certificate of station {@code s.identity_key} and the type bound first; deterministic on ties. */
    static final String NEWEST_VALID = "select c2.serial from issued_certificate c2 where c2.station_key = s.identity_key "
            + "and c2.certificate_type = ? and c2.status = 'VALID' order by c2.issued_at desc, c2.not_after desc, "
            + "c2.serial desc limit 1";

    private final JdbcClient jdbc;

    public RenewalStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    public Optional<State> state(String stationKey, String certificateType) {
        return jdbc.sql("select " + STATE_COLUMNS + " from renewal_state r where r.station_key = ? and r.certificate_type = ?")
                .param(stationKey).param(certificateType).query((rs, n) -> state(rs)).optional();
    }

    /**
     * Every enabled station's newest valid certificate of {@code certificateType} (by issue time),
     * with its renewal row: the scheduler decides from these which renewals to open and which are done.
     */
    public List<Candidate> candidates(String certificateType) {
        return jdbc.sql("select s.identity_key, s.identity, c.serial as c_serial, c.not_after as c_not_after, "
                        + "c.issued_at as c_issued_at, (select count(*) from issued_certificate c3 where c3.station_key = "
                        + "s.identity_key and c3.certificate_type = ?) as c_issued_count, " + STATE_COLUMNS + " from station s "
                        + "join issued_certificate c on c.serial = (" + NEWEST_VALID + ") "
                        + "left join renewal_state r on r.station_key = s.identity_key and r.certificate_type = ? "
                        + "where s.enabled = true order by s.identity_key")
                .param(certificateType).param(certificateType).param(certificateType)
                .query((rs, n) -> new Candidate(rs.getString("identity_key"), rs.getString("identity"),
                        rs.getString("c_serial"), instant(rs, "c_not_after"), instant(rs, "c_issued_at"),
                        rs.getInt("c_issued_count"), rs.getString("station_key") == null ? null : state(rs)))
                .list();
    }

    /** Open renewals whose next attempt is due, of enabled stations a terminator holds, oldest first. */
    public List<Claimable> claimable(Instant now, int limit) {
        return jdbc.sql("select r.station_key, s.identity, r.certificate_type, r.serial, r.attempts, r.failures "
                        + "from renewal_state r join station s on s.identity_key = r.station_key "
                        + "join station_session ss on ss.station_key = r.station_key "
                        + "where r.state in ('DUE', 'TRIGGERED', 'FAILED') and r.next_attempt_at <= ? "
                        + "and (r.lease_until is null or r.lease_until < ?) and s.enabled = true "
                        + "order by r.next_attempt_at, r.station_key limit ?")
                .param(utc(now)).param(utc(now)).param(limit)
                .query((rs, n) -> new Claimable(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        rs.getInt(5), rs.getInt(6)))
                .list();
    }

    /**
     * Takes the row for {@code owner} until {@code until} if it is still due and nobody else holds
     * it: true when this call took it. One statement; the database's row lock makes it exclusive.
     */
    public boolean claim(String stationKey, String certificateType, String serial, String owner, Instant now, Instant until) {
        return jdbc.sql("update renewal_state set lease_owner = ?, lease_until = ? where station_key = ? "
                        + "and certificate_type = ? and serial = ? and state in ('DUE', 'TRIGGERED', 'FAILED') "
                        + "and next_attempt_at <= ? and (lease_until is null or lease_until < ?)")
                .param(owner).param(utc(until)).param(stationKey).param(certificateType).param(serial)
                .param(utc(now)).param(utc(now))
                .update() == 1;
    }

    /** Gives a claimed row back unchanged (the station was not reachable; no attempt was made). */
    public void release(String stationKey, String certificateType, String owner, String lastOutcome, Instant now) {
        jdbc.sql("update renewal_state set lease_owner = null, lease_until = null, last_outcome = ?, updated_at = ? "
                        + "where station_key = ? and certificate_type = ? and lease_owner = ?")
                .param(lastOutcome).param(utc(now)).param(stationKey).param(certificateType).param(owner).update();
    }

    /** Counts for the metrics: open renewals per state. */
    public List<Object[]> countsByState() {
        return jdbc.sql("select state, count(*) from renewal_state group by state")
                .query((rs, n) -> new Object[] {rs.getString(1), rs.getLong(2)}).list();
    }

    // ---- work units (run inside the ledger's transaction) ----------------------------------

    /**
     * Opens (or reopens) the renewal of {@code serial}: state DUE, attempts 0, due now. Refused
     * (409 RENEWAL_UNCHANGED, nothing written) when the row already renews this serial and is open,
     * so that two instances opening it at once write and audit it once.
     */
    public static State open(Connection c, String stationKey, String certificateType, String serial, String reason,
                             Instant now) throws SQLException {
        State existing = lock(c, stationKey, certificateType);
        if (existing != null && existing.active() && existing.serial().equals(serial)) {
            throw Refusal.conflict("RENEWAL_UNCHANGED", "the renewal of this certificate is open already");
        }
        int issued;
        try (PreparedStatement ps = c.prepareStatement("select count(*) from issued_certificate where station_key = ? "
                + "and certificate_type = ?")) {
            ps.setString(1, stationKey);
            ps.setString(2, certificateType);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                issued = rs.getInt(1);
            }
        }
        if (existing == null) {
            try (PreparedStatement ps = c.prepareStatement("insert into renewal_state (station_key, certificate_type, serial, "
                    + "issued_count, state, reason, attempts, failures, next_attempt_at, opened_at, updated_at) "
                    + "values (?, ?, ?, ?, ?, ?, 0, 0, ?, ?, ?)")) {
                ps.setString(1, stationKey);
                ps.setString(2, certificateType);
                ps.setString(3, serial);
                ps.setInt(4, issued);
                ps.setString(5, DUE);
                ps.setString(6, reason);
                ps.setObject(7, utc(now));
                ps.setObject(8, utc(now));
                ps.setObject(9, utc(now));
                ps.executeUpdate();
            }
        } else {
            try (PreparedStatement ps = c.prepareStatement("update renewal_state set serial = ?, issued_count = ?, state = ?, "
                    + "reason = ?, attempts = 0, failures = 0, last_outcome = null, last_attempt_at = null, next_attempt_at = ?, "
                    + "opened_at = ?, renewed_by = null, lease_owner = null, lease_until = null, updated_at = ? "
                    + "where station_key = ? and certificate_type = ?")) {
                ps.setString(1, serial);
                ps.setInt(2, issued);
                ps.setString(3, DUE);
                ps.setString(4, reason);
                ps.setObject(5, utc(now));
                ps.setObject(6, utc(now));
                ps.setObject(7, utc(now));
                ps.setString(8, stationKey);
                ps.setString(9, certificateType);
                ps.executeUpdate();
            }
        }
        return lock(c, stationKey, certificateType);
    }

    /** The newest valid certificate of the station and type other than {@code serial}: what renewed it. */
    public Optional<String> newestOther(String stationKey, String certificateType, String serial) {
        return jdbc.sql("select serial from issued_certificate where station_key = ? and certificate_type = ? "
                        + "and status = 'VALID' and serial <> ? order by issued_at desc, not_after desc, serial desc limit 1")
                .param(stationKey).param(certificateType).param(serial).query(String.class).optional();
    }

    /**
     * Closes the open renewal of {@code serial}: another certificate ({@code renewedBy}) was issued
     * since it opened. Refused (409 RENEWAL_UNCHANGED) when the row is not that open renewal any more.
     */
    public static void done(Connection c, String stationKey, String certificateType, String serial, String renewedBy,
                            Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update renewal_state set state = ?, renewed_by = ?, lease_owner = null, "
                + "lease_until = null, updated_at = ? where station_key = ? and certificate_type = ? and serial = ? "
                + "and state <> ?")) {
            ps.setString(1, DONE);
            ps.setString(2, renewedBy);
            ps.setObject(3, utc(now));
            ps.setString(4, stationKey);
            ps.setString(5, certificateType);
            ps.setString(6, serial);
            ps.setString(7, DONE);
            if (ps.executeUpdate() != 1) {
                throw Refusal.conflict("RENEWAL_UNCHANGED", "the renewal is closed already");
            }
        }
    }

    /**
     * Records a trigger attempt by the lease holder: the new state, counters and next attempt.
     * Refused (409 LEASE_LOST) when the row is no longer held by {@code owner} (or closed meanwhile).
     */
    public static void attempted(Connection c, String stationKey, String certificateType, String owner, String state,
                                 boolean failed, String outcome, Instant now, Instant next) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update renewal_state set state = ?, attempts = attempts + 1, "
                + "failures = " + (failed ? "failures + 1" : "0") + ", last_outcome = ?, last_attempt_at = ?, "
                + "next_attempt_at = ?, lease_owner = null, lease_until = null, updated_at = ? "
                + "where station_key = ? and certificate_type = ? and lease_owner = ? and state <> ?")) {
            ps.setString(1, state);
            ps.setString(2, outcome);
            ps.setObject(3, utc(now));
            ps.setObject(4, utc(next));
            ps.setObject(5, utc(now));
            ps.setString(6, stationKey);
            ps.setString(7, certificateType);
            ps.setString(8, owner);
            ps.setString(9, DONE);
            if (ps.executeUpdate() != 1) {
                throw Refusal.conflict("LEASE_LOST", "the renewal is no longer held by this instance");
            }
        }
    }

    /** The security-event cursor, locked for this transaction. */
    public static long cursor(Connection c) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select last_event_id from renewal_cursor where id = 1 for update");
             ResultSet rs = ps.executeQuery()) {
            if (!rs.next()) {
                throw new SQLException("renewal_cursor row is missing");
            }
            return rs.getLong(1);
        }
    }

    public static void advance(Connection c, long lastEventId) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update renewal_cursor set last_event_id = ? where id = 1")) {
            ps.setLong(1, lastEventId);
            ps.executeUpdate();
        }
    }

    /** A DiscardedRenewedClientCertificate the stations reported after the cursor. */
    public record Discarded(long eventId, String stationKey, Instant occurredAt) {
    }

    public List<Discarded> discardedAfter(long afterId, int limit) {
        return jdbc.sql("select id, station_key, occurred_at from security_events where id > ? "
                        + "and type = 'DiscardedRenewedClientCertificate' and source = 'station' and station_key is not null "
                        + "order by id limit ?")
                .param(afterId).param(limit)
                .query((rs, n) -> new Discarded(rs.getLong(1), rs.getString(2), instant(rs, "occurred_at"))).list();
    }

    public long readCursor() {
        return jdbc.sql("select last_event_id from renewal_cursor where id = 1").query(Long.class).single();
    }

    private static State lock(Connection c, String stationKey, String certificateType) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + STATE_COLUMNS + " from renewal_state r "
                + "where r.station_key = ? and r.certificate_type = ? for update")) {
            ps.setString(1, stationKey);
            ps.setString(2, certificateType);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? state(rs) : null;
            }
        }
    }

    static State state(ResultSet rs) throws SQLException {
        return new State(rs.getString("station_key"), rs.getString("certificate_type"), rs.getString("serial"),
                rs.getInt("issued_count"), rs.getString("state"), rs.getString("reason"), rs.getInt("attempts"), rs.getInt("failures"),
                rs.getString("last_outcome"), instant(rs, "last_attempt_at"), instant(rs, "next_attempt_at"),
                instant(rs, "opened_at"), rs.getString("renewed_by"), rs.getString("lease_owner"), instant(rs, "lease_until"));
    }

    static OffsetDateTime utc(Instant i) {
        return i == null ? null : i.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
