package io.ocppsec.pki.renewal;

import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.terminator.ControlClient;
import io.ocppsec.pki.terminator.StationCalls;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Renewal before expiry (issue 5, A02): every {@code interval}, one pass
 * <ol>
 *   <li>opens a renewal for each enabled station whose newest valid ChargingStationCertificate is
 *       inside the window (notAfter - window &lt;= now), and closes the open renewals whose station
 *       has been issued a newer certificate since (renewal.due / renewal.done);</li>
 *   <li>reopens the renewal of a station that reported DiscardedRenewedClientCertificate
 *       (A02.FR.28/29: it could not connect with the renewed certificate and went back to the old one);</li>
 *   <li>claims the open renewals that are due and whose station a terminator holds, and asks that
 *       terminator to send TriggerMessage(SignChargingStationCertificate). Accepted: TRIGGERED, asked
 *       again after {@code triggeredWait} unless a newer certificate is issued first. Rejected,
 *       NotImplemented, a CALLERROR or no answer: FAILED with exponential back-off. A station that is
 *       not connected is tried again when it is (no attempt counted).</li>
 * </ol>
 * Several pki-service instances can run it on one database: opening and closing go through the
 * ledger (serialized by the audit chain head), a trigger is sent by the one instance whose
 * conditional update claimed the row. Every decision is audited.
 */
public final class RenewalScheduler implements AutoCloseable {
    public static final String CERTIFICATE_TYPE = "ChargingStationCertificate";
    /** TriggerMessage's requestedMessage for a certificate type (MessageTriggerEnumType). */
    /** The ISO 15118-2 SECC certificate (V2GCertificate), renewed the same way (issue 5/6). */
    public static final String V2G_CERTIFICATE_TYPE = "V2GCertificate";
    /** The ISO 15118-20 SECC certificate (V2G20Certificate, OCPP 2.1 only), triggered with SignV2G20Certificate. */
    public static final String V2G20_CERTIFICATE_TYPE = "V2G20Certificate";
    static final Map<String, String> REQUESTED_MESSAGE = Map.of(CERTIFICATE_TYPE, "SignChargingStationCertificate",
            V2G_CERTIFICATE_TYPE, "SignV2GCertificate", V2G20_CERTIFICATE_TYPE, "SignV2G20Certificate");
    /** The certificate types renewed, each with its own renewal state per station. */
    static final List<String> RENEWED_TYPES = List.of(CERTIFICATE_TYPE, V2G_CERTIFICATE_TYPE, V2G20_CERTIFICATE_TYPE);
    private static final Logger log = LoggerFactory.getLogger(RenewalScheduler.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int EVENTS_PER_PASS = 500;

    private final RenewalStore store;
    private final StationCalls calls;
    private final Ledger ledger;
    private final RenewalProperties settings;
    private final RenewalMetrics metrics;
    private final String instanceId;
    private final Clock clock;
    private ScheduledExecutorService executor;

    public RenewalScheduler(RenewalStore store, StationCalls calls, Ledger ledger, RenewalProperties settings,
                            RenewalMetrics metrics, String instanceId, Clock clock) {
        this.store = store;
        this.calls = calls;
        this.ledger = ledger;
        this.settings = settings;
        this.metrics = metrics;
        this.instanceId = instanceId;
        this.clock = clock;
    }

    /** What one pass did. */
    public record Pass(int opened, int closed, int reopenedByEvent, int triggered, int failed, int offline) {
    }

    /** Starts the periodic passes (when enabled). */
    public synchronized void start() {
        if (!settings.enabled() || executor != null) {
            return;
        }
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ocppsec-renewal");
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::safePass, settings.initialDelay().toMillis(), settings.interval().toMillis(),
                TimeUnit.MILLISECONDS);
        log.info("renewal scheduler started: window {}, interval {}", settings.window(), settings.interval());
    }

    private void safePass() {
        try {
            Pass p = pass(clock.instant());
            if (p.opened() + p.closed() + p.reopenedByEvent() + p.triggered() + p.failed() > 0) {
                log.info("renewal pass: {}", p);
            }
        } catch (RuntimeException e) {
            log.warn("renewal pass failed: {}", e.toString());
        }
    }

    /** One pass at {@code now}. */
    public Pass pass(Instant now) {
        now = now.truncatedTo(ChronoUnit.MICROS);
        int[] openedClosed = reconcile(now);
        int reopened = discarded(now);
        int triggered = 0;
        int failed = 0;
        int offline = 0;
        for (RenewalStore.Claimable c : store.claimable(now, settings.batch())) {
            Instant leaseUntil = now.plus(settings.callTimeout()).plusSeconds(60);
            if (!store.claim(c.stationKey(), c.certificateType(), c.serial(), owner(), now, leaseUntil)) {
                continue;
            }
            switch (trigger(c, now)) {
                case TRIGGERED -> triggered++;
                case FAILED -> failed++;
                case OFFLINE -> offline++;
            }
        }
        metrics.refresh(now);
        return new Pass(openedClosed[0], openedClosed[1], reopened, triggered, failed, offline);
    }

    /** Opens renewals for certificates inside the window; closes those a newer certificate answered. */
    private int[] reconcile(Instant now) {
        int[] total = {0, 0};
        for (String type : RENEWED_TYPES) {
            int[] one = reconcile(now, type);
            total[0] += one[0];
            total[1] += one[1];
        }
        return total;
    }

    private int[] reconcile(Instant now, String type) {
        int opened = 0;
        int closed = 0;
        Instant horizon = now.plus(settings.window());
        for (RenewalStore.Candidate c : store.candidates(type)) {
            RenewalStore.State r = c.renewal();
            String subject = "station:" + c.station();
            boolean inWindow = !c.notAfter().isAfter(horizon);
            boolean active = r != null && r.active();
            // Another certificate of the type was issued to the station since the renewal opened.
            boolean issuedSince = r != null && c.issuedCount() > r.issuedCount();
            if (active && issuedSince) {
                String renewedBy = store.newestOther(c.stationKey(), type, r.serial()).orElse(null);
                if (tryWrite(conn -> {
                    RenewalStore.done(conn, c.stationKey(), type, r.serial(), renewedBy, now);
                    return null;
                }, AuditEntry.ok(actor(), "renewal.done", subject, Details.of("certificateType", type,
                        "serialNumber", r.serial(), "renewedBy", renewedBy, "attempts", r.attempts())))) {
                    closed++;
                    metrics.done();
                }
                active = false;
            }
            boolean openNow = inWindow && (r == null || !active && issuedSince);
            if (openNow && tryWrite(conn -> RenewalStore.open(conn, c.stationKey(), type, c.serial(),
                    RenewalStore.WINDOW, now), AuditEntry.ok(actor(), "renewal.due", subject, Details.of("certificateType",
                    type, "serialNumber", c.serial(), "notAfter", c.notAfter().toString(), "reason",
                    RenewalStore.WINDOW, "window", settings.window().toString())))) {
                opened++;
            }
        }
        return new int[] {opened, closed};
    }

    /** DiscardedRenewedClientCertificate (A02.FR.28/29): renew again. */
    private int discarded(Instant now) {
        int reopened = 0;
        List<RenewalStore.Discarded> events = store.discardedAfter(store.readCursor(), EVENTS_PER_PASS);
        if (events.isEmpty()) {
            return 0;
        }
        Map<String, RenewalStore.Candidate> newest = new java.util.HashMap<>();
        store.candidates(CERTIFICATE_TYPE).forEach(c -> newest.put(c.stationKey(), c));
        for (RenewalStore.Discarded d : events) {
            var candidate = java.util.Optional.ofNullable(newest.get(d.stationKey()));
            String serial = candidate.map(RenewalStore.Candidate::serial).orElse(null);
            String subject = "station:" + candidate.map(RenewalStore.Candidate::station).orElse(d.stationKey());
            boolean done = tryWrite(conn -> {
                if (RenewalStore.cursor(conn) >= d.eventId()) {
                    throw Refusal.conflict("RENEWAL_UNCHANGED", "another instance handled this event");
                }
                RenewalStore.advance(conn, d.eventId());
                if (serial != null) {
                    try {
                        RenewalStore.open(conn, d.stationKey(), CERTIFICATE_TYPE, serial, RenewalStore.DISCARDED, now);
                    } catch (Refusal alreadyOpen) {
                        // open for this certificate already: the cursor still moves on
                    }
                }
                return null;
            }, serial == null
                    ? AuditEntry.refused(actor(), "renewal.due", subject, "NO_VALID_CERTIFICATE", Details.of("eventId",
                            d.eventId(), "reason", RenewalStore.DISCARDED))
                    : AuditEntry.ok(actor(), "renewal.due", subject, Details.of("certificateType", CERTIFICATE_TYPE,
                            "serialNumber", serial, "reason", RenewalStore.DISCARDED, "eventId", d.eventId())));
            if (done && serial != null) {
                reopened++;
            }
        }
        return reopened;
    }

    private enum Result { TRIGGERED, FAILED, OFFLINE }

    private Result trigger(RenewalStore.Claimable c, Instant now) {
        ObjectNode payload = JSON.createObjectNode();
        payload.put("requestedMessage", REQUESTED_MESSAGE.get(c.certificateType()));
        String subject = "station:" + c.station();
        String outcome;
        boolean accepted = false;
        try {
            ControlClient.Answered a = calls.call(c.station(), "TriggerMessage", payload,
                    (int) settings.callTimeout().toSeconds(), actor());
            if (a.callResult()) {
                String status = a.json().path("payload").path("status").stringValue(null);
                accepted = "Accepted".equals(status);
                outcome = status == null ? "NO_STATUS" : cut(status, 32);
            } else {
                outcome = "CALLERROR:" + cut(a.errorCode() == null ? "?" : a.errorCode(), 40);
            }
        } catch (Refusal r) {
            if ("STATION_OFFLINE".equals(r.reason()) || "STATION_UNKNOWN".equals(r.reason())) {
                store.release(c.stationKey(), c.certificateType(), owner(), r.reason(), now);
                metrics.attempt("STATION_OFFLINE");
                return Result.OFFLINE;
            }
            outcome = r.reason();
        } catch (RuntimeException e) {
            outcome = "ERROR";
            log.warn("renewal trigger for {} failed: {}", c.station(), e.toString());
        }
        int failures = accepted ? 0 : c.failures() + 1;
        Instant next = accepted ? now.plus(settings.triggeredWait()) : now.plus(settings.backoff(failures));
        String state = accepted ? RenewalStore.TRIGGERED : RenewalStore.FAILED;
        String details = Details.of("certificateType", c.certificateType(), "serialNumber", c.serial(),
                "requestedMessage", REQUESTED_MESSAGE.get(c.certificateType()), "outcome", outcome,
                "attempt", c.attempts() + 1, "failuresInARow", failures, "nextAttempt", next.toString());
        String finalOutcome = outcome;
        boolean finalAccepted = accepted;
        tryWrite(conn -> {
            RenewalStore.attempted(conn, c.stationKey(), c.certificateType(), owner(), state, !finalAccepted, finalOutcome,
                    now, next);
            return null;
        }, accepted ? AuditEntry.ok(actor(), "renewal.trigger", subject, details)
                : AuditEntry.refused(actor(), "renewal.trigger", subject, cut(outcome, 64), details));
        metrics.attempt(accepted ? "Accepted" : outcome.startsWith("CALLERROR") ? "CALLERROR" : outcome);
        return accepted ? Result.TRIGGERED : Result.FAILED;
    }

    /** Runs a unit through the ledger with its audit; false when it was refused (nothing written). */
    private boolean tryWrite(Ledger.Work<?> work, AuditEntry audit) {
        try {
            ledger.write(work, List.of(audit), null);
            return true;
        } catch (Refusal r) {
            return false;
        }
    }

    private String owner() {
        return instanceId;
    }

    private String actor() {
        return "renewal-scheduler:" + instanceId;
    }

    private static String cut(String s, int max) {
        String clean = s.replaceAll("[^A-Za-z0-9_.:-]", "?");
        return clean.length() <= max ? clean : clean.substring(0, max);
    }

    @Override
    public synchronized void close() {
        if (executor != null) {
            executor.shutdownNow();
            executor = null;
        }
    }
}
