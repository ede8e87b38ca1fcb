package io.ocppsec.pki.renewal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The renewal figures on the actuator metrics endpoint ({@code /actuator/metrics/<name>}):
 * <ul>
 *   <li>{@code ocppsec.renewal.due}: enabled stations whose newest valid ChargingStationCertificate
 *       is inside the renewal window (including overdue and expired ones);</li>
 *   <li>{@code ocppsec.renewal.overdue}: of those, the ones with less than {@code ocppsec.renewal.overdue}
 *       (default 7 days) left or already expired: the renewal should have happened by now;</li>
 *   <li>{@code ocppsec.renewal.expired}: of those, the ones already expired;</li>
 *   <li>{@code ocppsec.renewal.open} (tag {@code state} DUE, TRIGGERED, FAILED): open renewals;</li>
 *   <li>{@code ocppsec.renewal.attempts} (tag {@code outcome}): TriggerMessages this instance sent
 *       and what became of them (Accepted, Rejected, NotImplemented, CALLERROR, STATION_TIMEOUT,
 *       TERMINATOR_*, STATION_OFFLINE, OTHER);</li>
 *   <li>{@code ocppsec.renewal.completed}: renewals this instance saw answered by a newer certificate.</li>
 * </ul>
 * The gauges are refreshed at the end of every pass (and on start), from the database, so every
 * instance of a cluster shows the same fleet figures.
 */
public final class RenewalMetrics {
    static final Set<String> OUTCOMES = Set.of("Accepted", "Rejected", "NotImplemented", "CALLERROR", "STATION_TIMEOUT",
            "TERMINATOR_UNAVAILABLE", "TERMINATOR_REFUSED", "TERMINATOR_TIMEOUT", "TERMINATOR_FAILED", "STATION_OFFLINE");

    private final MeterRegistry registry;
    private final RenewalStore store;
    private final RenewalProperties settings;
    private final AtomicLong due = new AtomicLong();
    private final AtomicLong overdue = new AtomicLong();
    private final AtomicLong expired = new AtomicLong();
    private final Map<String, AtomicLong> open = new ConcurrentHashMap<>();
    private final Counter completed;

    public RenewalMetrics(MeterRegistry registry, RenewalStore store, RenewalProperties settings) {
        this.registry = registry;
        this.store = store;
        this.settings = settings;
        Gauge.builder("ocppsec.renewal.due", due, AtomicLong::get)
                .description("stations whose certificate is inside the renewal window").register(registry);
        Gauge.builder("ocppsec.renewal.overdue", overdue, AtomicLong::get)
                .description("stations whose certificate has less than the overdue threshold left, or expired").register(registry);
        Gauge.builder("ocppsec.renewal.expired", expired, AtomicLong::get)
                .description("stations whose newest valid certificate has expired").register(registry);
        for (String state : new String[] {RenewalStore.DUE, RenewalStore.TRIGGERED, RenewalStore.FAILED}) {
            AtomicLong v = new AtomicLong();
            open.put(state, v);
            Gauge.builder("ocppsec.renewal.open", v, AtomicLong::get).tag("state", state)
                    .description("open renewals by state").register(registry);
        }
        completed = Counter.builder("ocppsec.renewal.completed").description("renewals answered by a newer certificate")
                .register(registry);
    }

    /** Recomputes the gauges from the database. */
    public void refresh(Instant now) {
        Instant horizon = now.plus(settings.window());
        Instant overdueAt = now.plus(settings.overdue());
        long d = 0;
        long o = 0;
        long e = 0;
        for (RenewalStore.Candidate c : store.candidates(RenewalScheduler.CERTIFICATE_TYPE)) {
            if (!c.notAfter().isAfter(horizon)) {
                d++;
                if (c.notAfter().isBefore(overdueAt)) {
                    o++;
                }
                if (!c.notAfter().isAfter(now)) {
                    e++;
                }
            }
        }
        due.set(d);
        overdue.set(o);
        expired.set(e);
        open.values().forEach(v -> v.set(0));
        for (Object[] row : store.countsByState()) {
            AtomicLong v = open.get((String) row[0]);
            if (v != null) {
                v.set((Long) row[1]);
            }
        }
    }

    void attempt(String outcome) {
        Counter.builder("ocppsec.renewal.attempts").tag("outcome", OUTCOMES.contains(outcome) ? outcome : "OTHER")
                .description("TriggerMessages sent for renewals, by outcome").register(registry).increment();
    }

    void done() {
        completed.increment();
    }
}
