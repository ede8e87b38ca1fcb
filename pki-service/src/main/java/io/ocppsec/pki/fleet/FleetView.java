package io.ocppsec.pki.fleet;

import io.ocppsec.pki.renewal.RenewalProperties;
import io.ocppsec.pki.renewal.RenewalScheduler;
import io.ocppsec.pki.renewal.RenewalStore;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The fleet at a glance: per station its current ChargingStationCertificate (the newest valid one,
 * else the newest one), how long it has left, its renewal and whether a terminator holds it.
 * Certificate status: {@code valid}, {@code expiring} (inside the renewal window), {@code expired},
 * {@code revoked} (no valid certificate, the newest is revoked), {@code none}. Renewal status:
 * {@code idle}, {@code due}, {@code triggered}, {@code failed} (back-off until nextAttempt).
 * {@code overdue}: an enabled station whose certificate has less than {@code ocppsec.renewal.overdue}
 * left or has expired.
 */
public final class FleetView {
    public static final int MAX_LIMIT = 500;
    /** The rows one request reads at most while filtering (bounds the work of a filter that matches little). */
    public static final int MAX_SCAN = 20_000;
    public static final Set<String> FILTERS = Set.of("valid", "expiring", "expired", "revoked", "none", "overdue", "renewing",
            "failed", "offline", "online");

    /** One station's row. */
    public record Entry(String station, int securityProfile, boolean enabled, String certificateSerial, Instant notAfter,
                        Long daysLeft, String certificateStatus, boolean overdue, String renewalStatus, String renewalReason,
                        Integer renewalAttempts, String lastOutcome, Instant lastAttempt, Instant nextAttempt,
                        boolean online, String terminatorId, Integer connectedProfile) {
    }

    /** A page: {@code next} is the {@code after} for the following page, null at the end. */
    public record Page(Instant at, String window, String overdueThreshold, List<Entry> stations, String next) {
    }

    private final JdbcClient jdbc;
    private final RenewalProperties settings;
    private final Clock clock;

    public FleetView(DataSource dataSource, RenewalProperties settings, Clock clock) {
        this.jdbc = JdbcClient.create(dataSource);
        this.settings = settings;
        this.clock = clock;
    }

    private record Row(String key, String identity, int profile, boolean enabled, String serial, Instant notAfter,
                       String certStatus, String state, String reason, Integer attempts, String lastOutcome,
                       Instant lastAttempt, Instant nextAttempt, String terminatorId, Integer connectedProfile) {
    }

    /** Stations after {@code after} (an identity, exclusive) in identity order, at most {@code limit}, filtered. */
    public Page page(String status, String after, int limit) {
        String filter = status == null || status.isBlank() ? null : status.trim().toLowerCase(Locale.ROOT);
        if (filter != null && !FILTERS.contains(filter)) {
            throw Refusal.badRequest("BAD_STATUS_FILTER", "status must be one of " + FILTERS.stream().sorted().toList());
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw Refusal.badRequest("BAD_LIMIT", "limit must be between 1 and " + MAX_LIMIT);
        }
        String afterKey = null;
        if (after != null && !after.isEmpty()) {
            if (!(StationIdentity.parse(after) instanceof IdentityCheck.Valid v)) {
                throw Refusal.badRequest("BAD_AFTER", "after must be a station identity (the next of the previous page)");
            }
            afterKey = v.identity().canonicalKey();
        }
        Instant now = clock.instant();
        List<Entry> out = new ArrayList<>();
        String cursor = afterKey;
        int scanned = 0;
        boolean exhausted = false;
        while (out.size() < limit && scanned < MAX_SCAN) {
            int chunk = Math.min(MAX_LIMIT, MAX_SCAN - scanned);
            List<Row> rows = rows(cursor, chunk);
            for (Row r : rows) {
                scanned++;
                cursor = r.key();
                Entry e = entry(r, now);
                if (filter == null || matches(e, filter)) {
                    out.add(e);
                    if (out.size() == limit) {
                        break;
                    }
                }
            }
            if (rows.size() < chunk && out.size() < limit) {
                exhausted = true;
                break;
            }
        }
        // The identity key of the last row read: the next page starts after it.
        String next = exhausted ? null : cursor;
        return new Page(now, settings.window().toString(), settings.overdue().toString(), out, next);
    }

    private List<Row> rows(String afterKey, int limit) {
        String type = RenewalScheduler.CERTIFICATE_TYPE;
        return jdbc.sql("select s.identity_key, s.identity, s.security_profile, s.enabled, c.serial, c.not_after, c.status, "
                        + "r.state, r.reason, r.attempts, r.last_outcome, r.last_attempt_at, r.next_attempt_at, "
                        + "ss.terminator_id, ss.security_profile as connected_profile from station s "
                        + "left join issued_certificate c on c.serial = (select c2.serial from issued_certificate c2 "
                        + "where c2.station_key = s.identity_key and c2.certificate_type = ? "
                        + "order by case when c2.status = 'VALID' then 0 else 1 end, c2.issued_at desc, c2.serial desc limit 1) "
                        + "left join renewal_state r on r.station_key = s.identity_key and r.certificate_type = ? "
                        + "left join station_session ss on ss.station_key = s.identity_key "
                        + "where s.identity_key > ? order by s.identity_key limit ?")
                .param(type).param(type).param(afterKey == null ? "" : afterKey).param(limit)
                .query((rs, n) -> {
                    int attempts = rs.getInt("attempts");
                    boolean noAttempts = rs.wasNull();
                    int connected = rs.getInt("connected_profile");
                    boolean notConnected = rs.wasNull();
                    return new Row(rs.getString("identity_key"), rs.getString("identity"), rs.getInt("security_profile"),
                            rs.getBoolean("enabled"), rs.getString("serial"), instant(rs.getObject("not_after", OffsetDateTime.class)),
                            rs.getString("status"), rs.getString("state"), rs.getString("reason"),
                            noAttempts ? null : attempts, rs.getString("last_outcome"),
                            instant(rs.getObject("last_attempt_at", OffsetDateTime.class)),
                            instant(rs.getObject("next_attempt_at", OffsetDateTime.class)), rs.getString("terminator_id"),
                            notConnected ? null : connected);
                }).list();
    }

    Entry entry(Row r, Instant now) {
        String certStatus;
        Long daysLeft = null;
        boolean overdue = false;
        if (r.serial() == null) {
            certStatus = "none";
        } else if (!"VALID".equals(r.certStatus())) {
            certStatus = "revoked";
        } else {
            daysLeft = Math.floorDiv(Duration.between(now, r.notAfter()).getSeconds(), 86_400L);
            if (!r.notAfter().isAfter(now)) {
                certStatus = "expired";
            } else if (!r.notAfter().isAfter(now.plus(settings.window()))) {
                certStatus = "expiring";
            } else {
                certStatus = "valid";
            }
            overdue = r.enabled() && r.notAfter().isBefore(now.plus(settings.overdue()));
        }
        boolean open = r.state() != null && !RenewalStore.DONE.equals(r.state());
        String renewal = open ? r.state().toLowerCase(Locale.ROOT) : "idle";
        return new Entry(r.identity(), r.profile(), r.enabled(), r.serial(), r.notAfter(), daysLeft, certStatus, overdue,
                renewal, open ? r.reason() : null, open ? r.attempts() : null, r.lastOutcome(), r.lastAttempt(),
                open ? r.nextAttempt() : null, r.terminatorId() != null, r.terminatorId(), r.connectedProfile());
    }

    private static boolean matches(Entry e, String filter) {
        return switch (filter) {
            case "overdue" -> e.overdue();
            case "renewing" -> !"idle".equals(e.renewalStatus());
            case "failed" -> "failed".equals(e.renewalStatus());
            case "online" -> e.online();
            case "offline" -> !e.online();
            default -> filter.equals(e.certificateStatus());
        };
    }

    private static Instant instant(OffsetDateTime t) {
        return t == null ? null : t.toInstant();
    }

    static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
