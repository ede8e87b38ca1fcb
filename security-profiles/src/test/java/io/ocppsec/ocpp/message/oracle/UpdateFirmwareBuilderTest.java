package io.ocppsec.ocpp.message.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.InvalidMessageException;
import io.ocppsec.ocpp.message.OcppCodec.Kind;
import io.ocppsec.ocpp.message.UpdateFirmwareBuilder;
import io.ocppsec.ocpp.message.UpdateFirmwareRequest;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * The UpdateFirmware builder for CSMS backends (issue 7, L01): every field, checked by the official
 * schema of each version (the oracle), and refused where the official schema or L01.FR.11 refuses.
 */
class UpdateFirmwareBuilderTest {
    static final String PEM = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    static final String SIG = "MEUCIQD" + "A".repeat(90);

    static UpdateFirmwareBuilder full(OcppVersion v) {
        return UpdateFirmwareBuilder.forVersion(v, Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC))
                .requestId(7).retries(3).retryInterval(120).location("https://fw.example.com/cs-1.2.3.bin")
                .retrieveDateTime(OffsetDateTime.parse("2026-12-01T02:00:00Z"))
                .installDateTime(OffsetDateTime.parse("2026-12-01T03:00:00+01:00"))
                .signingCertificate(PEM).signature(SIG);
    }

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void everyFieldIsAcceptedByTheOfficialSchema_L01_FR_11(OcppVersion v) {
        OfficialSchemas schemas = OfficialSchemas.of(v);
        ObjectNode json = full(v).buildJson();
        assertThat(schemas.errors(Action.UpdateFirmware, Kind.REQUEST, json)).isEmpty();
        assertThat(json.get("firmware").get("signingCertificate").asString()).isEqualTo(PEM);
        assertThat(json.get("firmware").get("signature").asString()).isEqualTo(SIG);
        assertThat(json.get("retries").asInt()).isEqualTo(3);
        // the smallest secure request: retrieveDateTime defaults to the clock
        ObjectNode minimal = UpdateFirmwareBuilder.forVersion(v, Clock.fixed(Instant.parse("2026-11-22T10:00:00.123Z"), ZoneOffset.UTC))
                .requestId(1).location("https://fw.example.com/x.bin").signingCertificate(PEM).signature(SIG).buildJson();
        assertThat(schemas.errors(Action.UpdateFirmware, Kind.REQUEST, minimal)).isEmpty();
        assertThat(minimal.get("firmware").get("retrieveDateTime").asString()).startsWith("2026-11-22T10:00:00");
        assertThat(minimal.has("retries")).isFalse();
    }

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void whatTheOfficialSchemaRefusesTheBuilderRefuses(OcppVersion v) {
        OfficialSchemas schemas = OfficialSchemas.of(v);
        // a location of 513 characters: over 2.0.1's 512, within 2.1's 2000
        String long513 = "https://fw.example.com/" + "a".repeat(513 - 23);
        UpdateFirmwareBuilder b = full(v).location(long513);
        UpdateFirmwareRequest r = v == OcppVersion.OCPP_2_1 ? b.build() : null;
        if (v == OcppVersion.OCPP_2_0_1) {
            assertThatThrownBy(b::build).isInstanceOf(InvalidMessageException.class).hasMessageContaining("location");
        } else {
            assertThat(r.firmware().location()).hasSize(513);
            assertThat(schemas.errors(Action.UpdateFirmware, Kind.REQUEST, b.buildJson())).isEmpty();
        }
        // 2.1 requires retries >= 0; 2.0.1 allows any integer
        UpdateFirmwareBuilder negative = full(v).retries(-1);
        if (v == OcppVersion.OCPP_2_1) {
            assertThatThrownBy(negative::build).isInstanceOf(InvalidMessageException.class).hasMessageContaining("retries");
        } else {
            assertThat(schemas.errors(Action.UpdateFirmware, Kind.REQUEST, negative.buildJson())).isEmpty();
        }
        // signature over 800 characters, certificate over 5500
        assertThatThrownBy(() -> full(v).signature("A".repeat(801)).build()).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> full(v).signingCertificate("A".repeat(5501)).build()).isInstanceOf(InvalidMessageException.class);
    }

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void anUnsignedOrIncompleteUpdateIsNotBuilt(OcppVersion v) {
        assertThatThrownBy(() -> full(v).signature(null).build()).isInstanceOf(IllegalStateException.class).hasMessageContaining("L01.FR.11");
        assertThatThrownBy(() -> full(v).signingCertificate(" ").build()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> UpdateFirmwareBuilder.forVersion(v).location("https://x/y").signingCertificate(PEM).signature(SIG).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("requestId");
        assertThatThrownBy(() -> full(v).installDateTime(OffsetDateTime.parse("2026-11-30T00:00:00Z")).build())
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("installDateTime");
    }
}
