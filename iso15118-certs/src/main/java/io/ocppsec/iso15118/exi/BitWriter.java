package io.ocppsec.iso15118.exi;

import java.math.BigInteger;
import java.util.Arrays;

/** Bit-packed EXI output (MSB first), with the EXI primitive encodings (spec §7.1). */
final class BitWriter {
    private byte[] buf;
    private int pos;     // bytes completed
    private long acc;    // pending bits (the low nacc bits)
    private int nacc;    // number of pending bits (0..7 between calls)

    BitWriter(int capacity) {
        buf = new byte[Math.max(16, capacity)];
    }

    /** Writes the low {@code n} bits of {@code value} (n <= 32), most significant first. */
    void bits(int value, int n) {
        if (n == 0) {
            return;
        }
        acc = (acc << n) | (value & ((1L << n) - 1));
        nacc += n;
        while (nacc >= 8) {
            nacc -= 8;
            put((byte) (acc >>> nacc));
        }
        acc &= (1L << nacc) - 1;
    }

    private void put(byte b) {
        if (pos == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        buf[pos++] = b;
    }

    private void ensure(int more) {
        if (pos + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + more));
        }
    }

    void byteValue(int b) {
        if (nacc == 0) {
            put((byte) b);
        } else {
            bits(b & 0xFF, 8);
        }
    }

    void unsignedInt(long v) {
        while (true) {
            int low = (int) (v & 0x7F);
            v >>>= 7;
            if (v != 0) {
                byteValue(low | 0x80);
            } else {
                byteValue(low);
                return;
            }
        }
    }

    void unsignedBig(BigInteger v) {
        if (v.bitLength() < 63) {
            unsignedInt(v.longValue());
            return;
        }
        BigInteger rest = v;
        while (true) {
            int low = rest.intValue() & 0x7F;
            rest = rest.shiftRight(7);
            if (rest.signum() != 0) {
                byteValue(low | 0x80);
            } else {
                byteValue(low);
                return;
            }
        }
    }

    /** EXI Integer: sign bit, then the magnitude (negative: -v-1) as an unsigned integer. */
    void integer(BigInteger v) {
        if (v.signum() < 0) {
            bits(1, 1);
            unsignedBig(v.negate().subtract(BigInteger.ONE));
        } else {
            bits(0, 1);
            unsignedBig(v);
        }
    }

    void binary(byte[] data) {
        unsignedInt(data.length);
        ensure(data.length + 1);
        if (nacc == 0) {
            System.arraycopy(data, 0, buf, pos, data.length);
            pos += data.length;
        } else {
            int shift = nacc;
            int carry = (int) acc; // the pending high bits
            for (byte b : data) {
                int v = (carry << 8) | (b & 0xFF);
                buf[pos++] = (byte) (v >>> shift);
                carry = v & ((1 << shift) - 1);
            }
            acc = carry;
        }
    }

    /** A string value as a literal (length+2, code points); value partitions are never hit (capacity 0). */
    void stringLiteral(String s, int codePoints) {
        unsignedInt(codePoints + 2L);
        chars(s);
    }

    /** Untyped/literal characters: length, code points (used for CH [untyped] and plain strings). */
    void chars(String s) {
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            unsignedInt(cp);
            i += Character.charCount(cp);
        }
    }

    byte[] toByteArray() {
        if (nacc > 0) {
            put((byte) (acc << (8 - nacc)));
            acc = 0;
            nacc = 0;
        }
        return Arrays.copyOf(buf, pos);
    }
}
