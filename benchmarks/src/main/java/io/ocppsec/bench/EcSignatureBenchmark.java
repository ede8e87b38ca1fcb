package io.ocppsec.bench;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
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
 * ECDSA P-256 with SHA-256, the two operations of every station certificate issuance: verifying
 * the CSR's proof of possession and signing the certificate. JDK 17's SunEC against Bouncy
 * Castle, through JCA and through the lightweight API pki-service uses (a per-call
 * {@link ECDSASigner} with RFC 6979 nonces over immutable key parameters). The message is the
 * size of a station certificate's TBSCertificate. Each verification decodes a different public key
 * from its SubjectPublicKeyInfo, as with CSRs from many stations (a key verified twice would let
 * Bouncy Castle reuse its point precomputation and flatter the figure).
 * Run: {@code java -jar benchmarks/target/benchmarks.jar EcSignatureBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class EcSignatureBenchmark {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private final byte[] message = new byte[560];
    private static final int KEYS = 512;

    private KeyPair pair;
    private final byte[][] publicKeys = new byte[KEYS][];
    private final byte[][] signatures = new byte[KEYS][];
    private int next;
    private AsymmetricKeyParameter bcPrivate;
    private KeyFactory sunKeys;
    private KeyFactory bcKeys;
    private Signature sunSign;
    private Signature sunVerify;
    private Signature bcJcaSign;
    private Signature bcJcaVerify;

    @Setup
    public void setUp() throws Exception {
        new SecureRandom().nextBytes(message);
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC", "SunEC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        pair = g.generateKeyPair();
        sunSign = Signature.getInstance("SHA256withECDSA", "SunEC");
        sunVerify = Signature.getInstance("SHA256withECDSA", "SunEC");
        bcJcaSign = Signature.getInstance("SHA256withECDSA", BC);
        bcJcaVerify = Signature.getInstance("SHA256withECDSA", BC);
        bcPrivate = PrivateKeyFactory.createKey(PrivateKeyInfo.getInstance(pair.getPrivate().getEncoded()));
        for (int i = 0; i < KEYS; i++) {
            KeyPair station = g.generateKeyPair();
            sunSign.initSign(station.getPrivate());
            sunSign.update(message);
            signatures[i] = sunSign.sign();
            publicKeys[i] = station.getPublic().getEncoded();
        }
        sunKeys = KeyFactory.getInstance("EC", "SunEC");
        bcKeys = KeyFactory.getInstance("EC", BC);
    }

    private int nextKey() {
        next = (next + 1) % KEYS;
        return next;
    }

    private byte[] sunSignOnce() throws Exception {
        sunSign.initSign(pair.getPrivate());
        sunSign.update(message);
        return sunSign.sign();
    }

    @Benchmark
    public byte[] signSunEc() throws Exception {
        return sunSignOnce();
    }

    @Benchmark
    public byte[] signBouncyCastleJca() throws Exception {
        bcJcaSign.initSign(pair.getPrivate());
        bcJcaSign.update(message);
        return bcJcaSign.sign();
    }

    @Benchmark
    public byte[] signBouncyCastleRfc6979() {
        DSADigestSigner s = new DSADigestSigner(new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest())),
                new SHA256Digest(), StandardDSAEncoding.INSTANCE);
        s.init(true, bcPrivate);
        s.update(message, 0, message.length);
        return s.generateSignature();
    }

    @Benchmark
    public boolean verifySunEc() throws Exception {
        int i = nextKey();
        sunVerify.initVerify(sunKeys.generatePublic(new X509EncodedKeySpec(publicKeys[i])));
        sunVerify.update(message);
        return sunVerify.verify(signatures[i]);
    }

    @Benchmark
    public boolean verifyBouncyCastleJca() throws Exception {
        int i = nextKey();
        bcJcaVerify.initVerify(bcKeys.generatePublic(new X509EncodedKeySpec(publicKeys[i])));
        bcJcaVerify.update(message);
        return bcJcaVerify.verify(signatures[i]);
    }

    @Benchmark
    public boolean verifyBouncyCastleLightweight() throws Exception {
        int i = nextKey();
        DSADigestSigner s = new DSADigestSigner(new ECDSASigner(), new SHA256Digest(), StandardDSAEncoding.INSTANCE);
        s.init(false, PublicKeyFactory.createKey(SubjectPublicKeyInfo.getInstance(publicKeys[i])));
        s.update(message, 0, message.length);
        return s.verifySignature(signatures[i]);
    }
}
