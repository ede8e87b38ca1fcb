package io.ocppsec.security.auth;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class BasicAuthVerifierTest {

    private final PasswordHasher hasher = new PasswordHasher(new Argon2Params(64, 1, 1));
    private final BasicAuthVerifier verifier = new BasicAuthVerifier(hasher);
    private final StationIdentity cs001 = new StationIdentity("CS001");
    private final String stored = hasher.hash("0123456789abcdefGHIJ".toCharArray());

    private static String basic(String s) {
        return "Basic " + Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    // A00.FR.207 / A00.FR.324: identity and password must match the Authorization header.
    @Test
    void A00_FR_207_matchingIdentityAndPasswordAreAuthenticated() {
        assertThat(verifier.verify(basic("CS001:0123456789abcdefGHIJ"), cs001, stored))
                .isEqualTo(new BasicAuthDecision.Authenticated(cs001));
    }

    // A00.FR.207 / TC_A_03_CSMS: wrong password refused.
    @Test
    void A00_FR_207_wrongPasswordIsRefused() {
        assertThat(verifier.verify(basic("CS001:0123456789abcdefGHIj"), cs001, stored))
                .isEqualTo(new BasicAuthDecision.Refused(BasicAuthDecision.Reason.WRONG_PASSWORD, null));
        assertThat(verifier.verify(basic("CS001:0123456789abcdefGHIJ"), cs001, null))
                .isEqualTo(new BasicAuthDecision.Refused(BasicAuthDecision.Reason.NO_PASSWORD_ON_RECORD, null));
    }

    // A00.FR.204 / TC_A_02_CSMS: a user-id other than the URL identity is refused, even with the right password.
    @Test
    void A00_FR_204_usernameOtherThanUrlIdentityIsRefused() {
        assertThat(verifier.verify(basic("CS002:0123456789abcdefGHIJ"), cs001, stored))
                .isEqualTo(new BasicAuthDecision.Refused(BasicAuthDecision.Reason.USERNAME_MISMATCH, null));
    }

    // A00.FR.203: no or malformed header is refused with the parse reason.
    @Test
    void A00_FR_203_missingOrMalformedHeaderIsRefused() {
        assertThat(verifier.verify(null, cs001, stored))
                .isEqualTo(new BasicAuthDecision.Refused(BasicAuthDecision.Reason.BAD_HEADER, BasicAuthResult.Reason.MISSING));
        assertThat(verifier.verify("Basic !!!!", cs001, stored))
                .isEqualTo(new BasicAuthDecision.Refused(BasicAuthDecision.Reason.BAD_HEADER, BasicAuthResult.Reason.BAD_BASE64));
    }
}
