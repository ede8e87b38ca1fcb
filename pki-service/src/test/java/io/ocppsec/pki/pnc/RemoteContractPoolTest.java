package io.ocppsec.pki.pnc;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The remote contract pool (issue 6 scope 5b) against a stand-in pool and token endpoint in this
 * test (JDK HTTP server, plain and TLS): the request it sends, the answers it understands, OAuth2
 * client credentials with caching and one refresh on 401, retries only where they may help, the
 * deadline, and answers too large or malformed. Outcomes are checked, never durations.
 */
class RemoteContractPoolTest {
    static final JsonMapper JSON = JsonMapper.builder().build();
    static final String EXI_REQ = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x80, (byte) 0x98, 0x02, 0x10});
    static final String EXI_RES = Base64.getEncoder().encodeToString(new byte[] {(byte) 0x80, (byte) 0x98, 0x02, 0x11, 0x22});
    static final String SECRET = "s3cr3t-client-secret-value";

    @TempDir
    Path dir;

    HttpServer server;
    final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger tokensIssued = new AtomicInteger();
    final Map<String, Boolean> validTokens = new ConcurrentHashMap<>();
    volatile Function<Integer, Reply> pool = n -> Reply.ok(ccp(EXI_RES));
    final long tokenLifetimeSeconds = 3600;
    final CountDownLatch release = new CountDownLatch(1);

    record Recorded(String path, String authorization, String body) {
    }

    record Reply(int status, String body) {
        static Reply ok(String body) {
            return new Reply(200, body);
        }
    }

    static String ccp(String exi) {
        return "{\"CCPResponse\":{\"emaidContent\":[{\"messageDef\":{\"certificateInstallationRes\":\"" + exi
                + "\",\"emaid\":\"DE-ABC-C123ABC56\"}}]},\"xsdMsgDefNamespace\":\"urn:iso:15118:2:2013:MsgDef\"}";
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.stop(0);
        }
    }

    void start(HttpServer s) {
        server = s;
        AtomicInteger poolCalls = new AtomicInteger();
        s.createContext("/oauth/token", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(new Recorded("/oauth/token", auth, body));
            String expected = "Basic " + Base64.getEncoder().encodeToString(("pool-client:" + SECRET).getBytes(StandardCharsets.UTF_8));
            if (!expected.equals(auth) || !body.contains("grant_type=client_credentials")) {
                send(ex, 401, "{\"error\":\"invalid_client\"}");
                return;
            }
            String token = "tok-" + tokensIssued.incrementAndGet();
            validTokens.put(token, true);
            send(ex, 200, "{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + tokenLifetimeSeconds + "}");
        });
        s.createContext("/v1/ccp/signedContractData", ex -> {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            requests.add(new Recorded("/v1/ccp/signedContractData", auth, body));
            if (auth == null || !validTokens.containsKey(auth.substring("Bearer ".length()))) {
                send(ex, 401, "");
                return;
            }
            Reply r = pool.apply(poolCalls.incrementAndGet());
            if (r == null) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                r = Reply.ok(ccp(EXI_RES));
            }
            send(ex, r.status(), r.body());
        });
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        s.start();
    }

    static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    String base() {
        String scheme = server instanceof HttpsServer ? "https" : "http";
        return scheme + "://127.0.0.1:" + server.getAddress().getPort();
    }

    PncProperties.Remote config(Path trustStore, Duration deadline, Integer maxBytes) {
        return new PncProperties.Remote(URI.create(base()), URI.create(base() + "/oauth/token"), "pool-client", SECRET, null, null,
                trustStore, Duration.ofSeconds(1), Duration.ofSeconds(2), deadline, 3, maxBytes, null);
    }

    RemoteContractPool poolClient() throws IOException {
        start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        return new RemoteContractPool(config(null, Duration.ofSeconds(4), null));
    }

    static ProvisioningRequest install() {
        return new ProvisioningRequest("CP1", "urn:iso:15118:2:2013:MsgDef", "Install", EXI_REQ, null, List.of());
    }

    List<Recorded> poolRequests() {
        return requests.stream().filter(r -> r.path().startsWith("/v1/")).toList();
    }

    @Test
    void M02_installIsForwardedAsSignedContractDataAndTheExiResponseComesBack() throws Exception {
        RemoteContractPool client = poolClient();
        ProvisioningOutcome o = client.provision(install());
        assertThat(o).isEqualTo(new ProvisioningOutcome.Accepted(EXI_RES, null));
        JsonNode sent = JSON.readTree(poolRequests().get(0).body());
        assertThat(sent.get("certificateInstallationReq").asString()).isEqualTo(EXI_REQ);
        assertThat(sent.get("xsdMsgDefNamespace").asString()).isEqualTo("urn:iso:15118:2:2013:MsgDef");
        assertThat(poolRequests().get(0).authorization()).isEqualTo("Bearer tok-1");
        // The token is cached: a second provisioning fetches none.
        assertThat(client.provision(install())).isInstanceOf(ProvisioningOutcome.Accepted.class);
        assertThat(tokensIssued.get()).isEqualTo(1);
    }

    @Test
    void update_andIso15118_20FieldsAreSent_andRemainingContractsRead() throws Exception {
        pool = n -> Reply.ok("{\"CCPResponse\":{\"emaidContent\":[{\"messageDef\":{\"certificateUpdateRes\":\"" + EXI_RES
                + "\"}}],\"remainingContracts\":2}}");
        RemoteContractPool client = poolClient();
        ProvisioningOutcome o = client.provision(new ProvisioningRequest("CP1", "urn:iso:std:iso:15118:-20:CommonMessages", "Update",
                EXI_REQ, 3, List.of("DEABCC123ABC56")));
        assertThat(o).isEqualTo(new ProvisioningOutcome.Accepted(EXI_RES, 2));
        JsonNode sent = JSON.readTree(poolRequests().get(0).body());
        assertThat(sent.get("certificateUpdateReq").asString()).isEqualTo(EXI_REQ);
        assertThat(sent.has("certificateInstallationReq")).isFalse();
        assertThat(sent.get("maximumContractCertificateChains").asInt()).isEqualTo(3);
        assertThat(sent.get("prioritizedEMAIDs").get(0).asString()).isEqualTo("DEABCC123ABC56");
        // OCPP names -20 by its CommonMessages namespace; the pools (CharIN OPNC xsdMsgDefNamespaceParamV1) by this one
        assertThat(sent.get("xsdMsgDefNamespace").asString()).isEqualTo("urn:iso:15118:20:2020:MsgDef");
    }

    @Test
    void anExpiredOrRevokedTokenIsRefreshedOnceOn401() throws Exception {
        RemoteContractPool client = poolClient();
        assertThat(client.provision(install())).isInstanceOf(ProvisioningOutcome.Accepted.class);
        validTokens.clear(); // the pool forgets tok-1 (revoked, or expired early)
        assertThat(client.provision(install())).isEqualTo(new ProvisioningOutcome.Accepted(EXI_RES, null));
        assertThat(tokensIssued.get()).isEqualTo(2);
        assertThat(poolRequests()).extracting(Recorded::authorization).containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void theTokenIsCachedUntilShortlyBeforeItExpires() throws Exception {
        start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
        RemoteContractPool client = new RemoteContractPool(config(null, Duration.ofSeconds(4), null), clock::get);
        client.provision(install());
        clock.addAndGet(TimeUnit.SECONDS.toNanos(3500)); // expires_in 3600, renewed 30 s early
        client.provision(install());
        assertThat(tokensIssued.get()).isEqualTo(1);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(75));
        client.provision(install());
        assertThat(tokensIssued.get()).isEqualTo(2);
        assertThat(poolRequests()).extracting(Recorded::authorization).containsExactly("Bearer tok-1", "Bearer tok-1", "Bearer tok-2");
    }

    @Test
    void a401AfterTheRefreshIsFailedNotALoop() throws Exception {
        RemoteContractPool client = poolClient();
        pool = n -> new Reply(401, "");
        ProvisioningOutcome o = client.provision(install());
        assertThat(o).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class,
                f -> assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.AUTH_FAILED));
        assertThat(poolRequests()).hasSize(2);
    }

    @Test
    void wrongClientSecretIsAuthFailed_andTheSecretIsInNoOutcome() throws Exception {
        start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        Path secretFile = Files.writeString(dir.resolve("secret"), "not-the-secret\n");
        RemoteContractPool client = new RemoteContractPool(new PncProperties.Remote(URI.create(base()), URI.create(base() + "/oauth/token"),
                "pool-client", null, secretFile, null, null, null, null, null, null, null, null));
        ProvisioningOutcome o = client.provision(install());
        assertThat(o).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class, f -> {
            assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.AUTH_FAILED);
            assertThat(f.additionalInfo()).doesNotContain("not-the-secret").doesNotContain(SECRET);
        });
        assertThat(poolRequests()).as("no call to the pool without a token").isEmpty();
        assertThat(requests.get(0).authorization()).as("the secret file was read")
                .isEqualTo("Basic " + Base64.getEncoder().encodeToString("pool-client:not-the-secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void a500IsRetriedAndTheNextAnswerUsed() throws Exception {
        pool = n -> n == 1 ? new Reply(500, "{\"error\":\"busy\"}") : Reply.ok(ccp(EXI_RES));
        RemoteContractPool client = poolClient();
        assertThat(client.provision(install())).isEqualTo(new ProvisioningOutcome.Accepted(EXI_RES, null));
        assertThat(poolRequests()).hasSize(2);
    }

    @Test
    void fiveHundredsUntilTheAttemptsRunOutAreFailed() throws Exception {
        pool = n -> new Reply(503, "");
        RemoteContractPool client = poolClient();
        ProvisioningOutcome o = client.provision(install());
        assertThat(o).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class,
                f -> assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.REMOTE_ERROR));
        assertThat(poolRequests()).hasSize(3);
    }

    @Test
    void a400IsNotRetried() throws Exception {
        pool = n -> new Reply(400, "{\"message\":\"unknown PCID\"}");
        RemoteContractPool client = poolClient();
        ProvisioningOutcome o = client.provision(install());
        assertThat(o).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class, f -> {
            assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.REJECTED);
            assertThat(f.additionalInfo()).contains("HTTP 400", "unknown PCID");
        });
        assertThat(poolRequests()).hasSize(1);
    }

    @Test
    void aPoolSlowerThanTheDeadlineIsFailedWithTimeout() throws Exception {
        pool = n -> null; // hangs until the test ends
        start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        RemoteContractPool client = new RemoteContractPool(config(null, Duration.ofMillis(600), null));
        ProvisioningOutcome o = client.provision(install());
        assertThat(o).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class, f -> {
            assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.TIMEOUT);
            assertThat(f.additionalInfo()).contains("ms");
        });
    }

    @Test
    void anOversizedAnswerIsRefused() throws Exception {
        pool = n -> Reply.ok(ccp("A".repeat(4096)));
        start(HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0));
        RemoteContractPool client = new RemoteContractPool(config(null, Duration.ofSeconds(4), 1024));
        assertThat(client.provision(install())).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class,
                f -> assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.TOO_LARGE));
        assertThat(poolRequests()).as("not retried").hasSize(1);
    }

    @Test
    void badJsonAndMissingFieldsAreBadResponse_emptyContentIsNoContract() throws Exception {
        RemoteContractPool client = poolClient();
        for (String body : List.of("not json {", "[1,2]", "{\"CCPResponse\":{}}",
                "{\"CCPResponse\":{\"emaidContent\":[{\"messageDef\":{}}]}}", ccp("***not-base64***"))) {
            pool = n -> Reply.ok(body);
            assertThat(client.provision(install())).as(body).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class,
                    f -> assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.BAD_RESPONSE));
        }
        pool = n -> Reply.ok("{\"CCPResponse\":{\"emaidContent\":[]}}");
        assertThat(client.provision(install())).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class,
                f -> assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.NO_CONTRACT));
    }

    @Test
    void invalidRequestsNeverReachThePool() throws Exception {
        RemoteContractPool client = poolClient();
        for (ProvisioningRequest r : List.of(
                new ProvisioningRequest("CP1", "urn:iso:15118:2:2013:MsgDef", "Install", "%%%", null, List.of()),
                new ProvisioningRequest("CP1", "urn:iso:15118:2:2013:MsgDef", "Delete", EXI_REQ, null, List.of()),
                new ProvisioningRequest("CP1", null, "Install", EXI_REQ, null, List.of()),
                new ProvisioningRequest("CP1", "urn:iso:15118:2:2013:MsgDef", "Install", "A".repeat(11_004), null, List.of()))) {
            assertThat(client.provision(r)).isInstanceOfSatisfying(ProvisioningOutcome.Failed.class,
                    f -> assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.BAD_REQUEST));
        }
        assertThat(requests).isEmpty();
    }

    @Test
    void overHttpsWithAConfiguredTrustStore_andAnUntrustedServerIsRefused() throws Exception {
        PncTestCerts.Cert ca = PncTestCerts.root("CN=Test Pool CA");
        PncTestCerts.Cert tls = PncTestCerts.server(ca);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tls", tls.keys().getPrivate(), "pw".toCharArray(), new Certificate[] {tls.certificate(), ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "pw".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ctx));
        start(https);

        Path trust = Files.writeString(dir.resolve("pool-ca.pem"), ca.pem());
        assertThat(new RemoteContractPool(config(trust, Duration.ofSeconds(4), null)).provision(install()))
                .isEqualTo(new ProvisioningOutcome.Accepted(EXI_RES, null));

        Path other = Files.writeString(dir.resolve("other-ca.pem"), PncTestCerts.root("CN=Some Other CA").pem());
        int before = requests.size();
        assertThat(new RemoteContractPool(config(other, Duration.ofSeconds(4), null)).provision(install()))
                .isInstanceOfSatisfying(ProvisioningOutcome.Failed.class, f -> assertThat(f.reasonCode()).isEqualTo(RemoteContractPool.UNREACHABLE));
        assertThat(requests).as("nothing was sent to an untrusted server").hasSize(before);
    }

    @Test
    void configurationIsCheckedAndTheSecretStaysOutOfToString() {
        PncProperties.Remote r = new PncProperties.Remote(URI.create("https://pool.example"), URI.create("https://pool.example/token"),
                "id", SECRET, null, null, null, null, null, null, null, null, null);
        assertThat(r.toString()).doesNotContain(SECRET).contains("<redacted>");
        assertThat(r.deadline()).isEqualTo(Duration.ofSeconds(4));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PncProperties("remote", null, null, null, null))
                .hasMessageContaining("base-url");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new PncProperties("somewhere", null, null, null, null))
                .hasMessageContaining("local or remote");
    }
}
