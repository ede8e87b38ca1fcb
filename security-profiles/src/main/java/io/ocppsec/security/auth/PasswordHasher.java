package io.ocppsec.security.auth;

import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * Stores Basic-auth passwords as salted, slow hashes (A01.FR.08: the CSMS SHOULD store only salted
 * password hashes) and verifies presented passwords against them (A00.FR.207 / A00.FR.324).
 *
 * <p>KDF: Argon2id (RFC 9106) from Bouncy Castle, version 0x13, a fresh 16-byte salt from
 * {@link SecureRandom} per hash, 32-byte output, cost {@link Argon2Params#OWASP_MINIMUM} unless
 * configured. The encoded form is the PHC string format:
 * {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, salt and hash in standard base64 without
 * padding, so other Argon2 libraries can verify it.
 *
 * <p>Safety: the password is bounded ({@value #MAX_PASSWORD_BYTES} UTF-8 bytes) before hashing;
 * {@link #verify(char[], String)} parses the stored string totally (garbage gives false, never an
 * exception) and refuses absurd parameters ({@link Argon2Params#MAX_MEMORY_KIB} etc.) before running
 * the KDF, so a tampered database row cannot make us allocate gigabytes or spin for minutes; the
 * derived hash is compared in constant time. No password or hash ever appears in a log, exception
 * message or {@code toString()} (A01.FR.09). Thread-safe.
 */
public final class PasswordHasher {

    /** Longest password accepted, in UTF-8 bytes (the longest legal one is 64 code points). */
    public static final int MAX_PASSWORD_BYTES = 256;
    /** Salt length in bytes. */
    public static final int SALT_LENGTH = 16;
    /** Hash length in bytes. */
    public static final int HASH_LENGTH = 32;

    private static final int MAX_ENCODED_LENGTH = 512;
    private static final int MIN_STORED_SALT = 8;
    private static final int MAX_STORED_SALT = 64;
    private static final int MIN_STORED_HASH = 16;
    private static final int MAX_STORED_HASH = 64;
    private static final String PREFIX = "$argon2id$v=19$";
    private static final Base64.Encoder B64 = Base64.getEncoder().withoutPadding();

    private final Argon2Params params;
    private final SecureRandom random;

    /** With the OWASP minimum parameters (m=19 MiB, t=2, p=1). */
    public PasswordHasher() {
        this(Argon2Params.OWASP_MINIMUM);
    }

    /** With the given parameters (tests may use small ones; production should not go below the default). */
    public PasswordHasher(Argon2Params params) {
        this(params, new SecureRandom());
    }

    /** With the given parameters and salt source. */
    public PasswordHasher(Argon2Params params, SecureRandom random) {
        this.params = Objects.requireNonNull(params, "params");
        this.random = Objects.requireNonNull(random, "random");
    }

    /** The parameters new hashes are made with. */
    public Argon2Params params() {
        return params;
    }

    /**
     * Hashes a password with a fresh salt.
     *
     * @return the PHC string
     * @throws IllegalArgumentException if the password is longer than {@value #MAX_PASSWORD_BYTES}
     *                                  UTF-8 bytes or holds an unpaired surrogate (the message never
     *                                  contains the password)
     */
    public String hash(char[] password) {
        Objects.requireNonNull(password, "password");
        byte[] pw = utf8(password);
        if (pw == null) {
            throw new IllegalArgumentException("password is too long or not encodable as UTF-8");
        }
        byte[] salt = new byte[SALT_LENGTH];
        random.nextBytes(salt);
        byte[] out = new byte[HASH_LENGTH];
        try {
            derive(pw, salt, params.memoryKiB(), params.iterations(), params.parallelism(), out);
            return PREFIX + "m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                    + "$" + B64.encodeToString(salt) + "$" + B64.encodeToString(out);
        } finally {
            Arrays.fill(pw, (byte) 0);
            Arrays.fill(out, (byte) 0);
        }
    }

    /**
     * Whether {@code password} matches the stored PHC string. Total: null, garbage, an unsupported
     * algorithm or absurd parameters give false.
     */
    public boolean verify(char[] password, String encoded) {
        if (password == null) {
            return false;
        }
        Parsed stored = parse(encoded);
        if (stored == null) {
            return false;
        }
        byte[] pw = utf8(password);
        if (pw == null) {
            return false;
        }
        byte[] out = new byte[stored.hash.length];
        try {
            derive(pw, stored.salt, stored.memoryKiB, stored.iterations, stored.parallelism, out);
            return MessageDigest.isEqual(out, stored.hash);
        } catch (RuntimeException e) {
            // Defensive: parameters were validated, but a KDF failure must not escape verify().
            return false;
        } finally {
            Arrays.fill(pw, (byte) 0);
            Arrays.fill(out, (byte) 0);
        }
    }

    /**
     * Whether a stored hash should be replaced at the next successful login: true when it cannot be
     * parsed, or its memory cost, time cost, salt or hash length is below the current settings.
     */
    public boolean needsRehash(String encoded) {
        Parsed stored = parse(encoded);
        return stored == null
                || stored.memoryKiB < params.memoryKiB()
                || stored.iterations < params.iterations()
                || stored.salt.length < SALT_LENGTH
                || stored.hash.length < HASH_LENGTH;
    }

    /** Whether a string is a PHC Argon2id string this class can verify. */
    public static boolean isWellFormed(String encoded) {
        return parse(encoded) != null;
    }

    @Override
    public String toString() {
        return "PasswordHasher[argon2id " + params + "]";
    }

    private static void derive(byte[] password, byte[] salt, int m, int t, int p, byte[] out) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(m)
                .withIterations(t)
                .withParallelism(p)
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        generator.generateBytes(password, out);
    }

    /** UTF-8 bytes, or null when too long or not encodable. Bounded before encoding. */
    private static byte[] utf8(char[] password) {
        if (password.length > MAX_PASSWORD_BYTES) {
            return null;
        }
        CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer buffer;
        try {
            buffer = encoder.encode(CharBuffer.wrap(password));
        } catch (CharacterCodingException e) {
            return null;
        }
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        if (buffer.hasArray()) {
            Arrays.fill(buffer.array(), (byte) 0);
        }
        if (bytes.length > MAX_PASSWORD_BYTES) {
            Arrays.fill(bytes, (byte) 0);
            return null;
        }
        return bytes;
    }

    private record Parsed(int memoryKiB, int iterations, int parallelism, byte[] salt, byte[] hash) {
    }

    /** Strict PHC parse: {@code $argon2id$v=19$m=M,t=T,p=P$salt$hash}; null if anything is off. */
    private static Parsed parse(String encoded) {
        if (encoded == null || encoded.length() > MAX_ENCODED_LENGTH || !encoded.startsWith(PREFIX)) {
            return null;
        }
        String rest = encoded.substring(PREFIX.length());
        int d1 = rest.indexOf('$');
        if (d1 < 0) {
            return null;
        }
        int d2 = rest.indexOf('$', d1 + 1);
        if (d2 < 0 || rest.indexOf('$', d2 + 1) >= 0) {
            return null;
        }
        String paramPart = rest.substring(0, d1);
        String[] kv = paramPart.split(",", -1);
        if (kv.length != 3 || !kv[0].startsWith("m=") || !kv[1].startsWith("t=") || !kv[2].startsWith("p=")) {
            return null;
        }
        long m = decimal(kv[0].substring(2));
        long t = decimal(kv[1].substring(2));
        long p = decimal(kv[2].substring(2));
        if (m < 0 || t < 0 || p < 0 || !Argon2Params.acceptable(m, t, p)) {
            return null;
        }
        byte[] salt = decodeUnpadded(rest.substring(d1 + 1, d2));
        byte[] hash = decodeUnpadded(rest.substring(d2 + 1));
        if (salt == null || hash == null
                || salt.length < MIN_STORED_SALT || salt.length > MAX_STORED_SALT
                || hash.length < MIN_STORED_HASH || hash.length > MAX_STORED_HASH) {
            return null;
        }
        return new Parsed((int) m, (int) t, (int) p, salt, hash);
    }

    /** Standard base64 without padding, as PHC strings carry it; null when malformed. */
    private static byte[] decodeUnpadded(String s) {
        if (s.isEmpty() || s.indexOf('=') >= 0) {
            return null;
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** A canonical decimal (no sign, no leading zero, at most 10 digits), or -1. */
    private static long decimal(String s) {
        if (s.isEmpty() || s.length() > 10 || (s.length() > 1 && s.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }
}
