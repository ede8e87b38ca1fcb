package io.ocppsec.iso15118.exi;

import java.util.Arrays;
import java.util.Objects;

/** {@code ContractSignatureEncryptedPrivateKey}: Id (required) and base64Binary value (at most 48 bytes). */
public record EncryptedPrivateKey(String id, byte[] value) {
    public EncryptedPrivateKey {
        Objects.requireNonNull(id, "id");
        value = Bytes.copy(value, "value");
    }

    @Override
    public byte[] value() {
        return value.clone();
    }

    byte[] valueUnsafe() {
        return value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EncryptedPrivateKey k && id.equals(k.id) && Arrays.equals(value, k.value);
    }

    @Override
    public int hashCode() {
        return 31 * id.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "EncryptedPrivateKey[id=" + id + ", " + value.length + " bytes]";
    }
}
