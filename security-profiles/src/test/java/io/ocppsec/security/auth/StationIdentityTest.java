package io.ocppsec.security.auth;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StationIdentityTest {

    private static IdentityCheck.Invalid invalid(IdentityCheck check) {
        assertThat(check).isInstanceOf(IdentityCheck.Invalid.class);
        return (IdentityCheck.Invalid) check;
    }

    private static StationIdentity valid(IdentityCheck check) {
        assertThat(check).isInstanceOf(IdentityCheck.Valid.class);
        return ((IdentityCheck.Valid) check).identity();
    }

    // OCPP-J §3.1.1: identity is an identifierString: a-z A-Z 0-9 * - _ = + | @ . (colon excluded).
    @Test
    void OCPPJ_3_1_1_identifierStringCharactersAreAccepted() {
        String all = "azAZ09*-_=+|@.";
        assertThat(valid(StationIdentity.parse(all)).value()).isEqualTo(all);
        assertThat(StationIdentity.parse("CS001").isValid()).isTrue();
        assertThat(StationIdentity.parse("RDAM|123").isValid()).isTrue();
    }

    // A00.FR.204 / OCPP-J §3.1.1: the colon SHALL NOT be used (it separates Basic user-id and password).
    @Test
    void A00_FR_204_identityMustNotContainAColon() {
        IdentityCheck.Invalid r = invalid(StationIdentity.parse("CS:001"));
        assertThat(r.reason()).isEqualTo(IdentityCheck.Reason.FORBIDDEN_CHARACTER);
        assertThat(r.position()).isEqualTo(2);
        assertThat(r.detail()).doesNotContain("CS:001");
    }

    // OCPP-J §3.1.1: characters outside identifierString are refused, with their position.
    @Test
    void OCPPJ_3_1_1_charactersOutsideIdentifierStringAreRefused() {
        for (String bad : new String[] {"a b", "a/b", "a%b", "a#b", "a?b", "a\u00e9b", "a\u0000b", "a\nb", "a,b", "a~b"}) {
            IdentityCheck.Invalid r = invalid(StationIdentity.parse(bad));
            assertThat(r.reason()).as(bad).isEqualTo(IdentityCheck.Reason.FORBIDDEN_CHARACTER);
            assertThat(r.position()).as(bad).isEqualTo(1);
        }
    }

    // OCPP-J §3.1.1: maximum length of the identity is 48 characters.
    @Test
    void OCPPJ_3_1_1_identityIsOneTo48Characters() {
        assertThat(StationIdentity.parse("x".repeat(48)).isValid()).isTrue();
        assertThat(invalid(StationIdentity.parse("x".repeat(49))).reason()).isEqualTo(IdentityCheck.Reason.TOO_LONG);
        assertThat(invalid(StationIdentity.parse("x".repeat(1_000_000))).reason()).isEqualTo(IdentityCheck.Reason.TOO_LONG);
        assertThat(invalid(StationIdentity.parse("")).reason()).isEqualTo(IdentityCheck.Reason.EMPTY);
        assertThat(invalid(StationIdentity.parse(null)).reason()).isEqualTo(IdentityCheck.Reason.MISSING);
    }

    // Part 2 §2.1.4: identifierString is case-insensitive.
    @Test
    void OCPPJ_3_1_1_identifierStringIsCaseInsensitiveForLookups() {
        StationIdentity a = valid(StationIdentity.parse("Station-AB"));
        StationIdentity b = valid(StationIdentity.parse("STATION-ab"));
        assertThat(a.sameAs(b)).isTrue();
        assertThat(a.canonicalKey()).isEqualTo("station-ab").isEqualTo(b.canonicalKey());
        assertThat(a).isNotEqualTo(b); // the record keeps the station's spelling
        assertThat(a.sameAs(null)).isFalse();
    }

    // OCPP-J §3.1.1 example 2: "RDAM|123" is sent as RDAM%7C123 (RFC 3986 percent-encoding).
    @Test
    void OCPPJ_3_1_1_urlSegmentIsPercentDecoded() {
        assertThat(valid(StationIdentity.fromUrlPathSegment("RDAM%7C123")).value()).isEqualTo("RDAM|123");
        assertThat(valid(StationIdentity.fromUrlPathSegment("RDAM%7c123")).value()).isEqualTo("RDAM|123");
        assertThat(valid(StationIdentity.fromUrlPathSegment("CS001")).value()).isEqualTo("CS001");
        assertThat(valid(StationIdentity.fromUrlPathSegment("%43S001")).value()).isEqualTo("CS001");
        assertThat(valid(StationIdentity.parse("RDAM|123")).toString()).isEqualTo("RDAM|123");
        assertThat(valid(StationIdentity.parse("RDAM|123")).toUrlPathSegment()).isEqualTo("RDAM%7C123");
    }

    // RFC 3986 §2.1: a "%" must be followed by two hex digits; anything else is refused.
    @Test
    void OCPPJ_3_1_1_badPercentEncodingIsRefused() {
        for (String bad : new String[] {"CS%", "CS%7", "CS%G1", "CS%1G", "%%41", "CS%-1"}) {
            IdentityCheck.Invalid r = invalid(StationIdentity.fromUrlPathSegment(bad));
            assertThat(r.reason()).as(bad).isEqualTo(IdentityCheck.Reason.BAD_PERCENT_ENCODING);
        }
        assertThat(invalid(StationIdentity.fromUrlPathSegment("CS%G1")).position()).isEqualTo(2);
    }

    // A00.FR.204: a colon or slash smuggled in percent-encoded is still refused after decoding.
    @Test
    void A00_FR_204_encodedColonAndSlashAreRefused() {
        assertThat(invalid(StationIdentity.fromUrlPathSegment("CS%3A1")).reason())
                .isEqualTo(IdentityCheck.Reason.FORBIDDEN_CHARACTER);
        IdentityCheck.Invalid slash = invalid(StationIdentity.fromUrlPathSegment("..%2Fadmin"));
        assertThat(slash.reason()).isEqualTo(IdentityCheck.Reason.FORBIDDEN_CHARACTER);
        assertThat(slash.position()).isEqualTo(2);
        assertThat(invalid(StationIdentity.fromUrlPathSegment("a/b")).reason())
                .isEqualTo(IdentityCheck.Reason.FORBIDDEN_CHARACTER);
    }

    // Decoded bytes must be valid UTF-8; valid non-ASCII UTF-8 is still outside identifierString.
    @Test
    void OCPPJ_3_1_1_decodedBytesMustBeUtf8() {
        for (String bad : new String[] {"CS%FF", "CS%C3", "CS%C0%AF", "CS%ED%A0%80", "%80"}) {
            assertThat(invalid(StationIdentity.fromUrlPathSegment(bad)).reason()).as(bad)
                    .isEqualTo(IdentityCheck.Reason.NOT_UTF8);
        }
        assertThat(invalid(StationIdentity.fromUrlPathSegment("CS%C3%A9")).reason())
                .isEqualTo(IdentityCheck.Reason.FORBIDDEN_CHARACTER);
        assertThat(invalid(StationIdentity.fromUrlPathSegment("CS\u00e9")).reason())
                .isEqualTo(IdentityCheck.Reason.FORBIDDEN_CHARACTER);
    }

    // Bounded before decoding: a raw segment over 48*3 is refused without decoding; 48 encoded chars pass.
    @Test
    void OCPPJ_3_1_1_rawSegmentIsBoundedBeforeDecoding() {
        assertThat(valid(StationIdentity.fromUrlPathSegment("%41".repeat(48))).value()).isEqualTo("A".repeat(48));
        assertThat(invalid(StationIdentity.fromUrlPathSegment("%41".repeat(49))).reason())
                .isEqualTo(IdentityCheck.Reason.TOO_LONG);
        assertThat(invalid(StationIdentity.fromUrlPathSegment("%".repeat(10_000_000))).reason())
                .isEqualTo(IdentityCheck.Reason.TOO_LONG);
        assertThat(invalid(StationIdentity.fromUrlPathSegment(null)).reason()).isEqualTo(IdentityCheck.Reason.MISSING);
        assertThat(invalid(StationIdentity.fromUrlPathSegment("")).reason()).isEqualTo(IdentityCheck.Reason.EMPTY);
    }

    @Test
    void A00_FR_204_constructorRefusesInvalidIdentities() {
        assertThatThrownBy(() -> new StationIdentity("a:b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StationIdentity(null)).isInstanceOf(IllegalArgumentException.class);
    }

    // Total: random input never throws; every result is Valid or Invalid with a reason.
    @Test
    void OCPPJ_3_1_1_parsingIsTotalOnRandomInput() {
        java.util.Random r = new java.util.Random(7);
        String alphabet = "aZ09*-_=:+|@.%/ \u00e9\u0000fF";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            int n = r.nextInt(60);
            for (int j = 0; j < n; j++) {
                sb.append(r.nextInt(10) == 0 ? (char) r.nextInt(0x10000) : alphabet.charAt(r.nextInt(alphabet.length())));
            }
            IdentityCheck a = StationIdentity.fromUrlPathSegment(sb.toString());
            IdentityCheck b = StationIdentity.parse(sb.toString());
            assertThat(a).isNotNull();
            assertThat(b).isNotNull();
            if (b instanceof IdentityCheck.Valid v) {
                assertThat(v.identity().value()).hasSizeBetween(1, 48).doesNotContain(":");
            }
        }
    }
}
