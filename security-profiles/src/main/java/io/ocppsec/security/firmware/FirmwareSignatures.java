package io.ocppsec.security.firmware;

import java.security.PublicKey;

/** The UpdateFirmware {@code signature} field: strict base64 of a signature over the image's SHA-256. */
public final class FirmwareSignatures {
    private FirmwareSignatures() {
    }

    /** Strict base64 (RFC 4648 §4); throws {@link FirmwareSignatureException} with a reason code. */
    public static byte[] decode(String base64) {
        throw new UnsupportedOperationException();
    }

    /** Base64 (RFC 4648 §4, no line breaks) of a signature. */
    public static String encode(byte[] signature) {
        throw new UnsupportedOperationException();
    }

    /** Whether {@code signature} is a valid signature of {@code sha256} with {@code key} (ECDSA DER, or RSA-PSS any salt). */
    public static boolean verify(PublicKey key, byte[] sha256, byte[] signature) {
        throw new UnsupportedOperationException();
    }

    /** The algorithm a key of this type signs firmware with; throws {@link FirmwareSignatureException} UNSUPPORTED_KEY. */
    public static FirmwareSignatureAlgorithm algorithmFor(PublicKey key) {
        throw new UnsupportedOperationException();
    }
}
