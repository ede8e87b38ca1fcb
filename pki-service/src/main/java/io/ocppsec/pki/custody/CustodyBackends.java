package io.ocppsec.pki.custody;

import io.ocppsec.pki.custody.pkcs11.Pkcs11Config;
import io.ocppsec.pki.custody.pkcs11.Pkcs11Custody;
import io.ocppsec.pki.custody.pkcs12.Pkcs12Config;
import io.ocppsec.pki.custody.pkcs12.Pkcs12Custody;
import io.ocppsec.pki.custody.vault.VaultKvSecretStore;
import io.ocppsec.pki.custody.vault.VaultSettings;
import io.ocppsec.pki.custody.vault.VaultTransitCustody;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Optional;

/**
 * Builds the configured {@link KeyCustody} and {@link SecretStore} from a {@link CustodyConfig}
 * (after step-ca's {@code kms.New}: one switch on the backend name, one package per backend).
 *
 * <p>The secret store is made first, because it can hold the secrets the key backend needs: the
 * PKCS#12 keystore password ({@value #PKCS12_PASSWORD_SECRET}, generated on first start when not
 * configured) and the PKCS#11 PIN ({@value #PKCS11_PIN_SECRET}). The Vault token cannot come from
 * Vault and must be configured.
 */
public final class CustodyBackends {
    /** The secret holding the PKCS#12 keystore password when it is not configured. */
    public static final String PKCS12_PASSWORD_SECRET = "pkcs12-password";
    /** The secret holding the PKCS#11 user PIN when it is not configured. */
    public static final String PKCS11_PIN_SECRET = "pkcs11-pin";

    private static final SecureRandom RANDOM = new SecureRandom();

    private CustodyBackends() {}

    /** The key custody and the secret store, closed together. */
    public record Custody(KeyCustody keys, SecretStore secrets) implements AutoCloseable {
        @Override
        public void close() {
            keys.close();
        }
    }

    /**
     * Opens the configured backends.
     *
     * @throws CustodyException with a message naming the setting to fix when the configuration is
     *                          incomplete or a backend cannot be opened
     */
    public static Custody open(CustodyConfig config) {
        SecretStore secrets = openSecretStore(config);
        KeyCustody keys;
        switch (config.backend()) {
            case Pkcs12Custody.NAME:
                keys = openPkcs12(config, secrets);
                break;
            case Pkcs11Custody.NAME:
                keys = openPkcs11(config, secrets);
                break;
            case VaultTransitCustody.NAME:
                keys = VaultTransitCustody.open(requireVault(config, "ocppsec.custody.backend=vault"));
                break;
            default:
                throw new CustodyException("unknown key custody backend '" + config.backend() + "': use pkcs12, pkcs11 or vault");
        }
        return new Custody(keys, secrets);
    }

    /** Opens only the configured secret store. */
    public static SecretStore openSecretStore(CustodyConfig config) {
        switch (config.secretStore()) {
            case "file":
                return new FileSecretStore(config.dataDir().resolve("secrets"));
            case "vault":
                return VaultKvSecretStore.open(requireVault(config, "ocppsec.custody.secret-store=vault"));
            default:
                throw new CustodyException("unknown secret store '" + config.secretStore() + "': use file or vault");
        }
    }

    private static KeyCustody openPkcs12(CustodyConfig config, SecretStore secrets) {
        CustodyConfig.Pkcs12 s = config.pkcs12() != null ? config.pkcs12() : new CustodyConfig.Pkcs12(null, null);
        Path file = s.file() != null ? s.file() : config.dataDir().resolve("ca.p12");
        char[] password = s.password() != null && s.password().length > 0 ? s.password().clone() : null;
        try {
            if (password == null) {
                Optional<String> stored = secrets.get(PKCS12_PASSWORD_SECRET);
                if (stored.isPresent()) {
                    password = stored.get().toCharArray();
                } else if (Files.exists(file)) {
                    throw new CustodyException("the keystore " + file + " exists but no password is configured: set"
                            + " ocppsec.custody.pkcs12.password or store it as secret " + PKCS12_PASSWORD_SECRET);
                } else {
                    byte[] raw = new byte[32];
                    RANDOM.nextBytes(raw);
                    String generated = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
                    Arrays.fill(raw, (byte) 0);
                    secrets.put(PKCS12_PASSWORD_SECRET, generated);
                    password = generated.toCharArray();
                }
            }
            return Pkcs12Custody.open(new Pkcs12Config(file, password));
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
    }

    private static KeyCustody openPkcs11(CustodyConfig config, SecretStore secrets) {
        CustodyConfig.Pkcs11 s = config.pkcs11();
        if (s == null || s.library() == null) {
            throw new CustodyException("ocppsec.custody.backend=pkcs11 needs ocppsec.custody.pkcs11.library (the PKCS#11 module)");
        }
        char[] pin = s.pin() != null && s.pin().length > 0 ? s.pin().clone() : null;
        try {
            if (pin == null) {
                pin = secrets.get(PKCS11_PIN_SECRET).map(String::toCharArray).orElseThrow(() -> new CustodyException(
                        "no PKCS#11 PIN: set ocppsec.custody.pkcs11.pin or store it as secret " + PKCS11_PIN_SECRET));
            }
            try {
                return Pkcs11Custody.open(new Pkcs11Config(s.library(), s.slot(), s.slotListIndex(), s.tokenLabel(), pin));
            } catch (IllegalArgumentException e) {
                throw new CustodyException("invalid PKCS#11 settings: " + e.getMessage(), e);
            }
        } finally {
            if (pin != null) {
                Arrays.fill(pin, '\0');
            }
        }
    }

    private static VaultSettings requireVault(CustodyConfig config, String because) {
        if (config.vault() == null) {
            throw new CustodyException(because + " needs the Vault settings (ocppsec.custody.vault.address and .token)");
        }
        return config.vault();
    }
}
