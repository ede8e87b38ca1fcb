package io.ocppsec.ocpp.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.OcppCodec.Kind;
import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.schema.Violation;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The rules of the untyped core actions (Heartbeat, StatusNotification, NotifyEvent), one readable
 * case per behaviour, and the edges of {@link CoreSchemas#validate}. The schema oracle
 * ({@code oracle.SchemaOracleTest}) checks the same rules exhaustively against the official schemas.
 */
@DisplayName("CoreSchemas: Heartbeat, StatusNotification, NotifyEvent")
class CoreSchemasTest {
    private static final OcppVersion V201 = OcppVersion.OCPP_2_0_1;
    private static final OcppVersion V21 = OcppVersion.OCPP_2_1;
    private static final String STATUS = "{\"timestamp\":\"2026-11-21T10:00:00Z\",\"connectorStatus\":\"Available\","
            + "\"evseId\":1,\"connectorId\":1}";

    private static JsonNode json(String text) {
        return OcppJson.standard().mapper().readTree(text);
    }

    private static Optional<Violation> request(OcppVersion v, String action, String payload) {
        return CoreSchemas.validate(v, action, Kind.REQUEST, json(payload));
    }

    private static String event(String extra) {
        return "{\"generatedAt\":\"2026-11-21T10:00:00Z\",\"seqNo\":0,\"eventData\":[{\"eventId\":1,"
                + "\"timestamp\":\"2026-11-21T10:00:00Z\",\"trigger\":\"Alerting\",\"actualValue\":\"Faulted\","
                + "\"eventNotificationType\":\"HardWiredNotification\",\"component\":{\"name\":\"Connector\","
                + "\"evse\":{\"id\":1,\"connectorId\":1}},\"variable\":{\"name\":\"AvailabilityState\"}" + extra + "}]}";
    }

    private static void assertViolation(Optional<Violation> v, RpcErrorCode code, String pointer) {
        assertThat(v).as("violation").isPresent();
        assertThat(v.get().code()).as("code of %s", v.get()).isEqualTo(code);
        assertThat(v.get().pointer()).as("pointer of %s", v.get()).isEqualTo(pointer);
    }

    @Test
    void validMessagesOfBothVersionsConform() {
        for (OcppVersion v : new OcppVersion[] {V201, V21}) {
            assertThat(request(v, "Heartbeat", "{}")).isEmpty();
            assertThat(request(v, "Heartbeat", "{\"customData\":{\"vendorId\":\"acme\",\"anything\":[1]}}")).isEmpty();
            assertThat(request(v, "StatusNotification", STATUS)).isEmpty();
            assertThat(request(v, "NotifyEvent", event(",\"cleared\":true,\"techCode\":\"E42\""))).isEmpty();
            assertThat(CoreSchemas.validate(v, "Heartbeat", Kind.RESPONSE, json("{\"currentTime\":\"2026-11-21T10:00:00.120Z\"}")))
                    .isEmpty();
            assertThat(CoreSchemas.validate(v, "StatusNotification", Kind.RESPONSE, json("{}"))).isEmpty();
            assertThat(CoreSchemas.validate(v, "NotifyEvent", Kind.RESPONSE, json("{}"))).isEmpty();
        }
    }

    @Test
    void eachConstraintKindMapsToItsCallErrorCode() {
        assertViolation(request(V201, "StatusNotification", "{\"timestamp\":\"2026-11-21T10:00:00Z\",\"connectorStatus\":\"Available\","
                + "\"evseId\":1}"), RpcErrorCode.OccurrenceConstraintViolation, "/connectorId");
        assertViolation(request(V201, "StatusNotification", STATUS.replace("Available", "Charging")),
                RpcErrorCode.PropertyConstraintViolation, "/connectorStatus");
        assertViolation(request(V201, "StatusNotification", STATUS.replace("\"evseId\":1", "\"evseId\":\"1\"")),
                RpcErrorCode.TypeConstraintViolation, "/evseId");
        assertViolation(request(V201, "StatusNotification", STATUS.replace("2026-11-21T10:00:00Z", "2026-11-21 10:00")),
                RpcErrorCode.TypeConstraintViolation, "/timestamp");
        assertViolation(request(V201, "NotifyEvent", event(",\"techInfo\":\"" + "x".repeat(501) + "\"")),
                RpcErrorCode.PropertyConstraintViolation, "/eventData/0/techInfo");
        assertViolation(request(V201, "NotifyEvent", "{\"generatedAt\":\"2026-11-21T10:00:00Z\",\"seqNo\":0,\"eventData\":[]}"),
                RpcErrorCode.OccurrenceConstraintViolation, "/eventData");
        assertViolation(request(V201, "Heartbeat", "{\"time\":\"now\"}"), RpcErrorCode.OccurrenceConstraintViolation, "/time");
        assertViolation(request(V201, "Heartbeat", "{\"customData\":{}}"),
                RpcErrorCode.OccurrenceConstraintViolation, "/customData/vendorId");
        assertViolation(CoreSchemas.validate(V201, "Heartbeat", Kind.RESPONSE, json("{}")),
                RpcErrorCode.OccurrenceConstraintViolation, "/currentTime");
        assertViolation(CoreSchemas.validate(V201, "Heartbeat", Kind.REQUEST, JsonNodeFactory.instance.arrayNode()),
                RpcErrorCode.FormatViolation, "");
    }

    @Test
    void severityIsNewIn21() {
        assertViolation(request(V201, "NotifyEvent", event(",\"severity\":3")),
                RpcErrorCode.OccurrenceConstraintViolation, "/eventData/0/severity");
        assertThat(request(V21, "NotifyEvent", event(",\"severity\":3"))).isEmpty();
        assertViolation(request(V21, "NotifyEvent", event(",\"severity\":-1")),
                RpcErrorCode.PropertyConstraintViolation, "/eventData/0/severity");
    }

    @Test
    void idsHaveAMinimumOfZeroIn21Only() {
        String negative = STATUS.replace("\"connectorId\":1", "\"connectorId\":-1");
        assertThat(request(V201, "StatusNotification", negative)).isEmpty();
        assertViolation(request(V21, "StatusNotification", negative), RpcErrorCode.PropertyConstraintViolation, "/connectorId");
        String negativeSeqNo = event("").replace("\"seqNo\":0", "\"seqNo\":-1");
        assertThat(request(V201, "NotifyEvent", negativeSeqNo)).isEmpty();
        assertViolation(request(V21, "NotifyEvent", negativeSeqNo), RpcErrorCode.PropertyConstraintViolation, "/seqNo");
    }

    @Test
    void anActionWithoutRulesHereIsNotSupportedAndAnUnknownOneNotImplemented() {
        assertViolation(request(V201, "Authorize", "{}"), RpcErrorCode.NotSupported, "");
        assertViolation(request(V201, "Teleport", "{}"), RpcErrorCode.NotImplemented, "");
        // new in 2.1, so unknown to 2.0.1
        assertViolation(request(V201, "NotifyPriorityCharging", "{}"), RpcErrorCode.NotImplemented, "");
        assertViolation(request(V21, "NotifyPriorityCharging", "{}"), RpcErrorCode.NotSupported, "");
    }

    @Test
    void ocpp16HasNoRulesHere() {
        assertViolation(request(OcppVersion.OCPP_1_6, "Heartbeat", "{}"), RpcErrorCode.NotSupported, "");
        assertThatThrownBy(() -> CoreSchemas.of(OcppVersion.OCPP_1_6)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rulesExistForExactlyTheListedActions() {
        for (OcppVersion v : new OcppVersion[] {V201, V21}) {
            for (String a : CoreSchemas.ACTIONS) {
                assertThat(CoreSchemas.of(v).request(a)).as("%s %s request", v, a).isNotNull();
                assertThat(CoreSchemas.of(v).response(a)).as("%s %s response", v, a).isNotNull();
                assertThat(Action.fromWire(a)).as("%s has no typed messages", a).isEmpty();
            }
            assertThat(CoreSchemas.of(v).request("BootNotification")).isNull();
        }
    }

    @Test
    void violationsNameTheRuleNotTheValue() {
        String secret = "s3cr3t-" + "x".repeat(600);
        Violation v = request(V201, "NotifyEvent", event(",\"techInfo\":\"" + secret + "\"")).orElseThrow();
        assertThat(v.describe()).doesNotContain("s3cr3t").contains("longer than 500");
    }
}
