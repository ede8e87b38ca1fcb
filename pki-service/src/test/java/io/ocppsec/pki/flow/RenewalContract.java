package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.ocppsec.pki.ca.Csrs;
import io.ocppsec.pki.fleet.FleetView;
import io.ocppsec.pki.renewal.RenewalMetrics;
import io.ocppsec.pki.renewal.RenewalProperties;
import io.ocppsec.pki.renewal.RenewalScheduler;
import io.ocppsec.pki.renewal.RenewalStore;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.terminator.StationCalls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Renewal before expiry (issue 5 scope 4, A02/A03) and the fleet view (scope 7) over real HTTP and
 * a real database, run against each database by a subclass. The scheduler's background passes are
 * off ({@code ocppsec.renewal.enabled=false}); the tests run passes at chosen instants, so that a
 * certificate valid for a year can be "inside the window" without waiting. Stations are reached
 * through a {@link TerminatorStandIn} that records every call; the TriggerMessage payloads are
 * checked against the official OCPP schemas.
 */
abstract class RenewalContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Autowired
    RenewalScheduler scheduler;
    @Autowired
    RenewalStore renewals;
    @Autowired
    RenewalProperties settings;
    @Autowired
    StationCalls calls;
    @Autowired
    Ledger ledger;
    @Autowired
    DataSource dataSource;

    private final List<TerminatorStandIn> standIns = new ArrayList<>();

    abstract Api api();

    abstract Path dataDir();

    @AfterEach
    void closeStandIns() {
        standIns.forEach(TerminatorStandIn::close);
    }

    // ---- helpers -----------------------------------------------------------------------------

    String admin() {
        try {
            return Files.readString(dataDir().resolve("admin-token")).trim();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String token(String role) {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"renewal " + role + "\",\"role\":\"" + role + "\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    static String fresh(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 1_000_000;
    }

    static String controlToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** A terminator stand-in registered with pki-service. */
    record Terminator(String id, TerminatorStandIn standIn, String token) {
    }

    Terminator terminator() throws Exception {
        String control = controlToken();
        TerminatorStandIn standIn = new TerminatorStandIn(control);
        standIns.add(standIn);
        String term = token("terminator");
        String id = fresh("term");
        Api.Reply r = api().put("/api/v1/terminator/instances/" + id, Api.object().put("controlUrl", standIn.url())
                .put("controlToken", control), term);
        assertThat(r.status()).as(r.body()).isEqualTo(204);
        return new Terminator(id, standIn, term);
    }

    String station() {
        String id = fresh("RN");
        Api.Reply r = api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"SN" + id
                + "\",\"securityProfile\":2}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return id;
    }

    void connect(String station, Terminator t, String subprotocol) {
        Api.Reply r = api().put("/api/v1/terminator/sessions/" + station, Api.object().put("terminatorId", t.id())
                .put("securityProfile", 2).put("subprotocol", subprotocol).putNull("clientCertificateSha256")
                .put("remoteAddress", "192.0.2.9:40000"), t.token());
        assertThat(r.status()).as(r.body()).isEqualTo(204);
    }

    /** A certificate issued to the station: its serial and notAfter. */
    record Issued(String serial, Instant notAfter) {
    }

    Issued issue(String station) {
        Api.Reply r = api().post("/api/v1/certificates/sign", Api.object().put("station", station)
                .put("csr", Csrs.p256("CN=SN" + station + ",O=ocppsec development CPO")), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return new Issued(r.json().get("serialNumber").asString(), Instant.parse(r.json().get("notAfter").asString()));
    }

    /**
     * A certificate issued now and then aged in the inventory as if issued long ago, so that it
     * has {@code left} before notAfter: what the scheduler and the fleet view read. (The end-to-end
     * test uses a short validity profile instead, with the certificate the station really holds.)
     */
    Issued aged(String station, Duration left) throws Exception {
        Issued issued = issue(station);
        Instant notAfter = Instant.now().plus(left).truncatedTo(ChronoUnit.SECONDS);
        Instant issuedAt = notAfter.minus(Duration.ofDays(365));
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "update issued_certificate set not_before = ?, issued_at = ?, not_after = ? where serial = ?")) {
            ps.setObject(1, issuedAt.atOffset(ZoneOffset.UTC));
            ps.setObject(2, issuedAt.atOffset(ZoneOffset.UTC));
            ps.setObject(3, notAfter.atOffset(ZoneOffset.UTC));
            ps.setString(4, issued.serial());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        return new Issued(issued.serial(), notAfter);
    }

    static Function<TerminatorStandIn.Request, TerminatorStandIn.Answer> answering(String status) {
        return r -> TerminatorStandIn.Answer.callResult("m1", "{\"status\":\"" + status + "\"}");
    }

    /** The calls the stand-in received for a station. */
    static List<TerminatorStandIn.Request> callsTo(TerminatorStandIn standIn, String station) {
        return standIn.requests.stream().filter(r -> r.station().equals(station)).toList();
    }

    RenewalStore.State state(String station) {
        return renewals.state(station.toLowerCase(java.util.Locale.ROOT), RenewalScheduler.CERTIFICATE_TYPE).orElseThrow();
    }

    String audit() {
        Api.Reply r = api().get("/api/v1/audit?limit=1000", admin());
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    JsonNode fleetEntry(String station, String query) {
        Api.Reply r = api().get("/api/v1/fleet?limit=500" + query, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        for (JsonNode e : r.json().get("stations")) {
            if (e.get("station").asString().equals(station)) {
                return e;
            }
        }
        return null;
    }

    // ---- the window --------------------------------------------------------------------------

    @Test
    void A02_aCertificateInsideTheWindowGetsOneTriggerMessageThatTheOfficialSchemaAccepts() throws Exception {
        Terminator t = terminator();
        for (String subprotocol : List.of("ocpp2.0.1", "ocpp2.1")) {
            String id = station();
            t.standIn().holds(id, answering("Accepted"));
            connect(id, t, subprotocol);
            Issued cert = aged(id, settings.window().plusDays(2));

            scheduler.pass(Instant.now());
            assertThat(callsTo(t.standIn(), id)).as("outside the window: nothing").isEmpty();
            assertThat(renewals.state(id.toLowerCase(), RenewalScheduler.CERTIFICATE_TYPE)).isEmpty();

            Instant now = cert.notAfter().minus(settings.window()).plusSeconds(60).truncatedTo(ChronoUnit.MICROS);
            scheduler.pass(now);
            List<TerminatorStandIn.Request> sent = callsTo(t.standIn(), id);
            assertThat(sent).hasSize(1);
            JsonNode body = sent.get(0).body();
            assertThat(body.get("action").asString()).isEqualTo("TriggerMessage");
            assertThat(body.get("payload").get("requestedMessage").asString()).isEqualTo("SignChargingStationCertificate");
            assertThat(OfficialSchemas.requestViolations(subprotocol, "TriggerMessage", body.get("payload")))
                    .as("TriggerMessageRequest of " + subprotocol).isEmpty();
            RenewalStore.State s = state(id);
            assertThat(s.state()).isEqualTo(RenewalStore.TRIGGERED);
            assertThat(s.serial()).isEqualTo(cert.serial());
            assertThat(s.attempts()).isEqualTo(1);
            assertThat(s.lastOutcome()).isEqualTo("Accepted");
            assertThat(s.nextAttemptAt()).isEqualTo(now.plus(settings.triggeredWait()));

            scheduler.pass(now.plusSeconds(60));
            assertThat(callsTo(t.standIn(), id)).as("triggered: waits for the station's SignCertificate").hasSize(1);
            scheduler.pass(now.plus(settings.triggeredWait()));
            assertThat(callsTo(t.standIn(), id)).as("no new certificate after triggeredWait: triggered again").hasSize(2);

            // The station renews (its SignCertificate is signed): the renewal is done, nothing more is sent.
            Issued renewed = issue(id);
            scheduler.pass(now.plus(settings.triggeredWait()).plusSeconds(60));
            RenewalStore.State done = state(id);
            assertThat(done.state()).isEqualTo(RenewalStore.DONE);
            assertThat(done.renewedBy()).isEqualTo(renewed.serial());
            scheduler.pass(now.plus(settings.triggeredWait().multipliedBy(3)));
            assertThat(callsTo(t.standIn(), id)).hasSize(2);
            assertThat(audit()).contains("renewal.due", "renewal.trigger", "renewal.done", cert.serial(), renewed.serial());
        }
    }

    @Test
    void aV2gSeccCertificateInsideTheWindowIsRenewedWithSignV2GCertificate_M_block() throws Exception {
        Terminator t = terminator();
        String id = fresh("RV");
        String secc = "DEOCSE" + SEQ.incrementAndGet() + "SECC";
        Api.Reply st = api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"SN" + id
                + "\",\"securityProfile\":2,\"certificateTypes\":[\"ChargingStationCertificate\",\"V2GCertificate\"],"
                + "\"seccIds\":[\"" + secc + "\"]}", admin());
        assertThat(st.status()).as(st.body()).isEqualTo(201);
        t.standIn().holds(id, answering("Accepted"));
        connect(id, t, "ocpp2.0.1");
        Issued station = aged(id, settings.window().plusDays(200));
        Api.Reply r = api().post("/api/v1/certificates/sign", Api.object().put("station", id).put("certificateType", "V2GCertificate")
                .put("csr", Csrs.p256("C=DE,O=ocppsec development CPO,CN=" + secc)), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String serial = r.json().get("serialNumber").asString();
        Instant notAfter = Instant.now().plus(settings.window().plusDays(2)).truncatedTo(ChronoUnit.SECONDS);
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "update issued_certificate set not_after = ? where serial = ?")) {
            ps.setObject(1, notAfter.atOffset(ZoneOffset.UTC));
            ps.setString(2, serial);
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }
        scheduler.pass(Instant.now());
        assertThat(callsTo(t.standIn(), id)).as("outside the window: nothing").isEmpty();

        Instant now = notAfter.minus(settings.window()).plusSeconds(60).truncatedTo(ChronoUnit.MICROS);
        scheduler.pass(now);
        List<TerminatorStandIn.Request> sent = callsTo(t.standIn(), id);
        assertThat(sent).as("the SECC certificate only: the station certificate is far from expiry").hasSize(1);
        JsonNode payload = sent.get(0).body().get("payload");
        assertThat(payload.get("requestedMessage").asString()).isEqualTo("SignV2GCertificate");
        assertThat(OfficialSchemas.requestViolations("ocpp2.0.1", "TriggerMessage", payload)).isEmpty();
        RenewalStore.State v2g = renewals.state(id.toLowerCase(), RenewalScheduler.V2G_CERTIFICATE_TYPE).orElseThrow();
        assertThat(v2g.state()).isEqualTo(RenewalStore.TRIGGERED);
        assertThat(v2g.serial()).isEqualTo(serial);
        assertThat(renewals.state(id.toLowerCase(), RenewalScheduler.CERTIFICATE_TYPE)).as(station.serial()).isEmpty();
    }

    @Test
    void aRenewedCertificateThatIsItselfInsideTheWindowOpensItsOwnRenewal() throws Exception {
        Terminator t = terminator();
        String id = station();
        t.standIn().holds(id, answering("Accepted"));
        connect(id, t, "ocpp2.1");
        Issued first = aged(id, Duration.ofDays(10));
        scheduler.pass(Instant.now());
        assertThat(state(id).serial()).isEqualTo(first.serial());
        Issued second = issue(id);
        // A year later the second certificate is inside the window too: a new renewal for it.
        Instant later = second.notAfter().minus(Duration.ofDays(10));
        scheduler.pass(later);
        RenewalStore.State s = state(id);
        assertThat(s.serial()).isEqualTo(second.serial());
        assertThat(s.state()).isEqualTo(RenewalStore.TRIGGERED);
        assertThat(s.attempts()).isEqualTo(1);
        assertThat(callsTo(t.standIn(), id)).hasSize(2);
    }

    // ---- back-off ----------------------------------------------------------------------------

    @Test
    void rejectedNotImplementedAndTimeoutsBackOffExponentiallyUpToTheCap() throws Exception {
        Terminator t = terminator();
        String id = station();
        AtomicInteger n = new AtomicInteger();
        List<TerminatorStandIn.Answer> script = List.of(
                TerminatorStandIn.Answer.callResult("m1", "{\"status\":\"Rejected\"}"),
                TerminatorStandIn.Answer.callResult("m2", "{\"status\":\"NotImplemented\"}"),
                TerminatorStandIn.Answer.callError("m3", "NotSupported", "no TriggerMessage here"),
                TerminatorStandIn.Answer.status(504),
                TerminatorStandIn.Answer.callResult("m5", "{\"status\":\"Accepted\"}"));
        t.standIn().holds(id, r -> script.get(Math.min(n.getAndIncrement(), script.size() - 1)));
        connect(id, t, "ocpp2.0.1");
        aged(id, Duration.ofDays(20));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);

        List<String> outcomes = List.of("Rejected", "NotImplemented", "CALLERROR:NotSupported", "STATION_TIMEOUT");
        for (int failure = 1; failure <= outcomes.size(); failure++) {
            scheduler.pass(now);
            RenewalStore.State s = state(id);
            assertThat(s.state()).isEqualTo(RenewalStore.FAILED);
            assertThat(s.lastOutcome()).isEqualTo(outcomes.get(failure - 1));
            assertThat(s.failures()).isEqualTo(failure);
            Duration wait = settings.backoff(failure);
            assertThat(wait).isEqualTo(min(settings.backoffInitial().multipliedBy(1L << (failure - 1)), settings.backoffMax()));
            assertThat(s.nextAttemptAt()).isEqualTo(now.plus(wait));
            scheduler.pass(now.plus(wait).minusSeconds(1));
            assertThat(callsTo(t.standIn(), id)).as("nothing before the back-off ends").hasSize(failure);
            now = now.plus(wait);
        }
        scheduler.pass(now);
        RenewalStore.State s = state(id);
        assertThat(s.state()).isEqualTo(RenewalStore.TRIGGERED);
        assertThat(s.failures()).isZero();
        assertThat(s.attempts()).isEqualTo(5);
        assertThat(audit()).contains("\"reason\":\"Rejected\"", "\"reason\":\"STATION_TIMEOUT\"");
        // the cap
        assertThat(settings.backoff(40)).isEqualTo(settings.backoffMax());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    // ---- offline stations --------------------------------------------------------------------

    @Test
    void aStationThatIsNotConnectedIsTriggeredWhenItIs() throws Exception {
        Terminator t = terminator();
        String id = station();
        aged(id, Duration.ofDays(20));
        Instant now = Instant.now();
        scheduler.pass(now);
        RenewalStore.State waiting = state(id);
        assertThat(waiting.state()).isEqualTo(RenewalStore.DUE);
        assertThat(waiting.attempts()).isZero();
        assertThat(callsTo(t.standIn(), id)).isEmpty();
        assertThat(fleetEntry(id, "").get("online").booleanValue()).isFalse();

        // The terminator reports it but no longer holds it (404): no attempt counted, session forgotten.
        connect(id, t, "ocpp2.1");
        scheduler.pass(now.plusSeconds(1));
        RenewalStore.State notHeld = state(id);
        assertThat(callsTo(t.standIn(), id)).hasSize(1);
        assertThat(notHeld.state()).isEqualTo(RenewalStore.DUE);
        assertThat(notHeld.attempts()).isZero();
        assertThat(notHeld.lastOutcome()).isEqualTo("STATION_OFFLINE");
        assertThat(api().get("/api/v1/stations/" + id + "/session", admin()).status()).isIn(404, 200);

        // It connects: the next pass triggers it.
        t.standIn().holds(id, answering("Accepted"));
        connect(id, t, "ocpp2.1");
        scheduler.pass(now.plusSeconds(2));
        assertThat(callsTo(t.standIn(), id)).hasSize(2);
        assertThat(state(id).state()).isEqualTo(RenewalStore.TRIGGERED);
        JsonNode entry = fleetEntry(id, "&status=renewing");
        assertThat(entry).isNotNull();
        assertThat(entry.get("online").booleanValue()).isTrue();
        assertThat(entry.get("terminatorId").asString()).isEqualTo(t.id());
        assertThat(entry.get("renewalStatus").asString()).isEqualTo("triggered");
        assertThat(entry.get("lastOutcome").asString()).isEqualTo("Accepted");
    }

    // ---- several instances ------------------------------------------------------------------

    @Test
    void twoInstancesPassingAtOnceTriggerEachStationOnce() throws Exception {
        Terminator t = terminator();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            String id = station();
            ids.add(id);
            t.standIn().holds(id, answering("Accepted"));
            connect(id, t, "ocpp2.1");
            aged(id, Duration.ofDays(20));
        }
        RenewalScheduler other = new RenewalScheduler(renewals, calls, ledger, settings,
                new RenewalMetrics(new SimpleMeterRegistry(), renewals, settings), "second-instance", Clock.systemUTC());
        Instant now = Instant.now();
        for (int round = 0; round < 3; round++) {
            Instant at = now.plusSeconds(round);
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(2);
            try {
                List<Future<RenewalScheduler.Pass>> passes = new ArrayList<>();
                for (RenewalScheduler s : List.of(scheduler, other)) {
                    passes.add(pool.submit((Callable<RenewalScheduler.Pass>) () -> {
                        go.await();
                        return s.pass(at);
                    }));
                }
                go.countDown();
                for (Future<RenewalScheduler.Pass> f : passes) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }
        }
        for (String id : ids) {
            assertThat(callsTo(t.standIn(), id)).as(id + " triggered exactly once by the two instances").hasSize(1);
            assertThat(state(id).attempts()).isEqualTo(1);
        }
        String log = audit();
        for (String id : ids) {
            assertThat(count(log, "\"action\":\"renewal.due\",\"subject\":\"station:" + id + "\"")).as("opened once").isEqualTo(1);
        }
    }

    @Test
    void claimingARenewalIsExclusiveUntilItsLeaseEnds() throws Exception {
        String id = station();
        Issued cert = aged(id, Duration.ofDays(20));
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        scheduler.pass(now); // opens it; not connected, so nobody claims it
        RenewalStore.State open = state(id);
        assertThat(open.state()).isEqualTo(RenewalStore.DUE);
        assertThat(open.leaseOwner()).isNull();
        String key = id.toLowerCase(java.util.Locale.ROOT);
        String type = RenewalScheduler.CERTIFICATE_TYPE;
        Instant until = now.plusSeconds(90);

        int contenders = 8;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(contenders);
        List<Future<Boolean>> claims = new ArrayList<>();
        try {
            for (int i = 0; i < contenders; i++) {
                String owner = "instance-" + i;
                claims.add(pool.submit(() -> {
                    go.await();
                    return renewals.claim(key, type, cert.serial(), owner, now, until);
                }));
            }
            go.countDown();
            int won = 0;
            for (Future<Boolean> f : claims) {
                won += f.get() ? 1 : 0;
            }
            assertThat(won).as("of " + contenders + " instances claiming at once, one wins").isEqualTo(1);
        } finally {
            pool.shutdownNow();
        }
        String holder = state(id).leaseOwner();
        assertThat(holder).startsWith("instance-");
        assertThat(renewals.claim(key, type, cert.serial(), "late", now.plusSeconds(89), until.plusSeconds(89)))
                .as("held until the lease ends").isFalse();
        assertThat(renewals.claim(key, type, "0abc", "other-serial", now.plusSeconds(91), until.plusSeconds(91)))
                .as("only the renewal of that serial").isFalse();
        assertThat(renewals.claim(key, type, cert.serial(), "after-lease", now.plusSeconds(91), until.plusSeconds(91)))
                .as("an instance that died: its lease ends").isTrue();
        renewals.release(key, type, holder, "STATION_OFFLINE", now.plusSeconds(92));
        assertThat(state(id).leaseOwner()).as("only the holder releases").isEqualTo("after-lease");
        renewals.release(key, type, "after-lease", "STATION_OFFLINE", now.plusSeconds(92));
        assertThat(state(id).leaseOwner()).isNull();
        assertThat(state(id).attempts()).isZero();
    }

    private static int count(String haystack, String needle) {
        int n = 0;
        for (int i = haystack.indexOf(needle); i >= 0; i = haystack.indexOf(needle, i + 1)) {
            n++;
        }
        return n;
    }

    // ---- DiscardedRenewedClientCertificate ---------------------------------------------------

    @Test
    void A02_FR_28_discardedRenewedClientCertificateTriggersAgain() throws Exception {
        Terminator t = terminator();
        String id = station();
        t.standIn().holds(id, answering("Accepted"));
        connect(id, t, "ocpp2.1");
        aged(id, Duration.ofDays(10));
        Instant now = Instant.now();
        scheduler.pass(now);
        Issued renewed = issue(id);
        scheduler.pass(now.plusSeconds(1));
        assertThat(state(id).state()).isEqualTo(RenewalStore.DONE);
        assertThat(callsTo(t.standIn(), id)).hasSize(1);

        // The station could not connect with the renewed certificate, went back to the old one and says so.
        String event = "[{\"occurredAt\":\"" + now.plusSeconds(2) + "\",\"station\":\"" + id + "\",\"type\":"
                + "\"DiscardedRenewedClientCertificate\",\"techInfo\":\"serial " + renewed.serial() + "\",\"source\":\"station\"}]";
        Api.Reply reported = api().post("/api/v1/terminator/security-events", event, t.token());
        assertThat(reported.status()).as(reported.body()).isEqualTo(202);
        scheduler.pass(now.plusSeconds(3));
        RenewalStore.State again = state(id);
        assertThat(again.reason()).isEqualTo(RenewalStore.DISCARDED);
        assertThat(again.serial()).isEqualTo(renewed.serial());
        assertThat(again.state()).isEqualTo(RenewalStore.TRIGGERED);
        assertThat(callsTo(t.standIn(), id)).hasSize(2);
        // The event is handled once: later passes do not reopen it.
        Issued third = issue(id);
        RenewalScheduler.Pass p4 = scheduler.pass(now.plusSeconds(4));
        assertThat(state(id).state()).as(p4 + " " + state(id) + " third " + third + " audit " + audit()).isEqualTo(RenewalStore.DONE);
        assertThat(state(id).renewedBy()).isEqualTo(third.serial());
        scheduler.pass(now.plusSeconds(5));
        assertThat(state(id).state()).isEqualTo(RenewalStore.DONE);
        assertThat(callsTo(t.standIn(), id)).hasSize(2);
    }

    // ---- fleet view --------------------------------------------------------------------------

    @Test
    void theFleetViewShowsCertificateAndRenewalStatusPerStation() throws Exception {
        String none = station();
        String valid = station();
        Issued cert = issue(valid);
        String revoked = station();
        Issued revokedCert = issue(revoked);
        try (var c = dataSource.getConnection(); var ps = c.prepareStatement(
                "update issued_certificate set status = 'REVOKED', revoked_at = ? where serial = ?")) {
            // what the revocation endpoint (another branch) writes
            ps.setObject(1, Instant.now().atOffset(ZoneOffset.UTC));
            ps.setString(2, revokedCert.serial());
            assertThat(ps.executeUpdate()).isEqualTo(1);
        }

        JsonNode v = fleetEntry(valid, "");
        assertThat(v.get("certificateSerial").asString()).isEqualTo(cert.serial());
        assertThat(v.get("certificateStatus").asString()).isEqualTo("valid");
        assertThat(v.get("daysLeft").asLong()).isBetween(360L, 366L);
        assertThat(v.get("renewalStatus").asString()).isEqualTo("idle");
        assertThat(v.get("securityProfile").asInt()).isEqualTo(2);
        assertThat(v.get("online").booleanValue()).isFalse();
        assertThat(fleetEntry(none, "").get("certificateStatus").asString()).isEqualTo("none");
        assertThat(fleetEntry(revoked, "").get("certificateStatus").asString()).isEqualTo("revoked");
        assertThat(fleetEntry(revoked, "&status=revoked")).isNotNull();
        assertThat(fleetEntry(valid, "&status=revoked")).isNull();
        assertThat(fleetEntry(valid, "&status=valid")).isNotNull();
        String expiringId = station();
        aged(expiringId, Duration.ofDays(20).plusHours(1));
        JsonNode e = fleetEntry(expiringId, "&status=expiring");
        assertThat(e).isNotNull();
        assertThat(e.get("daysLeft").asLong()).isEqualTo(20);
        assertThat(e.get("overdue").booleanValue()).isFalse();
        String overdueId = station();
        aged(overdueId, Duration.ofDays(3));
        assertThat(fleetEntry(overdueId, "&status=overdue").get("certificateStatus").asString()).isEqualTo("expiring");
        assertThat(fleetEntry(expiringId, "&status=overdue")).isNull();

        // The same station seen at later instants: expiring, overdue, expired.
        Function<Instant, FleetView.Entry> at = when -> {
            FleetView view = new FleetView(dataSource, settings, Clock.fixed(when, ZoneOffset.UTC));
            return view.page(null, null, 500).stations().stream().filter(x -> x.station().equals(valid)).findFirst()
                    .orElseThrow();
        };
        FleetView.Entry expiring = at.apply(cert.notAfter().minus(Duration.ofDays(20)));
        assertThat(expiring.certificateStatus()).isEqualTo("expiring");
        assertThat(expiring.daysLeft()).isEqualTo(20);
        assertThat(expiring.overdue()).isFalse();
        FleetView.Entry overdue = at.apply(cert.notAfter().minus(Duration.ofDays(3)));
        assertThat(overdue.certificateStatus()).isEqualTo("expiring");
        assertThat(overdue.overdue()).isTrue();
        FleetView.Entry expired = at.apply(cert.notAfter().plusSeconds(1));
        assertThat(expired.certificateStatus()).isEqualTo("expired");
        assertThat(expired.overdue()).isTrue();
        assertThat(expired.daysLeft()).isEqualTo(-1);
    }

    @Test
    void theFleetViewPagesAndRefusesBadInput() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(station());
        }
        List<String> seen = new ArrayList<>();
        String after = "";
        for (int guard = 0; guard < 10_000; guard++) {
            Api.Reply page = api().get("/api/v1/fleet?limit=2" + (after.isEmpty() ? "" : "&after=" + after), admin());
            assertThat(page.status()).as(page.body()).isEqualTo(200);
            assertThat(page.json().get("stations").size()).isLessThanOrEqualTo(2);
            page.json().get("stations").forEach(e -> seen.add(e.get("station").asString()));
            JsonNode next = page.json().get("next");
            if (next == null || next.isNull()) {
                break;
            }
            after = next.asString();
        }
        assertThat(seen).containsAll(ids).doesNotHaveDuplicates();

        for (String[] bad : new String[][] {{"?status=sleepy", "BAD_STATUS_FILTER"}, {"?limit=0", "BAD_LIMIT"},
                {"?limit=501", "BAD_LIMIT"}, {"?limit=many", "BAD_LIMIT"}, {"?after=%20bad%20id", "BAD_AFTER"}}) {
            Api.Reply r = api().get("/api/v1/fleet" + bad[0], admin());
            assertThat(r.status()).as(bad[0]).isEqualTo(400);
            assertThat(r.code()).isEqualTo(bad[1]);
            assertThat(r.body()).contains("\"detail\"");
        }
        assertThat(api().get("/api/v1/fleet", null).status()).isEqualTo(401);
        assertThat(api().get("/api/v1/fleet", token("csms")).status()).isEqualTo(200);
    }

    // ---- metrics -----------------------------------------------------------------------------

    @Test
    void dueOverdueAndExpiredAreMetricsOnTheActuator() throws Exception {
        // counted before and after one more station: the difference is that station
        double[] before = gauges();
        aged(station(), Duration.ofDays(20));
        double[] after = gauges();
        assertThat(after[0] - before[0]).as("due").isEqualTo(1.0);
        assertThat(after[1] - before[1]).as("overdue").isEqualTo(0.0);
        aged(station(), Duration.ofDays(3));
        double[] overdue = gauges();
        assertThat(overdue[0] - after[0]).as("due").isEqualTo(1.0);
        assertThat(overdue[1] - after[1]).as("overdue").isEqualTo(1.0);
        assertThat(overdue[2] - after[2]).as("expired").isEqualTo(0.0);
        aged(station(), Duration.ofDays(-1));
        double[] expired = gauges();
        assertThat(expired[1] - overdue[1]).as("overdue").isEqualTo(1.0);
        assertThat(expired[2] - overdue[2]).as("expired").isEqualTo(1.0);
        assertThat(api().get("/actuator/metrics/ocppsec.renewal.open", null).status()).isEqualTo(200);
    }

    /** Refreshes the gauges now and reads due, overdue, expired from /actuator/metrics. */
    private double[] gauges() {
        metrics.refresh(Instant.now());
        double[] out = new double[3];
        String[] names = {"ocppsec.renewal.due", "ocppsec.renewal.overdue", "ocppsec.renewal.expired"};
        for (int i = 0; i < 3; i++) {
            Api.Reply r = api().get("/actuator/metrics/" + names[i], null);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            out[i] = r.json().get("measurements").get(0).get("value").asDouble();
        }
        return out;
    }

    @Autowired
    RenewalMetrics metrics;
}
