package io.ocppsec.pki.custody.pkcs11;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The PKCS#11 settings and the SunPKCS11 configuration made from them; no token needed. */
class Pkcs11ConfigTest {
    private static final Path LIB = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    private static final String PIN = "pin-that-must-not-show-0193";

    @Test
    void sunPkcs11ConfigMarksGeneratedPrivateKeysSensitiveAndNotExtractableTokenObjects() {
        String cfg = Pkcs11Custody.sunPkcs11Config(Pkcs11Config.bySlot(LIB, 7, PIN.toCharArray()), "slot = 7");
        assertThat(cfg).contains("library = \"" + LIB + "\"", "slot = 7", "attributes(generate, CKO_PRIVATE_KEY, *)",
                "CKA_TOKEN = true", "CKA_PRIVATE = true", "CKA_SENSITIVE = true", "CKA_EXTRACTABLE = false",
                "CKA_SIGN = true", "CKA_DECRYPT = false", "CKA_UNWRAP = false", "CKA_DERIVE = false");
        assertThat(cfg).doesNotContain(PIN);
    }

    @Test
    void tokenIsChosenOneWayOnly() {
        assertThatThrownBy(() -> new Pkcs11Config(LIB, 1L, 0, null, PIN.toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one of slot, slotListIndex or tokenLabel");
    }

    @Test
    void pinIsRequiredAndNeverShown() {
        assertThatThrownBy(() -> Pkcs11Config.bySlot(LIB, 1, new char[0])).hasMessageContaining("PIN is required");
        assertThat(Pkcs11Config.byTokenLabel(LIB, "ca", PIN.toCharArray()).toString()).doesNotContain(PIN).contains("pin=***");
    }

    @Test
    void tokenLabelIsFoundInPkcs11ToolsSlotListing() {
        String listing = """
                Available slots:
                Slot 0 (0x158b1715): SoftHSM slot ID 0x158b1715
                  token label        : ocppsec-ca
                  token manufacturer : SoftHSM project
                  token model        : SoftHSM v2
                Slot 1 (0x2a): SoftHSM slot ID 0x2a
                  token label        : other
                Slot 2 (0x1): SoftHSM slot ID 0x1
                  token state:   uninitialized
                """;
        assertThat(TokenLabels.slotsLabelled(listing, "ocppsec-ca")).containsExactly(0x158b1715L);
        assertThat(TokenLabels.slotsLabelled(listing, "other")).containsExactly(42L);
        assertThat(TokenLabels.slotsLabelled(listing, "ocppsec")).isEmpty();
    }
}
