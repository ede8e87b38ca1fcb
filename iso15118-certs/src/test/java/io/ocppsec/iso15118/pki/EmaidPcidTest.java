package io.ocppsec.iso15118.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class EmaidPcidTest {

    @ParameterizedTest
    @ValueSource(strings = {"DE-ABC-C123ABC56", "DEABCC123ABC56", "UKSWI123456791A", "UK-SWI-123456791-A", "de8aac12345678x"})
    void validEmaidsWithAndWithoutSeparators(String s) {
        assertThat(Emaid.isValid(s)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "DE-ABC", "1EABCC123ABC56", "DE-ABCC123ABC56", "DEABC-C123ABC56", "DE_ABC_C123ABC56",
            "DEABCC123ABC5678", "DE-ABC-C123ABC56-XX", "DE ABC C123ABC56", "DEABCC123ABÇ56"})
    void invalidEmaids(String s) {
        assertThat(Emaid.isValid(s)).isFalse();
        assertThat(Emaid.normalize(s)).isEmpty();
    }

    @Test
    void longInputIsRejectedBeforeMatching() {
        assertThat(Emaid.isValid("D".repeat(1_000_000))).isFalse();
        assertThat(Emaid.isValid(null)).isFalse();
    }

    @Test
    void normalFormDropsSeparatorsAndCase() {
        assertThat(Emaid.normalize("de-abc-c123abc56")).contains("DEABCC123ABC56");
        assertThat(Emaid.same("DE-ABC-C123ABC56", "deabcc123abc56")).isTrue();
        assertThat(Emaid.same("DE-ABC-C123ABC56", "DEABCC123ABC57")).isFalse();
        assertThat(Emaid.same("DE-ABC-C123ABC56", null)).isFalse();
    }

    @Test
    void pcidIs17Or18Alphanumerics() {
        assertThat(Pcid.isValid("hubjectopenpnc0001")).isTrue();       // the Hubject OEM prov CN
        assertThat(Pcid.isValid("WMI0123456789ABCD")).isTrue();        // 17
        assertThat(Pcid.isValid("WMI0123456789ABC")).isFalse();        // 16
        assertThat(Pcid.isValid("WMI0123456789ABCDEF")).isFalse();     // 19
        assertThat(Pcid.isValid("WMI-0123456789ABCD")).isFalse();
        assertThat(Pcid.isValid(null)).isFalse();
        assertThat(Pcid.isValidForIso15118_20("ABCDEF1234567890XY")).isTrue();
        assertThat(Pcid.isValidForIso15118_20("hubjectopenpnc0001")).isFalse();
        assertThat(Pcid.isValidForIso15118_20("WMI0123456789ABCD")).isFalse();
    }
}
