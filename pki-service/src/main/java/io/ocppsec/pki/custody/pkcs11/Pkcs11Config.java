package io.ocppsec.pki.custody.pkcs11;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the PKCS#11 backend. The token is chosen by exactly one of {@code slot},
 * {@code slotListIndex} or {@code tokenLabel}; with none, slot list index 0 is used.
 *
 * @param library       the PKCS#11 module, e.g. {@code /usr/lib/softhsm/libsofthsm2.so}
 * @param slot          the slot ID (SunPKCS11 {@code slot}), or null
 * @param slotListIndex the index in the module's slot list (SunPKCS11 {@code slotListIndex}), or null
 * @param tokenLabel    the label of the token to use, or null; SunPKCS11 cannot select a token by
 *                      label, so it is resolved to a slot ID with {@code pkcs11-tool} (OpenSC), which
 *                      must then be installed
 * @param pin           the user PIN; copied by {@link Pkcs11Custody}, so the caller may wipe it
 */
public record Pkcs11Config(Path library, Long slot, Integer slotListIndex, String tokenLabel, char[] pin) {

    public Pkcs11Config {
        Objects.requireNonNull(library, "library");
        int chosen = (slot != null ? 1 : 0) + (slotListIndex != null ? 1 : 0) + (tokenLabel != null ? 1 : 0);
        if (chosen > 1) {
            throw new IllegalArgumentException("choose the PKCS#11 token by one of slot, slotListIndex or tokenLabel, not several");
        }
        if (slotListIndex != null && slotListIndex < 0) {
            throw new IllegalArgumentException("slotListIndex must be 0 or more");
        }
        if (tokenLabel != null && (tokenLabel.isBlank() || tokenLabel.length() > 32)) {
            throw new IllegalArgumentException("a PKCS#11 token label has 1 to 32 characters");
        }
        if (pin == null || pin.length == 0) {
            throw new IllegalArgumentException("a PKCS#11 user PIN is required");
        }
    }

    /** The token chosen by slot list index. */
    public static Pkcs11Config bySlotListIndex(Path library, int index, char[] pin) {
        return new Pkcs11Config(library, null, index, null, pin);
    }

    /** The token chosen by slot ID. */
    public static Pkcs11Config bySlot(Path library, long slot, char[] pin) {
        return new Pkcs11Config(library, slot, null, null, pin);
    }

    /** The token chosen by its label. */
    public static Pkcs11Config byTokenLabel(Path library, String tokenLabel, char[] pin) {
        return new Pkcs11Config(library, null, null, tokenLabel, pin);
    }

    /** Never shows the PIN. */
    @Override
    public String toString() {
        return "Pkcs11Config[library=" + library + ", slot=" + slot + ", slotListIndex=" + slotListIndex
                + ", tokenLabel=" + tokenLabel + ", pin=***]";
    }
}
