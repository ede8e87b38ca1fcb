package io.ocppsec.security.auth;

import java.util.Objects;

/**
 * The outcome of checking a Charging Station identity ({@link StationIdentity#parse(String)},
 * {@link StationIdentity#fromUrlPathSegment(String)}): either a valid identity or the reason it
 * is not one.
 */
public sealed interface IdentityCheck permits IdentityCheck.Valid, IdentityCheck.Invalid {

    /** Why a string is not a usable Charging Station identity. */
    enum Reason {
        /** No value at all (null). */
        MISSING,
        /** The empty string. */
        EMPTY,
        /** More than 48 characters (OCPP-J §3.1.1), or a raw URL segment longer than 48 × 3. */
        TOO_LONG,
        /** A character outside identifierString, or the colon forbidden by A00.FR.204 / OCPP-J §3.1.1. */
        FORBIDDEN_CHARACTER,
        /** A {@code %} not followed by two hex digits in the URL path segment (RFC 3986 §2.1). */
        BAD_PERCENT_ENCODING,
        /** The percent-decoded bytes of the URL path segment are not valid UTF-8. */
        NOT_UTF8
    }

    /** A valid identity. */
    record Valid(StationIdentity identity) implements IdentityCheck {
        public Valid {
            Objects.requireNonNull(identity, "identity");
        }
    }

    /**
     * Not a valid identity.
     *
     * @param reason   machine-readable reason
     * @param position for {@link Reason#FORBIDDEN_CHARACTER} the char index in the decoded
     *                 identity (or, for a non-ASCII character left unencoded in a URL segment, its
     *                 index in the raw segment); for {@link Reason#BAD_PERCENT_ENCODING} the index
     *                 of the {@code %} in the raw segment; -1 otherwise
     */
    record Invalid(Reason reason, int position) implements IdentityCheck {
        public Invalid {
            Objects.requireNonNull(reason, "reason");
        }

        static Invalid of(Reason reason) {
            return new Invalid(reason, -1);
        }

        /** A short text for logs and HTTP error bodies; it never repeats the offending input. */
        public String detail() {
            return switch (reason) {
                case MISSING -> "no charging station identity";
                case EMPTY -> "empty charging station identity";
                case TOO_LONG -> "charging station identity longer than 48 characters";
                case FORBIDDEN_CHARACTER -> "character not allowed in a charging station identity at index " + position;
                case BAD_PERCENT_ENCODING -> "invalid percent-encoding at index " + position;
                case NOT_UTF8 -> "percent-decoded identity is not valid UTF-8";
            };
        }
    }

    /** True for {@link Valid}. */
    default boolean isValid() {
        return this instanceof Valid;
    }
}
