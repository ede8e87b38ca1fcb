package io.ocppsec.pki.custody.pkcs12;

import static io.ocppsec.pki.custody.CustodyTestSupport.assertJdkVerifies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.CustodyTestSupport;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyCustodyContract;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The PKCS#12 backend against real files. */
class Pkcs12CustodyTest extends KeyCustodyContract {
    private static final String PASSWORD = "correct horse battery staple 42";

    @TempDir
    Path dir;
    private Path file;
    private Pkcs12Custody custody;

    @BeforeEach
    void open() {
        file = dir.resolve("data").resolve("ca.p12");
        custody = Pkcs12Custody.open(new Pkcs12Config(file, PASSWORD.toCharArray()));
    }

    @AfterEach
    void close() {
        custody.close();
    }

    @Override
    protected KeyCustody custody() {
        return custody;
    }

    @Override
    protected KeyCustody reopen() {
        custody.close();
        custody = Pkcs12Custody.open(new Pkcs12Config(file, PASSWORD.toCharArray()));
        return custody;
    }

    @Test
    void keystoreFileIsOwnerOnlyAndAStandardPkcs12() throws Exception {
        custody.generate("root", KeyAlgorithm.EC_P256);
        assumeThat(file.getFileSystem().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("ca.p12");
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (var in = Files.newInputStream(file)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        assertThat(ks.isKeyEntry("root")).isTrue();
        X509Certificate placeholder = (X509Certificate) ks.getCertificate("root");
        assertThat(placeholder.getSubjectX500Principal().getName()).contains("placeholder");
        assertThat(placeholder.getBasicConstraints()).isEqualTo(-1);
        placeholder.verify(placeholder.getPublicKey());

        // openssl reads it too, and sees modern protection (PBES2 / AES-256, HMAC-SHA256).
        assumeThat(CustodyTestSupport.opensslAvailable()).as("openssl CLI on PATH").isTrue();
        ProcessBuilder pb = new ProcessBuilder("openssl", "pkcs12", "-info", "-noout", "-in", file.toString(), "-passin", "env:P12PASS")
                .redirectErrorStream(true);
        pb.environment().put("P12PASS", PASSWORD);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor()).as(out).isZero();
        assertThat(out).contains("MAC: sha256", "PBES2", "AES-256-CBC");
    }

    @Test
    void wrongPasswordIsAClearErrorThatDoesNotShowThePassword() {
        custody.generate("root", KeyAlgorithm.EC_P256);
        String wrong = "Tr0ub4dor&3-wrong";
        assertThatThrownBy(() -> Pkcs12Custody.open(new Pkcs12Config(file, wrong.toCharArray())))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("wrong password")
                .satisfies(e -> assertThat(CustodyTestSupport.everyMessage(e)).doesNotContain(wrong).doesNotContain(PASSWORD));
        assertThat(new Pkcs12Config(file, PASSWORD.toCharArray()).toString()).doesNotContain(PASSWORD);
        assertThat(custody.toString()).doesNotContain(PASSWORD);
    }

    @Test
    void labelsDifferingOnlyInCaseAreTheSameKey() {
        KeyHandle key = custody.generate("Root-CA", KeyAlgorithm.EC_P256);
        assertThat(custody.exists("root-ca")).isTrue();
        assertThatThrownBy(() -> custody.generate("ROOT-CA", KeyAlgorithm.EC_P256))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("case-insensitive");
        assertThat(reopen().publicKey(key)).isNotNull();
    }

    @Test
    void attachedChainReplacesThePlaceholderAndSurvivesAReopen() throws Exception {
        KeyHandle key = custody.generate("sub", KeyAlgorithm.EC_P384);
        KeyPair root = CustodyTestSupport.ecKeyPair();
        X509Certificate rootCert = CustodyTestSupport.selfSignedCa("Root", root);
        X509Certificate leaf = CustodyTestSupport.issue("Sub", custody.publicKey(key), rootCert, root.getPrivate(), true);
        custody.attachCertificateChain(key, List.of(leaf, rootCert));
        reopen();
        assertThat(custody.certificateChain(key)).containsExactly(leaf, rootCert);
    }

    @Test
    void importedKeyIsUsableAndSurvivesAReopen() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair pair = g.generateKeyPair();
        KeyPair root = CustodyTestSupport.ecKeyPair();
        X509Certificate rootCert = CustodyTestSupport.selfSignedCa("Existing Root", root);
        X509Certificate leaf = CustodyTestSupport.issue("Existing Sub", pair.getPublic(), rootCert, root.getPrivate(), true);
        KeyHandle key = custody.importKey("existing", pair.getPrivate(), List.of(leaf, rootCert));
        reopen();
        byte[] data = "imported".getBytes(StandardCharsets.UTF_8);
        for (SigningAlgorithm s : List.of(SigningAlgorithm.SHA256_WITH_RSA, SigningAlgorithm.SHA256_WITH_RSA_PSS)) {
            assertJdkVerifies(pair.getPublic(), s, data, custody.sign(key, s, data));
        }
        assertThat(custody.certificateChain(key)).containsExactly(leaf, rootCert);
    }

    @Test
    void importOfAKeyThatIsNotTheCertificatesIsRefused() throws Exception {
        KeyPair pair = CustodyTestSupport.ecKeyPair();
        KeyPair other = CustodyTestSupport.ecKeyPair();
        X509Certificate cert = CustodyTestSupport.selfSignedCa("Mismatch", other);
        assertThatThrownBy(() -> custody.importKey("mismatch", pair.getPrivate(), List.of(cert)))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("does not match");
        assertThat(custody.exists("mismatch")).isFalse();
    }

    @Test
    void importOfAKeyTypeTheCaDoesNotUseIsRefused() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(1024);
        KeyPair weak = g.generateKeyPair();
        X509Certificate cert = CustodyTestSupport.selfSignedCa("Weak", CustodyTestSupport.ecKeyPair());
        X509Certificate leaf = CustodyTestSupport.issue("Weak leaf", weak.getPublic(), cert, CustodyTestSupport.ecKeyPair().getPrivate(), false);
        assertThatThrownBy(() -> custody.importKey("weak", weak.getPrivate(), List.of(leaf)))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("unsupported RSA key size 1024");
    }

    @Test
    void failedWriteLeavesFileAndMemoryUnchanged() throws Exception {
        custody.generate("kept", KeyAlgorithm.EC_P256);
        byte[] before = Files.readAllBytes(file);
        Path data = file.getParent();
        assumeThat(data.getFileSystem().supportedFileAttributeViews()).contains("posix");
        boolean root = "root".equals(System.getProperty("user.name"));
        // Make the directory unwritable: permissions for a normal user; root ignores those, so
        // for root the immutable attribute (chattr +i), when the file system and capabilities allow.
        if (root) {
            assumeThat(run("chattr", "+i", data.toString())).as("chattr +i works here (root ignores permissions)").isZero();
        } else {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("r-x------"));
        }
        try {
            assertThatThrownBy(() -> custody.generate("lost", KeyAlgorithm.EC_P256))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("cannot write");
        } finally {
            if (root) {
                run("chattr", "-i", data.toString());
            } else {
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            }
        }
        assertThat(custody.exists("lost")).isFalse();
        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(reopen().exists("kept")).isTrue();
        assertThat(custody.exists("lost")).isFalse();
    }

    private static int run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (java.io.IOException e) {
            return -1;
        }
    }

    @Test
    void ecdsaSignaturesAreDerAndOpensslVerifiesThem() throws Exception {
        assumeThat(CustodyTestSupport.opensslAvailable()).as("openssl CLI on PATH").isTrue();
        byte[] data = "verified by openssl".getBytes(StandardCharsets.UTF_8);
        for (KeyAlgorithm a : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384, KeyAlgorithm.RSA_2048)) {
            KeyHandle key = custody.generate("openssl-" + a.name().toLowerCase(), a);
            for (SigningAlgorithm s : CustodyTestSupport.applicable(a)) {
                byte[] sig = custody.sign(key, s, data);
                if (s.isEcdsa()) {
                    assertThat(sig[0]).as("DER SEQUENCE").isEqualTo((byte) 0x30);
                }
                CustodyTestSupport.assertOpensslVerifies(dir.resolve("openssl").resolve(a + "-" + s), custody.publicKey(key), s, data, sig);
            }
        }
    }

    @Test
    void ecdsaSignaturesAreDeterministicPerRfc6979() {
        KeyHandle key = custody.generate("det", KeyAlgorithm.EC_P256);
        byte[] data = "same message".getBytes(StandardCharsets.UTF_8);
        assertThat(custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data))
                .isEqualTo(custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data));
    }

    /**
     * RFC 6979: the nonce depends on the key and the digest only, so the signature over a digest
     * made elsewhere is byte for byte the one over the data (L01.FR.04: a P-384 key with SHA-256
     * included).
     */
    @Test
    void ecdsaSignatureOverADigestIsTheSignatureOverTheData() throws Exception {
        byte[] data = image(5000);
        for (KeyAlgorithm a : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384)) {
            KeyHandle key = custody.generate("same-" + a.name().toLowerCase(), a);
            for (SigningAlgorithm s : CustodyTestSupport.applicable(a)) {
                assertThat(custody.signDigest(key, s, digestOf(s, data))).as("%s %s", a, s).isEqualTo(custody.sign(key, s, data));
            }
        }
    }

    @Test
    void pssSignaturesOverADigestHaveAFreshSaltEachTime() throws Exception {
        KeyHandle key = custody.generate("pss-salt", KeyAlgorithm.RSA_2048);
        byte[] data = image(1000);
        byte[] digest = digestOf(SigningAlgorithm.SHA256_WITH_RSA_PSS, data);
        byte[] first = custody.signDigest(key, SigningAlgorithm.SHA256_WITH_RSA_PSS, digest);
        byte[] second = custody.signDigest(key, SigningAlgorithm.SHA256_WITH_RSA_PSS, digest);
        assertThat(first).isNotEqualTo(second);
        assertJdkVerifies(custody.publicKey(key), SigningAlgorithm.SHA256_WITH_RSA_PSS, data, first);
        assertJdkVerifies(custody.publicKey(key), SigningAlgorithm.SHA256_WITH_RSA_PSS, data, second);
    }

    @Test
    void importedKeySignsADigestAfterAReopen() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp384r1"));
        KeyPair pair = g.generateKeyPair();
        KeyPair root = CustodyTestSupport.ecKeyPair();
        X509Certificate rootCert = CustodyTestSupport.selfSignedCa("Firmware Root", root);
        X509Certificate leaf = CustodyTestSupport.issue("Firmware Signer", pair.getPublic(), rootCert, root.getPrivate(), false);
        KeyHandle key = custody.importKey("firmware-signer", pair.getPrivate(), List.of(leaf));
        reopen();
        byte[] image = image(20_000);
        byte[] sig = custody.signDigest(key, SigningAlgorithm.SHA256_WITH_ECDSA, digestOf(SigningAlgorithm.SHA256_WITH_ECDSA, image));
        assertJdkVerifies(pair.getPublic(), SigningAlgorithm.SHA256_WITH_ECDSA, image, sig);
    }

    @Test
    void concurrentSigningFromEightThreadsIsCorrect() throws Exception {
        KeyHandle ec = custody.generate("conc-ec", KeyAlgorithm.EC_P256);
        KeyHandle rsa = custody.generate("conc-rsa", KeyAlgorithm.RSA_2048);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> jobs = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                jobs.add(() -> {
                    int ok = 0;
                    for (int i = 0; i < 200; i++) {
                        byte[] data = ("thread " + thread + " message " + i).getBytes(StandardCharsets.UTF_8);
                        boolean useRsa = i % 20 == 0;
                        KeyHandle k = useRsa ? rsa : ec;
                        SigningAlgorithm s = useRsa ? (i % 40 == 0 ? SigningAlgorithm.SHA256_WITH_RSA_PSS : SigningAlgorithm.SHA256_WITH_RSA)
                                : SigningAlgorithm.SHA256_WITH_ECDSA;
                        if (CustodyTestSupport.jdkVerifies(custody.publicKey(k), s, data, custody.sign(k, s, data))) {
                            ok++;
                        }
                    }
                    return ok;
                });
            }
            int total = 0;
            for (Future<Integer> f : pool.invokeAll(jobs)) {
                total += f.get();
            }
            assertThat(total).isEqualTo(8 * 200);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void closedCustodyRefusesWork() {
        KeyHandle key = custody.generate("closing", KeyAlgorithm.EC_P256);
        custody.close();
        assertThatThrownBy(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[] {1}))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> custody.signDigest(key, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[32]))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("closed");
    }

    @Test
    void measureP256SigningRate() throws Exception {
        KeyHandle key = custody.generate("rate", KeyAlgorithm.EC_P256);
        byte[] data = new byte[600]; // about a TBSCertificate
        double one = CustodyTestSupport.signsPerSecond(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data), 1,
                Duration.ofSeconds(2));
        double two = CustodyTestSupport.signsPerSecond(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data), 2,
                Duration.ofSeconds(2));
        System.out.printf("[measure] pkcs12 (BC lightweight, RFC 6979) P-256 SHA256withECDSA: %.0f signs/s on 1 thread, %.0f signs/s on 2 threads (%d cores)%n",
                one, two, Runtime.getRuntime().availableProcessors());
    }
}
