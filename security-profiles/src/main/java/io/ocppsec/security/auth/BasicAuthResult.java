package io.ocppsec.security.auth;

import java.util.Objects;

/**
 * The outcome of parsing an HTTP {@code Authorization} header for Basic authentication
 * ({@link BasicAuthHeader#parse(String)}): the credentials, or why there are none.
 */
public sealed interface BasicAuthResult permits BasicCredentials, BasicAuthResult.Refused {

    /** Why a header does not carry usable Basic credentials. */
    enum Reason {
        /** No header, or an empty one: the station sent no credentials (A00.FR.203/302). */
        MISSING,
        /** The header is longer than {@link BasicAuthHeader#MAX_HEADER_LENGTH} characters. */
        TOO_LONG,
        /** Another scheme (e.g. Bearer), or no space after {@code Basic}. */
        NOT_BASIC,
        /** The token is not strict base64 (alphabet, padding, whitespace, trailing bits). */
        BAD_BASE64,
        /** The decoded octets are not valid UTF-8 (A00.FR.205: the password is sent as UTF-8). */
        NOT_UTF8,
        /** The decoded text has no {@code :} separating user-id and password (RFC 7617 §2). */
        NO_COLON
    }

    /** No credentials; {@link #detail()} never repeats the header. */
    record Refused(Reason reason) implements BasicAuthResult {
        public Refused {
            Objects.requireNonNull(reason, "reason");
        }

        /** A short text for logs and HTTP error bodies. */
        public String detail() {
            return switch (reason) {
                case MISSING -> "no Authorization header";
                case TOO_LONG -> "Authorization header too long";
                case NOT_BASIC -> "Authorization scheme is not Basic";
                case BAD_BASE64 -> "Basic credentials are not valid base64";
                case NOT_UTF8 -> "Basic credentials are not valid UTF-8";
                case NO_COLON -> "Basic credentials have no user-id/password separator";
            };
        }
    }
}
