package io.ocppsec.iso15118.exi;

import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/** byte[] helpers for the records (value equality, defensive copies). */
final class Bytes {
    private Bytes() {
    }

    static byte[] copy(byte[] b, String what) {
        return Objects.requireNonNull(b, what).clone();
    }

    static List<byte[]> copy(List<byte[]> list, String what) {
        return Objects.requireNonNull(list, what).stream().map(b -> copy(b, what)).toList();
    }

    static boolean equal(List<byte[]> a, List<byte[]> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    static int hash(List<byte[]> list) {
        int h = 1;
        for (byte[] b : list) {
            h = 31 * h + java.util.Arrays.hashCode(b);
        }
        return h;
    }

    static String hex(byte[] b) {
        return b == null ? "null" : HexFormat.of().formatHex(b);
    }
}
