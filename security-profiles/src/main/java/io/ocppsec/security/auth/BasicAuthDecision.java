package io.ocppsec.security.auth;

import java.util.Objects;

/** The outcome of {@link BasicAuthVerifier#verify}: the station is authenticated, or why not. */
public sealed interface BasicAuthDecision permits BasicAuthDecision.Authenticated, BasicAuthDecision.Refused {

    /** Why Basic authentication failed. */
    enum Reason {
        /** The header is missing or malformed; see {@link Refused#headerProblem()}. */
        BAD_HEADER,
        /** A00.FR.204 / A00.FR.303: the user-id is not the identity of the connection URL. */
        USERNAME_MISMATCH,
        /** The station has no password hash on record (e.g. it is an SP3-only station). */
        NO_PASSWORD_ON_RECORD,
        /** A00.FR.207 / A00.FR.324: the password does not match the stored hash. */
        WRONG_PASSWORD
    }

    /** The credentials match the station record. */
    record Authenticated(StationIdentity identity) implements BasicAuthDecision {
        public Authenticated {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * Refused; the reason says nothing about the password itself.
     *
     * @param reason        machine-readable reason
     * @param headerProblem for {@link Reason#BAD_HEADER}, the header parse reason; otherwise null
     */
    record Refused(Reason reason, BasicAuthResult.Reason headerProblem) implements BasicAuthDecision {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
