package io.ocppsec.pki.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Security events the terminators report; written in batches through {@link Ledger}, read by id. */
public final class SecurityEventStore {

    /**
     * One event. {@code stationKey} is the canonical identity (null when the event names no
     * station), {@code source} {@code terminator} or {@code station}, {@code reporter} the API
     * caller that reported it.
     */
    public record Event(long id, Instant occurredAt, Instant receivedAt, String stationKey, String station,
                        String remoteAddress, String type, String reason, String requirement, String techInfo,
                        String source, String reporter) {
    }

    private static final String COLUMNS = "id, occurred_at, received_at, station_key, station_identity, remote_address, "
            + "type, reason, requirement, tech_info, source, reporter";

    private final JdbcClient jdbc;

    public SecurityEventStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** Stores a batch (ids are assigned by the database, in order). Returns how many were stored. */
    public static int insert(Connection c, List<Event> events) throws SQLException {
        if (events.isEmpty()) {
            return 0;
        }
        try (PreparedStatement ps = c.prepareStatement("insert into security_events (occurred_at, received_at, station_key, "
                + "station_identity, remote_address, type, reason, requirement, tech_info, source, reporter) "
                + "values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            for (Event e : events) {
                Sql.instant(ps, 1, e.occurredAt());
                Sql.instant(ps, 2, e.receivedAt());
                ps.setString(3, e.stationKey());
                ps.setString(4, e.station());
                ps.setString(5, e.remoteAddress());
                ps.setString(6, e.type());
                ps.setString(7, e.reason());
                ps.setString(8, e.requirement());
                ps.setString(9, e.techInfo());
                ps.setString(10, e.source());
                ps.setString(11, e.reporter());
                ps.addBatch();
            }
            ps.executeBatch();
        }
        return events.size();
    }

    /**
     * Events in id order (newest last). With {@code afterId} the ones after it (to follow new
     * events); without, the newest {@code limit}.
     */
    public List<Event> list(String stationKey, Long afterId, int limit) {
        StringBuilder where = new StringBuilder(" where 1 = 1");
        List<Object> params = new ArrayList<>();
        if (stationKey != null) {
            where.append(" and station_key = ?");
            params.add(stationKey);
        }
        if (afterId != null) {
            where.append(" and id > ?");
            params.add(afterId);
            params.add(limit);
            return jdbc.sql("select " + COLUMNS + " from security_events" + where + " order by id limit ?")
                    .params(params).query((rs, n) -> map(rs)).list();
        }
        params.add(limit);
        List<Event> newestFirst = new ArrayList<>(jdbc.sql("select " + COLUMNS + " from security_events" + where
                + " order by id desc limit ?").params(params).query((rs, n) -> map(rs)).list());
        Collections.reverse(newestFirst);
        return newestFirst;
    }

    private static Event map(ResultSet rs) throws SQLException {
        return new Event(rs.getLong("id"), Sql.instant(rs, "occurred_at"), Sql.instant(rs, "received_at"),
                rs.getString("station_key"), rs.getString("station_identity"), rs.getString("remote_address"),
                rs.getString("type"), rs.getString("reason"), rs.getString("requirement"), rs.getString("tech_info"),
                rs.getString("source"), rs.getString("reporter"));
    }
}
