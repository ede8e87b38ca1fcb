package io.ocppsec.pki.pnc;

import io.ocppsec.pki.store.Refusal;
import java.util.Locale;

/**
 * Syntax of the Plug & Charge identifiers (reference/iso15118.md §1.3).
 * <ul>
 *   <li>eMAID (contract certificate CN, ISO 15118-2 Annex H, {@code eMAIDType} 14–15 characters
 *       without separators): 2 letters (country), 3 alphanumerics (provider), 9 alphanumerics (eMA
 *       instance), an optional check character; '-' separators after country and provider allowed,
 *       at most 18 characters with them ({@code DE-ABC-C123ABC56}, {@code UKSWI123456791A}).</li>
 *   <li>PCID (the OEM provisioning certificate CN): 17 alphanumerics plus an optional check
 *       character, i.e. 17 or 18 ([V2G20-2492] uses 18). Hubject's test PCIDs are lower case, so
 *       case is kept and compared without it.</li>
 * </ul>
 * The lookup key of either is the upper-case form without separators. The syntax rules are
 * iso15118-certs' {@link io.ocppsec.iso15118.pki.Emaid} and {@link io.ocppsec.iso15118.pki.Pcid}.
 */
public final class PncIdentifiers {
    private PncIdentifiers() {
    }

    /** Whether {@code emaid} is a syntactically valid eMAID. */
    public static boolean isEmaid(String emaid) {
        return io.ocppsec.iso15118.pki.Emaid.isValid(emaid);
    }

    /** Whether {@code pcid} is a syntactically valid PCID. */
    public static boolean isPcid(String pcid) {
        return io.ocppsec.iso15118.pki.Pcid.isValid(pcid);
    }

    /** The lookup key of a valid eMAID; a {@link Refusal} (400 BAD_EMAID) otherwise. */
    public static String emaidKey(String emaid) {
        if (!isEmaid(emaid)) {
            throw Refusal.badRequest("BAD_EMAID", "emaid must be an ISO 15118 eMAID: 2 letters, 3 and 9 letters or digits, "
                    + "an optional check character, '-' separators allowed (e.g. DE-ABC-C123ABC56)");
        }
        return key(emaid);
    }

    /** The lookup key of a valid PCID; a {@link Refusal} (400 BAD_PCID) otherwise. */
    public static String pcidKey(String pcid) {
        if (!isPcid(pcid)) {
            throw Refusal.badRequest("BAD_PCID", "pcid must be an ISO 15118 PCID: 17 or 18 letters or digits");
        }
        return key(pcid);
    }

    private static String key(String s) {
        return s.replace("-", "").toUpperCase(Locale.ROOT);
    }
}
