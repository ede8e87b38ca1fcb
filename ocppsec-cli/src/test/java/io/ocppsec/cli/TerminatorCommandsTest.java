package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.cli.FakePki.Answer;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The commands of the terminator contract (terminator tokens, OCPP versions and the expired
 * certificate exception, sessions, calls, rotation with --send, reported security events), run
 * in-process against {@link FakePki} with the shapes pki-service answers with.
 */
class TerminatorCommandsTest extends FakePkiCommandTest {

    private static final String STATION = """
            {"identity":"CP001","serialNumber":"SN-1","securityProfile":3,"profileFloor":3,"organization":"Example CPO",
             "certificateTypes":["ChargingStationCertificate"],"seccIds":[],"ocppVersions":["ocpp2.0.1","ocpp1.6"],
             "allowExpiredClientCertificate":true,"enabled":true,"passwordRotationPending":false,
             "createdAt":"2026-01-02T03:04:05.123456Z","updatedAt":"2026-01-02T03:04:05.123456Z"}""";

    private static JsonNode json(String s) {
        return Text.JSON.readTree(s);
    }

    @Test
    void tokenCreateMakesTerminatorTokens() {
        pki.on("POST /api/v1/tokens", Answer.json(201,
                "{\"id\":\"t-9\",\"name\":\"terminator-1\",\"role\":\"terminator\",\"token\":\"ocps_x\"}"));
        Run r = api("token", "create", "--name", "terminator-1", "--role", "terminator");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(json(pki.last().body())).isEqualTo(json("{\"name\":\"terminator-1\",\"role\":\"terminator\"}"));
        assertThat(r.out()).contains("role terminator");
    }

    @Test
    void stationAddSendsOcppVersionsAndTheExpiredCertificateException() {
        pki.on("POST /api/v1/stations", Answer.json(201, "{\"station\":" + STATION + ",\"password\":null}"));
        Run r = api("station", "add", "CP001", "--serial", "SN-1", "--profile", "3", "--ocpp-versions", "ocpp2.0.1,1.6",
                "--allow-expired-client-certificate", "--password", "Given-Passw0rd-1234567");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode body = json(pki.last().body());
        assertThat(body.path("ocppVersions").toString()).isEqualTo("[\"ocpp2.0.1\",\"ocpp1.6\"]");
        assertThat(body.path("allowExpiredClientCertificate").booleanValue()).isTrue();
        assertThat(r.out()).containsPattern("OCPP versions +ocpp2.0.1,ocpp1.6").containsPattern("expired client cert +accepted");

        api("station", "add", "CP002", "--serial", "SN-2", "--profile", "2");
        assertThat(json(pki.last().body()).has("ocppVersions")).as("the service's default").isFalse();
        assertThat(json(pki.last().body()).has("allowExpiredClientCertificate")).isFalse();

        int before = pki.requests.size();
        Run bad = api("station", "add", "CP003", "--serial", "SN-3", "--profile", "2", "--ocpp-versions", "ocpp2.0");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--ocpp-versions takes ocpp2.1, ocpp2.0.1, ocpp1.6");
        assertThat(api("station", "add", "CP003", "--serial", "SN-3", "--profile", "2", "--ocpp-versions", "2.1,ocpp2.1").code())
                .isEqualTo(2);
        assertThat(pki.requests).as("nothing sent").hasSize(before);
    }

    @Test
    void stationUpdateChangesOcppVersionsAndTheExceptionOnly() {
        pki.on("PATCH /api/v1/stations/CP001", Answer.json(200, STATION));
        assertThat(api("station", "update", "CP001", "--allow-expired-client-certificate=false").code()).isZero();
        assertThat(json(pki.last().body())).isEqualTo(json("{\"allowExpiredClientCertificate\":false}"));
        assertThat(api("station", "update", "CP001", "--ocpp-versions", "ocpp2.1", "--allow-expired-client-certificate").code())
                .isZero();
        assertThat(json(pki.last().body())).isEqualTo(json("{\"ocppVersions\":[\"ocpp2.1\"],\"allowExpiredClientCertificate\":true}"));
    }

    @Test
    void stationShowPrintsTheOcppVersionsAndTheException() {
        pki.on("GET /api/v1/stations/CP001", Answer.json(200, STATION));
        Run r = api("station", "show", "CP001");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("OCPP versions +ocpp2.0.1,ocpp1.6").containsPattern("expired client cert +accepted \\(A00.FR.429");
        pki.on("GET /api/v1/stations/CP001", Answer.json(200, STATION.replace("\"allowExpiredClientCertificate\":true",
                "\"allowExpiredClientCertificate\":false")));
        assertThat(api("station", "show", "CP001").out()).containsPattern("expired client cert +refused");
    }

    @Test
    void stationSessionSaysWhereTheStationIsConnected() {
        pki.on("GET /api/v1/stations/CP001/session", Answer.json(200, "{\"connected\":true,\"terminatorId\":\"term-1\","
                + "\"securityProfile\":3,\"subprotocol\":\"ocpp2.0.1\",\"clientCertificateSha256\":\"" + "ab".repeat(32) + "\","
                + "\"remoteAddress\":\"192.0.2.7:50123\",\"connectedAt\":\"2026-11-21T19:32:06.123456Z\"}"));
        Run r = api("station", "session", "CP001");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("terminator +term-1").containsPattern("subprotocol +ocpp2.0.1")
                .containsPattern("client certificate +SHA-256 " + "ab".repeat(32)).containsPattern("connected since +2026-11-21T19:32:06Z");
        pki.on("GET /api/v1/stations/CP002/session", Answer.json(200, "{\"connected\":false}"));
        Run off = api("station", "session", "CP002");
        assertThat(off.out()).isEqualTo("station CP002 is not connected" + System.lineSeparator());
        assertThat(api("station", "session", "CP002", "--json").out()).contains("\"connected\" : false");
    }

    @Test
    void stationCallSendsThePayloadAndPrintsTheAnswer() throws Exception {
        String answer = "{\"messageId\":\"m-1\",\"result\":\"CALLRESULT\",\"payload\":{\"status\":\"Accepted\"}}";
        pki.on("POST /api/v1/stations/CP001/calls", Answer.json(200, answer));
        Run r = api("station", "call", "CP001", "TriggerMessage", "--payload", "{\"requestedMessage\":\"Heartbeat\"}",
                "--timeout", "12");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(json(r.out())).isEqualTo(json(answer));
        assertThat(json(pki.last().body())).isEqualTo(json("{\"action\":\"TriggerMessage\",\"payload\":{\"requestedMessage\":"
                + "\"Heartbeat\"},\"timeoutSeconds\":12}"));

        Path file = Files.writeString(dir.resolve("payload.json"), "{\"certificateType\":[\"V2GRootCertificate\"]}\n");
        assertThat(api("station", "call", "CP001", "getinstalledcertificateids", "--payload", "@" + file).code()).isZero();
        assertThat(json(pki.last().body())).isEqualTo(json("{\"action\":\"GetInstalledCertificateIds\",\"payload\":"
                + "{\"certificateType\":[\"V2GRootCertificate\"]}}"));

        pki.on("POST /api/v1/stations/CP001/calls", Answer.json(200, "{\"messageId\":\"m-2\",\"result\":\"CALLERROR\","
                + "\"errorCode\":\"NotSupported\",\"errorDescription\":\"no\",\"errorDetails\":{}}"));
        Run error = api("station", "call", "CP001", "DeleteCertificate", "--payload", "{}");
        assertThat(error.code()).isEqualTo(1);
        assertThat(json(error.out()).get("errorCode").asString()).isEqualTo("NotSupported");
        assertThat(error.err()).contains("station CP001 answered the DeleteCertificate with a CALLERROR: NotSupported (no)");

        pki.on("POST /api/v1/stations/CP001/calls", Answer.problem(409, "STATION_OFFLINE",
                "the station is not connected to any terminator"));
        Run offline = api("station", "call", "CP001", "TriggerMessage", "--payload", "{}");
        assertThat(offline.code()).isEqualTo(1);
        assertThat(offline.err()).contains("STATION_OFFLINE", "not connected");
    }

    @Test
    void stationCallWithABadPayloadOrActionIsAUsageErrorAndSendsNothing() {
        assertThat(api("station", "call", "CP001", "TriggerMessage", "--payload", "{not json").code()).isEqualTo(2);
        assertThat(api("station", "call", "CP001", "TriggerMessage", "--payload", "[1]").err()).contains("JSON object");
        assertThat(api("station", "call", "CP001", "Reset", "--payload", "{}").code()).isEqualTo(2);
        assertThat(api("station", "call", "CP001", "TriggerMessage", "--payload", "@" + dir.resolve("missing")).err())
                .contains("no such file");
        assertThat(api("station", "call", "CP001", "TriggerMessage", "--payload", "{}", "--timeout", "296").code()).isEqualTo(2);
        assertThat(pki.requests).isEmpty();
    }

    @Test
    void A01_rotatePasswordWithSendReportsWhatTheStationAnswered() {
        pki.on("POST /api/v1/stations/CP001/password/rotate", r -> Answer.json(200, "{\"identity\":\"CP001\",\"outcome\":"
                + "\"ACCEPTED\",\"messageId\":\"m-pw\",\"result\":\"CALLRESULT\",\"attributeStatus\":\"Accepted\","
                + "\"errorCode\":null,\"detail\":\"the new password is now the current one\",\"passwordRotationPending\":false}"));
        Run r = api("station", "rotate-password", "CP001", "--send", "--timeout", "20");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(pki.last().query()).isEqualTo("send=true&timeoutSeconds=20");
        assertThat(r.out()).contains("password rotation for station CP001: ACCEPTED (attributeStatus Accepted)",
                "the new password is now the current one").doesNotContain("NEW PASSWORD");

        pki.on("POST /api/v1/stations/CP001/password/rotate", r2 -> Answer.json(200, "{\"identity\":\"CP001\",\"outcome\":"
                + "\"UNCONFIRMED\",\"detail\":\"the station did not answer\",\"passwordRotationPending\":true}"));
        Run unconfirmed = api("station", "rotate-password", "CP001", "--send");
        assertThat(unconfirmed.code()).isEqualTo(1);
        assertThat(pki.last().query()).isEqualTo("send=true");
        assertThat(unconfirmed.out()).contains("UNCONFIRMED", "station confirm-password CP001");
        assertThat(api("station", "rotate-password", "CP001", "--timeout", "20").code()).as("--timeout needs --send").isEqualTo(2);
    }

    @Test
    void securityEventsListShowsTheReportedEventsAndTheCatalogueStays() {
        pki.on("GET /api/v1/security-events", Answer.json(200, "[{\"id\":41,\"occurredAt\":\"2026-11-21T19:32:06Z\","
                + "\"receivedAt\":\"2026-11-21T19:32:07Z\",\"station\":\"CP001\",\"remoteAddress\":\"192.0.2.1:5000\","
                + "\"type\":\"InvalidChargingStationCertificate\",\"critical\":true,\"reason\":\"CERT_EXPIRED\","
                + "\"requirement\":\"A00.FR.407\",\"techInfo\":\"notAfter passed\",\"source\":\"terminator\",\"reportedBy\":\"x\"}]"));
        Run r = api("security-events", "list", "--station", "CP001", "--limit", "5");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(pki.last().query()).isEqualTo("station=CP001&limit=5");
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("ID").contains("TYPE", "CRITICAL", "REASON", "SOURCE");
        assertThat(lines.get(1)).contains("41", "2026-11-21T19:32:06Z", "CP001", "InvalidChargingStationCertificate", "yes",
                "CERT_EXPIRED", "A00.FR.407", "terminator", "notAfter passed");
        assertThat(api("security-events", "list", "--after", "40", "--json").out()).contains("\"id\" : 41");
        assertThat(pki.last().query()).isEqualTo("after=40&limit=100");
        assertThat(api("security-events", "list", "--limit", "0").code()).isEqualTo(2);

        // The offline catalogue is unchanged.
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            assertThat(Main.commandLine().execute("security-events", "--ocpp-version", "2.0.1")).isZero();
        } finally {
            System.setOut(oldOut);
        }
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("InvalidChargingStationCertificate", "CRITICAL");
    }
}
