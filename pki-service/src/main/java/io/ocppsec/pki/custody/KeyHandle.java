package io.ocppsec.pki.custody;

import java.util.Objects;

/**
 * Names a private key held by a custody backend; never the key material itself. Stored with the
 * CA certificate it belongs to, so the CA engine can ask the backend to sign with it.
 *
 * @param backend the backend that holds the key: {@code pkcs12}, {@code pkcs11} or {@code vault}
 * @param id      the key's name inside the backend (keystore alias, token label, Transit key name)
 */
public record KeyHandle(String backend, String id) {

    public KeyHandle {
        Objects.requireNonNull(backend, "backend");
        Objects.requireNonNull(id, "id");
        if (id.isBlank() || id.length() > 128) {
            throw new IllegalArgumentException("key id must be 1 to 128 characters");
        }
    }

    @Override
    public String toString() {
        return backend + ":" + id;
    }
}
