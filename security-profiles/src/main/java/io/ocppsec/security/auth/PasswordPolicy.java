package io.ocppsec.security.auth;

import io.ocppsec.security.SpecEdition;

import java.util.Objects;

/**
 * The rules for a Charging Station's {@code SecurityCtrlr.BasicAuthPassword} (A00.FR.205 /
 * A00.FR.304), per specification edition. Used to vet a password before the CSMS sends it with
 * SetVariables (A01.FR.02) or SetNetworkProfile (2.1), and to vet a password an operator types in.
 *
 * <ul>
 *   <li><b>OCPP 2.0.1 Edition 3</b> ({@link #ocpp201()}): a passwordString of 16 to 40 characters;
 *       passwordString = {@code a-z A-Z 0-9} and {@code * - _ = : + | @ .}.</li>
 *   <li><b>OCPP 2.0.1 errata 2025-09</b> ({@link #ocpp201Errata(int)}) and <b>OCPP 2.1</b>
 *       ({@link #ocpp21(int)}): 16 characters up to the station's BasicAuthPassword maxLimit, which
 *       is at least 40 and at most 64 (2.1 default 64); passwordString becomes "a UTF-8 encoded
 *       case-sensitive string". We read that as any Unicode text that can be encoded as UTF-8
 *       <em>except control characters</em> (category Cc: C0, DEL, C1): a control character cannot
 *       be typed on most station HMIs, may be stripped by HTTP stacks, and adds no security worth
 *       the interoperability risk. The errata's converted table is garbled and still lists the old
 *       charset, but its rationale ("should not be limited to any set of symbols") is clear.</li>
 * </ul>
 *
 * <p>Length counts Unicode code points ("characters"), not UTF-16 units or bytes. On the wire the
 * password is sent as the UTF-8 string itself inside the Basic credentials, not as hex or base64 of
 * its octets (A00.FR.205, unlike OCPP 1.6's AuthorizationKey); nothing here needs to check that,
 * but it is why {@link BasicAuthHeader} decodes UTF-8.
 *
 * @param minLength minimum length in code points (16)
 * @param maxLength maximum length in code points (40, or the station's maxLimit)
 * @param charset   which characters are allowed
 */
public record PasswordPolicy(int minLength, int maxLength, Charset charset) {

    /** A00.FR.205: minimum 16 characters. */
    public static final int MIN_LENGTH = 16;
    /** A00.FR.205 (2.0.1 Edition 3): maximum 40 characters; also the lowest allowed maxLimit later. */
    public static final int MAX_LENGTH_201 = 40;
    /** A00.FR.205 (errata 2025-09, 2.1): maxLimit is at most 64. */
    public static final int MAX_LIMIT_CEILING = 64;

    /** The characters a policy allows. */
    public enum Charset {
        /** 2.0.1 Edition 3 passwordString: {@code a-z A-Z 0-9 * - _ = : + | @ .}. */
        PASSWORD_STRING_STRICT,
        /** Errata 2025-09 / 2.1 passwordString: any UTF-8-encodable text without control characters. */
        UTF8_NO_CONTROL
    }

    public PasswordPolicy {
        Objects.requireNonNull(charset, "charset");
        if (minLength < 1 || maxLength < minLength) {
            throw new IllegalArgumentException("invalid length bounds " + minLength + ".." + maxLength);
        }
    }

    /** OCPP 2.0.1 Edition 3: 16..40, strict passwordString charset. */
    public static PasswordPolicy ocpp201() {
        return new PasswordPolicy(MIN_LENGTH, MAX_LENGTH_201, Charset.PASSWORD_STRING_STRICT);
    }

    /**
     * OCPP 2.0.1 with the errata 2025-09: 16..maxLimit, relaxed charset.
     *
     * @param maxLimit the maxLimit of the station's BasicAuthPassword variable, 40..64
     * @throws IllegalArgumentException if maxLimit is outside 40..64 (a station reporting such a
     *                                  value is misconfigured; the caller decides how to treat it)
     */
    public static PasswordPolicy ocpp201Errata(int maxLimit) {
        return new PasswordPolicy(MIN_LENGTH, checkMaxLimit(maxLimit), Charset.UTF8_NO_CONTROL);
    }

    /** OCPP 2.1: 16..maxLimit (40..64), relaxed charset. */
    public static PasswordPolicy ocpp21(int maxLimit) {
        return new PasswordPolicy(MIN_LENGTH, checkMaxLimit(maxLimit), Charset.UTF8_NO_CONTROL);
    }

    /** OCPP 2.1 with the default maxLimit 64. */
    public static PasswordPolicy ocpp21() {
        return ocpp21(MAX_LIMIT_CEILING);
    }

    /**
     * The policy of a specification edition; {@code maxLimit} is ignored for 2.0.1 Edition 3.
     */
    public static PasswordPolicy of(SpecEdition edition, int maxLimit) {
        return switch (Objects.requireNonNull(edition, "edition")) {
            case OCPP_201_EDITION_3 -> ocpp201();
            case OCPP_201_ERRATA_2025_09 -> ocpp201Errata(maxLimit);
            case OCPP_21_EDITION_1 -> ocpp21(maxLimit);
        };
    }

    /** Checks a password; total (null gives MISSING). The password never appears in the result. */
    public PasswordCheck check(CharSequence password) {
        if (password == null) {
            return new PasswordCheck.Unacceptable(PasswordCheck.Reason.MISSING, -1);
        }
        // Bound before scanning: a code point is at most two chars.
        if (password.length() > 2L * maxLength) {
            return new PasswordCheck.Unacceptable(PasswordCheck.Reason.TOO_LONG, -1);
        }
        int codePoints = 0;
        for (int i = 0; i < password.length(); i++) {
            char c = password.charAt(i);
            int cp;
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < password.length() && Character.isLowSurrogate(password.charAt(i + 1))) {
                    cp = Character.toCodePoint(c, password.charAt(i + 1));
                } else {
                    return new PasswordCheck.Unacceptable(PasswordCheck.Reason.NOT_UTF8, i);
                }
            } else if (Character.isLowSurrogate(c)) {
                return new PasswordCheck.Unacceptable(PasswordCheck.Reason.NOT_UTF8, i);
            } else {
                cp = c;
            }
            if (!allows(cp)) {
                return new PasswordCheck.Unacceptable(PasswordCheck.Reason.FORBIDDEN_CHARACTER, i);
            }
            if (Character.isSupplementaryCodePoint(cp)) {
                i++;
            }
            codePoints++;
        }
        if (codePoints < minLength) {
            return new PasswordCheck.Unacceptable(PasswordCheck.Reason.TOO_SHORT, -1);
        }
        if (codePoints > maxLength) {
            return new PasswordCheck.Unacceptable(PasswordCheck.Reason.TOO_LONG, -1);
        }
        return new PasswordCheck.Acceptable();
    }

    /** Same as {@link #check(CharSequence)} for a password held in a char array. */
    public PasswordCheck check(char[] password) {
        return password == null ? check((CharSequence) null) : check(java.nio.CharBuffer.wrap(password));
    }

    /** Whether a code point is in this policy's charset. */
    public boolean allows(int codePoint) {
        return switch (charset) {
            case PASSWORD_STRING_STRICT -> codePoint < 0x80 && isStrictPasswordChar((char) codePoint);
            case UTF8_NO_CONTROL -> Character.isValidCodePoint(codePoint)
                    && !(codePoint >= Character.MIN_SURROGATE && codePoint <= Character.MAX_SURROGATE)
                    && Character.getType(codePoint) != Character.CONTROL;
        };
    }

    /** The 2.0.1 Edition 3 passwordString characters: {@code a-z A-Z 0-9 * - _ = : + | @ .}. */
    static boolean isStrictPasswordChar(char c) {
        // identifierString's characters plus ':'.
        return c == ':' || StationIdentity.isAllowedCharacter(c);
    }

    private static int checkMaxLimit(int maxLimit) {
        if (maxLimit < MAX_LENGTH_201 || maxLimit > MAX_LIMIT_CEILING) {
            throw new IllegalArgumentException("BasicAuthPassword maxLimit must be 40..64, was " + maxLimit);
        }
        return maxLimit;
    }
}
