package io.ocppsec.security.auth;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The identity of a Charging Station: the last path segment of its OCPP-J connection URL and,
 * with security profiles 1 and 2, the HTTP Basic user-id (A00.FR.204 / A00.FR.303).
 *
 * <p>Rules (OCPP-J 2.0.1/2.1 Part 4 §3.1.1, Part 2 §2.1.4 identifierString): 1 to 48 characters
 * from {@code a-z A-Z 0-9 * - _ = + | @ .}; the colon, although part of identifierString, SHALL NOT
 * be used because it separates the Basic-auth user-id from the password (A00.FR.204). The spec
 * conversion of Part 2 renders that character as {@code "."}; Part 4 and every other source say
 * it is the colon, and the dot stays allowed.
 *
 * <p>identifierString is case-insensitive: {@link #canonicalKey()} is the key for registry look-ups
 * and {@link #sameAs(StationIdentity)} compares case-insensitively, while {@link #value()} keeps
 * the spelling the station used (the Basic-auth user-id must equal it exactly, see
 * {@link BasicCredentials#usernameEquals(StationIdentity)}).
 *
 * @param value the identity exactly as the station spells it
 */
public record StationIdentity(String value) {

    /** Maximum identity length in characters (OCPP-J §3.1.1). */
    public static final int MAX_LENGTH = 48;

    /** A raw URL segment longer than this cannot decode to 48 characters (each at most {@code %XX}). */
    public static final int MAX_RAW_SEGMENT_LENGTH = MAX_LENGTH * 3;

    /**
     * Creates an identity from a value already known to be valid.
     *
     * @throws IllegalArgumentException if the value is not a valid identity; use {@link #parse(String)}
     *                                  for untrusted input
     */
    public StationIdentity {
        IdentityCheck.Invalid problem = problemWith(value);
        if (problem != null) {
            throw new IllegalArgumentException("not a charging station identity: " + problem.detail());
        }
    }

    /** Checks an identity that is already decoded (e.g. from the station registry or a Basic user-id). */
    public static IdentityCheck parse(String value) {
        IdentityCheck.Invalid problem = problemWith(value);
        return problem != null ? problem : new IdentityCheck.Valid(new StationIdentity(value));
    }

    /**
     * Checks the raw (still percent-encoded) last path segment of the connection URL, e.g.
     * {@code RDAM%7C123} for {@code RDAM|123}. Decoding is strict (RFC 3986 §2.1): every {@code %}
     * must be followed by two hex digits (either case), the decoded bytes must be valid UTF-8, and
     * the result must pass {@link #parse(String)} (so a decoded {@code /} or {@code :} is refused).
     * The raw length is bounded before anything is decoded.
     */
    public static IdentityCheck fromUrlPathSegment(String rawSegment) {
        if (rawSegment == null) {
            return IdentityCheck.Invalid.of(IdentityCheck.Reason.MISSING);
        }
        if (rawSegment.isEmpty()) {
            return IdentityCheck.Invalid.of(IdentityCheck.Reason.EMPTY);
        }
        if (rawSegment.length() > MAX_RAW_SEGMENT_LENGTH) {
            return IdentityCheck.Invalid.of(IdentityCheck.Reason.TOO_LONG);
        }
        if (rawSegment.indexOf('%') < 0) {
            return parse(rawSegment);
        }
        byte[] bytes = new byte[rawSegment.length() * 3];
        int n = 0;
        for (int i = 0; i < rawSegment.length(); i++) {
            char c = rawSegment.charAt(i);
            if (c == '%') {
                if (i + 2 >= rawSegment.length()) {
                    return new IdentityCheck.Invalid(IdentityCheck.Reason.BAD_PERCENT_ENCODING, i);
                }
                int hi = hexValue(rawSegment.charAt(i + 1));
                int lo = hexValue(rawSegment.charAt(i + 2));
                if (hi < 0 || lo < 0) {
                    return new IdentityCheck.Invalid(IdentityCheck.Reason.BAD_PERCENT_ENCODING, i);
                }
                bytes[n++] = (byte) ((hi << 4) | lo);
                i += 2;
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                // Not allowed raw in a URL, and not allowed in an identity either.
                return new IdentityCheck.Invalid(IdentityCheck.Reason.FORBIDDEN_CHARACTER, i);
            }
        }
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        String decoded;
        try {
            CharBuffer chars = decoder.decode(ByteBuffer.wrap(bytes, 0, n));
            decoded = chars.toString();
        } catch (CharacterCodingException e) {
            return new IdentityCheck.Invalid(IdentityCheck.Reason.NOT_UTF8, -1);
        }
        return parse(decoded);
    }

    /** Whether a character may appear in an identity: identifierString without the colon. */
    public static boolean isAllowedCharacter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '*' || c == '-' || c == '_' || c == '=' || c == '+' || c == '|' || c == '@'
                || c == '.';
    }

    /** Lower-case form (Locale.ROOT) for registry keys: identifierString is case-insensitive. */
    public String canonicalKey() {
        return value.toLowerCase(Locale.ROOT);
    }

    /** Case-insensitive equality, as identifierString prescribes. */
    public boolean sameAs(StationIdentity other) {
        return other != null && value.equalsIgnoreCase(other.value);
    }

    /**
     * The identity percent-encoded for a URL path segment. Every allowed character except
     * {@code |} is an RFC 3986 unreserved or sub-delim/{@code @} character, so only {@code |} is
     * encoded ({@code %7C}), as in the OCPP-J example {@code RDAM%7C123}.
     */
    public String toUrlPathSegment() {
        return value.replace("|", "%7C");
    }

    @Override
    public String toString() {
        return value;
    }

    private static IdentityCheck.Invalid problemWith(String value) {
        if (value == null) {
            return IdentityCheck.Invalid.of(IdentityCheck.Reason.MISSING);
        }
        if (value.isEmpty()) {
            return IdentityCheck.Invalid.of(IdentityCheck.Reason.EMPTY);
        }
        if (value.length() > MAX_LENGTH) {
            return IdentityCheck.Invalid.of(IdentityCheck.Reason.TOO_LONG);
        }
        for (int i = 0; i < value.length(); i++) {
            if (!isAllowedCharacter(value.charAt(i))) {
                return new IdentityCheck.Invalid(IdentityCheck.Reason.FORBIDDEN_CHARACTER, i);
            }
        }
        return null;
    }

    private static int hexValue(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }
}
