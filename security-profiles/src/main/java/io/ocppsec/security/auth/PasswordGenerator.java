package io.ocppsec.security.auth;

import java.security.SecureRandom;
import java.util.Objects;

/**
 * Generates BasicAuthPasswords for Charging Stations: each symbol drawn uniformly and independently
 * with a {@link SecureRandom} from the strict 2.0.1 passwordString alphabet
 * ({@code a-z A-Z 0-9 * - _ = : + | @ .}, 71 symbols), so that every station firmware accepts the
 * result whatever edition it follows. A01.FR.06/07: passwords are random and, at 32 symbols
 * (≈197 bits), unique per station with overwhelming probability.
 *
 * <p>The default length is 32; a length may be chosen within the bounds of a {@link PasswordPolicy}
 * (e.g. up to 64 for a 2.1 station whose maxLimit is 64). Thread-safe.
 */
public final class PasswordGenerator {

    /** Default password length in characters. */
    public static final int DEFAULT_LENGTH = 32;

    /** The strict passwordString alphabet, in a fixed order. */
    static final char[] ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789*-_=:+|@.".toCharArray();

    private final int length;
    private final SecureRandom random;

    /** 32 symbols, valid for every edition's policy. */
    public PasswordGenerator() {
        this(PasswordPolicy.ocpp201(), DEFAULT_LENGTH, new SecureRandom());
    }

    /**
     * @param policy the station's policy; {@code length} must lie within its bounds
     * @param length number of symbols
     * @throws IllegalArgumentException if the length is outside the policy's bounds
     */
    public PasswordGenerator(PasswordPolicy policy, int length) {
        this(policy, length, new SecureRandom());
    }

    /** As {@link #PasswordGenerator(PasswordPolicy, int)} with a given random source. */
    public PasswordGenerator(PasswordPolicy policy, int length, SecureRandom random) {
        Objects.requireNonNull(policy, "policy");
        if (length < policy.minLength() || length > policy.maxLength()) {
            throw new IllegalArgumentException("length " + length + " is outside "
                    + policy.minLength() + ".." + policy.maxLength());
        }
        this.length = length;
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The number of symbols in each generated password. */
    public int length() {
        return length;
    }

    /** A new random password; the caller should wipe the array after use. */
    public char[] generate() {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return out;
    }

    /** The alphabet used, as a new array. */
    public static char[] alphabet() {
        return ALPHABET.clone();
    }

    @Override
    public String toString() {
        return "PasswordGenerator[length=" + length + "]";
    }
}
