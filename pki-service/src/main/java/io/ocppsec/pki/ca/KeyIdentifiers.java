package io.ocppsec.pki.ca;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Subject key identifiers by RFC 7093 §2 method 1: the leftmost 160 bits of the SHA-256 of the
 * subjectPublicKey bit string (RFC 5280's classic method uses SHA-1, which this CA uses nowhere).
 */
final class KeyIdentifiers {
    private KeyIdentifiers() {
    }

    static byte[] of(SubjectPublicKeyInfo spki) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(spki.getPublicKeyData().getBytes());
            return Arrays.copyOf(h, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
