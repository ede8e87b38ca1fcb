package io.ocppsec.ocpp.message.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.OcppCodec.Kind;
import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.schema.Violation;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * RFC 3339 edge cases of {@code format: date-time}, where a hand-written parser and the official
 * schema (as networknt asserts it) are most likely to part ways. The example generator keeps to
 * mainstream date-times (so that round trips compare cleanly); this list covers the corners: case
 * of {@code T}/{@code Z}, fraction length, offset range, leap seconds, calendar validity, stray
 * characters. For each, our verdict on {@code SecurityEventNotificationRequest.timestamp} must be
 * the official one, and a refusal must be {@code TypeConstraintViolation} at {@code /timestamp}.
 *
 * <p>The cases around offsets beyond ±18:00, very long fractions and non-leap-second days were
 * disagreements this test found in {@code OcppDateTime}; they are fixed and kept as regressions.
 */
@DisplayName("date-time: our RFC 3339 reading agrees with the official schema's")
class DateTimeAgreementTest {
    private static final String T0 = "2024-01-01T00:00:00";

    static Stream<Arguments> edgeCases() {
        return Stream.of(
                Arguments.of("UTC with Z", T0 + "Z"),
                Arguments.of("lowercase t and z (RFC 3339 §5.6 note)", "2024-01-01t00:00:00z"),
                Arguments.of("nine fraction digits", T0 + ".123456789+05:30"),
                Arguments.of("ten fraction digits", T0 + ".1234567891Z"),
                Arguments.of("43 fraction digits (64 characters)", T0 + "." + "1".repeat(43) + "Z"),
                Arguments.of("44 fraction digits (65 characters): RFC 3339 sets no limit",
                        T0 + "." + "1".repeat(44) + "Z"),
                Arguments.of("39 fraction digits and an offset (65 characters)",
                        T0 + "." + "1".repeat(39) + "+01:00"),
                Arguments.of("offset -00:00 (unknown local offset)", T0 + "-00:00"),
                Arguments.of("offset +18:00", T0 + "+18:00"),
                Arguments.of("offset +18:01: RFC 3339 allows hours 00-23 (beyond java.time's 18:00)",
                        T0 + "+18:01"),
                Arguments.of("offset -23:59: RFC 3339 allows hours 00-23", T0 + "-23:59"),
                Arguments.of("offset +24:00", T0 + "+24:00"),
                Arguments.of("offset minute 60", T0 + "+05:60"),
                Arguments.of("offset with one-digit hour", T0 + "+5:00"),
                Arguments.of("offset with seconds", T0 + "+00:00:00"),
                Arguments.of("year 0000", "0000-01-01T00:00:00Z"),
                Arguments.of("year 9999, last millisecond", "9999-12-31T23:59:59.999Z"),
                Arguments.of("leap second 2016-12-31", "2016-12-31T23:59:60Z"),
                Arguments.of("leap second 1972-06-30 (the first)", "1972-06-30T23:59:60Z"),
                Arguments.of("leap second with a fraction", "2016-12-31T23:59:60.5Z"),
                Arguments.of("leap second 1990-12-31 written in UTC-8 (RFC 3339 §5.8)", "1990-12-31T15:59:60-08:00"),
                Arguments.of("second 60 at the end of 2023-12-31, a day without a leap second",
                        "2023-12-31T23:59:60Z"),
                Arguments.of("second 60 at the end of 1970-12-31, before leap seconds existed",
                        "1970-12-31T23:59:60Z"),
                Arguments.of("second 60 at the end of 2024-01-01, not a month end",
                        "2024-01-01T23:59:60.5Z"),
                Arguments.of("second 60 not at 23:59 UTC", "2024-01-01T12:59:60Z"),
                Arguments.of("second 60 at 23:59 local but not UTC", "2024-01-01T23:59:60+01:00"),
                Arguments.of("29 February of a leap year", "2024-02-29T00:00:00Z"),
                Arguments.of("29 February 2000 (divisible by 400)", "2000-02-29T00:00:00Z"),
                Arguments.of("29 February 1900 (not a leap year)", "1900-02-29T00:00:00Z"),
                Arguments.of("29 February 2023", "2023-02-29T00:00:00Z"),
                Arguments.of("comma as decimal sign", T0 + ",123Z"),
                Arguments.of("empty fraction", T0 + ".Z"),
                Arguments.of("minutes only", "2024-01-01T00:00Z"),
                Arguments.of("one-digit month", "2024-1-01T00:00:00Z"),
                Arguments.of("full-width digit", "\uFF12024-01-01T00:00:00Z"),
                Arguments.of("Arabic-Indic digit in the fraction", T0 + ".\u0661Z"),
                Arguments.of("trailing space", T0 + "Z "),
                Arguments.of("leading space", " " + T0 + "Z"),
                Arguments.of("NUL before Z", T0 + "\u0000Z"),
                Arguments.of("space instead of T", "2024-01-01 00:00:00Z"),
                Arguments.of("no offset", T0),
                Arguments.of("date only", "2024-01-01"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("edgeCases")
    void ourVerdictIsTheOfficialVerdict(String description, String dateTime) {
        for (OcppVersion version : new OcppVersion[] {OcppVersion.OCPP_2_0_1, OcppVersion.OCPP_2_1}) {
            OfficialSchemas official = OfficialSchemas.of(version);
            ObjectNode payload = JsonNodeFactory.instance.objectNode()
                    .put("type", "SettingSystemTime")
                    .put("timestamp", dateTime);
            boolean officiallyValid = official.accepts(Action.SecurityEventNotification, Kind.REQUEST, payload);
            Optional<Violation> ours = OcppCodec.of(version).validate(Action.SecurityEventNotification, Kind.REQUEST, payload);
            assertThat(ours.isEmpty())
                    .as("%s: official schema %s '%s', ours %s", version, officiallyValid ? "accepts" : "refuses", dateTime,
                            ours.map(Violation::toString).orElse("accepts it"))
                    .isEqualTo(officiallyValid);
            ours.ifPresent(v -> {
                assertThat(v.code()).isEqualTo(RpcErrorCode.TypeConstraintViolation);
                assertThat(v.pointer()).isEqualTo("/timestamp");
            });
        }
    }
}
