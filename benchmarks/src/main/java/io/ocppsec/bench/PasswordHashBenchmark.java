package io.ocppsec.bench;

import io.ocppsec.security.auth.PasswordHasher;
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
 * The cost of checking a Basic-auth password against its stored Argon2id hash with the default
 * parameters (m=19 MiB, t=2, p=1): what each security profile 1/2 connection costs the terminator
 * unless it caches verified credentials.
 * Run: {@code java -jar benchmarks/target/benchmarks.jar PasswordHashBenchmark}
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
public class PasswordHashBenchmark {
    private final PasswordHasher hasher = new PasswordHasher();
    private final char[] password = "pW7-q:Zr|4=x@Lm9.Kd_3+Tb*8sNe2Vh".toCharArray();
    private String stored;

    @Setup
    public void setUp() {
        stored = hasher.hash(password);
    }

    @Benchmark
    public boolean argon2idVerifyDefaults() {
        return hasher.verify(password, stored);
    }
}
