package io.ocppsec.bench.firmware;

import io.ocppsec.security.firmware.FirmwareSignatureAlgorithm;
import io.ocppsec.security.firmware.FirmwareSignatures;
import io.ocppsec.security.firmware.FirmwareVerification;
import io.ocppsec.security.firmware.FirmwareVerifier;
import io.ocppsec.security.firmware.ImageDigest;
import io.ocppsec.security.firmware.ImageDigests;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Signed firmware (issue 7): how fast a whole firmware image is verified, against
 * {@code openssl dgst -sha256} on the same file in the same run (the goal: at least 80% of
 * openssl's throughput).
 *
 * <pre>
 * java -Xmx256m -cp benchmarks/target/benchmarks.jar io.ocppsec.bench.firmware.FirmwareVerifyThroughput [MIB [ROUNDS [FILE]]]
 * </pre>
 *
 * Creates FILE (default a temporary file, deleted at the end) of MIB MiB (default 1024) of random
 * bytes unless it exists, reads it once so it is in the page cache, then:
 * <ol>
 *   <li>buffer sizes: {@link ImageDigests#sha256(Path, long, int)} (a direct buffer) and a
 *       heap-array variant of the same loop, with 64 KiB, 256 KiB, 1 MiB and 4 MiB buffers,
 *       interleaved, median of ROUNDS;</li>
 *   <li>after two warm-up rounds, ROUNDS (default 5) alternating rounds of {@code openssl dgst
 *       -sha256 FILE} (a new process each time, wall clock) and our full verification: the digest
 *       of the file ({@link ImageDigests#sha256(Path, long)}) and {@link FirmwareVerifier#verify}
 *       of a real ECDSA P-256 signature and a two-certificate chain (manufacturer root P-384,
 *       signing certificate with codeSigning; revocation OFF, as it is a network call);</li>
 *   <li>the verification without the digest (the same PEM, signature and digest), mean of 2,000 calls.</li>
 * </ol>
 * Prints MB/s (10^6 bytes per second) for each, the medians and their ratio.
 */
public final class FirmwareVerifyThroughput {
    private static final int[] BUFFERS = {64 << 10, 256 << 10, 1 << 20, 4 << 20};

    private FirmwareVerifyThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 1024;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        Path file = args.length > 2 ? Path.of(args[2]) : Files.createTempFile("firmware-bench", ".bin");
        boolean temporary = args.length <= 2;
        try {
            run(file, mib, rounds);
        } finally {
            if (temporary) {
                Files.deleteIfExists(file);
            }
        }
    }

    private static void run(Path file, int mib, int rounds) throws Exception {
        long size = (long) mib << 20;
        if (!Files.exists(file) || Files.size(file) != size) {
            write(file, size);
        }
        System.out.printf(Locale.ROOT, "file %s, %d MiB; JVM %s, %s; %d CPUs; load average %s%n", file, mib,
                System.getProperty("java.vm.version"), ManagementFactory.getRuntimeMXBean().getInputArguments(),
                Runtime.getRuntime().availableProcessors(), loadAverage());
        System.out.println(run("openssl", "version").strip());

        // Into the page cache; also the reference digest.
        String reference = opensslDigest(file);
        ImageDigest ours = ImageDigests.sha256(file, size);
        if (!ours.hex().equals(reference)) {
            throw new IllegalStateException("digests differ: openssl " + reference + ", ours " + ours.hex());
        }

        bufferSizes(file, size, rounds);

        Fixture fx = new Fixture(ours.sha256());
        for (int i = 0; i < 2; i++) {
            timeOpenssl(file);
            timeOurs(file, size, fx);
        }
        double[] openssl = new double[rounds];
        double[] verify = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            openssl[i] = mbPerSecond(size, timeOpenssl(file));
            verify[i] = mbPerSecond(size, timeOurs(file, size, fx));
            System.out.printf(Locale.ROOT, "round %d: openssl dgst -sha256 %7.0f MB/s, ours (digest + verify) %7.0f MB/s%n",
                    i + 1, openssl[i], verify[i]);
        }
        double o = median(openssl);
        double v = median(verify);
        System.out.printf(Locale.ROOT, "median: openssl %.0f MB/s, ours %.0f MB/s, ratio %.2f; load average %s%n",
                o, v, v / o, loadAverage());
        verifyOnly(fx, ours.sha256());
    }

    /** The part that does not depend on the image size: PEM, path, checks and the signature, the digest given. */
    private static void verifyOnly(Fixture fx, byte[] sha256) {
        for (int i = 0; i < 2_000; i++) {
            fx.verifier.verify(sha256, fx.signature, fx.pem, Instant.now());
        }
        int n = 2_000;
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            if (!fx.verifier.verify(sha256, fx.signature, fx.pem, Instant.now()).valid()) {
                throw new IllegalStateException("verification failed");
            }
        }
        double micros = (System.nanoTime() - t0) / 1e3 / n;
        System.out.printf(Locale.ROOT, "verify only (digest given; PEM, path, checks, signature): %.0f us per call, mean of %d%n",
                micros, n);
    }

    // ---------------------------------------------------------------- buffer sizes

    private static void bufferSizes(Path file, long size, int rounds) throws IOException {
        double[][] direct = new double[BUFFERS.length][rounds];
        double[][] heap = new double[BUFFERS.length][rounds];
        // One untimed pass of each, for the JIT.
        for (int b : BUFFERS) {
            ImageDigests.sha256(file, size, b);
            heapDigest(file, b);
        }
        for (int r = 0; r < rounds; r++) {
            for (int i = 0; i < BUFFERS.length; i++) {
                long t0 = System.nanoTime();
                ImageDigests.sha256(file, size, BUFFERS[i]);
                direct[i][r] = mbPerSecond(size, System.nanoTime() - t0);
                t0 = System.nanoTime();
                heapDigest(file, BUFFERS[i]);
                heap[i][r] = mbPerSecond(size, System.nanoTime() - t0);
            }
        }
        System.out.println("digest only, median of " + rounds + " (MB/s):");
        for (int i = 0; i < BUFFERS.length; i++) {
            System.out.printf(Locale.ROOT, "  %5d KiB: ImageDigests (direct buffer) %6.0f   heap array %6.0f%n",
                    BUFFERS[i] >> 10, median(direct[i]), median(heap[i]));
        }
    }

    /** The heap-array alternative: FileChannel.read into a wrapped byte[] (the JDK copies through its own direct buffer). */
    private static byte[] heapDigest(Path file, int buffer) throws IOException {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256", "SUN");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        byte[] array = new byte[buffer];
        ByteBuffer buf = ByteBuffer.wrap(array);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (true) {
                buf.clear();
                int n = ch.read(buf);
                if (n < 0) {
                    break;
                }
                md.update(array, 0, n);
            }
        }
        return md.digest();
    }

    // ---------------------------------------------------------------- the comparison

    private static long timeOpenssl(Path file) throws Exception {
        long t0 = System.nanoTime();
        opensslDigest(file);
        return System.nanoTime() - t0;
    }

    private static long timeOurs(Path file, long size, Fixture fx) throws IOException {
        long t0 = System.nanoTime();
        ImageDigest d = ImageDigests.sha256(file, size);
        FirmwareVerification result = fx.verifier.verify(d.sha256(), fx.signature, fx.pem, Instant.now());
        long t = System.nanoTime() - t0;
        if (!result.valid()) {
            throw new IllegalStateException("verification failed: " + result);
        }
        return t;
    }

    private static String opensslDigest(Path file) throws Exception {
        String out = run("openssl", "dgst", "-sha256", "-r", file.toString());
        return out.substring(0, 64);
    }

    /** A manufacturer root, a signing certificate and the signature of the image digest. */
    private static final class Fixture {
        final FirmwareVerifier verifier;
        final String signature;
        final String pem;

        Fixture(byte[] sha256) throws Exception {
            KeyPair rootKeys = ec("secp384r1");
            KeyPair signerKeys = ec("secp256r1");
            X509Certificate root = certificate("CN=Benchmark Manufacturer Root", rootKeys.getPublic(), "CN=Benchmark Manufacturer Root",
                    rootKeys.getPrivate(), true);
            X509Certificate signer = certificate("CN=Benchmark Firmware Signing", signerKeys.getPublic(), "CN=Benchmark Manufacturer Root",
                    rootKeys.getPrivate(), false);
            verifier = new FirmwareVerifier(List.of(root), null, FirmwareVerifier.RevocationPolicy.OFF);
            signature = FirmwareSignatures.encode(FirmwareSignatures.sign(signerKeys.getPrivate(),
                    FirmwareSignatureAlgorithm.ECDSA_SHA256, sha256));
            pem = "-----BEGIN CERTIFICATE-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(signer.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        }

        private static KeyPair ec(String curve) throws Exception {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        }

        private static X509Certificate certificate(String subject, PublicKey key, String issuer, PrivateKey issuerKey, boolean ca)
                throws Exception {
            Instant now = Instant.now();
            JcaX509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(new X500Name(issuer),
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofDays(1))),
                    Date.from(now.plus(Duration.ofDays(365))), new X500Name(subject), key);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (!ca) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning));
            }
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void write(Path file, long size) throws IOException {
        SplittableRandom random = new SplittableRandom(7);
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long done = 0; done < size; done += chunk.length) {
                for (int i = 0; i < chunk.length; i += 8) {
                    long r = random.nextLong();
                    for (int j = 0; j < 8; j++) {
                        chunk[i + j] = (byte) (r >>> (8 * j));
                    }
                }
                out.write(chunk, 0, (int) Math.min(chunk.length, size - done));
            }
        }
    }

    private static double mbPerSecond(long bytes, long nanos) {
        return bytes / 1e6 / (nanos / 1e9);
    }

    private static double median(double[] values) {
        double[] s = values.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).strip();
        } catch (IOException e) {
            return String.format(Locale.ROOT, "%.2f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
        }
        return out;
    }
}
