package io.ocppsec.pki.custody.pkcs12;

import java.nio.file.Path;
import java.util.Objects;

/**
 * Settings of the PKCS#12 backend.
 *
 * @param file     the keystore file, e.g. {@code <data-dir>/ca.p12}; created on the first key
 * @param password the keystore password (also protects each key entry); copied by
 *                 {@link Pkcs12Custody}, so the caller may wipe its array afterwards
 */
public record Pkcs12Config(Path file, char[] password) {

    public Pkcs12Config {
        Objects.requireNonNull(file, "file");
        if (password == null || password.length == 0) {
            throw new IllegalArgumentException("a PKCS#12 keystore password is required");
        }
    }

    /** Never shows the password. */
    @Override
    public String toString() {
        return "Pkcs12Config[file=" + file + ", password=***]";
    }
}
