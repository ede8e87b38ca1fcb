package io.ocppsec.bench;

import io.ocppsec.iso15118.exi.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.Header;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.exi.V2gMessage;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.provisioning.ContractInstallation;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Get15118EVCertificate Install with local provisioning, the library part end to end for one EV
 * request (issue 6 goal: at least 1,000/s on 2 cores): decode the EXI request, verify its signature
 * and the OEM provisioning chain, issue a contract certificate for a fresh P-256 key, wrap the key
 * (ECDH + ConcatKDF + AES-CBC), sign the four references with the CPS leaf, encode. Keys in memory;
 * pki-service adds the inventory write and the custody signature. Run with {@code -t 2} for both cores:
 * {@code java -jar benchmarks/target/benchmarks.jar ContractInstallationBench -t 2}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ContractInstallationBench {
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    /**
     * Distinct EVs the requests cycle through. 1: the same car every time (its certificate's signature is
     * remembered after the first request); 10000: more cars than the validator remembers (8192), so every
     * request verifies its car's certificate, as in a real stream of EVs.
     */
    @org.openjdk.jmh.annotations.Param({"1", "10000"})
    public int cars;

    private ContractInstallation installation;
    private byte[][] requests;
    private final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();
    private final AnsweredOk answered = new AnsweredOk();

    static X509Certificate issue(Iso15118Role role, String cn, KeyPair subject, X509Certificate issuerCert, KeyPair issuerKeys) {
        return issue(Edition.ISO_15118_2, KeyType.SECP256R1, role, cn, subject, issuerCert, issuerKeys,
                Urls.ocsp("http://127.0.0.1:8080/ocsp"));
    }

    /** A {@code role} certificate of {@code edition}, self-signed when {@code issuerCert} is null; issuers sign with {@code type}. */
    static X509Certificate issue(Edition edition, KeyType type, Iso15118Role role, String cn, KeyPair subject,
                                 X509Certificate issuerCert, KeyPair issuerKeys, Urls urls) {
        Instant t0 = Instant.now().minus(Duration.ofDays(1));
        Issuer issuer = issuerCert == null
                ? Issuer.selfSigned(Iso15118Certificates.signer(subject.getPrivate(), type))
                : Issuer.ca(issuerCert, Iso15118Certificates.signer(issuerKeys.getPrivate(), type));
        return Iso15118Certificates.issue(role, edition, Iso15118Certificates.subjectFor(role, cn, "Bench", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(subject.getPublic()), issuer, BigInteger.valueOf(SERIAL.incrementAndGet()), t0,
                urls);
    }

    @Setup
    public void setup() throws Exception {
        KeyPair v2gK = KeyType.SECP256R1.generate(), cps1K = KeyType.SECP256R1.generate(), cps2K = KeyType.SECP256R1.generate();
        KeyPair cpsK = KeyType.SECP256R1.generate(), moK = KeyType.SECP256R1.generate(), mo1K = KeyType.SECP256R1.generate();
        KeyPair mo2K = KeyType.SECP256R1.generate(), oemK = KeyType.SECP256R1.generate(), oem2K = KeyType.SECP256R1.generate();
        X509Certificate v2g = issue(Iso15118Role.V2G_ROOT, "V2G Root", v2gK, null, null);
        X509Certificate cps1 = issue(Iso15118Role.CPS_SUB_CA_1, "CPS Sub-CA 1", cps1K, v2g, v2gK);
        X509Certificate cps2 = issue(Iso15118Role.CPS_SUB_CA_2, "CPS Sub-CA 2", cps2K, cps1, cps1K);
        X509Certificate cps = issue(Iso15118Role.CPS_LEAF, "CPS Leaf", cpsK, cps2, cps2K);
        X509Certificate mo = issue(Iso15118Role.MO_ROOT, "MO Root", moK, null, null);
        X509Certificate mo1 = issue(Iso15118Role.MO_SUB_CA_1, "MO Sub-CA 1", mo1K, mo, moK);
        X509Certificate mo2 = issue(Iso15118Role.MO_SUB_CA_2, "MO Sub-CA 2", mo2K, mo1, mo1K);
        X509Certificate oem = issue(Iso15118Role.OEM_ROOT, "OEM Root", oemK, null, null);
        X509Certificate oem2 = issue(Iso15118Role.OEM_SUB_CA_2, "OEM Sub-CA 2", oem2K, oem, oemK);
        var settings = new ContractInstallation.Settings(List.of(cps, cps2, cps1), v2g, ExiSigner.ecdsaP256(cpsK.getPrivate()),
                new Iso15118ChainValidator(new TrustAnchors(List.of(v2g), List.of(mo), List.of(oem)), Leniency.strict()),
                List.of(oem2), Clock.systemUTC());
        installation = new ContractInstallation(settings, new ContractInstallation.ContractDirectory() {
            @Override
            public ContractInstallation.Contract forPcid(String pcid) {
                return new ContractInstallation.Contract("DEABCC123ABC56", true);
            }

            @Override
            public ContractInstallation.Contract forEmaid(String emaid) {
                return new ContractInstallation.Contract(emaid, true);
            }
        }, (emaid, key) -> List.of(Iso15118Certificates.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, "Bench", "DE"), Iso15118Certificates.subjectPublicKeyInfo(key),
                Issuer.ca(mo2, Iso15118Certificates.signer(mo2K.getPrivate(), KeyType.SECP256R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minusSeconds(60), Urls.ocsp("http://127.0.0.1:8080/ocsp")), mo2, mo1));
        requests = new byte[cars][];
        for (int i = 0; i < cars; i++) {
            KeyPair carK = KeyType.SECP256R1.generate();
            X509Certificate car = issue(Iso15118Role.OEM_PROVISIONING, String.format("WMI%014d", i), carK, oem2, oem2K);
            CertificateInstallationReq req = new CertificateInstallationReq("ID1", car.getEncoded(),
                    List.of(new RootCertificateId(v2g.getSubjectX500Principal().getName(), v2g.getSerialNumber())));
            var sig = ExiSignatures.sign(Iso15118_2Codec.signedFragments(req), ExiSigner.ecdsaP256(carK.getPrivate()));
            requests[i] = Iso15118_2Codec.encode(new V2gMessage(new Header(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, null, sig), req));
        }
        ContractInstallation.Outcome o = installation.handle(requests[0], ContractInstallation.Action.INSTALL);
        if (!(o instanceof ContractInstallation.Outcome.Answered a) || !a.ok()) {
            throw new IllegalStateException("the benchmark's request is not answered OK: " + o);
        }
    }

    @Benchmark
    public ContractInstallation.Outcome install() {
        byte[] request = requests[Math.floorMod(next.getAndIncrement(), requests.length)];
        ContractInstallation.Outcome o = installation.handle(request, ContractInstallation.Action.INSTALL);
        return answered.record(o, o instanceof ContractInstallation.Outcome.Answered a && a.ok());
    }

    /** A refused installation is cheaper than a real one: a run with any is not a measurement. */
    @TearDown
    public void everyInstallationWasAccepted() {
        answered.requireAll("installations");
    }
}
