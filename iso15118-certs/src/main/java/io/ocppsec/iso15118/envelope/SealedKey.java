package io.ocppsec.iso15118.envelope;

import java.util.Arrays;
import java.util.Objects;

/**
 * An encrypted contract private key as the certificate installation/update response carries it:
 * {@code ContractSignatureEncryptedPrivateKey} (IV ‖ ciphertext [‖ tag]) and the sender's ephemeral
 * {@code DHpublickey}. Byte arrays are copied in and out.
 *
 * @param encryptedPrivateKey -2: 48 bytes (IV 16 ‖ AES-128-CBC 32); -20: 94 (P-521) or 84 (X448) bytes
 *                            (IV 12 ‖ AES-256-GCM ciphertext ‖ tag 16)
 * @param dhPublicKey         -2: 65 bytes (uncompressed P-256 point); -20: 133 (uncompressed P-521
 *                            point) or 56 (X448)
 */
public record SealedKey(byte[] encryptedPrivateKey, byte[] dhPublicKey) {

    public SealedKey {
        encryptedPrivateKey = Objects.requireNonNull(encryptedPrivateKey, "encryptedPrivateKey").clone();
        dhPublicKey = Objects.requireNonNull(dhPublicKey, "dhPublicKey").clone();
    }

    @Override
    public byte[] encryptedPrivateKey() {
        return encryptedPrivateKey.clone();
    }

    @Override
    public byte[] dhPublicKey() {
        return dhPublicKey.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SealedKey s && Arrays.equals(encryptedPrivateKey, s.encryptedPrivateKey)
                && Arrays.equals(dhPublicKey, s.dhPublicKey);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(encryptedPrivateKey) + Arrays.hashCode(dhPublicKey);
    }

    @Override
    public String toString() {
        return "SealedKey[" + encryptedPrivateKey.length + " + " + dhPublicKey.length + " bytes]";
    }
}
