package io.ocppsec.pki.custody.pkcs11;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A fresh SoftHSM2 token for the PKCS#11 tests, made once per test JVM.
 *
 * <p>SoftHSM2 reads its configuration file from the environment variable {@code SOFTHSM2_CONF}
 * when the module initializes, and a JVM cannot set its own environment, so the build must pass
 * it (surefire {@code <environmentVariables>}). This class writes that file (token directory
 * beside it), wipes old tokens and initializes token {@value #TOKEN_LABEL} with
 * {@code softhsm2-util}, before any test loads the module. Tests are skipped, with the reason,
 * when SoftHSM2 is not installed or {@code SOFTHSM2_CONF} is unset; to protect a developer's own
 * tokens, also when {@code SOFTHSM2_CONF} points outside a {@code target} directory.
 */
public final class SoftHsmToken {
    public static final Path LIBRARY = Path.of("/usr/lib/softhsm/libsofthsm2.so");
    public static final String TOKEN_LABEL = "ocppsec-test";
    public static final String PIN = "user-pin-5193-ocppsec";
    static final String SO_PIN = "so-pin-8402-ocppsec";

    private static Long slot;
    private static String skipReason;

    private SoftHsmToken() {}

    /** The slot ID of the fresh token; skips the calling test (with the reason) when SoftHSM2 cannot be used. */
    public static synchronized long slot() {
        if (slot == null && skipReason == null) {
            try {
                prepare();
            } catch (IOException e) {
                skipReason = "SoftHSM2 token could not be prepared: " + e;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                skipReason = "interrupted";
            }
        }
        assumeTrue(skipReason == null, () -> skipReason);
        return slot;
    }

    private static void prepare() throws IOException, InterruptedException {
        if (!Files.isRegularFile(LIBRARY)) {
            skipReason = "SoftHSM2 is not installed (" + LIBRARY + " missing); apt-get install softhsm2";
            return;
        }
        if (!onPath("softhsm2-util")) {
            skipReason = "softhsm2-util is not on the PATH; apt-get install softhsm2";
            return;
        }
        String conf = System.getenv("SOFTHSM2_CONF");
        if (conf == null || conf.isBlank()) {
            skipReason = "SOFTHSM2_CONF is not set; run with SOFTHSM2_CONF=<module>/target/softhsm2/softhsm2.conf"
                    + " (SoftHSM2 reads it from the environment, which a JVM cannot set for itself)";
            return;
        }
        Path confFile = Path.of(conf).toAbsolutePath().normalize();
        if (!confFile.toString().contains("/target/")) {
            skipReason = "SOFTHSM2_CONF=" + confFile + " is outside a target/ directory; refusing to wipe its tokens";
            return;
        }
        Path tokens = confFile.resolveSibling("tokens");
        if (Files.exists(tokens)) {
            try (Stream<Path> walk = Files.walk(tokens)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(tokens);
        Files.writeString(confFile, "directories.tokendir = " + tokens + "\nobjectstore.backend = file\nlog.level = ERROR\n"
                + "slots.removable = false\n");
        String out = run(List.of("softhsm2-util", "--init-token", "--free", "--label", TOKEN_LABEL, "--so-pin", SO_PIN, "--pin", PIN));
        Matcher m = Pattern.compile("reassigned to slot (\\d+)").matcher(out);
        if (!m.find()) {
            throw new IOException("softhsm2-util did not report the token's slot: " + out);
        }
        slot = Long.parseLong(m.group(1));
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, tool))) {
                return true;
            }
        }
        return false;
    }

    /** Runs a tool with this JVM's environment (so SOFTHSM2_CONF reaches it); fails on a non-zero exit. */
    static String run(List<String> cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(cmd.get(0) + " timed out");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", redact(cmd)) + " failed (exit " + p.exitValue() + "): " + out);
        }
        return out;
    }

    /** {@code pkcs11-tool --module <lib> --login --pin <pin> <args...>}. */
    static String pkcs11Tool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("pkcs11-tool", "--module", LIBRARY.toString(), "--slot", Long.toString(slot()),
                "--login", "--pin", PIN));
        cmd.addAll(List.of(args));
        return run(cmd);
    }

    private static List<String> redact(List<String> cmd) {
        List<String> out = new ArrayList<>(cmd);
        for (int i = 0; i + 1 < out.size(); i++) {
            if (out.get(i).endsWith("pin")) {
                out.set(i + 1, "***");
            }
        }
        return out;
    }
}
