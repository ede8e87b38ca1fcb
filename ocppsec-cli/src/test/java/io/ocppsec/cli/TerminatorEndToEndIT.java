package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.simulator.EventLog;
import io.ocppsec.simulator.Session;
import io.ocppsec.simulator.SimulatedStation;
import io.ocppsec.simulator.SimulatorConfig;
import io.ocppsec.simulator.StationEvent;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The whole product as a user runs it: the packaged pki-service and terminator as processes (as
 * {@code ./ocppsec up} starts them), a station (the simulator) that enrolls with SignCertificate over
 * profile 2, reconnects with its new certificate over profile 3 and stays online; then pki-service
 * reaches it through the terminator.
 */
class TerminatorEndToEndIT {
    @TempDir
    static Path dir;
    static final List<Process> processes = new ArrayList<>();
    static String api;
    static String adminToken;
    static int wssPort;
    static int controlPort;
    static final JsonMapper JSON = OcppJson.standard().mapper();
    static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        Path pkiJar = Path.of(System.getProperty("ocppsec.pki.jar", "../pki-service/target/pki-service.jar"));
        Path terminatorJar = Path.of(System.getProperty("ocppsec.terminator.jar", "../tls-terminator/target/tls-terminator.jar"));
        assumeTrue(Files.isRegularFile(pkiJar) && Files.isRegularFile(terminatorJar),
                "pki-service or tls-terminator is not built: the end-to-end test needs both jars");
        String java = ProcessHandle.current().info().command().orElse("java");
        int apiPort = freePort();
        api = "http://127.0.0.1:" + apiPort;
        Path data = dir.resolve("data");
        processes.add(new ProcessBuilder(java, "-Xmx384m", "-jar", pkiJar.toString(), "--ocppsec.data-dir=" + data,
                "--server.port=" + apiPort).redirectErrorStream(true).redirectOutput(dir.resolve("pki.log").toFile()).start());
        await(URI.create(api + "/actuator/health"), "pki.log");
        adminToken = Files.readString(data.resolve("admin-token")).trim();
        JsonNode token = post("/api/v1/tokens", "{\"name\":\"terminator-e2e\",\"role\":\"terminator\"}", 201);
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
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
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
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
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

    @Test
    void aStationEnrollsOverProfile2ReconnectsOverProfile3AndPkiServiceReachesIt() throws Exception {
        post("/api/v1/stations", "{\"identity\":\"CS-E2E\",\"serialNumber\":\"SN-E2E\",\"securityProfile\":2,"
                + "\"password\":\"e2e-password-0123456789\"}", 201);
        // the operator decides to move it to profile 3 (A05): the floor stays at 2 until it connects with 3
        HttpResponse<String> patched = HTTP.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/stations/CS-E2E"))
                .header("Authorization", "Bearer " + adminToken).header("Content-Type", "application/json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"securityProfile\":3}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(patched.statusCode()).as(patched.body()).isEqualTo(200);
        assertThat(JSON.readTree(patched.body()).path("profileFloor").asInt()).isEqualTo(2);
        EventLog log = new EventLog();
        SimulatorConfig config = SimulatorConfig.builder("wss://localhost:" + wssPort + "/ocpp", "CS-E2E")
                .serialNumber("SN-E2E").organization("ocppsec development CPO").password("e2e-password-0123456789")
                .trustAnchors(dir.resolve("data/tls/csms-root.pem")).stateDirectory(dir.resolve("station")).build();
        try (SimulatedStation station = SimulatedStation.builder(config).listener(log).build()) {
            Session online;
            try {
                online = station.start().get(90, TimeUnit.SECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                StringBuilder sb = new StringBuilder("the station did not get online; its events:\n");
                log.events().forEach(ev -> sb.append("  ").append(ev.describe()).append('\n'));
                throw new AssertionError(sb + "terminator log:\n" + tail("terminator.log") + "\npki log:\n" + tail("pki.log"));
            }
            assertThat(online.securityProfile()).isEqualTo(3);
            assertThat(online.clientCertificate()).isNotNull();
            StationEvent.Enrolled enrolled = log.await(StationEvent.Enrolled.class, Duration.ofSeconds(5));
            assertThat(enrolled.certificate().getSubjectX500Principal().getName()).contains("CN=SN-E2E");
            String serial = enrolled.certificate().getSerialNumber().toString(16);

            // pki-service knows the certificate and that the station installed it
            assertThat(get("/api/v1/certificates/" + serial).path("station").asString()).isEqualToIgnoringCase("CS-E2E");
            long deadline = System.currentTimeMillis() + 20_000;
            JsonNode session = null;
            while (System.currentTimeMillis() < deadline) {
                session = get("/api/v1/stations/CS-E2E/session");
                if (session.path("connected").asBoolean() && session.path("securityProfile").asInt() == 3) {
                    break;
                }
                Thread.sleep(200);
            }
            assertThat(session.path("connected").asBoolean()).isTrue();
            assertThat(session.path("securityProfile").asInt()).isEqualTo(3);
            assertThat(session.path("clientCertificateSha256").asString()).hasSize(64);
            // connected with profile 3: no going back to 2 (A05.FR.07)
            assertThat(get("/api/v1/stations/CS-E2E").path("profileFloor").asInt()).isEqualTo(3);

            // a server-initiated call from pki-service, through the terminator, answered by the station
            JsonNode call = post("/api/v1/stations/CS-E2E/calls",
                    "{\"action\":\"GetInstalledCertificateIds\",\"payload\":{},\"timeoutSeconds\":20}", 200);
            assertThat(call.path("result").asString()).isEqualTo("CALLRESULT");

            // Plug & Charge through the terminator (M01, issue 6): an EV's signed CertificateInstallationReq,
            // sent by the station as Get15118EVCertificate, is answered by pki-service as MO and CPS
            plugAndCharge(station);

            // the terminator's refusals reach pki-service's security events
            HttpResponse<String> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + "/metrics"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.body()).contains("ocppsec_terminator_connections{profile=\"3\"} 1");
        }
    }

    /** The EV side: a test OEM PKI trusted by pki-service, a contract for its PCID, a signed request. */
    static void plugAndCharge(SimulatedStation station) throws Exception {
        java.time.Instant t0 = java.time.Instant.now().minus(Duration.ofDays(1));
        var k = io.ocppsec.iso15118.pki.KeyType.SECP256R1;
        java.security.KeyPair rootKey = k.generate();
        java.security.KeyPair subKey = k.generate();
        java.security.KeyPair carKey = k.generate();
        var root = io.ocppsec.iso15118.pki.Iso15118Certificates.issue(io.ocppsec.iso15118.pki.Iso15118Role.OEM_ROOT,
                io.ocppsec.iso15118.pki.Edition.ISO_15118_2,
                io.ocppsec.iso15118.pki.Iso15118Certificates.subjectFor(io.ocppsec.iso15118.pki.Iso15118Role.OEM_ROOT, "E2E OEM Root", "E2E OEM", "DE"),
                io.ocppsec.iso15118.pki.Iso15118Certificates.subjectPublicKeyInfo(rootKey.getPublic()),
                io.ocppsec.iso15118.pki.Issuer.selfSigned(io.ocppsec.iso15118.pki.Iso15118Certificates.signer(rootKey.getPrivate(), k)),
                java.math.BigInteger.valueOf(71), t0, io.ocppsec.iso15118.pki.Urls.NONE);
        var sub = io.ocppsec.iso15118.pki.Iso15118Certificates.issue(io.ocppsec.iso15118.pki.Iso15118Role.OEM_SUB_CA_2,
                io.ocppsec.iso15118.pki.Edition.ISO_15118_2,
                io.ocppsec.iso15118.pki.Iso15118Certificates.subjectFor(io.ocppsec.iso15118.pki.Iso15118Role.OEM_SUB_CA_2, "E2E OEM Sub-CA", "E2E OEM", "DE"),
                io.ocppsec.iso15118.pki.Iso15118Certificates.subjectPublicKeyInfo(subKey.getPublic()),
                io.ocppsec.iso15118.pki.Issuer.ca(root, io.ocppsec.iso15118.pki.Iso15118Certificates.signer(rootKey.getPrivate(), k)),
                java.math.BigInteger.valueOf(72), t0, io.ocppsec.iso15118.pki.Urls.NONE);
        var car = io.ocppsec.iso15118.pki.Iso15118Certificates.issue(io.ocppsec.iso15118.pki.Iso15118Role.OEM_PROVISIONING,
                io.ocppsec.iso15118.pki.Edition.ISO_15118_2,
                io.ocppsec.iso15118.pki.Iso15118Certificates.subjectFor(io.ocppsec.iso15118.pki.Iso15118Role.OEM_PROVISIONING, "WMIE2E00000000001", "E2E OEM", "DE"),
                io.ocppsec.iso15118.pki.Iso15118Certificates.subjectPublicKeyInfo(carKey.getPublic()),
                io.ocppsec.iso15118.pki.Issuer.ca(sub, io.ocppsec.iso15118.pki.Iso15118Certificates.signer(subKey.getPrivate(), k)),
                java.math.BigInteger.valueOf(73), t0, io.ocppsec.iso15118.pki.Urls.NONE);
        var oem = JSON.createObjectNode().put("certificate", pem(root) + pem(sub));
        post("/api/v1/pnc/oem-roots", JSON.writeValueAsString(oem), 201);
        post("/api/v1/pnc/contracts", "{\"pcid\":\"WMIE2E00000000001\",\"emaid\":\"DE-E2E-C00000001\"}", 201);
        java.security.cert.X509Certificate v2g = null;
        for (JsonNode r : get("/api/v1/pnc/roots")) {
            if ("V2G".equals(r.path("type").asString())) {
                v2g = io.ocppsec.security.cert.PemCertificates.read(r.path("certificate").asString()).get(0);
                break;
            }
        }
        assertThat(v2g).as("the development V2G root").isNotNull();
        var req = new io.ocppsec.iso15118.exi.CertificateInstallationReq("ID1", car.getEncoded(), List.of(
                new io.ocppsec.iso15118.exi.RootCertificateId(v2g.getSubjectX500Principal().getName(), v2g.getSerialNumber())));
        var sig = io.ocppsec.iso15118.xmldsig.ExiSignatures.sign(io.ocppsec.iso15118.exi.Iso15118_2Codec.signedFragments(req),
                io.ocppsec.iso15118.xmldsig.ExiSigner.ecdsaP256(carKey.getPrivate()));
        byte[] exi = io.ocppsec.iso15118.exi.Iso15118_2Codec.encode(new io.ocppsec.iso15118.exi.V2gMessage(
                new io.ocppsec.iso15118.exi.Header(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, null, sig), req));
        var payload = JSON.createObjectNode().put("iso15118SchemaVersion", "urn:iso:15118:2:2013:MsgDef").put("action", "Install")
                .put("exiRequest", java.util.Base64.getEncoder().encodeToString(exi));
        JsonNode answer = station.call("Get15118EVCertificate", payload).get(30, TimeUnit.SECONDS);
        assertThat(answer.path("status").asString()).as(answer.toString()).isEqualTo("Accepted");
        var res = io.ocppsec.iso15118.exi.Iso15118_2Codec.decode(java.util.Base64.getDecoder().decode(answer.path("exiResponse").asString()));
        var body = (io.ocppsec.iso15118.exi.CertificateInstallationRes) res.body();
        assertThat(body.responseCode()).isEqualTo(io.ocppsec.iso15118.exi.ResponseCode.OK);
        var opened = io.ocppsec.iso15118.envelope.Iso15118_2Envelope.unwrap(new io.ocppsec.iso15118.envelope.SealedKey(
                body.encryptedPrivateKey().value(), body.dhPublicKey().value()), carKey.getPrivate(),
                (java.security.interfaces.ECPublicKey) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(
                        new java.io.ByteArrayInputStream(body.contractChain().certificate())).getPublicKey());
        assertThat(opened).isInstanceOf(io.ocppsec.iso15118.envelope.Unsealed.Opened.class);
    }

    static String pem(java.security.cert.X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(c.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
    }
}
