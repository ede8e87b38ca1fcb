package io.ocppsec.security.firmware;

/**
 * The SHA-256 of a whole firmware image and its length in bytes: what a firmware signature is
 * made over (L01.FR.04, L01.FR.09).
 *
 * @param sha256 the 32-byte digest (copied in and out)
 * @param size   the number of image bytes hashed, or -1 when only the digest was given
 */
public record ImageDigest(byte[] sha256, long size) {
    // STUB: contract only; the implementation comes with the firmware library.

    /** The digest as lower-case hex. */
    public String hex() {
        throw new UnsupportedOperationException();
    }

    /** A digest given as 64 hex characters (either case) or 44 base64 characters; size -1. */
    public static ImageDigest parse(String hexOrBase64) {
        throw new UnsupportedOperationException();
    }
}
