package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.terminator.proxy.IdentityAssertion;
import io.ocppsec.security.cert.CertificateFingerprint;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** Proxying to a CSMS: identity asserted, order kept, one outstanding CALL across CSMS and injected calls, close codes. */
class ProxyTest {
    @TempDir
    static Path dir;
    static TestCsms csms;
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        csms = new TestCsms();
        h = new Harness(dir, Map.of("upstream", "ws://127.0.0.1:" + csms.port() + "/ocpp", "failure-threshold", "100000"));
        h.standIn.station("CP3", "SN-3", 3, null);
        h.standIn.station("CP2", "SN-2", 2, "secret-password-2");
    }

    @AfterAll
    static void stop() {
        h.close();
        csms.close();
    }

    @Test
    void theStationsIdentityIsAssertedInSignedHeaders() throws Exception {
        TestPki.Issued cert = h.pki.station("SN-3");
        try (TestStation s = TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, List.of("ocpp2.0.1"))) {
            s.send(ProfileEnforcementTest.boot("SN-3"));
            assertThat(s.next(10)).isEqualTo("[3,\"b1\",{}]"); // the CSMS's answer, untouched
            Map<String, String> got = csms.headers.get("CP3");
            assertThat(got.get("X-OCPP-Station-Id")).isEqualTo("CP3");
            assertThat(got.get("X-OCPP-Security-Profile")).isEqualTo("3");
            assertThat(got.get("X-OCPP-Client-Cert-SHA256")).isEqualTo(CertificateFingerprint.sha256(cert.certificate())
                    .replace(":", "").toLowerCase()).hasSize(64);
            assertThat(got.get("Sec-WebSocket-Protocol")).isEqualTo("ocpp2.0.1");
            byte[] key = Base64.getDecoder().decode(Files.readString(dir.resolve("identity.key")).trim());
            assertThat(new IdentityAssertion(key).verify(got, 60)).isTrue();
            Map<String, String> forged = new java.util.HashMap<>(got);
            forged.put("X-OCPP-Station-Id", "CP-OTHER");
            assertThat(new IdentityAssertion(key).verify(forged, 60)).isFalse();
        }
    }

    @Test
    void messagesArriveInOrderBothWays() throws Exception {
        try (TestStation s = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2", List.of("ocpp2.0.1"))) {
            s.send("[2,\"hb\",\"Heartbeat\",{}]");
            s.next(10); // the CSMS side is open
            csms.queue("CP2").clear();
            csms.autoAnswer = false;
            int n = 2000;
            for (int i = 0; i < n; i++) {
                s.send("[2,\"m" + i + "\",\"DataTransfer\",{\"vendorId\":\"v\",\"data\":\"" + i + "\"}]");
            }
            var q = csms.queue("CP2");
            for (int i = 0; i < n; i++) {
                String m = q.poll(10, TimeUnit.SECONDS);
                assertThat(m).startsWith("[2,\"m" + i + "\",");
            }
            for (int i = 0; i < n; i++) {
                csms.send("CP2", "[3,\"m" + i + "\",{\"status\":\"Accepted\"}]");
            }
            for (int i = 0; i < n; i++) {
                assertThat(s.next(10)).startsWith("[3,\"m" + i + "\",");
            }
        } finally {
            csms.autoAnswer = true;
        }
    }

    @Test
    void csmsAndInjectedCallsShareOneOutstandingCall_OCPPJ_4_1_1() throws Exception {
        try (TestStation s = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2", List.of("ocpp2.0.1"))) {
            s.send("[2,\"hb\",\"Heartbeat\",{}]");
            s.next(10); // the CSMS side is open
            csms.queue("CP2").clear();
            csms.send("CP2", "[2,\"csms-1\",\"GetVariables\",{\"getVariableData\":[{\"component\":{\"name\":\"X\"},\"variable\":{\"name\":\"Y\"}}]}]");
            assertThat(s.next(10)).startsWith("[2,\"csms-1\"");
            HttpClient http = HttpClient.newHttpClient();
            long injectedBefore = h.terminator.metrics().injectedCalls.sum();
            var injected = http.sendAsync(HttpRequest.newBuilder(h.control("/control/v1/stations/CP2/calls"))
                    .header("Authorization", "Bearer " + h.terminator.controlToken())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"TriggerMessage\",\"payload\":{\"requestedMessage\":\"Heartbeat\"}}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            long deadline = System.currentTimeMillis() + 10_000;
            while (h.terminator.metrics().injectedCalls.sum() == injectedBefore && System.currentTimeMillis() < deadline) {
                Thread.sleep(10); // the injected call is queued first
            }
            csms.send("CP2", "[2,\"csms-2\",\"GetVariables\",{\"getVariableData\":[{\"component\":{\"name\":\"X\"},\"variable\":{\"name\":\"Z\"}}]}]");
            // nothing else reaches the station while csms-1 is unanswered
            assertThat(s.received.poll(700, TimeUnit.MILLISECONDS)).isNull();
            s.send("[3,\"csms-1\",{\"getVariableResult\":[]}]");
            assertThat(csms.queue("CP2").poll(10, TimeUnit.SECONDS)).isEqualTo("[3,\"csms-1\",{\"getVariableResult\":[]}]");
            String second = s.next(10);
            assertThat(second).contains("TriggerMessage"); // injected before csms-2 arrived
            String id = OcppJson.standard().mapper().readTree(second).get(1).asString();
            assertThat(s.received.poll(500, TimeUnit.MILLISECONDS)).isNull();
            s.send("[3,\"" + id + "\",{\"status\":\"Accepted\"}]");
            assertThat(s.next(10)).startsWith("[2,\"csms-2\"");
            JsonNode result = OcppJson.standard().mapper().readTree(injected.get(10, TimeUnit.SECONDS).body());
            assertThat(result.path("payload").path("status").asString()).isEqualTo("Accepted");
            // the answer to the injected call never went to the CSMS
            assertThat(csms.queue("CP2").poll(300, TimeUnit.MILLISECONDS)).isNull();
        }
    }

    @Test
    void aSecurityActionPkiServiceDoesNotOfferYetGoesToTheCsmsUnchanged() throws Exception {
        try (TestStation s = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2", List.of("ocpp2.0.1"))) {
            s.send("[2,\"hb\",\"Heartbeat\",{}]");
            s.next(10);
            csms.queue("CP2").clear();
            // Get15118EVCertificate with a pki-service that does not offer it (an older one: 404 without a code)
            h.standIn.evCertificateStatus = 404;
            String call = "[2,\"gcs\",\"Get15118EVCertificate\",{\"iso15118SchemaVersion\":\"urn:iso:15118:2:2013:MsgDef\","
                    + "\"action\":\"Install\",\"exiRequest\":\"AAAA\"}]";
            s.send(call);
            assertThat(csms.queue("CP2").poll(10, TimeUnit.SECONDS)).isEqualTo(call);
            assertThat(s.next(10)).isEqualTo("[3,\"gcs\",{}]"); // the CSMS's answer
        } finally {
            h.standIn.evCertificateStatus = 200;
        }
    }

    @Test
    void closeCodesPassThrough() throws Exception {
        TestStation s = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2", List.of("ocpp2.0.1"));
        s.send("[2,\"x\",\"Heartbeat\",{}]");
        s.next(10);
        csms.close("CP2", 4001, "bye");
        assertThat(s.awaitClose(10)).isEqualTo(4001);
    }

    @Test
    void aStationsCloseCodeReachesTheCsms() throws Exception {
        TestStation s = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2", List.of("ocpp2.0.1"));
        s.send("[2,\"y\",\"Heartbeat\",{}]");
        s.next(10);
        csms.queue("CP2").clear();
        s.ws.sendClose(4002, "station leaving").get(5, TimeUnit.SECONDS);
        long deadline = System.currentTimeMillis() + 10_000;
        List<String> seen = new ArrayList<>();
        while (System.currentTimeMillis() < deadline) {
            String m = csms.queue("CP2").poll(200, TimeUnit.MILLISECONDS);
            if (m != null) {
                seen.add(m);
                if (m.startsWith("CLOSE")) {
                    break;
                }
            }
        }
        assertThat(seen).contains("CLOSE 4002");
    }

    @Test
    void whenTheCsmsIsDownStationsAreToldClearly() throws Exception {
        TestCsms gone = new TestCsms();
        int port = gone.port();
        gone.close();
        try (Harness down = new Harness(dir.resolve("down"), Map.of("upstream", "ws://127.0.0.1:" + port + "/ocpp"))) {
            down.standIn.station("CP2", "SN-2", 2, "secret-password-2");
            TestStation s = TestStation.connect(down.wss("CP2"), down.pki.clientContext(null), "CP2", "secret-password-2", List.of("ocpp2.0.1"));
            assertThat(s.awaitClose(10)).isEqualTo(1013); // Try Again Later
            assertThatThrownBy(() -> TestStation.connect(down.wss("CP2"), down.pki.clientContext(null), "CP2", "secret-password-2",
                    List.of("ocpp2.0.1"))).isInstanceOfSatisfying(TestStation.Refused.class, r -> assertThat(r.status).isEqualTo(503));
        }
    }
}
