package io.ocppsec.ocpp.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.OcppCodec.Kind;
import io.ocppsec.ocpp.message.type.CertificateSigningUse;
import io.ocppsec.ocpp.message.type.InstallCertificateUse;
import io.ocppsec.ocpp.message.type.RegistrationStatus;
import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.schema.Violation;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The message rules and the codec, one readable case per spec behaviour. These need no official
 * schema files: the schema oracle ({@code oracle.SchemaOracleTest}) checks the same rules
 * exhaustively; this class documents them. Error codes follow OCPP-J §4.3 as mapped in
 * {@link Violation}.
 */
@DisplayName("OCPP message rules and codec: documented spec behaviour")
class MessageRulesSpecTest {
    private static final OcppCodec V201 = OcppCodec.of(OcppVersion.OCPP_2_0_1);
    private static final OcppCodec V21 = OcppCodec.of(OcppVersion.OCPP_2_1);
    private static final String CSR = "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n";

    private static JsonNode json(String text) {
        return OcppJson.standard().mapper().readTree(text);
    }

    private static Optional<Violation> request(OcppCodec codec, Action action, String payload) {
        return codec.validate(action, Kind.REQUEST, json(payload));
    }

    private static void assertViolation(Optional<Violation> v, RpcErrorCode code, String pointer) {
        assertThat(v).as("violation").isPresent();
        assertThat(v.get().code()).as("code of %s", v.get()).isEqualTo(code);
        assertThat(v.get().pointer()).as("pointer of %s", v.get()).isEqualTo(pointer);
    }

    @Nested
    @DisplayName("versions")
    class Versions {
        @Test
        void signCertificate201RefusesRequestIdWhichIsNewIn21() {
            String payload = "{\"csr\":\"x\",\"requestId\":7}";
            assertViolation(request(V201, Action.SignCertificate, payload), RpcErrorCode.OccurrenceConstraintViolation, "/requestId");
            assertThat(request(V21, Action.SignCertificate, payload)).isEmpty();
        }

        @Test
        void v2g20CertificateIsNewIn21() {
            String payload = "{\"csr\":\"x\",\"certificateType\":\"V2G20Certificate\"}";
            assertViolation(request(V201, Action.SignCertificate, payload), RpcErrorCode.PropertyConstraintViolation, "/certificateType");
            assertThat(request(V21, Action.SignCertificate, payload)).isEmpty();
        }

        @Test
        void negativeEvseIdIsAcceptedIn201ButBelowMinimumIn21() {
            String payload = "{\"requestedMessage\":\"BootNotification\",\"evse\":{\"id\":-1}}";
            assertThat(request(V201, Action.TriggerMessage, payload)).isEmpty();
            assertViolation(request(V21, Action.TriggerMessage, payload), RpcErrorCode.PropertyConstraintViolation, "/evse/id");
        }

        @Test
        void getCertificateChainStatusIsNotAnActionOf201() {
            assertViolation(request(V201, Action.GetCertificateChainStatus, "{}"), RpcErrorCode.NotImplemented, "");
        }

        @Test
        void idTokenTypeIsAnEnumerationIn201AndAFreeStringIn21() {
            String payload = "{\"idToken\":{\"idToken\":\"04A2B3C4\",\"type\":\"DirectPayment\"}}";
            assertViolation(request(V201, Action.Authorize, payload), RpcErrorCode.PropertyConstraintViolation, "/idToken/type");
            assertThat(request(V21, Action.Authorize, payload)).isEmpty();
        }
    }

    @Nested
    @DisplayName("OccurrenceConstraintViolation")
    class Occurrence {
        @Test
        void missingCsrIsOccurrenceConstraintViolation() {
            assertViolation(request(V201, Action.SignCertificate, "{\"certificateType\":\"V2GCertificate\"}"),
                    RpcErrorCode.OccurrenceConstraintViolation, "/csr");
        }

        @Test
        void unknownFieldIsOccurrenceConstraintViolation() {
            assertViolation(request(V21, Action.SignCertificate, "{\"csr\":\"x\",\"Csr\":\"y\"}"),
                    RpcErrorCode.OccurrenceConstraintViolation, "/Csr");
        }

        @Test
        void customDataIsOpenButMustNameItsVendor() {
            assertThat(request(V201, Action.SignCertificate,
                    "{\"csr\":\"x\",\"customData\":{\"vendorId\":\"io.ocppsec\",\"anything\":[1,{\"goes\":null}]}}")).isEmpty();
            assertViolation(request(V201, Action.SignCertificate, "{\"csr\":\"x\",\"customData\":{\"anything\":1}}"),
                    RpcErrorCode.OccurrenceConstraintViolation, "/customData/vendorId");
        }

        @Test
        void emptyArrayIsOccurrenceConstraintViolation() {
            assertViolation(request(V201, Action.GetInstalledCertificateIds, "{\"certificateType\":[]}"),
                    RpcErrorCode.OccurrenceConstraintViolation, "/certificateType");
        }

        @Test
        void fifthOcspRequestDataIsOneTooMany() {
            String hash = "{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"a\",\"issuerKeyHash\":\"b\",\"serialNumber\":\"c\",\"responderURL\":\"http://ocsp\"}";
            String four = String.join(",", hash, hash, hash, hash);
            String base = "{\"idToken\":{\"idToken\":\"EMP\",\"type\":\"eMAID\"},\"iso15118CertificateHashData\":[";
            assertThat(request(V201, Action.Authorize, base + four + "]}")).isEmpty();
            assertViolation(request(V201, Action.Authorize, base + four + "," + hash + "]}"),
                    RpcErrorCode.OccurrenceConstraintViolation, "/iso15118CertificateHashData");
        }
    }

    @Nested
    @DisplayName("PropertyConstraintViolation")
    class Property {
        @Test
        void csrLongerThan5500IsPropertyConstraintViolation() {
            assertThat(request(V201, Action.SignCertificate, "{\"csr\":\"" + "a".repeat(5500) + "\"}")).isEmpty();
            assertViolation(request(V201, Action.SignCertificate, "{\"csr\":\"" + "a".repeat(5501) + "\"}"),
                    RpcErrorCode.PropertyConstraintViolation, "/csr");
        }

        @Test
        void maxLengthCountsCodePointsNotUtf16Units() {
            String astral = new String(Character.toChars(0x1F512)); // two UTF-16 units, one code point
            assertThat(request(V201, Action.SignCertificate, "{\"csr\":\"" + astral.repeat(5500) + "\"}")).isEmpty();
            assertViolation(request(V201, Action.SignCertificate, "{\"csr\":\"" + astral.repeat(5501) + "\"}"),
                    RpcErrorCode.PropertyConstraintViolation, "/csr");
        }

        @Test
        void enumerationValuesAreCaseSensitive() {
            assertViolation(request(V21, Action.SignCertificate, "{\"csr\":\"x\",\"certificateType\":\"v2gCertificate\"}"),
                    RpcErrorCode.PropertyConstraintViolation, "/certificateType");
        }

        @Test
        void violationPointsIntoArrayItems() {
            String ok = "{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"a\",\"issuerKeyHash\":\"b\",\"serialNumber\":\"c\",\"responderURL\":\"u\"}";
            String bad = ok.replace("\"c\"", "\"" + "f".repeat(41) + "\"");
            assertViolation(request(V21, Action.Authorize,
                            "{\"idToken\":{\"idToken\":\"EMP\",\"type\":\"eMAID\"},\"iso15118CertificateHashData\":[" + ok + "," + bad + "]}"),
                    RpcErrorCode.PropertyConstraintViolation, "/iso15118CertificateHashData/1/serialNumber");
        }
    }

    @Nested
    @DisplayName("TypeConstraintViolation and FormatViolation")
    class Types {
        @Test
        void nullFieldIsTypeConstraintViolation() {
            // OCPP-J §4.1.5: optional fields are omitted, never sent as null.
            assertViolation(request(V201, Action.SignCertificate, "{\"csr\":\"x\",\"certificateType\":null}"),
                    RpcErrorCode.TypeConstraintViolation, "/certificateType");
        }

        @Test
        void stringWhereAnObjectIsExpectedIsTypeConstraintViolation() {
            assertViolation(request(V21, Action.SignCertificate, "{\"csr\":\"x\",\"hashRootCertificate\":\"SHA256:abc\"}"),
                    RpcErrorCode.TypeConstraintViolation, "/hashRootCertificate");
        }

        @Test
        void integerAbove32BitsIsTypeConstraintViolation() {
            // OCPP Part 2 §2.1.4: integer is 32-bit. The official schema has no bound: an intended difference.
            assertThat(request(V21, Action.SignCertificate, "{\"csr\":\"x\",\"requestId\":2147483647}")).isEmpty();
            assertViolation(request(V21, Action.SignCertificate, "{\"csr\":\"x\",\"requestId\":2147483648}"),
                    RpcErrorCode.TypeConstraintViolation, "/requestId");
            assertViolation(request(V21, Action.SignCertificate, "{\"csr\":\"x\",\"requestId\":-2147483649}"),
                    RpcErrorCode.TypeConstraintViolation, "/requestId");
            assertViolation(request(V21, Action.SignCertificate, "{\"csr\":\"x\",\"requestId\":1e300}"),
                    RpcErrorCode.TypeConstraintViolation, "/requestId");
        }

        @Test
        void integerWithFractionIsTypeConstraintViolation() {
            assertViolation(request(V21, Action.SignCertificate, "{\"csr\":\"x\",\"requestId\":1.5}"),
                    RpcErrorCode.TypeConstraintViolation, "/requestId");
        }

        @Test
        void integerWithZeroFractionIsAnInteger() {
            // JSON Schema (draft 6 and later) counts 7.0 as an integer, so the codec must too.
            Decoded<SignCertificateRequest> d = V21.decodeRequest(SignCertificateRequest.class, json("{\"csr\":\"x\",\"requestId\":7.0}"));
            assertThat(d).isInstanceOfSatisfying(Decoded.Valid.class,
                    v -> assertThat(((SignCertificateRequest) v.message()).requestId()).isEqualTo(7));
        }

        @Test
        void malformedDateTimeIsTypeConstraintViolation() {
            for (String bad : new String[] {"2024-05-01T10:15:30", "2024-13-01T00:00:00Z", "2024-05-01", "2024-05-01 10:15:30Z"}) {
                assertViolation(request(V201, Action.SecurityEventNotification,
                                "{\"type\":\"FirmwareUpdated\",\"timestamp\":\"" + bad + "\"}"),
                        RpcErrorCode.TypeConstraintViolation, "/timestamp");
            }
        }

        @Test
        void payloadThatIsNotAnObjectIsFormatViolation() {
            assertViolation(request(V201, Action.SignCertificate, "[{\"csr\":\"x\"}]"), RpcErrorCode.FormatViolation, "");
            assertViolation(request(V201, Action.SignCertificate, "\"csr\""), RpcErrorCode.FormatViolation, "");
        }

        @Test
        void nullPayloadIsReadAsAnEmptyPayload() {
            // OCPP-J §4.1.5: a null payload is tolerated where an empty object is meant.
            JsonNode nul = json("null");
            assertThat(V201.decodeResponse(Action.FirmwareStatusNotification, nul)).isInstanceOf(Decoded.Valid.class);
            assertThat(V201.decodeRequest(Action.SignCertificate, nul)).isInstanceOfSatisfying(Decoded.Invalid.class,
                    i -> assertThat(i.violation().pointer()).isEqualTo("/csr"));
        }
    }

    @Nested
    @DisplayName("writer")
    class Writer {
        @Test
        void writerRefuses21FieldIn201() {
            SignCertificateRequest withRequestId = new SignCertificateRequest(CSR, CertificateSigningUse.ChargingStationCertificate, null, 42);
            assertThatThrownBy(() -> V201.encode(withRequestId))
                    .isInstanceOfSatisfying(InvalidMessageException.class, e -> {
                        assertThat(e.violation().code()).isEqualTo(RpcErrorCode.OccurrenceConstraintViolation);
                        assertThat(e.violation().pointer()).isEqualTo("/requestId");
                    });
            assertThat(V21.encode(withRequestId).get("requestId").intValue()).isEqualTo(42);
        }

        @Test
        void writerRefusesAStringOverItsLimit() {
            InstallCertificateRequest big = new InstallCertificateRequest(InstallCertificateUse.CSMSRootCertificate, "a".repeat(5501));
            assertThatThrownBy(() -> V201.encode(big))
                    .isInstanceOfSatisfying(InvalidMessageException.class,
                            e -> assertThat(e.violation().pointer()).isEqualTo("/certificate"));
            assertThat(V21.encode(big).get("certificate").stringValue()).hasSize(5501); // 10000 in 2.1
        }

        @Test
        void writerOmitsNullFields() {
            ObjectNode written = V201.encode(new SignCertificateRequest(CSR, null, null, null));
            assertThat(written.propertyNames()).containsExactly("csr");
        }

        @Test
        void dateTimeWrittenWithMillisecondsAndZ() {
            OffsetDateTime nanos = OffsetDateTime.of(2024, 5, 1, 10, 15, 30, 123_456_789, ZoneOffset.UTC);
            assertThat(V201.encode(new SecurityEventNotificationRequest("FirmwareUpdated", nanos, null))
                    .get("timestamp").stringValue()).isEqualTo("2024-05-01T10:15:30.123Z");
            assertThat(V201.encode(new SecurityEventNotificationRequest("FirmwareUpdated", nanos.withNano(0), null))
                    .get("timestamp").stringValue()).isEqualTo("2024-05-01T10:15:30Z");
            assertThat(V201.encode(new SecurityEventNotificationRequest("FirmwareUpdated",
                            nanos.withOffsetSameLocal(ZoneOffset.ofHoursMinutes(5, 30)), null))
                    .get("timestamp").stringValue()).isEqualTo("2024-05-01T10:15:30.123+05:30");
        }

        @Test
        void readerAcceptsAllOfRfc3339AndWriterNarrowsIt() {
            Decoded<BootNotificationResponse> d = V21.decodeResponse(BootNotificationResponse.class,
                    json("{\"currentTime\":\"2024-05-01t10:15:30.123456789z\",\"interval\":300,\"status\":\"Accepted\"}"));
            assertThat(d).isInstanceOf(Decoded.Valid.class);
            BootNotificationResponse r = ((Decoded.Valid<BootNotificationResponse>) d).message();
            assertThat(r.status()).isEqualTo(RegistrationStatus.Accepted);
            assertThat(V21.encode(r).get("currentTime").stringValue()).isEqualTo("2024-05-01T10:15:30.123Z");
        }

        /**
         * A01.FR.02: the BasicAuthPassword change must be writable. Regression: a helper method on
         * SetVariableData once named like a bean getter ({@code isSecret()}) leaked into the JSON
         * as a {@code "secret"} field the schema does not have, and encode refused every request.
         */
        @Test
        void A01_FR_02_setVariablesRequestForTheBasicAuthPasswordIsWritable() {
            SetVariablesRequest request = SetVariablesRequest.basicAuthPassword("0123456789abcdef");
            ObjectNode written = V201.encode(request);
            assertThat(written.get("setVariableData").get(0).propertyNames())
                    .containsExactlyInAnyOrder("attributeValue", "component", "variable");
        }
    }
}
