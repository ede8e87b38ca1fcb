package io.ocppsec.bench;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.Decoded;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.rpc.FrameHeader;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcFrame;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
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
 * OCPP-J framing costs, single thread:
 * <ul>
 *   <li>{@code fastPathHeader}: type, message id and action of a 200-byte CALL, payload untouched
 *       (what the terminator does for every frame it only forwards);</li>
 *   <li>{@code fullSignCertificateParse}: a SignCertificate CALL with a 2 KB CSR read, checked
 *       against the OCPP 2.0.1 rules and mapped to its record (what the terminator does for a
 *       security action it answers).</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar FramingBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class FramingBenchmark {

    private final FrameReader reader = new FrameReader(OcppVersion.OCPP_2_0_1);
    private final OcppCodec codec = OcppCodec.of(OcppVersion.OCPP_2_0_1);
    private byte[] call200;
    private byte[] signCertificate;

    @Setup
    public void setUp() throws Exception {
        String call = "[2,\"5f2c1b8e-3d4a-4f6b-9c7d-0e1f2a3b4c5d\",\"StatusNotification\","
                + "{\"timestamp\":\"2026-11-21T12:00:00.000Z\",\"connectorStatus\":\"Available\","
                + "\"evseId\":1,\"connectorId\":1,\"customData\":{\"vendorId\":\"io.ocppsec.bench\"}}]";
        call200 = call.getBytes(StandardCharsets.UTF_8);
        String csr = csrPem(2048);
        String frame = "[2,\"7a1f0c2e-9b8d-4e6f-a5c4-3b2a1f0e9d8c\",\"SignCertificate\","
                + "{\"csr\":\"" + csr.replace("\n", "\\n") + "\",\"certificateType\":\"ChargingStationCertificate\"}]";
        signCertificate = frame.getBytes(StandardCharsets.UTF_8);
        System.out.printf("%nfast-path frame: %d bytes; SignCertificate frame: %d bytes (CSR %d bytes)%n",
                call200.length, signCertificate.length, csr.length());
    }

    @Benchmark
    public FrameHeader fastPathHeader() {
        return reader.peek(call200);
    }

    @Benchmark
    public OcppRequest fullSignCertificateParse() {
        ReadResult r = reader.read(signCertificate);
        RpcFrame.Call call = (RpcFrame.Call) ((ReadResult.Accepted) r).frame();
        Decoded<OcppRequest> d = codec.decodeRequest(Action.SignCertificate, call.payload());
        return ((Decoded.Valid<OcppRequest>) d).message();
    }

    /** A real RSA-4096 PKCS#10 request with a SAN extension request, padded to about {@code target} bytes of PEM. */
    static String csrPem(int target) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(4096, new SecureRandom());
        KeyPair kp = g.generateKeyPair();
        StringBuilder cn = new StringBuilder("CP-BENCH-0001");
        String pem;
        int names = 0;
        do {
            ExtensionsGenerator ext = new ExtensionsGenerator();
            GeneralName[] san = new GeneralName[names + 1];
            for (int i = 0; i <= names; i++) {
                san[i] = new GeneralName(GeneralName.dNSName, "cp" + i + ".bench.ocppsec.io");
            }
            ext.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san));
            PKCS10CertificationRequest req = new JcaPKCS10CertificationRequestBuilder(
                    new X500Name("CN=" + cn + ",O=ocppsec bench CPO"), kp.getPublic())
                    .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, ext.generate())
                    .build(new JcaContentSignerBuilder("SHA256withRSA").build(kp.getPrivate()));
            String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(req.getEncoded());
            pem = "-----BEGIN CERTIFICATE REQUEST-----\n" + b64 + "\n-----END CERTIFICATE REQUEST-----\n";
            names++;
        } while (pem.length() < target - 40);
        return pem;
    }

}
