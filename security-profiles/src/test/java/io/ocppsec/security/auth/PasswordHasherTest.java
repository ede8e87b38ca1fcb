package io.ocppsec.security.auth;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PasswordHasherTest {

    /** Small, fast parameters for tests of logic only (never for storage). */
    private static final Argon2Params FAST = new Argon2Params(64, 1, 1);

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d+),t=(\\d+),p=(\\d+)\\$([A-Za-z0-9+/]{22})\\$([A-Za-z0-9+/]{43})");

    // A01.FR.08: stored with the default (OWASP minimum) parameters as a salted Argon2id PHC string.
    @Test
    void A01_FR_08_defaultParametersProduceASaltedArgon2idPhcString() {
        PasswordHasher hasher = new PasswordHasher();
        assertThat(hasher.params()).isEqualTo(new Argon2Params(19456, 2, 1));
        char[] pw = "correct-horse-battery".toCharArray();
        String encoded = hasher.hash(pw);
        assertThat(encoded).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").matches(PHC);
        assertThat(hasher.verify(pw, encoded)).isTrue();
        assertThat(hasher.verify("correct-horse-batterz".toCharArray(), encoded)).isFalse();
        assertThat(hasher.needsRehash(encoded)).isFalse();
    }

    // Interoperability: verifies the Argon2id known answer of the reference implementation's test suite
    // (phc-winner-argon2 src/test.c: "password", salt "somesalt", m=65536, t=2, p=1, v=0x13, hex 09316115...).
    @Test
    void A01_FR_08_verifiesAHashMadeByTheReferenceImplementation() {
        String reference = "$argon2id$v=19$m=65536,t=2,p=1$c29tZXNhbHQ$CTFhFdXPJO1aFaMaO6Mm5c8y7cJHAph8ArZWb2GRPPc";
        PasswordHasher hasher = new PasswordHasher(FAST);
        assertThat(PasswordHasher.isWellFormed(reference)).isTrue();
        assertThat(hasher.verify("password".toCharArray(), reference)).isTrue();
        assertThat(hasher.verify("passworD".toCharArray(), reference)).isFalse();
    }

    // A01.FR.08: salted: the same password hashes differently every time, and both verify.
    @Test
    void A01_FR_08_samePasswordGivesDifferentHashes() {
        PasswordHasher hasher = new PasswordHasher(FAST);
        char[] pw = "0123456789abcdefXYZ".toCharArray();
        String a = hasher.hash(pw);
        String b = hasher.hash(pw);
        assertThat(a).isNotEqualTo(b).matches(PHC);
        assertThat(hasher.verify(pw, a)).isTrue();
        assertThat(hasher.verify(pw, b)).isTrue();
        assertThat(hasher.verify("0123456789abcdefXYz".toCharArray(), a)).isFalse();
        assertThat(hasher.verify("\u00e4\u00f6\u00fc\uD83D\uDD11pw".toCharArray(), hasher.hash("\u00e4\u00f6\u00fc\uD83D\uDD11pw".toCharArray()))).isTrue();
    }

    // A01.FR.09: no clear-text password in the stored form, toString or exception messages.
    @Test
    void A01_FR_09_passwordNeverAppearsInOutputOrErrors() {
        PasswordHasher hasher = new PasswordHasher(FAST);
        String secret = "VerySecretPassword-123";
        String encoded = hasher.hash(secret.toCharArray());
        assertThat(encoded).doesNotContain(secret);
        assertThat(hasher.toString()).doesNotContain(secret).doesNotContain(encoded);
        String tooLong = "S3cret".repeat(50);
        assertThatThrownBy(() -> hasher.hash(tooLong.toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("S3cret"));
    }

    // Bounded before hashing: more than 256 UTF-8 bytes is refused (hash throws, verify is false).
    @Test
    void A01_FR_08_overlongPasswordsAreRefusedBeforeHashing() {
        PasswordHasher hasher = new PasswordHasher(FAST);
        String ok = hasher.hash("a".repeat(256).toCharArray());
        assertThat(hasher.verify("a".repeat(256).toCharArray(), ok)).isTrue();
        assertThat(hasher.verify("a".repeat(257).toCharArray(), ok)).isFalse();
        assertThatThrownBy(() -> hasher.hash("\u00e4".repeat(129).toCharArray())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> hasher.hash(new char[] {'a', '\uD800'})).isInstanceOf(IllegalArgumentException.class);
        assertThat(hasher.verify(new char[] {'a', '\uD800'}, ok)).isFalse();
        assertThat(hasher.verify(new char[10_000_000], ok)).isFalse();
    }

    // Total parse of the stored string: garbage, other algorithms and tampered fields give false.
    @Test
    void A01_FR_08_verifyIsTotalOnGarbage() {
        PasswordHasher hasher = new PasswordHasher(FAST);
        char[] pw = "0123456789abcdef".toCharArray();
        String good = hasher.hash(pw);
        String salt = good.split("\\$")[4];
        String hash = good.split("\\$")[5];
        String[] garbage = {
                null, "", "$", "$$$$$", "plaintext", "0123456789abcdef",
                "$argon2i$v=19$m=64,t=1,p=1$" + salt + "$" + hash,
                "$argon2d$v=19$m=64,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=16$m=64,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$m=64,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$t=1,m=64,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=064,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=-64,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=99999999999999999999,t=1,p=1$" + salt + "$" + hash,
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "=$" + hash,
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash + "=",
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash + "$",
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$" + hash.substring(0, 10),
                "$argon2id$v=19$m=64,t=1,p=1$$" + hash,
                "$argon2id$v=19$m=64,t=1,p=1$" + salt + "$",
                "$argon2id$v=19$m=64,t=1,p=1$" + salt.replace(salt.charAt(0), '-') + "$" + hash,
                "$argon2id$v=19$m=64,t=1,p=1,x=2$" + salt + "$" + hash,
                good + "A".repeat(100_000),
        };
        for (String g : garbage) {
            assertThat(hasher.verify(pw, g)).as(String.valueOf(g)).isFalse();
            assertThat(hasher.needsRehash(g)).isTrue();
        }
        assertThat(hasher.verify(null, good)).isFalse();
    }

    // A tampered row cannot make us run an absurd KDF: limits are checked before the KDF runs.
    @Test
    void A01_FR_08_absurdStoredParametersAreRefusedBeforeRunningTheKdf() {
        PasswordHasher hasher = new PasswordHasher(FAST);
        char[] pw = "0123456789abcdef".toCharArray();
        String good = hasher.hash(pw);
        String tail = good.substring(good.indexOf("$", "$argon2id$v=19$".length()));
        assertThat(hasher.verify(pw, "$argon2id$v=19$m=" + (1024 * 1024 + 1) + ",t=1,p=1" + tail)).isFalse();
        assertThat(hasher.verify(pw, "$argon2id$v=19$m=2147483647,t=1,p=1" + tail)).isFalse();
        assertThat(hasher.verify(pw, "$argon2id$v=19$m=64,t=101,p=1" + tail)).isFalse();
        assertThat(hasher.verify(pw, "$argon2id$v=19$m=64,t=1000000,p=1" + tail)).isFalse();
        assertThat(hasher.verify(pw, "$argon2id$v=19$m=64,t=1,p=17" + tail)).isFalse();
        assertThat(hasher.verify(pw, "$argon2id$v=19$m=64,t=0,p=1" + tail)).isFalse();
        assertThat(hasher.verify(pw, "$argon2id$v=19$m=7,t=1,p=1" + tail)).isFalse();
        assertThat(hasher.verify(pw, "$argon2id$v=19$m=64,t=1,p=1" + tail)).isTrue();
    }

    // needsRehash: a hash made with weaker parameters than the current ones should be replaced at next login.
    @Test
    void A01_FR_08_weakerStoredParametersNeedRehash() {
        String weak = new PasswordHasher(FAST).hash("0123456789abcdef".toCharArray());
        PasswordHasher stronger = new PasswordHasher(new Argon2Params(128, 2, 1));
        assertThat(stronger.needsRehash(weak)).isTrue();
        assertThat(stronger.verify("0123456789abcdef".toCharArray(), weak)).isTrue();
        String current = stronger.hash("0123456789abcdef".toCharArray());
        assertThat(stronger.needsRehash(current)).isFalse();
        assertThat(new PasswordHasher(FAST).needsRehash(current)).isFalse();
    }

    @Test
    void A01_FR_08_argon2ParametersAreBounded() {
        assertThatThrownBy(() -> new Argon2Params(Argon2Params.MAX_MEMORY_KIB + 1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Params(64, 0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Params(64, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Argon2Params(15, 1, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
