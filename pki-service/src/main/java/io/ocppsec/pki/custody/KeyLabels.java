package io.ocppsec.pki.custody;

import java.util.regex.Pattern;

/**
 * The one rule for key labels, shared by every backend: 1 to 128 characters from
 * {@code [A-Za-z0-9._-]}, starting with a letter or digit. A label becomes a keystore alias, a
 * PKCS#11 {@code CKA_LABEL}/{@code CKA_ID} and a path segment of a Vault URL, so nothing that could
 * mean something else in any of those (no slash, no dot-dot, no spaces) is allowed.
 */
public final class KeyLabels {
    private static final Pattern LABEL = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private KeyLabels() {}

    /** Returns {@code label} when it is valid, else throws a {@link CustodyException} saying why. */
    public static String requireValid(String label) {
        if (label == null) {
            throw new CustodyException("a key label is required");
        }
        if (!LABEL.matcher(label).matches()) {
            throw new CustodyException("invalid key label '" + printable(label)
                    + "': use 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit");
        }
        return label;
    }

    /** A label made safe to print in a message: at most 64 characters, control characters replaced. */
    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 64; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        if (s.length() > 64) {
            b.append("...");
        }
        return b.toString();
    }
}
