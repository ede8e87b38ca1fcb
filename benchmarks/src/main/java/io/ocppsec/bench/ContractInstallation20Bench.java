package io.ocppsec.bench;

import io.ocppsec.iso15118.exi.Iso15118_20.CertificateChain;
import io.ocppsec.iso15118.exi.Iso15118_20.Header;
import io.ocppsec.iso15118.exi.Iso15118_20;
import io.ocppsec.iso15118.exi.Iso15118_20Codec;
import io.ocppsec.iso15118.exi.RootCertificateId;
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
import io.ocppsec.iso15118.provisioning.ContractInstallation20;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The ISO 15118-20 counterpart of {@link ContractInstallationBench}: an OCPP 2.1 Get15118EVCertificate
 * with a -20 CertificateInstallationReq, local provisioning, the library part end to end. Everything is
 * secp521r1, the -20 default [V2G20-2674]: decode, verify the EV's ecdsa-sha512 signature over
 * OEMProvisioningCertificateChain and the OEM chain (leaf, Sub-CA 2, Sub-CA 1, root), issue a contract
 * certificate for a fresh secp521r1 key, seal it (ECDH P-521 + ConcatKDF SHA-512 + AES-256-GCM), sign
 * SignedInstallationData with the CPS leaf (ecdsa-sha512), encode. Keys in memory.
 * {@code java -jar benchmarks/target/benchmarks.jar ContractInstallation20Bench -t 2}
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ContractInstallation20Bench {
    private static final Edition E = Edition.ISO_15118_20;
    private static final AtomicLong SERIAL = new AtomicLong(1000);
    private static final Urls OCSP = Urls.ocsp("http://127.0.0.1:8080/ocsp");

    /** Distinct EVs, as in {@link ContractInstallationBench}: 10000 exceeds what the validator remembers (8192). */
    @Param({"1", "10000"})
    public int cars;

    private ContractInstallation20 installation;
    private byte[][] requests;
    private final AtomicInteger next = new AtomicInteger();
    private final AnsweredOk answered = new AnsweredOk();

    private static X509Certificate issue(Iso15118Role role, String cn, KeyPair subject, X509Certificate issuerCert,
                                         KeyPair issuerKeys, Urls urls) {
        return ContractInstallationBench.issue(E, KeyType.SECP521R1, role, cn, subject, issuerCert, issuerKeys, urls);
    }

    private static KeyPair key() {
        return KeyType.SECP521R1.generate();
    }

    @Setup
    public void setup() throws Exception {
        KeyPair v2gK = key(), cps1K = key(), cps2K = key(), cpsK = key();
        KeyPair moK = key(), mo1K = key(), mo2K = key(), oemK = key(), oem1K = key(), oem2K = key();
        X509Certificate v2g = issue(Iso15118Role.V2G_ROOT, "V2G Root 20", v2gK, null, null, Urls.NONE);
        X509Certificate cps1 = issue(Iso15118Role.CPS_SUB_CA_1, "CPS Sub-CA 1 20", cps1K, v2g, v2gK, Urls.NONE);
        X509Certificate cps2 = issue(Iso15118Role.CPS_SUB_CA_2, "CPS Sub-CA 2 20", cps2K, cps1, cps1K, Urls.NONE);
        X509Certificate cps = issue(Iso15118Role.CPS_LEAF, "CPS Leaf 20", cpsK, cps2, cps2K, Urls.NONE);
        X509Certificate mo = issue(Iso15118Role.MO_ROOT, "MO Root 20", moK, null, null, Urls.NONE);
        X509Certificate mo1 = issue(Iso15118Role.MO_SUB_CA_1, "MO Sub-CA 1 20", mo1K, mo, moK, OCSP);
        X509Certificate mo2 = issue(Iso15118Role.MO_SUB_CA_2, "MO Sub-CA 2 20", mo2K, mo1, mo1K, OCSP);
        X509Certificate oem = issue(Iso15118Role.OEM_ROOT, "OEM Root 20", oemK, null, null, Urls.NONE);
        X509Certificate oem1 = issue(Iso15118Role.OEM_SUB_CA_1, "OEM Sub-CA 1 20", oem1K, oem, oemK, Urls.NONE);
        X509Certificate oem2 = issue(Iso15118Role.OEM_SUB_CA_2, "OEM Sub-CA 2 20", oem2K, oem1, oem1K, Urls.NONE);
        var settings = new ContractInstallation20.Settings(List.of(cps, cps2, cps1), v2g, ExiSigner.ecdsaP521(cpsK.getPrivate()),
                new Iso15118ChainValidator(new TrustAnchors(List.of(v2g), List.of(mo), List.of(oem)), Leniency.strict()),
                List.of(oem2, oem1), Clock.systemUTC());
        // a ContentSigner is not thread-safe: one per contract certificate, as pki-service's custody signer
        installation = new ContractInstallation20(settings, pcid -> List.of(new ContractInstallation.Contract("DEABCC123ABC56", true)),
                (emaid, key) -> List.of(Iso15118Certificates.issue(Iso15118Role.CONTRACT, E,
                        Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, "Bench", "DE"),
                        Iso15118Certificates.subjectPublicKeyInfo(key),
                        Issuer.ca(mo2, Iso15118Certificates.signer(mo2K.getPrivate(), KeyType.SECP521R1)),
                        BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minusSeconds(60), OCSP), mo2, mo1));
        List<RootCertificateId> roots = List.of(new RootCertificateId(v2g.getSubjectX500Principal().getName(), v2g.getSerialNumber()));
        requests = new byte[cars][];
        for (int i = 0; i < cars; i++) {
            KeyPair carK = key();
            // an 18-character PCID: the -20 envelope's AAD starts with it [V2G20-2492]
            X509Certificate car = issue(Iso15118Role.OEM_PROVISIONING, String.format("WMI%015d", i), carK, oem2, oem2K, Urls.NONE);
            CertificateChain chain = new CertificateChain("id1", car.getEncoded(), List.of(oem2.getEncoded(), oem1.getEncoded()));
            var sig = ExiSignatures.sign(Map.of(chain.id(), Iso15118_20Codec.encodeOemProvisioningChainFragment(chain)),
                    ExiSigner.ecdsaP521(carK.getPrivate()));
            requests[i] = Iso15118_20Codec.encode(new Iso15118_20.CertificateInstallationReq(
                    new Header(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, BigInteger.valueOf(1_700_000_000L), sig), chain, roots, 1, null));
        }
        ContractInstallation20.Outcome o = installation.handle(requests[0], ContractInstallation20.OcppParameters.none(), 0);
        if (!(o instanceof ContractInstallation20.Outcome.Answered a) || !a.ok()) {
            throw new IllegalStateException("the benchmark's -20 request is not answered OK: " + o);
        }
    }

    @Benchmark
    public ContractInstallation20.Outcome install() {
        byte[] request = requests[Math.floorMod(next.getAndIncrement(), requests.length)];
        ContractInstallation20.Outcome o = installation.handle(request, ContractInstallation20.OcppParameters.none(), 0);
        return answered.record(o, o instanceof ContractInstallation20.Outcome.Answered a && a.ok());
    }

    /** A refused installation is cheaper than a real one: a run with any is not a measurement. */
    @TearDown
    public void everyInstallationWasAccepted() {
        answered.requireAll("installations");
    }
}
