package io.ocppsec.security.firmware;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.NoSuchProviderException;
import java.util.Objects;

/**
 * Streams an image through SHA-256 with a fixed buffer, never holding it whole, refusing more
 * than {@code maxBytes} bytes with {@link ImageTooLargeException}.
 *
 * <p>The digest is the JDK's own SHA-256 from the SUN provider, asked for by name: HotSpot
 * compiles it to the CPU's SHA instructions (SHA-NI on x86, the SHA2 extension on ARMv8), several
 * times faster than Bouncy Castle's pure-Java digest, and it stays the JDK's even where Bouncy
 * Castle is installed as the first provider. Memory is one buffer of {@link #DEFAULT_BUFFER_SIZE}
 * bytes per call, whatever the image size; at most one byte beyond {@code maxBytes} is read.
 */
public final class ImageDigests {
    /**
     * The read buffer of {@link #sha256(Path, long)} and {@link #sha256(InputStream, long)}, 1 MiB.
     * In {@code FirmwareVerifyThroughput} (docs/benchmarks.md, "Signed firmware") 1 MiB direct
     * buffers were the fastest in six runs on a quiet machine, 1.5-6% ahead of 256 KiB and 4.5-10%
     * ahead of 64 KiB; 4 MiB was slower (the buffer no longer stays in the CPU's cache between read
     * and digest) and heap arrays of 64 KiB to 1 MiB 6-14% slower than direct buffers.
     */
    public static final int DEFAULT_BUFFER_SIZE = 1 << 20;

    private ImageDigests() {
    }

    /** The SHA-256 of everything {@code in} yields; {@code in} is read to its end but not closed. */
    public static ImageDigest sha256(InputStream in, long maxBytes) throws IOException {
        Objects.requireNonNull(in, "in");
        requireLimit(maxBytes);
        MessageDigest md = newSha256();
        byte[] buf = new byte[bufferFor(maxBytes, DEFAULT_BUFFER_SIZE)];
        long total = 0;
        while (true) {
            // Never ask for more than one byte beyond the limit.
            int n = in.read(buf, 0, nextRead(buf.length, maxBytes - total));
            if (n < 0) {
                break;
            }
            total += n;
            if (total > maxBytes) {
                throw new ImageTooLargeException(maxBytes);
            }
            md.update(buf, 0, n);
        }
        return new ImageDigest(md.digest(), total);
    }

    /** The SHA-256 of a file, read through a {@link FileChannel} into a direct buffer of {@link #DEFAULT_BUFFER_SIZE} bytes. */
    public static ImageDigest sha256(Path file, long maxBytes) throws IOException {
        return sha256(file, maxBytes, DEFAULT_BUFFER_SIZE);
    }

    /**
     * The SHA-256 of a file with a read buffer of {@code bufferSize} bytes (4 KiB to 16 MiB): for
     * measuring buffer sizes; {@link #sha256(Path, long)} uses the one chosen.
     *
     * @throws ImageTooLargeException when the file is longer than {@code maxBytes}, found from its
     *                                size before reading or, for a file that grows, while reading
     */
    public static ImageDigest sha256(Path file, long maxBytes, int bufferSize) throws IOException {
        Objects.requireNonNull(file, "file");
        requireLimit(maxBytes);
        if (bufferSize < 4096 || bufferSize > (16 << 20)) {
            throw new IllegalArgumentException("buffer size must be 4 KiB to 16 MiB, got " + bufferSize);
        }
        MessageDigest md = newSha256();
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (ch.size() > maxBytes) {
                throw new ImageTooLargeException(maxBytes);
            }
            // A direct buffer: the channel reads into it without the JDK's own per-thread temporary
            // direct buffer (which a heap array would need, and which would stay with the thread).
            ByteBuffer buf = ByteBuffer.allocateDirect(bufferFor(maxBytes, bufferSize));
            long total = 0;
            while (true) {
                buf.clear();
                buf.limit(nextRead(buf.capacity(), maxBytes - total));
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                total += n;
                if (total > maxBytes) {
                    throw new ImageTooLargeException(maxBytes);
                }
                buf.flip();
                md.update(buf);
            }
            return new ImageDigest(md.digest(), total);
        }
    }

    /** A fresh SHA-256 from the SUN provider (its intrinsics), or the JVM's default one if SUN is absent. */
    static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256", "SUN");
        } catch (NoSuchProviderException | NoSuchAlgorithmException e) {
            try {
                return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException missing) {
                throw new IllegalStateException("SHA-256 is missing from this JVM", missing);
            }
        }
    }

    private static void requireLimit(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("maxBytes must not be negative, got " + maxBytes);
        }
    }

    /** How much to ask for next: a full buffer, or what is left below the limit plus the one byte that shows overflow. */
    private static int nextRead(int buffer, long remaining) {
        return remaining >= buffer ? buffer : (int) remaining + 1;
    }

    /** No larger than needed for a small limit (limit + 1 bytes, so the overflow byte can be seen). */
    private static int bufferFor(long maxBytes, int bufferSize) {
        return maxBytes >= bufferSize ? bufferSize : (int) maxBytes + 1;
    }
}
