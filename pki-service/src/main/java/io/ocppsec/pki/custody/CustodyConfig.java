package io.ocppsec.pki.custody;

import io.ocppsec.pki.custody.vault.VaultSettings;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * Which custody backend and secret store to use, and their settings, as plain values (the Spring
 * binding of {@code ocppsec.custody.*} builds one of these). {@link CustodyBackends#open} turns it
 * into a running {@link KeyCustody} and {@link SecretStore}.
 *
 * @param backend     {@code pkcs12} (default), {@code pkcs11} or {@code vault}
 * @param secretStore {@code file} (default) or {@code vault}
 * @param dataDir     the service's data directory: holds {@code ca.p12} and {@code secrets/} by default
 * @param pkcs12      PKCS#12 settings, or null for the defaults
 * @param pkcs11      PKCS#11 settings; required for {@code backend=pkcs11}
 * @param vault       Vault settings; required when the backend or the secret store is {@code vault}
 */
public record CustodyConfig(String backend, String secretStore, Path dataDir, Pkcs12 pkcs12, Pkcs11 pkcs11, VaultSettings vault) {

    /**
     * PKCS#12 backend settings.
     *
     * @param file     the keystore, default {@code <dataDir>/ca.p12}
     * @param password the keystore password; when null it is read from the secret
     *                 {@value CustodyBackends#PKCS12_PASSWORD_SECRET}, and when that does not exist
     *                 either (first start, no keystore yet) a random one is made and stored there
     */
    public record Pkcs12(Path file, char[] password) {
        @Override
        public String toString() {
            return "Pkcs12[file=" + file + ", password=" + (password == null ? "unset" : "***") + "]";
        }
    }

    /**
     * PKCS#11 backend settings; the token is chosen as in
     * {@link io.ocppsec.pki.custody.pkcs11.Pkcs11Config}.
     *
     * @param pin the user PIN; when null it is read from the secret
     *            {@value CustodyBackends#PKCS11_PIN_SECRET}
     */
    public record Pkcs11(Path library, Long slot, Integer slotListIndex, String tokenLabel, char[] pin) {
        @Override
        public String toString() {
            return "Pkcs11[library=" + library + ", slot=" + slot + ", slotListIndex=" + slotListIndex + ", tokenLabel=" + tokenLabel
                    + ", pin=" + (pin == null ? "unset" : "***") + "]";
        }
    }

    public CustodyConfig {
        Objects.requireNonNull(dataDir, "dataDir");
        backend = backend == null || backend.isBlank() ? "pkcs12" : backend.strip().toLowerCase(Locale.ROOT);
        secretStore = secretStore == null || secretStore.isBlank() ? "file" : secretStore.strip().toLowerCase(Locale.ROOT);
    }

    /** The defaults: PKCS#12 in {@code <dataDir>/ca.p12}, secrets in {@code <dataDir>/secrets}. */
    public static CustodyConfig defaults(Path dataDir) {
        return new CustodyConfig(null, null, dataDir, null, null, null);
    }
}
