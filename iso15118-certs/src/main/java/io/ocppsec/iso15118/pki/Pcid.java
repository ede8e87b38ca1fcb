package io.ocppsec.iso15118.pki;

import java.util.regex.Pattern;

/**
 * The Provisioning Certificate Identifier, the CN of an OEM provisioning certificate [V2G2-933]:
 * the OEM's WMI (3 characters), 14 alphanumerics identifying the vehicle and an optional check
 * character, i.e. 17 or 18 alphanumerics (VDE-AR-E 2802-100-1; Hubject's pool checks
 * {@code ^[a-zA-Z0-9]{17,18}$}). ISO 15118-20 uses it in the envelope AAD as 18 upper-case
 * characters [V2G20-2492]: see {@link #isValidForIso15118_20}.
 */
public final class Pcid {

    private static final Pattern SYNTAX = Pattern.compile("[A-Za-z0-9]{17,18}");
    private static final Pattern SYNTAX_20 = Pattern.compile("[A-Z0-9]{18}");

    private Pcid() {
    }

    /** Whether {@code s} is a PCID (17 or 18 alphanumerics). Total. */
    public static boolean isValid(String s) {
        return s != null && s.length() <= 18 && SYNTAX.matcher(s).matches();
    }

    /** Whether {@code s} is a PCID as ISO 15118-20 uses it: exactly 18 upper-case letters or digits. Total. */
    public static boolean isValidForIso15118_20(String s) {
        return s != null && s.length() == 18 && SYNTAX_20.matcher(s).matches();
    }
}
