package io.ocppsec.iso15118.pki;

import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The e-Mobility Account Identifier, the CN of a contract certificate (ISO 15118-2 Annex H.1;
 * reference iso15118.md §1.3): country code (2 letters), provider id (3 alphanumerics), eMA
 * instance (9 alphanumerics) and an optional check character, optionally separated by '-' (the
 * same separator everywhere or none), e.g. {@code DE-ABC-C123ABC56}, {@code UKSWI123456791A}.
 * The normal form drops separators and upper-cases: 14 or 15 characters, what the -2 schema's
 * eMAIDType carries. All methods are total and check the length before scanning.
 */
public final class Emaid {

    /** Longest accepted written form: 2+3+9+1 characters and three separators. */
    public static final int MAX_LENGTH = 18;

    private static final Pattern SYNTAX =
            Pattern.compile("[A-Za-z]{2}(-?)[A-Za-z0-9]{3}\\1[A-Za-z0-9]{9}(?:\\1[A-Za-z0-9])?");

    private Emaid() {
    }

    /** Whether {@code s} is an eMAID, with or without separators. */
    public static boolean isValid(String s) {
        return s != null && s.length() >= 14 && s.length() <= MAX_LENGTH && SYNTAX.matcher(s).matches();
    }

    /** The normal form (no separators, upper case), or empty when {@code s} is not an eMAID. */
    public static Optional<String> normalize(String s) {
        if (!isValid(s)) {
            return Optional.empty();
        }
        return Optional.of(s.replace("-", "").toUpperCase(Locale.ROOT));
    }

    /**
     * Whether two strings name the same eMAID: both valid and equal in normal form (separators and
     * case ignored). False if either is not an eMAID.
     */
    public static boolean same(String a, String b) {
        Optional<String> na = normalize(a);
        Optional<String> nb = normalize(b);
        return na.isPresent() && nb.isPresent() && na.get().equals(nb.get());
    }
}
