package io.ocppsec.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** pki-service over real HTTP: token, problems, the validation API. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PkiServiceApiTest {
    @TempDir
    static Path dataDir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dataDir.resolve("data").toString());
    }

    @LocalServerPort
    int port;

    private final HttpClient http = HttpClient.newHttpClient();
    private final JsonMapper json = JsonMapper.builder().build();

    private String token() throws IOException {
        return Files.readString(dataDir.resolve("data/admin-token")).trim();
    }

    private HttpResponse<String> post(String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void dataDirectoryAndTokenAreCreatedPrivate() throws Exception {
        Path data = dataDir.resolve("data");
        assertThat(Files.getPosixFilePermissions(data)).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);
        assertThat(Files.getPosixFilePermissions(data.resolve("admin-token"))).containsExactlyInAnyOrder(
                PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(token()).hasSizeGreaterThanOrEqualTo(40);
    }

    @Test
    void apiRefusesMissingOrWrongTokenWithAProblem() throws Exception {
        HttpResponse<String> none = post("/api/v1/ocpp/validate", "{}", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Bearer"));
        assertThat(none.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(post("/api/v1/ocpp/validate", "{}", token() + "x").statusCode()).isEqualTo(401);
    }

    @Test
    void healthIsOpen() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/actuator/health")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("UP");
    }

    @Test
    void validatesAFrameAndReturnsTheCallErrorAStationWouldGet() throws Exception {
        String frame = "[2,\\\"m1\\\",\\\"SignCertificate\\\",{\\\"certificateType\\\":\\\"ChargingStationCertificate\\\"}]";
        HttpResponse<String> r = post("/api/v1/ocpp/validate", "{\"ocppVersion\":\"2.0.1\",\"frame\":\"" + frame + "\"}", token());
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("valid").booleanValue()).isFalse();
        assertThat(body.get("errorCode").stringValue()).isEqualTo("OccurrenceConstraintViolation");
        assertThat(body.get("pointer").stringValue()).isEqualTo("/csr");
        assertThat(body.get("reply").stringValue()).startsWith("[4,\"m1\",\"OccurrenceConstraintViolation\"");
    }

    @Test
    void validatesAPayloadByActionAndKind() throws Exception {
        HttpResponse<String> r = post("/api/v1/ocpp/validate",
                "{\"ocppVersion\":\"2.1\",\"action\":\"SignCertificate\",\"kind\":\"request\","
                        + "\"payload\":{\"csr\":\"x\",\"requestId\":7,\"certificateType\":\"V2G20Certificate\"}}", token());
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("valid").booleanValue()).isTrue();
        HttpResponse<String> old = post("/api/v1/ocpp/validate",
                "{\"ocppVersion\":\"2.0.1\",\"action\":\"SignCertificate\",\"kind\":\"request\","
                        + "\"payload\":{\"csr\":\"x\",\"requestId\":7}}", token());
        assertThat(json.readTree(old.body()).get("pointer").stringValue()).isEqualTo("/requestId");
    }

    @Test
    void badInputGetsAProblemWithAStableCode() throws Exception {
        HttpResponse<String> r = post("/api/v1/ocpp/validate", "{\"ocppVersion\":\"9.9\",\"frame\":\"[]\"}", token());
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(json.readTree(r.body()).get("code").stringValue()).isEqualTo("unsupported-version");
        HttpResponse<String> notJson = post("/api/v1/ocpp/validate", "{not json", token());
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json.readTree(notJson.body()).get("code").stringValue()).isEqualTo("malformed-body");
    }

    private static java.util.Optional<Path> shared(String relative) {
        String dir = System.getProperty("ocppsec.shared.dir");
        if (dir == null) {
            return java.util.Optional.empty();
        }
        Path p = Path.of(dir).resolve(relative);
        return Files.exists(p) ? java.util.Optional.of(p) : java.util.Optional.empty();
    }

    private static String jsonString(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\n", "\\n").replace("\"", "\\\"") + "\"";
    }

    @Test
    void M06_hashDataOfTheEverestSeccLeafMatchesTheVector() throws Exception {
        java.util.Optional<Path> dir = shared("iso15118/vectors/everest-ocsp-hashdata");
        org.junit.jupiter.api.Assumptions.assumeTrue(dir.isPresent(), "../shared/iso15118 not present: vector test skipped");
        // The chain file is leaf first, then its issuer: the API takes the issuer from the chain.
        String chain = Files.readString(dir.get().resolve("CPO_CERT_SECC_LEAF_CHAIN_B.pem"));
        java.util.List<String> expected = Files.readAllLines(dir.get().resolve("SECC_LEAF_ocsp.hash"));
        HttpResponse<String> r = post("/api/v1/certificates/hash-data", "{\"certificate\":" + jsonString(chain) + "}", token());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode body = json.readTree(r.body());
        assertThat(body.get("hashAlgorithm").stringValue()).isEqualTo(expected.get(0).trim());
        assertThat(body.get("issuerNameHash").stringValue()).isEqualTo(expected.get(1).trim());
        assertThat(body.get("issuerKeyHash").stringValue()).isEqualTo(expected.get(2).trim());
        assertThat(body.get("serialNumber").stringValue()).isEqualTo(expected.get(3).trim());
    }

    @Test
    void hashDataNeedsTheIssuerOfANonSelfSignedCertificateAndRefusesGarbage() throws Exception {
        java.util.Optional<Path> dir = shared("iso15118/vectors/everest-ocsp-hashdata");
        if (dir.isPresent()) {
            String leaf = Files.readString(dir.get().resolve("SECC_LEAF_B.pem"));
            HttpResponse<String> r = post("/api/v1/certificates/hash-data", "{\"certificate\":" + jsonString(leaf) + "}", token());
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(json.readTree(r.body()).get("code").stringValue()).isEqualTo("issuer-required");
        }
        HttpResponse<String> garbage = post("/api/v1/certificates/hash-data",
                "{\"certificate\":\"-----BEGIN CERTIFICATE-----\\nAAAA\\n-----END CERTIFICATE-----\"}", token());
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(json.readTree(garbage.body()).get("code").stringValue()).isEqualTo("bad-certificate");
        HttpResponse<String> alg = post("/api/v1/certificates/hash-data",
                "{\"certificate\":\"x\",\"hashAlgorithm\":\"MD5\"}", token());
        assertThat(alg.statusCode()).isEqualTo(400);
    }

    @Test
    void A04_securityEventCatalogueHas20TypesIn201And21In21() throws Exception {
        HttpResponse<String> v201 = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/security-events/types?ocppVersion=2.0.1"))
                .header("Authorization", "Bearer " + token()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> v21 = http.send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/api/v1/security-events/types?ocppVersion=2.1"))
                .header("Authorization", "Bearer " + token()).build(), HttpResponse.BodyHandlers.ofString());
        JsonNode a = json.readTree(v201.body());
        JsonNode b = json.readTree(v21.body());
        assertThat(b.get("types").size()).isEqualTo(21);
        assertThat(a.get("types").size()).isIn(20, 21); // 21 with the 2025-09 errata (DiscardedRenewedClientCertificate)
        assertThat(b.toString()).contains("\"type\":\"InvalidTLSVersion\",\"critical\":true");
    }

    @Test
    void oversizedBodiesAreRefused() throws Exception {
        String big = "{\"ocppVersion\":\"2.0.1\",\"frame\":\"" + "x".repeat(1_100_000) + "\"}";
        assertThat(post("/api/v1/ocpp/validate", big, token()).statusCode()).isEqualTo(413);
    }
}
