package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.pki.ca.Csrs;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 in the middle of a burst of issuance, then a restart on the same data: every
 * certificate a client received must be in the inventory, and the audit chain must verify. Runs
 * the packaged pki-service jar as a real process, on H2 and (when it answers) on PostgreSQL.
 */
class CrashRecoveryIT {
    static final int CLIENTS = 6;

    @TempDir
    Path dir;

    @Test
    void killedDuringABurstLosesNothingItConfirmed_h2() throws Exception {
        crashAndRecover(List.of());
    }

    @Test
    void killedDuringABurstLosesNothingItConfirmed_postgres() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:5432/test";
        boolean reachable;
        try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
            reachable = c.isValid(2);
        } catch (Exception e) {
            reachable = false;
        }
        assumeTrue(reachable, "PostgreSQL not reachable: PostgreSQL crash test skipped");
        String schema = "ocppsec_crash_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        try {
            crashAndRecover(List.of("--ocppsec.database.url=" + url + "?currentSchema=" + schema,
                    "--ocppsec.database.username=postgres", "--spring.flyway.schemas=" + schema));
        } finally {
            try (Connection c = DriverManager.getConnection(url, "postgres", "")) {
                c.createStatement().execute("drop schema if exists " + schema + " cascade");
            }
        }
    }

    private void crashAndRecover(List<String> extraArgs) throws Exception {
        String jar = System.getProperty("ocppsec.pki.jar");
        assumeTrue(jar != null && Files.isRegularFile(Path.of(jar)), "pki-service jar not built: crash test skipped");
        int port = freePort();
        Path data = dir.resolve("data");

        Process first = start(jar, data, port, extraArgs);
        Set<String> received = ConcurrentHashMap.newKeySet();
        String admin;
        try {
            awaitHealthy(port, first);
            admin = Files.readString(data.resolve("admin-token")).trim();
            Api api = new Api(port);
            for (int c = 0; c < CLIENTS; c++) {
                assertThat(api.post("/api/v1/stations", "{\"identity\":\"CRASH-" + c + "\",\"serialNumber\":\"SN-CRASH-" + c + "\"}",
                        admin).status()).isEqualTo(201);
            }
            AtomicBoolean stop = new AtomicBoolean();
            List<Thread> clients = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                String station = "CRASH-" + c;
                Thread t = new Thread(() -> {
                    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
                    while (!stop.get()) {
                        String csr = Csrs.p256("CN=SN-" + station + ",O=" + IssuanceFlowContract.ORG);
                        String body = Api.JSON.writeValueAsString(Api.object().put("station", station).put("csr", csr));
                        try {
                            HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                                            URI.create("http://127.0.0.1:" + port + "/api/v1/certificates/sign"))
                                    .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
                                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
                            if (r.statusCode() == 201) {
                                received.add(Api.JSON.readTree(r.body()).get("serialNumber").asString());
                            }
                        } catch (Exception e) {
                            return; // the process is gone
                        }
                    }
                });
                t.start();
                clients.add(t);
            }
            // Let the burst run, then kill -9 while requests are in flight.
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (received.size() < 300 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            first.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
            assertThat(first.waitFor(10, TimeUnit.SECONDS)).isTrue();
            stop.set(true);
            for (Thread t : clients) {
                t.join(10_000);
            }
        } finally {
            first.destroyForcibly();
        }
        assertThat(received).as("the burst issued certificates before the kill").hasSizeGreaterThan(100);

        Process second = start(jar, data, port, extraArgs);
        try {
            awaitHealthy(port, second);
            Api api = new Api(port);
            List<String> missing = new ArrayList<>();
            for (String serial : received) {
                if (api.get("/api/v1/certificates/" + serial, admin).status() != 200) {
                    missing.add(serial);
                }
            }
            assertThat(missing).as("certificates a client received but the inventory lost").isEmpty();
            var verification = api.get("/api/v1/audit/verify", admin).json();
            assertThat(verification.get("intact").booleanValue()).as(verification.toString()).isTrue();
        } finally {
            second.destroy();
            second.waitFor(20, TimeUnit.SECONDS);
            second.destroyForcibly();
        }
    }

    private Process start(String jar, Path data, int port, List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
                "-Xmx512m", "-jar", jar, "--ocppsec.data-dir=" + data, "--server.port=" + port));
        cmd.addAll(extraArgs);
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("pki-" + System.nanoTime() + ".log").toFile()).start();
    }

    private static void awaitHealthy(int port, Process p) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            assertThat(p.isAlive()).as("pki-service exited during start").isTrue();
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
                        .build(), HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(200);
        }
        throw new AssertionError("pki-service did not become healthy");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
