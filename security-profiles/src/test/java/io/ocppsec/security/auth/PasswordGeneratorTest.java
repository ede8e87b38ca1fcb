package io.ocppsec.security.auth;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordGeneratorTest {

    // A01.FR.06/07 with A00.FR.205: generated passwords meet the strictest (2.0.1 Ed.3) policy and every later one.
    @Test
    void A01_FR_06_generatedPasswordsMeetEveryEditionsPolicy() {
        PasswordGenerator g = new PasswordGenerator();
        assertThat(g.length()).isEqualTo(32);
        for (int i = 0; i < 1_000; i++) {
            char[] pw = g.generate();
            assertThat(pw).hasSize(32);
            assertThat(PasswordPolicy.ocpp201().check(pw).isAcceptable()).isTrue();
            assertThat(PasswordPolicy.ocpp201Errata(40).check(pw).isAcceptable()).isTrue();
            assertThat(PasswordPolicy.ocpp21().check(pw).isAcceptable()).isTrue();
        }
    }

    // A01.FR.07: passwords are unique per station.
    @Test
    void A01_FR_07_generatedPasswordsAreUnique() {
        PasswordGenerator g = new PasswordGenerator();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 20_000; i++) {
            assertThat(seen.add(new String(g.generate()))).isTrue();
        }
    }

    // A01.FR.06: random choice: every symbol of the 71-symbol alphabet is used, roughly uniformly.
    // Loose chi-square bound (df = 70, mean 70, sd ~ 11.8): 250 is ~15 sd out, so this cannot flake.
    @Test
    void A01_FR_06_alphabetIsUsedUniformly() {
        char[] alphabet = PasswordGenerator.alphabet();
        assertThat(alphabet).hasSize(71).doesNotHaveDuplicates();
        for (char c : alphabet) {
            assertThat(PasswordPolicy.isStrictPasswordChar(c)).isTrue();
        }
        int[] counts = new int[128];
        PasswordGenerator g = new PasswordGenerator(PasswordPolicy.ocpp201(), 40);
        int samples = 5_000;
        for (int i = 0; i < samples; i++) {
            for (char c : g.generate()) {
                counts[c]++;
            }
        }
        double expected = samples * 40.0 / alphabet.length;
        double chi2 = 0;
        for (char c : alphabet) {
            assertThat(counts[c]).as("symbol %s", c).isPositive();
            double d = counts[c] - expected;
            chi2 += d * d / expected;
        }
        assertThat(chi2).isLessThan(250.0);
    }

    // A00.FR.205: the length is configurable only within the station's policy.
    @Test
    void A00_FR_205_lengthIsBoundedByThePolicy() {
        assertThat(new PasswordGenerator(PasswordPolicy.ocpp21(), 64).generate()).hasSize(64);
        assertThat(new PasswordGenerator(PasswordPolicy.ocpp201(), 16).generate()).hasSize(16);
        assertThatThrownBy(() -> new PasswordGenerator(PasswordPolicy.ocpp201(), 41)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordGenerator(PasswordPolicy.ocpp201(), 15)).isInstanceOf(IllegalArgumentException.class);
        assertThat(new PasswordGenerator().toString()).doesNotContain("|");
    }
}
