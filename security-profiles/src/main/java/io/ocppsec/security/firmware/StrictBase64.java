package io.ocppsec.security.firmware;

import java.util.Base64;

/**
 * Strict base64 (RFC 4648 §4, standard alphabet): the length a multiple of four, padding exactly
 * where needed, no whitespace or line breaks, no URL-safe characters, and the unused bits of the
 * last character zero (RFC 4648 §3.5), so each byte string has exactly one accepted text.
 */
final class StrictBase64 {
    private StrictBase64() {
    }

    /** Whether {@code text} is canonical padded base64 (the empty string is). Linear, no allocation. */
    static boolean isCanonical(String text) {
        int n = text.length();
        if (n % 4 != 0) {
            return false;
        }
        int pad = 0;
        if (n > 0 && text.charAt(n - 1) == '=') {
            pad = n > 1 && text.charAt(n - 2) == '=' ? 2 : 1;
        }
        int data = n - pad;
        for (int i = 0; i < data; i++) {
            if (value(text.charAt(i)) < 0) {
                return false;
            }
        }
        if (pad > 0) {
            // The last data character carries 4 (one '=') or 2 (two '=') bits that must be zero.
            int last = value(text.charAt(data - 1));
            int unused = pad == 1 ? 0x03 : 0x0f;
            return (last & unused) == 0;
        }
        return true;
    }

    /** Decodes text {@link #isCanonical(String)} accepted. */
    static byte[] decode(String canonical) {
        return Base64.getDecoder().decode(canonical);
    }

    private static int value(char c) {
        if (c >= 'A' && c <= 'Z') {
            return c - 'A';
        }
        if (c >= 'a' && c <= 'z') {
            return c - 'a' + 26;
        }
        if (c >= '0' && c <= '9') {
            return c - '0' + 52;
        }
        if (c == '+') {
            return 62;
        }
        if (c == '/') {
            return 63;
        }
        return -1;
    }
}
