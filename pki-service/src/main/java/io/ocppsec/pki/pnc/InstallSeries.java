package io.ocppsec.pki.pnc;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * How many contracts of the current ISO 15118-20 installation series each (station, PCID) was given
 * (OCPP 2.1 M01.FR.04/06/07), in table {@code pnc_install_series}: a restart, or another pki-service
 * instance on the same database, continues the series instead of giving the EV its first contract
 * again. A row older than the time to live (since its last delivery) counts as 0, so an EV coming back
 * later starts afresh; the end of a series deletes the row; rows past the time to live are deleted,
 * at most {@value #CLEAN_BATCH} at a time, whenever a series starts. Times are this instance's clock
 * (a few seconds of skew between instances is nothing against minutes of time to live).
 *
 * <p>Concurrency: {@link #read} returns the row as it was, and {@link #advance} writes only if the
 * row is still that one (same count and delivery time; an insert when there was none, where a
 * duplicate key means someone else inserted first). Each write is one statement, so no transaction
 * spans the issuance between the two. Two requests of the same EV at once therefore cannot both
 * record the same position: one of them learns that it lost ({@code false}) and answers from the new
 * count ({@link LocalContractProvisioner}).
 */
public final class InstallSeries {
    private static final Logger log = LoggerFactory.getLogger(InstallSeries.class);
    /** The default time to live of a series since its last delivery. */
    public static final Duration DEFAULT_TTL = Duration.ofMinutes(10);
    /** Most expired rows deleted per series start. */
    static final int CLEAN_BATCH = 100;

    /** A series: the station asking (empty when not named, at most 48 characters) and the EV's PCID (upper case). */
    public record Key(String station, String pcid) {
    }

    /**
     * What {@link #read} found: the live count ({@code delivered}, 0 when there is no row or it expired)
     * and the row it came from ({@code rowAt} null when there is none), which {@link #advance} compares.
     */
    public record Position(int delivered, int rowDelivered, Instant rowAt) {
        static final Position NONE = new Position(0, 0, null);
    }

    private final JdbcClient jdbc;
    private final Duration ttl;
    private final Clock clock;

    public InstallSeries(DataSource dataSource, Duration ttl, Clock clock) {
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("the time to live must be positive");
        }
        this.jdbc = JdbcClient.create(dataSource);
        this.ttl = ttl;
        this.clock = clock;
    }

    public Duration ttl() {
        return ttl;
    }

    /** Where the series of {@code key} stands. */
    public Position read(Key key) {
        Instant now = clock.instant();
        return jdbc.sql("select delivered, delivered_at from pnc_install_series where station_id = ? and pcid = ?")
                .param(key.station()).param(key.pcid())
                .query((rs, n) -> {
                    int delivered = rs.getInt("delivered");
                    Instant at = rs.getObject("delivered_at", OffsetDateTime.class).toInstant();
                    return new Position(at.plus(ttl).isAfter(now) ? delivered : 0, delivered, at);
                })
                .optional().orElse(Position.NONE);
    }

    /** How many were delivered in the live series of {@code key}. */
    public int delivered(Key key) {
        return read(key).delivered();
    }

    /**
     * Records that the series of {@code key} now stands at {@code delivered} (0 ends it: the row is
     * deleted), provided it still stands where {@code from} read it.
     *
     * @return false when another request moved it since {@code from} was read
     */
    public boolean advance(Key key, Position from, int delivered) {
        if (delivered < 0) {
            throw new IllegalArgumentException("delivered must not be negative");
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        boolean moved;
        if (from.rowAt() == null) {
            if (delivered == 0) {
                return true; // a one-contract series: nothing was stored, nothing to end
            }
            try {
                jdbc.sql("insert into pnc_install_series (station_id, pcid, delivered, delivered_at) values (?, ?, ?, ?)")
                        .param(key.station()).param(key.pcid()).param(delivered).param(utc(now)).update();
                moved = true;
            } catch (DuplicateKeyException e) {
                moved = false;
            }
        } else if (delivered == 0) {
            moved = jdbc.sql("delete from pnc_install_series where station_id = ? and pcid = ? and delivered = ? and delivered_at = ?")
                    .param(key.station()).param(key.pcid()).param(from.rowDelivered()).param(utc(from.rowAt())).update() == 1;
        } else {
            moved = jdbc.sql("update pnc_install_series set delivered = ?, delivered_at = ? "
                            + "where station_id = ? and pcid = ? and delivered = ? and delivered_at = ?")
                    .param(delivered).param(utc(now)).param(key.station()).param(key.pcid())
                    .param(from.rowDelivered()).param(utc(from.rowAt())).update() == 1;
        }
        if (moved && from.delivered() == 0 && delivered > 0) {
            clean(now);
        }
        return moved;
    }

    /**
     * Deletes up to {@value #CLEAN_BATCH} rows past the time to live, oldest first; best effort (a
     * failure is logged, the next series start tries again).
     *
     * @return how many were deleted
     */
    int clean(Instant now) {
        OffsetDateTime cutoff = utc(now.minus(ttl));
        try {
            return jdbc.sql("delete from pnc_install_series where delivered_at <= ? and (station_id, pcid) in "
                            + "(select station_id, pcid from pnc_install_series where delivered_at <= ? order by delivered_at limit "
                            + CLEAN_BATCH + ")")
                    .param(cutoff).param(cutoff).update();
        } catch (DataAccessException e) {
            log.warn("expired ISO 15118-20 installation series not cleaned: {}", e.getMessage());
            return 0;
        }
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
