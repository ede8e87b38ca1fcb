package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.OcppJson;
import java.io.StringWriter;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;
import java.util.Map;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The security actions answered by the terminator, and calls injected for pki-service. */
class SecurityActionsTest {
    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = new Harness(dir, Map.of());
        h.standIn.station("CP2", "SN-2", 2, "secret-password-2");
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String csr(KeyPair kp, String cn) throws Exception {
        var req = new JcaPKCS10CertificationRequestBuilder(TestPki.name("Test CPO", cn), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(req);
        }
        return w.toString();
    }

    TestStation connect() {
        return TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2", List.of("ocpp2.0.1"));
    }

    @Test
    void signCertificateIsAcceptedAndOnlyThenCertificateSignedFollows_A02_FR_02() throws Exception {
        KeyPair kp = TestPki.ec();
        try (TestStation s = connect()) {
            String pem = csr(kp, "SN-2").replace("\r", "").replace("\n", "\\n");
            s.send("[2,\"s1\",\"SignCertificate\",{\"csr\":\"" + pem + "\",\"certificateType\":\"ChargingStationCertificate\"}]");
            // the answer first ...
            assertThat(s.next(10)).isEqualTo("[3,\"s1\",{\"status\":\"Accepted\"}]");
            // ... then the CALL with the chain, with our own message id
            JsonNode call = OcppJson.standard().mapper().readTree(s.next(10));
            assertThat(call.get(0).asInt()).isEqualTo(2);
            assertThat(call.get(1).asString()).startsWith("ocs-");
            assertThat(call.get(2).asString()).isEqualTo("CertificateSigned");
            String chain = call.get(3).path("certificateChain").asString();
            var certs = io.ocppsec.security.cert.PemCertificates.read(chain);
            assertThat(certs.get(0).getPublicKey()).isEqualTo(kp.getPublic());
            assertThat(certs.get(0).getSubjectX500Principal().getName()).contains("CN=SN-2");
            s.send("[3,\"" + call.get(1).asString() + "\",{\"status\":\"Accepted\"}]");
            long deadline = System.currentTimeMillis() + 10_000;
            while (h.standIn.certificateSigned.isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(h.standIn.certificateSigned).anySatisfy(n -> {
                assertThat(n.path("station").asString()).isEqualTo("CP2");
                assertThat(n.path("status").asString()).isEqualTo("Accepted");
                assertThat(n.path("serialNumber").asString()).isEqualTo(certs.get(0).getSerialNumber().toString(16));
            });
        }
    }

    @Test
    void aBadCsrIsRejectedWithPkiServicesReason() throws Exception {
        try (TestStation s = connect()) {
            s.send("[2,\"s2\",\"SignCertificate\",{\"csr\":\"-----BEGIN CERTIFICATE REQUEST-----\\nAAAA\\n-----END CERTIFICATE REQUEST-----\"}]");
            String answer = s.next(10);
            assertThat(answer).startsWith("[3,\"s2\",{\"status\":\"Rejected\"").contains("\"reasonCode\":\"CSR_MALFORMED\"");
            assertThat(s.received.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS)).isNull(); // no CertificateSigned
        }
    }

    @Test
    void aSignCertificateThatBreaksItsSchemaGetsACallError() throws Exception {
        try (TestStation s = connect()) {
            s.send("[2,\"s3\",\"SignCertificate\",{\"certificateType\":\"ChargingStationCertificate\"}]");
            assertThat(s.next(10)).startsWith("[4,\"s3\",\"OccurrenceConstraintViolation\"");
        }
    }

    @Test
    void get15118EvCertificateGoesToPkiServiceAndItsAnswerComesBack_M02() throws Exception {
        h.standIn.evCertificateStatus = 200;
        try (TestStation s = connect()) {
            s.send("[2,\"m1\",\"Get15118EVCertificate\",{\"iso15118SchemaVersion\":\"urn:iso:15118:2:2013:MsgDef\","
                    + "\"action\":\"Install\",\"exiRequest\":\"gJgCAAAA\"}]");
            assertThat(s.next(10)).isEqualTo("[3,\"m1\",{\"status\":\"Accepted\",\"exiResponse\":\"AAAACgJg\"}]");
        }
        assertThat(h.standIn.evCertificateRequests).anySatisfy(r -> {
            assertThat(r.path("station").asString()).isEqualTo("CP2");
            assertThat(r.path("ocppVersion").asString()).isEqualTo("ocpp2.0.1");
            assertThat(r.path("request").path("action").asString()).isEqualTo("Install");
        });
    }

    @Test
    void whenPkiServiceFailsGet15118EvCertificateStillGetsAWellFormedFailedAnswer() throws Exception {
        h.standIn.evCertificateStatus = 500;
        try (TestStation s = connect()) {
            s.send("[2,\"m2\",\"Get15118EVCertificate\",{\"iso15118SchemaVersion\":\"urn:iso:15118:2:2013:MsgDef\","
                    + "\"action\":\"Update\",\"exiRequest\":\"gJgCAAAA\"}]");
            JsonNode answer = OcppJson.standard().mapper().readTree(s.next(10));
            assertThat(answer.get(0).asInt()).isEqualTo(3);
            assertThat(answer.get(2).path("status").asString()).isEqualTo("Failed");
            assertThat(answer.get(2).path("exiResponse").asString()).isEmpty();
            assertThat(answer.get(2).path("statusInfo").path("reasonCode").asString()).isEqualTo("Unavailable");
            assertConforms(io.ocppsec.ocpp.OcppVersion.OCPP_2_0_1, io.ocppsec.ocpp.message.Action.Get15118EVCertificate, answer.get(2));
        } finally {
            h.standIn.evCertificateStatus = 200;
        }
    }

    @Test
    void whenPkiServiceFailsGetCertificateChainStatusAnswersFailedPerCertificate_M07_FR_03() throws Exception {
        try (TestStation s = connect21()) {
            s.send("[2,\"c1\",\"GetCertificateChainStatus\",{\"certificateStatusRequests\":[{\"certificateHashData\":"
                    + "{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"aa\",\"issuerKeyHash\":\"bb\",\"serialNumber\":\"1f\"},"
                    + "\"source\":\"OCSP\",\"urls\":[\"http://ocsp.example.com\"]}]}]");
            JsonNode answer = OcppJson.standard().mapper().readTree(s.next(10));
            assertThat(answer.get(0).asInt()).isEqualTo(3);
            JsonNode entry = answer.get(2).path("certificateStatus").get(0);
            assertThat(entry.path("status").asString()).isEqualTo("Failed");
            assertThat(entry.path("source").asString()).isEqualTo("OCSP");
            assertThat(entry.path("certificateHashData").path("serialNumber").asString()).isEqualTo("1f");
            assertThat(entry.path("nextUpdate").asString()).isNotEmpty();
            assertConforms(io.ocppsec.ocpp.OcppVersion.OCPP_2_1, io.ocppsec.ocpp.message.Action.GetCertificateChainStatus, answer.get(2));
        }
    }

    /** The answer matches the response schema (MessageSchemas mirrors the official ones: MessageSchemasMirrorTest). */
    static void assertConforms(io.ocppsec.ocpp.OcppVersion version, io.ocppsec.ocpp.message.Action action, JsonNode payload) {
        assertThat(io.ocppsec.ocpp.message.MessageSchemas.of(version).response(action).validate(payload)).isEmpty();
    }

    TestStation connect21() {
        return TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2", List.of("ocpp2.1"));
    }

    @Test
    void securityEventNotificationIsRecordedAndAnswered_A04() throws Exception {
        try (TestStation s = connect()) {
            s.send("[2,\"e1\",\"SecurityEventNotification\",{\"type\":\"TamperDetectionActivated\",\"timestamp\":\"2026-11-21T10:00:00Z\",\"techInfo\":\"lid open\"}]");
            assertThat(s.next(10)).isEqualTo("[3,\"e1\",{}]");
            ProfileEnforcementTest.h = h;
            ProfileEnforcementTest.awaitEvent("REPORTED", 0);
        }
    }

    @Test
    void injectedCallsReachTheStationAndTheirResultsComeBack() throws Exception {
        try (TestStation s = connect()) {
            HttpClient http = HttpClient.newHttpClient();
            var pending = http.sendAsync(HttpRequest.newBuilder(h.control("/control/v1/stations/CP2/calls"))
                    .header("Authorization", "Bearer " + h.terminator.controlToken())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"action\":\"TriggerMessage\",\"payload\":{\"requestedMessage\":\"SignChargingStationCertificate\"},\"timeoutSeconds\":10}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            JsonNode call = OcppJson.standard().mapper().readTree(s.next(10));
            assertThat(call.get(2).asString()).isEqualTo("TriggerMessage");
            s.send("[3,\"" + call.get(1).asString() + "\",{\"status\":\"Accepted\"}]");
            HttpResponse<String> r = pending.get();
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode body = OcppJson.standard().mapper().readTree(r.body());
            assertThat(body.path("result").asString()).isEqualTo("CALLRESULT");
            assertThat(body.path("payload").path("status").asString()).isEqualTo("Accepted");

            // a wrong token, an unknown station, an action pki-service may not inject, a payload off schema
            assertThat(post(http, "/control/v1/stations/CP2/calls", "Bearer nope", "{}").statusCode()).isEqualTo(401);
            assertThat(post(http, "/control/v1/stations/NOBODY/calls", "Bearer " + h.terminator.controlToken(),
                    "{\"action\":\"TriggerMessage\",\"payload\":{\"requestedMessage\":\"Heartbeat\"}}").statusCode()).isEqualTo(404);
            assertThat(post(http, "/control/v1/stations/CP2/calls", "Bearer " + h.terminator.controlToken(),
                    "{\"action\":\"Reset\",\"payload\":{\"type\":\"Immediate\"}}").statusCode()).isEqualTo(400);
            assertThat(post(http, "/control/v1/stations/CP2/calls", "Bearer " + h.terminator.controlToken(),
                    "{\"action\":\"TriggerMessage\",\"payload\":{\"requestedMessage\":\"NoSuchThing\"}}").statusCode()).isEqualTo(400);
        }
    }

    @Test
    void healthAndMetrics() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> health = http.send(HttpRequest.newBuilder(h.control("/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"status\":\"UP\"").contains("\"mode\":\"standalone\"");
        HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(h.control("/metrics")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metrics.body()).contains("ocppsec_terminator_connections{profile=\"3\"}")
                .contains("ocppsec_terminator_tls_handshakes_total{outcome=\"ok\"}");
    }

    static HttpResponse<String> post(HttpClient http, String path, String auth, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(h.control(path)).header("Authorization", auth)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
