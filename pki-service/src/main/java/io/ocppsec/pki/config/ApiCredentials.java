package io.ocppsec.pki.config;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import org.springframework.stereotype.Component;

/** Checks presented API tokens in constant time (both sides hashed first, so lengths leak nothing). */
@Component
public class ApiCredentials {
    private final byte[] expectedDigest;

    public ApiCredentials(DataDirectory dataDirectory) {
        this.expectedDigest = sha256(dataDirectory.apiToken());
    }

    public boolean matches(String presented) {
        return presented != null && presented.length() <= 512 && MessageDigest.isEqual(expectedDigest, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
