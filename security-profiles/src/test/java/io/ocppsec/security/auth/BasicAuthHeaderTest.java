package io.ocppsec.security.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class BasicAuthHeaderTest {

    private static String basic(String userColonPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userColonPassword.getBytes(StandardCharsets.UTF_8));
    }

    private static BasicCredentials credentials(BasicAuthResult r) {
        assertThat(r).isInstanceOf(BasicCredentials.class);
        return (BasicCredentials) r;
    }

    private static BasicAuthResult.Reason refusal(BasicAuthResult r) {
        assertThat(r).isInstanceOf(BasicAuthResult.Refused.class);
        return ((BasicAuthResult.Refused) r).reason();
    }

    // A00.FR.202/203: the station authenticates with HTTP Basic (RFC 7617) on every connection request.
    @Test
    void A00_FR_202_basicCredentialsAreParsed() {
        BasicCredentials c = credentials(BasicAuthHeader.parse(basic("CS001:0123456789abcdef")));
        assertThat(c.username()).isEqualTo("CS001");
        assertThat(new String(c.password())).isEqualTo("0123456789abcdef");
        assertThat(c.passwordLength()).isEqualTo(16);
    }

    // RFC 7617 §2 / RFC 7235: the scheme is case-insensitive, followed by one or more spaces; OWS around the value.
    @Test
    void A00_FR_202_schemeIsCaseInsensitiveAndSpacesAreTolerated() {
        String token = Base64.getEncoder().encodeToString("CS1:pw".getBytes(StandardCharsets.UTF_8));
        assertThat(credentials(BasicAuthHeader.parse("basic " + token)).username()).isEqualTo("CS1");
        assertThat(credentials(BasicAuthHeader.parse("BASIC   " + token)).username()).isEqualTo("CS1");
        assertThat(credentials(BasicAuthHeader.parse(" \tBasic " + token + " \t")).username()).isEqualTo("CS1");
        assertThat(refusal(BasicAuthHeader.parse("Basic\t" + token))).isEqualTo(BasicAuthResult.Reason.NOT_BASIC);
        assertThat(refusal(BasicAuthHeader.parse("Basic" + token))).isEqualTo(BasicAuthResult.Reason.NOT_BASIC);
        assertThat(refusal(BasicAuthHeader.parse("Bearer " + token))).isEqualTo(BasicAuthResult.Reason.NOT_BASIC);
        assertThat(refusal(BasicAuthHeader.parse("Basic"))).isEqualTo(BasicAuthResult.Reason.NOT_BASIC);
        assertThat(refusal(BasicAuthHeader.parse("Basic   "))).isEqualTo(BasicAuthResult.Reason.NOT_BASIC);
        assertThat(refusal(BasicAuthHeader.parse("Basic x  "))).isEqualTo(BasicAuthResult.Reason.BAD_BASE64);
    }

    // A00.FR.203: no credentials means no connection.
    @Test
    void A00_FR_203_missingHeaderIsRefused() {
        assertThat(refusal(BasicAuthHeader.parse(null))).isEqualTo(BasicAuthResult.Reason.MISSING);
        assertThat(refusal(BasicAuthHeader.parse(""))).isEqualTo(BasicAuthResult.Reason.MISSING);
        assertThat(refusal(BasicAuthHeader.parse("  \t "))).isEqualTo(BasicAuthResult.Reason.MISSING);
    }

    // Strict base64: no whitespace inside, correct padding, standard alphabet. Non-zero trailing
    // bits are accepted: they decode to the same credentials, so refusing them only costs interop.
    @Test
    void A00_FR_202_base64IsStrict() {
        String ok = Base64.getEncoder().encodeToString("CS1:pw".getBytes(StandardCharsets.UTF_8)); // Q1MxOnB3
        String padded = Base64.getEncoder().encodeToString("CS1:p".getBytes(StandardCharsets.UTF_8)); // Q1MxOnA=
        assertThat(credentials(BasicAuthHeader.parse("Basic " + padded)).username()).isEqualTo("CS1");
        for (String bad : new String[] {
                "Q1MxOnA",          // missing padding
                "Q1MxOnA==",        // too much padding
                "Q1Mx OnB3",        // space inside
                "Q1Mx\tOnB3",       // tab inside
                "Q1MxOnB3\n",       // newline (not OWS)
                "Q1Mx=OnB3",        // padding in the middle
                "Q1MxOnB-",         // URL-safe alphabet
                "====",
                "Q"}) {
            assertThat(refusal(BasicAuthHeader.parse("Basic " + bad))).as(bad).isEqualTo(BasicAuthResult.Reason.BAD_BASE64);
        }
        assertThat(credentials(BasicAuthHeader.parse("Basic " + ok)).username()).isEqualTo("CS1");
        assertThat(credentials(BasicAuthHeader.parse("Basic Q1MxOnB=")).username()).isEqualTo("CS1");
    }

    // A00.FR.205: the password is sent as a UTF-8 string; invalid UTF-8 is refused.
    @Test
    void A00_FR_205_credentialsMustBeUtf8() {
        byte[] latin1 = "CS1:p\u00e4ssword".getBytes(StandardCharsets.ISO_8859_1);
        String header = "Basic " + Base64.getEncoder().encodeToString(latin1);
        assertThat(refusal(BasicAuthHeader.parse(header))).isEqualTo(BasicAuthResult.Reason.NOT_UTF8);
        BasicCredentials utf8 = credentials(BasicAuthHeader.parse(basic("CS1:p\u00e4ssw\u00f6rd\uD83D\uDD11")));
        assertThat(new String(utf8.password())).isEqualTo("p\u00e4ssw\u00f6rd\uD83D\uDD11");
    }

    // A00.FR.204 / RFC 7617 §2: split at the FIRST colon; the user-id cannot contain one, the password may.
    @Test
    void A00_FR_204_splitAtTheFirstColon() {
        BasicCredentials c = credentials(BasicAuthHeader.parse(basic("CS1:pa:ss:word")));
        assertThat(c.username()).isEqualTo("CS1");
        assertThat(new String(c.password())).isEqualTo("pa:ss:word");
        assertThat(refusal(BasicAuthHeader.parse(basic("CS1-no-colon")))).isEqualTo(BasicAuthResult.Reason.NO_COLON);
        BasicCredentials empty = credentials(BasicAuthHeader.parse(basic(":")));
        assertThat(empty.username()).isEmpty();
        assertThat(empty.passwordLength()).isZero();
    }

    // A00.FR.204: the user-id must equal the connection-URL identity exactly.
    @Test
    void A00_FR_204_usernameMustEqualTheStationIdentity() {
        StationIdentity url = new StationIdentity("CS001");
        assertThat(credentials(BasicAuthHeader.parse(basic("CS001:secretsecretsecret"))).usernameEquals(url)).isTrue();
        assertThat(credentials(BasicAuthHeader.parse(basic("cs001:secretsecretsecret"))).usernameEquals(url)).isFalse();
        assertThat(credentials(BasicAuthHeader.parse(basic("CS002:secretsecretsecret"))).usernameEquals(url)).isFalse();
        assertThat(credentials(BasicAuthHeader.parse(basic("CS001 :secretsecretsecret"))).usernameEquals(url)).isFalse();
        assertThat(credentials(BasicAuthHeader.parse(basic("CS001:x"))).usernameEquals(null)).isFalse();
    }

    // Bounded: a header over 1024 characters is refused before decoding; garbage never throws.
    @Test
    void A00_FR_202_headerIsBoundedAndParsingIsTotal() {
        assertThat(refusal(BasicAuthHeader.parse("Basic " + "A".repeat(2000)))).isEqualTo(BasicAuthResult.Reason.TOO_LONG);
        assertThat(refusal(BasicAuthHeader.parse("x".repeat(5_000_000)))).isEqualTo(BasicAuthResult.Reason.TOO_LONG);
        String max = "Basic " + "A".repeat(BasicAuthHeader.MAX_HEADER_LENGTH - 6);
        assertThat(BasicAuthHeader.parse(max)).isNotNull();
        java.util.Random r = new java.util.Random(42);
        for (int i = 0; i < 5_000; i++) {
            char[] cs = new char[r.nextInt(64)];
            for (int j = 0; j < cs.length; j++) {
                cs[j] = (char) r.nextInt(0x10000);
            }
            assertThat(BasicAuthHeader.parse("Basic " + new String(cs))).isNotNull();
            assertThat(BasicAuthHeader.parse(new String(cs))).isNotNull();
        }
    }

    // A01.FR.09: the password never appears in toString (e.g. when credentials end up in a log line).
    @Test
    void A01_FR_09_credentialsToStringRedactsThePassword() {
        BasicCredentials c = credentials(BasicAuthHeader.parse(basic("CS001:TopSecretPassword42")));
        assertThat(c.toString()).contains("CS001").doesNotContain("TopSecretPassword42").contains("redacted");
        c.clear();
        assertThat(new String(c.password())).isEqualTo("\0".repeat("TopSecretPassword42".length()));
        BasicAuthResult.Refused refused = (BasicAuthResult.Refused) BasicAuthHeader.parse(basic("CS001TopSecret"));
        assertThat(refused.toString()).doesNotContain("TopSecret");
        assertThat(refused.detail()).doesNotContain("TopSecret");
    }
}
