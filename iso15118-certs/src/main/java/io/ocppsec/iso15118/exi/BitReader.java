package io.ocppsec.iso15118.exi;

import java.math.BigInteger;

/** Bit-packed EXI input (MSB first) with bounded primitive decoders. */
final class BitReader {
    private final byte[] data;
    private long bitPos;
    private final long bitLen;

    BitReader(byte[] data) {
        this.data = data;
        this.bitLen = data.length * 8L;
    }

    int bits(int n) throws ExiException {
        if (n == 0) {
            return 0;
        }
        if (bitPos + n > bitLen) {
            throw new ExiException(ExiException.Reason.TRUNCATED, "EXI stream truncated at bit " + bitPos);
        }
        int v = 0;
        while (n > 0) {
            int off = (int) (bitPos & 7);
            int avail = 8 - off;
            int take = Math.min(avail, n);
            int b = ((data[(int) (bitPos >>> 3)] & 0xFF) >>> (avail - take)) & ((1 << take) - 1);
            v = (v << take) | b;
            n -= take;
            bitPos += take;
        }
        return v;
    }

    int byteValue() throws ExiException {
        if (bitPos + 8 > bitLen) {
            throw new ExiException(ExiException.Reason.TRUNCATED, "EXI stream truncated at bit " + bitPos);
        }
        int i = (int) (bitPos >>> 3);
        int off = (int) (bitPos & 7);
        bitPos += 8;
        if (off == 0) {
            return data[i] & 0xFF;
        }
        return ((((data[i] & 0xFF) << 8) | (data[i + 1] & 0xFF)) >>> (8 - off)) & 0xFF;
    }

    /** Unsigned integer bounded to {@code max} (inclusive). */
    long unsignedInt(long max, String what) throws ExiException {
        long v = 0;
        for (int shift = 0; ; shift += 7) {
            if (shift > 56) {
                throw new ExiException(ExiException.Reason.LIMIT_EXCEEDED, what + ": unsigned integer too large");
            }
            int b = byteValue();
            v |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        if (v < 0 || v > max) {
            throw new ExiException(ExiException.Reason.LIMIT_EXCEEDED, what + ": value " + v + " exceeds " + max);
        }
        return v;
    }

    BigInteger unsignedBig(int maxGroups, String what) throws ExiException {
        BigInteger v = BigInteger.ZERO;
        for (int i = 0; ; i++) {
            if (i >= maxGroups) {
                throw new ExiException(ExiException.Reason.LIMIT_EXCEEDED, what + ": integer too large");
            }
            int b = byteValue();
            v = v.or(BigInteger.valueOf(b & 0x7F).shiftLeft(7 * i));
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    BigInteger integer(int maxGroups, String what) throws ExiException {
        boolean negative = bits(1) == 1;
        BigInteger m = unsignedBig(maxGroups, what);
        return negative ? m.add(BigInteger.ONE).negate() : m;
    }

    byte[] binary(int maxLen, String what) throws ExiException {
        int len = (int) unsignedInt(maxLen, what + " length");
        if (bitPos + len * 8L > bitLen) {
            throw new ExiException(ExiException.Reason.TRUNCATED, "EXI stream truncated in " + what);
        }
        byte[] out = new byte[len];
        int off = (int) (bitPos & 7);
        int i0 = (int) (bitPos >>> 3);
        if (off == 0) {
            System.arraycopy(data, i0, out, 0, len);
        } else {
            for (int i = 0; i < len; i++) {
                out[i] = (byte) ((((data[i0 + i] & 0xFF) << 8) | (data[i0 + i + 1] & 0xFF)) >>> (8 - off));
            }
        }
        bitPos += len * 8L;
        return out;
    }

    String chars(int count, String what) throws ExiException {
        if (bitPos + count * 8L > bitLen) {
            throw new ExiException(ExiException.Reason.TRUNCATED, "EXI stream truncated in " + what);
        }
        StringBuilder sb = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            long cp = unsignedInt(Character.MAX_CODE_POINT, what + " character");
            if (cp >= Character.MIN_SURROGATE && cp <= Character.MAX_SURROGATE) {
                throw new ExiException(ExiException.Reason.INVALID, what + ": surrogate code point");
            }
            sb.appendCodePoint((int) cp);
        }
        return sb.toString();
    }

    /** After the last event: only zero padding up to the byte boundary, then nothing. */
    void expectEnd() throws ExiException {
        long end = (bitPos + 7) & ~7L;
        while (bitPos < end) {
            if (bits(1) != 0) {
                throw new ExiException(ExiException.Reason.TRAILING_DATA, "non-zero padding after the EXI document");
            }
        }
        if (bitPos != bitLen) {
            throw new ExiException(ExiException.Reason.TRAILING_DATA,
                    (bitLen - bitPos) / 8 + " trailing byte(s) after the EXI document");
        }
    }
}
