package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.CoreSchemas;
import io.ocppsec.ocpp.message.MessageSchemas;
import io.ocppsec.ocpp.schema.ObjectShape;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

/**
 * Standalone mode (no CSMS configured) over real TLS with the JDK's WebSocket client: every
 * BootNotification, Heartbeat, StatusNotification and NotifyEvent is checked against the schema
 * rules of the negotiated version before it is answered; a request that breaks a rule gets the
 * CALLERROR the rule names (OCPP-J §4.3) and the connection stays open; the answers conform to the
 * response rules ({@link MessageSchemas}, {@link CoreSchemas}, both held against the official
 * schemas by security-profiles' oracle tests).
 */
class StandaloneCsmsTest {
    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        h = new Harness(dir, Map.of("allow-ocpp16", "true"));
        h.standIn.station("CPS", "SN-S", 2, "secret-password-s");
        h.standIn.station(new PkiStandIn.Station("CP16", "SN-16", 2, h.pki.organization, List.of("ocpp1.6"), false,
                PkiStandIn.hash("secret-password-16")));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static TestStation connect(String subprotocol) {
        TestStation s = TestStation.connect(h.wss("CPS"), h.pki.clientContext(null), "CPS", "secret-password-s", List.of(subprotocol));
        assertThat(s.subprotocol()).isEqualTo(subprotocol);
        return s;
    }

    static OcppVersion version(String subprotocol) {
        return OcppVersion.fromSubprotocol(subprotocol).orElseThrow();
    }

    static final String STATUS = "{\"timestamp\":\"2026-11-21T10:00:00Z\",\"connectorStatus\":\"Occupied\",\"evseId\":1,\"connectorId\":1}";

    /** A NotifyEvent with one event; {@code extra} is added to the event. */
    static String notifyEvent(String extra) {
        return "{\"generatedAt\":\"2026-11-21T10:00:00.250+01:00\",\"seqNo\":0,\"tbc\":false,\"eventData\":[{\"eventId\":7,"
                + "\"timestamp\":\"2026-11-21T10:00:00Z\",\"trigger\":\"Delta\",\"actualValue\":\"Occupied\","
                + "\"eventNotificationType\":\"HardWiredNotification\",\"component\":{\"name\":\"Connector\","
                + "\"evse\":{\"id\":1,\"connectorId\":1}},\"variable\":{\"name\":\"AvailabilityState\"}" + extra + "}]}";
    }

    static String call(String id, String action, String payload) {
        return "[2,\"" + id + "\",\"" + action + "\"," + payload + "]";
    }

    /** Sends a CALL and returns the CALLRESULT payload, after checking the answer is a CALLRESULT to it. */
    static JsonNode result(TestStation s, String id, String action, String payload) throws Exception {
        s.send(call(id, action, payload));
        JsonNode answer = OcppJson.standard().mapper().readTree(s.next(10));
        assertThat(answer.get(0).asInt()).as("answer to %s: %s", action, answer).isEqualTo(3);
        assertThat(answer.get(1).asString()).isEqualTo(id);
        return answer.get(2);
    }

    /** Sends a CALL that breaks a rule; expects CALLERROR {@code code} pointing at {@code pointer}. */
    static JsonNode callError(TestStation s, String id, String action, String payload, String code, String pointer) throws Exception {
        s.send(call(id, action, payload));
        JsonNode answer = OcppJson.standard().mapper().readTree(s.next(10));
        assertThat(answer.get(0).asInt()).as("answer to %s: %s", action, answer).isEqualTo(4);
        assertThat(answer.get(1).asString()).isEqualTo(id);
        assertThat(answer.get(2).asString()).as("error code of %s", answer).isEqualTo(code);
        assertThat(answer.get(4).path("pointer").asString("")).as("errorDetails.pointer of %s", answer).isEqualTo(pointer);
        return answer;
    }

    /** The connection is still open and answering: a Heartbeat gets its CALLRESULT. */
    static void stillOpen(TestStation s, String id) throws Exception {
        assertThat(result(s, id, "Heartbeat", "{}").path("currentTime").asString()).isNotEmpty();
        assertThat(s.closed).isNotDone();
    }

    static void assertConforms(OcppVersion v, String action, JsonNode payload) {
        ObjectShape rules = Action.fromWire(action).map(a -> MessageSchemas.of(v).response(a))
                .orElseGet(() -> CoreSchemas.of(v).response(action));
        assertThat(rules.validate(payload)).as("%s %sResponse %s", v, action, payload).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ocpp2.0.1", "ocpp2.1"})
    void validRequestsAreAnsweredAndTheAnswersConformToTheResponseRules(String subprotocol) throws Exception {
        OcppVersion v = version(subprotocol);
        try (TestStation s = connect(subprotocol)) {
            JsonNode boot = result(s, "b", "BootNotification",
                    "{\"chargingStation\":{\"model\":\"M\",\"vendorName\":\"V\",\"serialNumber\":\"SN-S\"},\"reason\":\"PowerUp\"}");
            assertThat(boot.path("status").asString()).isEqualTo("Accepted");
            assertConforms(v, "BootNotification", boot);

            JsonNode heartbeat = result(s, "h", "Heartbeat", "{\"customData\":{\"vendorId\":\"com.example\",\"x\":[1]}}");
            assertThat(OffsetDateTime.parse(heartbeat.path("currentTime").asString())).isNotNull();
            assertConforms(v, "Heartbeat", heartbeat);

            JsonNode status = result(s, "s", "StatusNotification", STATUS);
            assertThat(status.isEmpty()).isTrue();
            assertConforms(v, "StatusNotification", status);

            for (String extra : new String[] {"", ",\"cause\":6,\"cleared\":true,\"techCode\":\"E1\",\"techInfo\":\"\",\"transactionId\":\"t-1\","
                    + "\"variableMonitoringId\":3"}) {
                JsonNode event = result(s, "e", "NotifyEvent", notifyEvent(extra));
                assertThat(event.isEmpty()).isTrue();
                assertConforms(v, "NotifyEvent", event);
            }
            JsonNode astral = result(s, "e2", "NotifyEvent", notifyEvent(",\"techCode\":\"" + "\uD83D\uDD12".repeat(50) + "\""));
            assertConforms(v, "NotifyEvent", astral); // maxLength counts code points: 50 locks are 100 UTF-16 units
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"ocpp2.0.1", "ocpp2.1"})
    void requestsThatBreakTheirRulesGetTheCallErrorTheRuleNamesAndTheConnectionStaysOpen(String subprotocol) throws Exception {
        try (TestStation s = connect(subprotocol)) {
            // a required field missing, an unknown field, an empty array: OccurrenceConstraintViolation
            callError(s, "o1", "StatusNotification", STATUS.replace(",\"connectorId\":1", ""), "OccurrenceConstraintViolation", "/connectorId");
            callError(s, "o2", "Heartbeat", "{\"status\":\"alive\"}", "OccurrenceConstraintViolation", "/status");
            callError(s, "o3", "NotifyEvent", "{\"generatedAt\":\"2026-11-21T10:00:00Z\",\"seqNo\":0,\"eventData\":[]}",
                    "OccurrenceConstraintViolation", "/eventData");
            callError(s, "o4", "NotifyEvent", notifyEvent("").replace("{\"name\":\"AvailabilityState\"}", "{}"),
                    "OccurrenceConstraintViolation", "/eventData/0/variable/name");
            callError(s, "o5", "Heartbeat", "{\"customData\":{}}", "OccurrenceConstraintViolation", "/customData/vendorId");
            stillOpen(s, "ok1");
            // a value outside its enumeration, a string over its length: PropertyConstraintViolation
            callError(s, "p1", "StatusNotification", STATUS.replace("Occupied", "Charging"), "PropertyConstraintViolation", "/connectorStatus");
            callError(s, "p2", "NotifyEvent", notifyEvent("").replace("\"Delta\"", "\"delta\""), "PropertyConstraintViolation",
                    "/eventData/0/trigger");
            callError(s, "p3", "NotifyEvent", notifyEvent(",\"techInfo\":\"" + "x".repeat(501) + "\""), "PropertyConstraintViolation",
                    "/eventData/0/techInfo");
            callError(s, "p4", "NotifyEvent", notifyEvent(",\"transactionId\":\"" + "\uD83D\uDD12".repeat(37) + "\""),
                    "PropertyConstraintViolation", "/eventData/0/transactionId");
            stillOpen(s, "ok2");
            // a wrong JSON type, null, a malformed date-time, an integer outside 32 bits: TypeConstraintViolation
            callError(s, "t1", "StatusNotification", STATUS.replace("\"evseId\":1", "\"evseId\":\"1\""), "TypeConstraintViolation", "/evseId");
            callError(s, "t2", "StatusNotification", STATUS.replace("2026-11-21T10:00:00Z", "2026-11-21T10:00:00"),
                    "TypeConstraintViolation", "/timestamp");
            callError(s, "t3", "NotifyEvent", notifyEvent(",\"cleared\":null"), "TypeConstraintViolation", "/eventData/0/cleared");
            callError(s, "t4", "NotifyEvent", notifyEvent("").replace("\"eventId\":7", "\"eventId\":2147483648"),
                    "TypeConstraintViolation", "/eventData/0/eventId");
            callError(s, "t5", "Heartbeat", "{\"customData\":[]}", "TypeConstraintViolation", "/customData");
            stillOpen(s, "ok3");
            // a payload that is not a JSON object: FormatViolation (OCPP-J §4.3)
            callError(s, "f1", "Heartbeat", "[1,2]", "FormatViolation", "");
            callError(s, "f2", "StatusNotification", "\"Available\"", "FormatViolation", "");
            // BootNotification is checked as before
            callError(s, "b1", "BootNotification", "{\"chargingStation\":{\"model\":\"M\",\"vendorName\":\"V\"},\"reason\":\"Rebooted\"}",
                    "PropertyConstraintViolation", "/reason");
            stillOpen(s, "ok4");
        }
    }

    @Test
    void fieldsNewIn21AreRefusedIn201AndAcceptedIn21() throws Exception {
        String severity = notifyEvent(",\"severity\":2");
        String negativeConnector = STATUS.replace("\"connectorId\":1", "\"connectorId\":-1");
        try (TestStation s = connect("ocpp2.0.1")) {
            callError(s, "n1", "NotifyEvent", severity, "OccurrenceConstraintViolation", "/eventData/0/severity");
            // no minimum in 2.0.1
            assertThat(result(s, "n2", "StatusNotification", negativeConnector).isEmpty()).isTrue();
            stillOpen(s, "ok");
        }
        try (TestStation s = connect("ocpp2.1")) {
            assertThat(result(s, "n1", "NotifyEvent", severity).isEmpty()).isTrue();
            // 2.1: ids have a minimum of 0
            callError(s, "n2", "StatusNotification", negativeConnector, "PropertyConstraintViolation", "/connectorId");
            callError(s, "n3", "NotifyEvent", notifyEvent(",\"severity\":-1"), "PropertyConstraintViolation", "/eventData/0/severity");
            stillOpen(s, "ok");
        }
    }

    @Test
    void theCallErrorNamesTheRuleNeverTheValue() throws Exception {
        String secret = "s3cr3t-value-" + "y".repeat(2500);
        try (TestStation s = connect("ocpp2.0.1")) {
            JsonNode error = callError(s, "x1", "NotifyEvent", notifyEvent("").replace("\"actualValue\":\"Occupied\"",
                    "\"actualValue\":\"" + secret + "\""), "PropertyConstraintViolation", "/eventData/0/actualValue");
            assertThat(error.toString()).doesNotContain("s3cr3t").contains("longer than 2500");
            assertThat(error.get(3).asString().length()).isLessThanOrEqualTo(255);
        }
    }

    @Test
    void otherOcppActionsAreNotSupportedAndUnknownOnesNotImplemented() throws Exception {
        try (TestStation s = connect("ocpp2.0.1")) {
            callError(s, "m1", "MeterValues", "{\"evseId\":1,\"meterValue\":[]}", "NotSupported", "");
            callError(s, "m2", "BrewCoffee", "{}", "NotImplemented", "");
            stillOpen(s, "ok");
        }
    }

    @Test
    void anOcpp16StationGetsNotSupportedAndStaysConnected() throws Exception {
        try (TestStation s = TestStation.connect(h.wss("CP16"), h.pki.clientContext(null), "CP16", "secret-password-16",
                List.of("ocpp1.6"))) {
            assertThat(s.subprotocol()).isEqualTo("ocpp1.6");
            callError(s, "b", "BootNotification", "{\"chargePointVendor\":\"V\",\"chargePointModel\":\"M\"}", "NotSupported", "");
            callError(s, "h", "Heartbeat", "{}", "NotSupported", "");
            assertThat(s.closed).isNotDone();
        }
    }
}
