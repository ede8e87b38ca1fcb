package io.ocppsec.pki.ca;

import java.math.BigInteger;
import java.security.SecureRandom;

/**
 * Certificate serial numbers: 127 bits from a CSPRNG (positive, at most 16 octets in DER, well
 * within RFC 5280's 20; at least 64 bits of entropy as the CA/Browser Forum requires), never a
 * counter or a clock. Uniqueness is also enforced by the inventory's primary key.
 */
public final class SerialNumbers {
    private final SecureRandom random = new SecureRandom();

    public BigInteger next() {
        byte[] b = new byte[16];
        BigInteger serial;
        do {
            random.nextBytes(b);
            b[0] &= 0x7f;
            serial = new BigInteger(1, b);
        } while (serial.bitLength() < 64);
        return serial;
    }

    /** The inventory's form: lower-case hex without leading zeroes (as OCPP's CertificateHashData). */
    public static String hex(BigInteger serial) {
        return serial.toString(16);
    }
}
