package io.ocppsec.pki.custody;

import java.util.Optional;

/**
 * Small secrets the service needs at start (the PKCS#12 keystore password, the HSM PIN, ...):
 * files in the data directory (mode 0600) by default, or HashiCorp Vault KV v2.
 */
public interface SecretStore {

    /** The secret named {@code name}, if present. */
    Optional<String> get(String name);

    /** Stores (creates or replaces) a secret. */
    void put(String name, String value);
}
