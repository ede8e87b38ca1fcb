package io.ocppsec.security.firmware;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * The SHA-256 of a whole firmware image and its length in bytes: what a firmware signature is
 * made over (L01.FR.04, L01.FR.09).
 *
 * @param sha256 the 32-byte digest (copied in and out)
 * @param size   the number of image bytes hashed, or -1 when only the digest was given
 */
public record ImageDigest(byte[] sha256, long size) {
    /** Length of a SHA-256 digest in bytes. */
    public static final int LENGTH = 32;

    public ImageDigest {
        if (sha256 == null || sha256.length != LENGTH) {
            throw new IllegalArgumentException("a SHA-256 digest is " + LENGTH + " bytes, got "
                    + (sha256 == null ? "none" : sha256.length));
        }
        if (size < -1) {
            throw new IllegalArgumentException("an image size is at least 0 (or -1 for unknown), got " + size);
        }
        sha256 = sha256.clone();
    }

    /** The 32-byte digest (a copy). */
    @Override
    public byte[] sha256() {
        return sha256.clone();
    }

    /** The digest as lower-case hex. */
    public String hex() {
        return HexFormat.of().formatHex(sha256);
    }

    /**
     * A digest given as 64 hex characters (either case) or 44 base64 characters; size -1.
     *
     * @throws IllegalArgumentException naming what is wrong (length, the position of a non-hex
     *                                  character, non-canonical base64), never repeating the input
     */
    public static ImageDigest parse(String hexOrBase64) {
        if (hexOrBase64 == null || hexOrBase64.isEmpty()) {
            throw new IllegalArgumentException("no SHA-256 digest given");
        }
        int n = hexOrBase64.length();
        if (n == 2 * LENGTH) {
            for (int i = 0; i < n; i++) {
                if (!isHexDigit(hexOrBase64.charAt(i))) {
                    throw new IllegalArgumentException("a SHA-256 digest of 64 characters must be hex; character "
                            + (i + 1) + " is not a hex digit");
                }
            }
            return new ImageDigest(HexFormat.of().parseHex(hexOrBase64), -1);
        }
        if (n == 44) {
            if (!StrictBase64.isCanonical(hexOrBase64)) {
                throw new IllegalArgumentException("a SHA-256 digest of 44 characters must be canonical base64 (RFC 4648 §4)");
            }
            byte[] bytes = StrictBase64.decode(hexOrBase64);
            if (bytes.length != LENGTH) {
                throw new IllegalArgumentException("the base64 digest decodes to " + bytes.length + " bytes, not " + LENGTH);
            }
            return new ImageDigest(bytes, -1);
        }
        throw new IllegalArgumentException("a SHA-256 digest is 64 hex or 44 base64 characters, got " + n + " characters");
    }

    private static boolean isHexDigit(char c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }

    /** Same digest and size. */
    @Override
    public boolean equals(Object o) {
        return o instanceof ImageDigest other && size == other.size && MessageDigest.isEqual(sha256, other.sha256);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(sha256) + Long.hashCode(size);
    }

    @Override
    public String toString() {
        return "ImageDigest[sha256=" + hex() + ", size=" + size + "]";
    }
}
