package io.ocppsec.security.auth;

/**
 * A strict decoder for the standard base64 alphabet (RFC 4648 §4), used where the JDK decoder is
 * too lenient (it accepts missing padding and non-zero trailing bits): no whitespace, no URL-safe
 * characters, padding exactly as the length requires (or none at all in the unpadded mode), and
 * unused trailing bits zero so that every byte string has exactly one accepted encoding.
 * Total: returns null for anything that is not strictly valid; never throws.
 */
final class StrictBase64 {

    private static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".toCharArray();

    private StrictBase64() {
    }

    /** Decodes padded base64 (length a multiple of 4, 0-2 trailing {@code =}); null if invalid. */
    static byte[] decodePadded(CharSequence s) {
        if (s == null || s.length() % 4 != 0) {
            return null;
        }
        int len = s.length();
        int pad = 0;
        if (len > 0 && s.charAt(len - 1) == '=') {
            pad++;
            if (s.charAt(len - 2) == '=') {
                pad++;
            }
        }
        return decode(s, len - pad);
    }

    /** Decodes unpadded base64 (as in PHC strings); null if invalid or if it contains {@code =}. */
    static byte[] decodeUnpadded(CharSequence s) {
        if (s == null || s.length() % 4 == 1) {
            return null;
        }
        return decode(s, s.length());
    }

    /** Encodes without padding. */
    static String encodeUnpadded(byte[] data) {
        StringBuilder sb = new StringBuilder((data.length * 4 + 2) / 3);
        int i = 0;
        for (; i + 3 <= data.length; i += 3) {
            int v = ((data[i] & 0xff) << 16) | ((data[i + 1] & 0xff) << 8) | (data[i + 2] & 0xff);
            sb.append(ALPHABET[v >>> 18]).append(ALPHABET[(v >>> 12) & 63])
                    .append(ALPHABET[(v >>> 6) & 63]).append(ALPHABET[v & 63]);
        }
        int rest = data.length - i;
        if (rest == 1) {
            int v = (data[i] & 0xff) << 16;
            sb.append(ALPHABET[v >>> 18]).append(ALPHABET[(v >>> 12) & 63]);
        } else if (rest == 2) {
            int v = ((data[i] & 0xff) << 16) | ((data[i + 1] & 0xff) << 8);
            sb.append(ALPHABET[v >>> 18]).append(ALPHABET[(v >>> 12) & 63]).append(ALPHABET[(v >>> 6) & 63]);
        }
        return sb.toString();
    }

    /** Decodes the first {@code n} characters, which must all be alphabet characters. */
    private static byte[] decode(CharSequence s, int n) {
        int rest = n % 4;
        if (rest == 1) {
            return null;
        }
        byte[] out = new byte[(n / 4) * 3 + (rest == 0 ? 0 : rest - 1)];
        int o = 0;
        int i = 0;
        for (; i + 4 <= n; i += 4) {
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            int c = value(s.charAt(i + 2));
            int d = value(s.charAt(i + 3));
            if ((a | b | c | d) < 0) {
                return null;
            }
            int v = (a << 18) | (b << 12) | (c << 6) | d;
            out[o++] = (byte) (v >>> 16);
            out[o++] = (byte) (v >>> 8);
            out[o++] = (byte) v;
        }
        if (rest == 2) {
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            if ((a | b) < 0 || (b & 0x0f) != 0) {
                return null;
            }
            out[o] = (byte) ((a << 2) | (b >>> 4));
        } else if (rest == 3) {
            int a = value(s.charAt(i));
            int b = value(s.charAt(i + 1));
            int c = value(s.charAt(i + 2));
            if ((a | b | c) < 0 || (c & 0x03) != 0) {
                return null;
            }
            int v = (a << 12) | (b << 6) | c;
            out[o++] = (byte) (v >>> 10);
            out[o] = (byte) (v >>> 2);
        }
        return out;
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
