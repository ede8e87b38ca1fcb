package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.simulator.EventLog;
import io.ocppsec.simulator.Session;
import io.ocppsec.simulator.SimulatedStation;
import io.ocppsec.simulator.SimulatorConfig;
import io.ocppsec.simulator.StationEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 5's "renewal end to end with the station simulator (a certificate made to expire inside
 * the window is renewed without anyone acting)": the packaged pki-service and terminator as
 * processes, a station (the simulator) that enrolls over profile 2 and reconnects over profile 3
 * with a certificate valid for 20 days (pki-service started with that validity and its renewal
 * scheduler off). pki-service is then restarted with the default one-year validity and the
 * scheduler on (a 1 s interval): nobody calls anything, and the station ends up with a newer
 * certificate, reconnected over profile 3 with it; the fleet view (API and CLI) shows it.
 */
class RenewalEndToEndIT {
    @TempDir
    static Path dir;
    static final List<Process> processes = new ArrayList<>();
    static Process pki;
    static String java;
    static Path pkiJar;
    static Path data;
    static int apiPort;
    static String api;
    static String adminToken;
    static int wssPort;
    static int controlPort;
    static final JsonMapper JSON = OcppJson.standard().mapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        pkiJar = Path.of(System.getProperty("ocppsec.pki.jar", "../pki-service/target/pki-service.jar"));
        Path terminatorJar = Path.of(System.getProperty("ocppsec.terminator.jar", "../tls-terminator/target/tls-terminator.jar"));
        assumeTrue(Files.isRegularFile(pkiJar) && Files.isRegularFile(terminatorJar),
                "pki-service or tls-terminator is not built: the end-to-end test needs both jars");
        java = ProcessHandle.current().info().command().orElse("java");
        apiPort = freePort();
        api = "http://127.0.0.1:" + apiPort;
        data = dir.resolve("data");
        startPki("pki-1.log", "--ocppsec.issuance.profiles.ChargingStationCertificate.validity=P20D",
                "--ocppsec.renewal.enabled=false");
        adminToken = Files.readString(data.resolve("admin-token")).trim();
        JsonNode token = post("/api/v1/tokens", "{\"name\":\"terminator-renewal-e2e\",\"role\":\"terminator\"}", 201);
        Files.writeString(data.resolve("terminator-token"), token.path("token").asString());
        wssPort = freePort();
        controlPort = freePort();
        processes.add(new ProcessBuilder(java, "-Xmx256m", "-jar", terminatorJar.toString(), "--wss-host=127.0.0.1",
                "--wss-port=" + wssPort, "--control-port=" + controlPort, "--tls-dir=" + data.resolve("tls"),
                "--pki-url=" + api, "--pki-token-file=" + data.resolve("terminator-token"),
                "--identity-key-file=" + data.resolve("terminator-identity.key"), "--reload-interval=1s")
                .redirectErrorStream(true).redirectOutput(dir.resolve("terminator.log").toFile()).start());
        await(URI.create("http://127.0.0.1:" + controlPort + "/health"), "terminator.log");
    }

    static void startPki(String log, String... settings) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java, "-Xmx384m", "-jar", pkiJar.toString(), "--ocppsec.data-dir=" + data,
                "--server.port=" + apiPort));
        cmd.addAll(List.of(settings));
        pki = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve(log).toFile()).start();
        processes.add(pki);
        await(URI.create(api + "/actuator/health"), log);
    }

    static void stopPki() throws Exception {
        pki.destroy();
        if (!pki.waitFor(30, TimeUnit.SECONDS)) {
            pki.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        processes.remove(pki);
    }

    @AfterAll
    static void stop() throws Exception {
        for (int i = processes.size() - 1; i >= 0; i--) {
            Process p = processes.get(i);
            p.destroy();
            if (!p.waitFor(20, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void await(URI health, String log) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(health).build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                    return;
                }
            } catch (IOException starting) {
                // not yet
            }
            for (Process p : processes) {
                assertThat(p.isAlive()).as("a process exited; see " + dir.resolve(log) + ":\n" + tail(log)).isTrue();
            }
            Thread.sleep(200);
        }
        throw new AssertionError(health + " did not come up:\n" + tail(log));
    }

    static String tail(String log) {
        try {
            List<String> lines = Files.readAllLines(dir.resolve(log));
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "";
        }
    }

    static JsonNode post(String path, String body, int expected) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(expected);
        return JSON.readTree(r.body());
    }

    static JsonNode get(String path) throws Exception {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(api + path))
                .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    static String sha256(byte[] der) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(der));
    }

    private String diagnostics(EventLog log) {
        StringBuilder sb = new StringBuilder("station events:\n");
        log.events().forEach(ev -> sb.append("  ").append(ev.describe()).append('\n'));
        return sb + "terminator log:\n" + tail("terminator.log") + "\npki log:\n" + tail("pki-2.log");
    }

    @Test
    void A02_aCertificateInsideTheWindowIsRenewedWithoutAnyoneActing() throws Exception {
        post("/api/v1/stations", "{\"identity\":\"CS-RENEW\",\"serialNumber\":\"SN-RENEW\",\"securityProfile\":2,"
                + "\"password\":\"renew-password-0123456789\"}", 201);
        HttpResponse<String> patched = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/stations/CS-RENEW"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"securityProfile\":3}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        EventLog log = new EventLog();
        SimulatorConfig config = SimulatorConfig.builder("wss://localhost:" + wssPort + "/ocpp", "CS-RENEW")
                .serialNumber("SN-RENEW").organization("ocppsec development CPO").password("renew-password-0123456789")
                .trustAnchors(data.resolve("tls/csms-root.pem")).stateDirectory(dir.resolve("station")).build();
        try (SimulatedStation station = SimulatedStation.builder(config).listener(log).build()) {
            Session online;
            try {
                online = station.start().get(120, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the station did not get online; " + diagnostics(log));
            }
            assertThat(online.securityProfile()).isEqualTo(3);
            StationEvent.Enrolled first = log.await(StationEvent.Enrolled.class, Duration.ofSeconds(5));
            String firstSerial = first.certificate().getSerialNumber().toString(16);
            Instant firstNotAfter = first.certificate().getNotAfter().toInstant();
            assertThat(Duration.between(Instant.now(), firstNotAfter)).as("made to expire inside the 30-day window")
                    .isLessThan(Duration.ofDays(21)).isGreaterThan(Duration.ofDays(19));
            awaitSession(sha256(first.certificate().getEncoded()));
            JsonNode before = fleetEntry();
            assertThat(before.path("certificateSerial").asString()).isEqualTo(firstSerial);
            assertThat(before.path("certificateStatus").asString()).isEqualTo("expiring");

            // The operator restarts pki-service with the scheduler on; from here on nobody calls anything.
            stopPki();
            long restarted = System.nanoTime();
            startPki("pki-2.log", "--ocppsec.renewal.interval=1s", "--ocppsec.renewal.initial-delay=1s");
            long up = System.nanoTime();

            StationEvent.Enrolled renewed;
            try {
                renewed = log.awaitNth(StationEvent.Enrolled.class, e -> true, 2, Duration.ofSeconds(120));
            } catch (java.util.concurrent.TimeoutException e) {
                throw new AssertionError("the station was not renewed; " + diagnostics(log));
            }
            String renewedSerial = renewed.certificate().getSerialNumber().toString(16);
            long renewedAt = System.nanoTime();
            assertThat(renewedSerial).isNotEqualTo(firstSerial);
            assertThat(renewed.certificate().getNotAfter().toInstant()).isAfter(firstNotAfter.plus(Duration.ofDays(300)));
            assertThat(renewed.certificate().getSubjectX500Principal().getName()).contains("CN=SN-RENEW");

            // reconnected over profile 3, presenting the new certificate (A02.FR.08)
            JsonNode session = awaitSession(sha256(renewed.certificate().getEncoded()));
            System.out.printf("renewal end to end: pki-service restarted in %.1f s; station renewed %.1f s after it was up, "
                    + "back on profile 3 with the new certificate %.1f s after that%n", (up - restarted) / 1e9,
                    (renewedAt - up) / 1e9, (System.nanoTime() - renewedAt) / 1e9);
            assertThat(session.path("securityProfile").asInt()).isEqualTo(3);
            List<StationEvent.Online> onlines = log.all(StationEvent.Online.class);
            assertThat(onlines.get(onlines.size() - 1).session().securityProfile()).isEqualTo(3);
            assertThat(onlines.get(onlines.size() - 1).session().clientCertificate()).isTrue();

            // done: the fleet shows the new certificate, nothing open
            JsonNode after = awaitFleet(renewedSerial);
            assertThat(after.path("certificateStatus").asString()).isEqualTo("valid");
            assertThat(after.path("renewalStatus").asString()).isEqualTo("idle");
            assertThat(after.path("online").asBoolean()).isTrue();

            // nobody acted: the only calls to the station were the scheduler's TriggerMessage
            JsonNode audit = get("/api/v1/audit?limit=1000");
            List<String> callers = new ArrayList<>();
            boolean triggered = false;
            boolean done = false;
            for (JsonNode a : audit) {
                String action = a.path("action").asString();
                if (action.equals("station.call")) {
                    callers.add(a.path("actor").asString());
                }
                triggered |= action.equals("renewal.trigger") && a.path("outcome").asString().equals("OK")
                        && a.path("details").asString().contains(firstSerial);
                done |= action.equals("renewal.done") && a.path("details").asString().contains(renewedSerial);
            }
            assertThat(callers).isNotEmpty().allMatch(c -> c.startsWith("renewal-scheduler:"));
            assertThat(triggered).as("renewal.trigger Accepted for " + firstSerial).isTrue();
            assertThat(done).as("renewal.done by " + renewedSerial).isTrue();

            HttpResponse<String> attempts = HTTP.send(HttpRequest.newBuilder(URI.create(api
                    + "/actuator/metrics/ocppsec.renewal.attempts?tag=outcome:Accepted")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(attempts.statusCode()).as(attempts.body()).isEqualTo(200);
            assertThat(JSON.readTree(attempts.body()).path("measurements").get(0).path("value").asDouble()).isGreaterThanOrEqualTo(1.0);

            // the operator's view: ./ocppsec fleet against the real pki-service
            String table = cli("fleet", "--api", api, "--token-file", data.resolve("admin-token").toString());
            String row = table.lines().filter(l -> l.startsWith("CS-RENEW")).findFirst().orElseThrow(() ->
                    new AssertionError("no CS-RENEW row in:\n" + table));
            assertThat(row).contains(renewedSerial, "valid", "idle", "yes");
        }
    }

    private JsonNode awaitSession(String sha256) throws Exception {
        long deadline = System.currentTimeMillis() + 60_000;
        JsonNode session = null;
        while (System.currentTimeMillis() < deadline) {
            session = get("/api/v1/stations/CS-RENEW/session");
            if (session.path("connected").asBoolean() && sha256.equals(session.path("clientCertificateSha256").asString())) {
                return session;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the station's session never presented certificate " + sha256 + ": " + session);
    }

    private JsonNode fleetEntry() throws Exception {
        for (JsonNode e : get("/api/v1/fleet?limit=500").path("stations")) {
            if (e.path("station").asString().equals("CS-RENEW")) {
                return e;
            }
        }
        throw new AssertionError("CS-RENEW is not in the fleet view");
    }

    private JsonNode awaitFleet(String serial) throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        JsonNode e = null;
        while (System.currentTimeMillis() < deadline) {
            e = fleetEntry();
            if (serial.equals(e.path("certificateSerial").asString()) && "idle".equals(e.path("renewalStatus").asString())) {
                return e;
            }
            Thread.sleep(300);
        }
        return e;
    }

    private static String cli(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            int code = cl.execute(args);
            assertThat(code).as(out.toString(StandardCharsets.UTF_8)).isZero();
            return out.toString(StandardCharsets.UTF_8);
        } finally {
            System.setOut(oldOut);
        }
    }
}
