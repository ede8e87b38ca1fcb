package io.ocppsec.security.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * L01.FR.04: the signature is over the SHA-256 of the entire firmware file. Our streaming digest
 * equals {@code openssl dgst -sha256} (an independent implementation) for sizes around the buffer
 * size, refuses more than the limit without reading far past it, and hashes a 2 GiB image in
 * bounded memory.
 */
class ImageDigestsTest {
    private static final int MIB = 1 << 20;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 55, 64, 4095, MIB - 1, MIB, MIB + 1, 3 * MIB + 12_345})
    void L01_FR_04_digestOfAFileEqualsOpensslDgst(int size) throws Exception {
        assumeTrue(opensslAvailable(), "openssl CLI not found: independent-peer test skipped");
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Path file = dir.resolve("image-" + size + ".bin");
        Files.write(file, bytes);

        String openssl = opensslSha256(file);
        ImageDigest fromPath = ImageDigests.sha256(file, size);
        ImageDigest fromStream;
        try (InputStream in = Files.newInputStream(file)) {
            fromStream = ImageDigests.sha256(in, size);
        }

        assertThat(fromPath.hex()).isEqualTo(openssl);
        assertThat(fromPath.size()).isEqualTo(size);
        assertThat(fromStream).isEqualTo(fromPath);
        for (int buffer : new int[] {4096, 64 * 1024, 256 * 1024, 4 * MIB}) {
            assertThat(ImageDigests.sha256(file, size, buffer)).isEqualTo(fromPath);
        }
    }

    @Test
    void aStreamThatDeliversLittleAtATimeGivesTheSameDigest() throws Exception {
        byte[] bytes = new byte[100_000];
        new Random(7).nextBytes(bytes);
        InputStream trickle = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 333));
            }
        };
        assertThat(ImageDigests.sha256(trickle, bytes.length).sha256())
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void moreThanTheLimitIsRefusedAfterReadingAtMostOneByteMore() throws Exception {
        byte[] bytes = new byte[3 * MIB];
        AtomicLong served = new AtomicLong();
        InputStream counting = new ByteArrayInputStream(bytes) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                int n = super.read(b, off, len);
                if (n > 0) {
                    served.addAndGet(n);
                }
                return n;
            }
        };
        long limit = MIB + 10;

        assertThatThrownBy(() -> ImageDigests.sha256(counting, limit))
                .isInstanceOfSatisfying(ImageTooLargeException.class, e -> assertThat(e.limit()).isEqualTo(limit));
        assertThat(served.get()).isEqualTo(limit + 1);

        Path file = dir.resolve("big.bin");
        Files.write(file, bytes);
        assertThatThrownBy(() -> ImageDigests.sha256(file, bytes.length - 1L)).isInstanceOf(ImageTooLargeException.class);
        assertThat(ImageDigests.sha256(file, bytes.length).size()).isEqualTo(bytes.length);
        assertThat(ImageDigests.sha256(new ByteArrayInputStream(bytes), bytes.length).size()).isEqualTo(bytes.length);
        assertThatThrownBy(() -> ImageDigests.sha256(new ByteArrayInputStream(new byte[1]), 0)).isInstanceOf(ImageTooLargeException.class);
        assertThat(ImageDigests.sha256(new ByteArrayInputStream(new byte[0]), 0).size()).isZero();
        assertThat(ImageDigests.sha256(new ByteArrayInputStream(bytes), Long.MAX_VALUE).size()).isEqualTo(bytes.length);
        assertThatThrownBy(() -> ImageDigests.sha256(file, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    /**
     * A 2 GiB image (a sparse file of zeros, so the test needs no disk space) is hashed with
     * bounded memory: the hashing thread allocates next to nothing on the heap and one buffer of
     * direct memory, not the image. The file is made in /dev/shm when there is one: reading the
     * holes of a tmpfs file costs the kernel nothing, while ext4 first fills 2 GiB of page cache
     * with zeros (4 to 6 s on the 2-core CI machine, against 1.5 to 2 s for the digest itself).
     */
    @Test
    @Tag("large-image")
    void L01_FR_04_aTwoGibImageIsHashedInBoundedMemory() throws Exception {
        Path shm = Path.of("/dev/shm");
        Path file = Files.createTempFile(Files.isDirectory(shm) && Files.isWritable(shm) ? shm : dir, "sparse-2g", ".bin");
        try {
            hashTwoGibSparse(file);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void hashTwoGibSparse(Path file) throws Exception {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(2L << 30);
        }
        long allocatedOnDisk = allocatedBytes(file);
        assumeTrue(allocatedOnDisk >= 0 && allocatedOnDisk < 16L * MIB,
                "the filesystem of " + file.getParent() + " does not keep a 2 GiB file sparse: large-image test skipped");

        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        assumeTrue(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count allocation per thread: large-image test skipped");
        long directBefore = directBufferBytes();
        AtomicReference<Object> result = new AtomicReference<>();
        AtomicLong allocated = new AtomicLong();
        Thread t = new Thread(() -> {
            long before = threads.getCurrentThreadAllocatedBytes();
            try {
                result.set(ImageDigests.sha256(file, 2L << 30));
            } catch (Throwable e) {
                result.set(e);
            }
            allocated.set(threads.getCurrentThreadAllocatedBytes() - before);
        }, "hash-2g");
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(60));
        assertThat(t.isAlive()).as("hashing 2 GiB finished").isFalse();

        assertThat(result.get()).isInstanceOf(ImageDigest.class);
        ImageDigest d = (ImageDigest) result.get();
        // `head -c 2147483648 /dev/zero | openssl dgst -sha256` (OpenSSL 3.0.19), and the same for
        // `openssl dgst -sha256` of a 2 GiB `truncate -s 2G` file.
        assertThat(d.hex()).isEqualTo("a7c744c13cc101ed66c29f672f92455547889cc586ce6d44fe76ae824958ea51");
        assertThat(d.size()).isEqualTo(2L << 30);
        // The read buffer is direct (1 MiB); the heap sees the digest, small objects and class
        // loading: nothing near the 2 GiB read.
        assertThat(allocated.get()).as("bytes allocated on the heap by the hashing thread").isLessThan(8L * MIB);
        assertThat(directBufferBytes() - directBefore).as("growth of direct buffer memory").isLessThan(8L * MIB);
    }

    @Test
    void imageDigestIsAValueWithDefensiveCopies() {
        byte[] bytes = new byte[32];
        bytes[0] = 1;
        ImageDigest d = new ImageDigest(bytes, 10);
        bytes[0] = 2;
        assertThat(d.sha256()[0]).isEqualTo((byte) 1);
        d.sha256()[0] = 3;
        assertThat(d.sha256()[0]).isEqualTo((byte) 1);
        byte[] same = new byte[32];
        same[0] = 1;
        assertThat(d).isEqualTo(new ImageDigest(same, 10)).hasSameHashCodeAs(new ImageDigest(same, 10));
        assertThat(d).isNotEqualTo(new ImageDigest(same, -1));
        assertThat(d.hex()).isEqualTo("01" + "00".repeat(31));
        assertThat(d.toString()).contains(d.hex());
        assertThatThrownBy(() -> new ImageDigest(new byte[31], 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageDigest(null, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ImageDigest(new byte[32], -2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void parseTakesHexInEitherCaseOrCanonicalBase64() throws Exception {
        byte[] bytes = MessageDigest.getInstance("SHA-256").digest("firmware".getBytes(StandardCharsets.US_ASCII));
        String hex = HexFormat.of().formatHex(bytes);
        ImageDigest expected = new ImageDigest(bytes, -1);

        assertThat(ImageDigest.parse(hex)).isEqualTo(expected);
        assertThat(ImageDigest.parse(hex.toUpperCase())).isEqualTo(expected);
        assertThat(ImageDigest.parse(java.util.Base64.getEncoder().encodeToString(bytes))).isEqualTo(expected);
        assertThat(ImageDigest.parse(hex).size()).isEqualTo(-1);
    }

    @Test
    void parseSaysWhatIsWrong() {
        String hex = "ab".repeat(32);
        assertThatThrownBy(() -> ImageDigest.parse(hex.substring(1))).hasMessageContaining("63 characters");
        assertThatThrownBy(() -> ImageDigest.parse(hex.substring(0, 63) + "g")).hasMessageContaining("character 64 is not a hex digit");
        // Arabic-Indic digit three: Character.digit accepts it, a digest must not.
        assertThatThrownBy(() -> ImageDigest.parse("\u0663" + hex.substring(1))).hasMessageContaining("character 1");
        String b64 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThatThrownBy(() -> ImageDigest.parse(b64.replace('A', '-'))).hasMessageContaining("base64");
        // 'B' before the padding leaves a non-zero unused bit: not canonical.
        assertThatThrownBy(() -> ImageDigest.parse(b64.substring(0, 42) + "B=")).hasMessageContaining("canonical base64");
        assertThatThrownBy(() -> ImageDigest.parse("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ImageDigest.parse(null)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Bytes the filesystem allocated to a file ({@code stat -c %b} blocks of {@code %B} bytes), or -1 if unknown. */
    private static long allocatedBytes(Path file) {
        try {
            Process p = new ProcessBuilder(List.of("stat", "-c", "%b %B", file.toString())).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).strip();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return -1;
            }
            String[] parts = out.split(" ");
            return Long.parseLong(parts[0]) * Long.parseLong(parts[1]);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
    }

    private static long directBufferBytes() {
        for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
            if (pool.getName().equals("direct")) {
                return pool.getMemoryUsed();
            }
        }
        return 0;
    }

    static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String opensslSha256(Path file) throws Exception {
        Process p = new ProcessBuilder("openssl", "dgst", "-sha256", "-r", file.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out.substring(0, 64);
    }
}
