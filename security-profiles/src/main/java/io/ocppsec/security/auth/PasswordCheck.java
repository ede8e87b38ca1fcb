package io.ocppsec.security.auth;

import java.util.Objects;

/** The outcome of {@link PasswordPolicy#check(CharSequence)}: acceptable, or why not. */
public sealed interface PasswordCheck permits PasswordCheck.Acceptable, PasswordCheck.Unacceptable {

    /** Why a password does not meet the BasicAuthPassword rules. */
    enum Reason {
        /** No value (null). */
        MISSING,
        /** Fewer code points than the policy's minimum (16, A00.FR.205). */
        TOO_SHORT,
        /** More code points than the policy's maximum (40, or the station's maxLimit 40..64). */
        TOO_LONG,
        /** A character outside the policy's charset (see {@link PasswordPolicy.Charset}). */
        FORBIDDEN_CHARACTER,
        /** An unpaired surrogate: the string cannot be sent as UTF-8 (A00.FR.205). */
        NOT_UTF8
    }

    /** The password meets the policy. */
    record Acceptable() implements PasswordCheck {
    }

    /**
     * The password does not meet the policy.
     *
     * @param reason   machine-readable reason
     * @param position for {@link Reason#FORBIDDEN_CHARACTER} and {@link Reason#NOT_UTF8} the char
     *                 index of the offending character, else -1; the character itself is never
     *                 reported, as the password is a secret
     */
    record Unacceptable(Reason reason, int position) implements PasswordCheck {
        public Unacceptable {
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** True for {@link Acceptable}. */
    default boolean isAcceptable() {
        return this instanceof Acceptable;
    }
}
