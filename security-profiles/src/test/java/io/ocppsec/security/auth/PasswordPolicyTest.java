package io.ocppsec.security.auth;

import io.ocppsec.security.SpecEdition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordPolicyTest {

    private static PasswordCheck.Reason reason(PasswordCheck c) {
        assertThat(c).isInstanceOf(PasswordCheck.Unacceptable.class);
        return ((PasswordCheck.Unacceptable) c).reason();
    }

    // A00.FR.205 (2.0.1 Edition 3): minimum 16 and maximum 40 characters.
    @Test
    void A00_FR_205_ocpp201PasswordIs16To40Characters() {
        PasswordPolicy p = PasswordPolicy.ocpp201();
        assertThat(p.check("a".repeat(16)).isAcceptable()).isTrue();
        assertThat(p.check("a".repeat(40)).isAcceptable()).isTrue();
        assertThat(reason(p.check("a".repeat(15)))).isEqualTo(PasswordCheck.Reason.TOO_SHORT);
        assertThat(reason(p.check("a".repeat(41)))).isEqualTo(PasswordCheck.Reason.TOO_LONG);
        assertThat(reason(p.check(""))).isEqualTo(PasswordCheck.Reason.TOO_SHORT);
        assertThat(reason(p.check((CharSequence) null))).isEqualTo(PasswordCheck.Reason.MISSING);
        assertThat(reason(p.check("a".repeat(10_000_000)))).isEqualTo(PasswordCheck.Reason.TOO_LONG);
    }

    // Part 2 §2.1.4 (2.0.1 Edition 3): passwordString = a-z A-Z 0-9 and * - _ = : + | @ .
    @Test
    void A00_FR_205_ocpp201PasswordStringCharsetIsStrict() {
        PasswordPolicy p = PasswordPolicy.ocpp201();
        assertThat(p.check("azAZ09*-_=:+|@.azAZ").isAcceptable()).isTrue();
        for (String bad : new String[] {"0123456789abcde ", "0123456789abcde#", "0123456789abcde\u00e4",
                "0123456789abcde/", "0123456789abcde!", "0123456789abcde~"}) {
            PasswordCheck.Unacceptable u = (PasswordCheck.Unacceptable) p.check(bad);
            assertThat(u.reason()).as(bad).isEqualTo(PasswordCheck.Reason.FORBIDDEN_CHARACTER);
            assertThat(u.position()).isEqualTo(15);
            assertThat(u.toString()).doesNotContain(bad);
        }
        assertThat(p.check("0123456789abcdef".toCharArray()).isAcceptable()).isTrue();
    }

    // A00.FR.205 (errata 2025-09 / 2.1): 16..maxLimit, where maxLimit is 40..64.
    @Test
    void A00_FR_205_errataAnd21MaximumIsTheStationsMaxLimit() {
        assertThat(PasswordPolicy.ocpp21().maxLength()).isEqualTo(64);
        assertThat(PasswordPolicy.ocpp21().check("a".repeat(64)).isAcceptable()).isTrue();
        assertThat(reason(PasswordPolicy.ocpp21().check("a".repeat(65)))).isEqualTo(PasswordCheck.Reason.TOO_LONG);
        PasswordPolicy errata48 = PasswordPolicy.ocpp201Errata(48);
        assertThat(errata48.check("a".repeat(48)).isAcceptable()).isTrue();
        assertThat(reason(errata48.check("a".repeat(49)))).isEqualTo(PasswordCheck.Reason.TOO_LONG);
        assertThat(reason(errata48.check("a".repeat(15)))).isEqualTo(PasswordCheck.Reason.TOO_SHORT);
        assertThatThrownBy(() -> PasswordPolicy.ocpp21(39)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PasswordPolicy.ocpp201Errata(65)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PasswordPolicy.of(SpecEdition.OCPP_201_EDITION_3, 64)).isEqualTo(PasswordPolicy.ocpp201());
        assertThat(PasswordPolicy.of(SpecEdition.OCPP_201_ERRATA_2025_09, 50)).isEqualTo(PasswordPolicy.ocpp201Errata(50));
        assertThat(PasswordPolicy.of(SpecEdition.OCPP_21_EDITION_1, 64)).isEqualTo(PasswordPolicy.ocpp21());
    }

    // Errata 2025-09 §2.1 / 2.1 §2.1.4: passwordString is any UTF-8 string (we exclude control characters).
    @Test
    void A00_FR_205_errataAnd21AllowAnyUtf8ExceptControlCharacters() {
        PasswordPolicy p = PasswordPolicy.ocpp21();
        assertThat(p.check("pässwörd with spaces #!/~").isAcceptable()).isTrue();
        assertThat(p.check("密码密码密码密码密码密码密码密码").isAcceptable()).isTrue();
        assertThat(reason(p.check("0123456789abcdef\u0000"))).isEqualTo(PasswordCheck.Reason.FORBIDDEN_CHARACTER);
        assertThat(reason(p.check("0123456789abcdef\n"))).isEqualTo(PasswordCheck.Reason.FORBIDDEN_CHARACTER);
        assertThat(reason(p.check("0123456789abcdef\u007f"))).isEqualTo(PasswordCheck.Reason.FORBIDDEN_CHARACTER);
        assertThat(reason(p.check("0123456789abcdef\u0085"))).isEqualTo(PasswordCheck.Reason.FORBIDDEN_CHARACTER);
        assertThat(reason(p.check("0123456789abcdef\uD800"))).isEqualTo(PasswordCheck.Reason.NOT_UTF8);
        assertThat(reason(p.check("\uDC000123456789abcdef"))).isEqualTo(PasswordCheck.Reason.NOT_UTF8);
        assertThat(reason(PasswordPolicy.ocpp201Errata(40).check("0123456789abcdef\t"))).isEqualTo(PasswordCheck.Reason.FORBIDDEN_CHARACTER);
    }

    // A00.FR.205: length counts characters (code points), not UTF-16 units or bytes.
    @Test
    void A00_FR_205_lengthCountsCodePoints() {
        PasswordPolicy p = PasswordPolicy.ocpp21();
        String key = "\uD83D\uDD11"; // one code point, two chars, four UTF-8 bytes
        assertThat(p.check(key.repeat(16)).isAcceptable()).isTrue();
        assertThat(p.check(key.repeat(64)).isAcceptable()).isTrue();
        assertThat(reason(p.check(key.repeat(65)))).isEqualTo(PasswordCheck.Reason.TOO_LONG);
        assertThat(reason(p.check(key.repeat(15)))).isEqualTo(PasswordCheck.Reason.TOO_SHORT);
    }
}
