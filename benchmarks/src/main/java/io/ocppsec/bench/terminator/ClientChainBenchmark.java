package io.ocppsec.bench.terminator;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.operator.ContentSigner;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The terminator's client-chain check at every security-profile-3 handshake: PKIX validation of a
 * station certificate (EC P-256, SHA-256) against the station CA. Three ways: the JDK's PKIX with its
 * own signature provider (SunEC, what the terminator did first), the same PKIX with Bouncy Castle as
 * the signature provider, and that with the anchor given as a Bouncy Castle public key kept for the
 * process (so BC reuses the CA point's precomputation across handshakes). Each validation uses a
 * station certificate parsed from its DER afresh, as at a handshake.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ClientChainBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ClientChainBenchmark {
    private static final int STATIONS = 4096; // more than the JDK CertificateFactory caches (750), as in a storm

    private final byte[][] leaves = new byte[STATIONS][];
    private CertificateFactory cf;
    private PKIXParameters jdk;
    private PKIXParameters bcProvider;
    private PKIXParameters bcKeyAnchor;
    private int next;

    @Setup
    public void setUp() throws Exception {
        Security.addProvider(BenchCrypto.BC);
        KeyPair caKeys = BenchCrypto.ecKeyPair();
        X509Certificate ca = BenchCrypto.selfSignedCa("CN=Bench Station CA,O=Bench CPO", caKeys, 365);
        ContentSigner caSigner = BenchCrypto.signer(caKeys.getPrivate());
        cf = CertificateFactory.getInstance("X.509");
        for (int i = 0; i < STATIONS; i++) {
            X509Certificate leaf = BenchCrypto.stationCertificate(ca, caSigner, BenchCrypto.ecKeyPair().getPublic(),
                    "CS" + i, "Bench CPO");
            leaves[i] = leaf.getEncoded();
        }
        jdk = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        jdk.setRevocationEnabled(false);
        bcProvider = new PKIXParameters(Set.of(new TrustAnchor(ca, null)));
        bcProvider.setRevocationEnabled(false);
        bcProvider.setSigProvider(BenchCrypto.BC.getName());
        PublicKey bcKey = KeyFactory.getInstance("EC", BenchCrypto.BC)
                .generatePublic(new X509EncodedKeySpec(ca.getPublicKey().getEncoded()));
        bcKeyAnchor = new PKIXParameters(Set.of(new TrustAnchor(ca.getSubjectX500Principal(), bcKey, null)));
        bcKeyAnchor.setRevocationEnabled(false);
        bcKeyAnchor.setSigProvider(BenchCrypto.BC.getName());
    }

    /** A certificate parsed afresh, as at a handshake (the JDK caches a verified certificate's result). */
    private CertPath nextPath() throws Exception {
        next = (next + 1) % STATIONS;
        X509Certificate leaf = (X509Certificate) cf.generateCertificate(new java.io.ByteArrayInputStream(leaves[next]));
        return cf.generateCertPath(List.of(leaf));
    }

    @Benchmark
    public Object jdkPkixSunEc() throws Exception {
        return CertPathValidator.getInstance("PKIX").validate(nextPath(), jdk);
    }

    @Benchmark
    public Object jdkPkixBcSignature() throws Exception {
        return CertPathValidator.getInstance("PKIX").validate(nextPath(), bcProvider);
    }

    @Benchmark
    public Object jdkPkixBcSignatureCachedAnchorKey() throws Exception {
        return CertPathValidator.getInstance("PKIX").validate(nextPath(), bcKeyAnchor);
    }
}
