package io.ocppsec.bench;

import io.ocppsec.iso15118.exi.ExiException;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.V2gMessage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;
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
 * The ISO 15118-2 EXI codec on the RISE-V2G signed CertificateInstallationRes (3,627 bytes: a full
 * V2G_Message with Header Signature, CPS and contract chains), the response a CSMS builds for every
 * Get15118EVCertificate: decode, encode, and decode+encode (goal: at least 20,000 decode+encode per second
 * per core). The stream is read at setup from the shared reference folder (never copied into the project):
 * {@code -Docppsec.shared.dir=...}, default {@code ../shared} from the repository root.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ExiCodecBench}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class ExiCodecBench {
    private static final String VECTOR =
            "iso15118/vectors/derived-from-rise-v2g/CertificateInstallationRes_V2G_Message.exi.hex";

    private byte[] exi;
    private V2gMessage message;

    @Setup
    public void setup() throws IOException, ExiException {
        Path shared = Path.of(System.getProperty("ocppsec.shared.dir", "../shared"));
        Path file = shared.resolve(VECTOR);
        if (!Files.exists(file)) {
            throw new IllegalStateException(file.toAbsolutePath() + " not found: set -Docppsec.shared.dir");
        }
        exi = HexFormat.of().parseHex(Files.readString(file).strip());
        message = Iso15118_2Codec.decode(exi);
    }

    @Benchmark
    public byte[] decodeEncode() throws ExiException {
        return Iso15118_2Codec.encode(Iso15118_2Codec.decode(exi));
    }

    @Benchmark
    public V2gMessage decode() throws ExiException {
        return Iso15118_2Codec.decode(exi);
    }

    @Benchmark
    public byte[] encode() throws ExiException {
        return Iso15118_2Codec.encode(message);
    }
}
