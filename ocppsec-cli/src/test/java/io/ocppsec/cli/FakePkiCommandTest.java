package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * What the CLI command tests share: a {@link FakePki} with a fresh admin token in a token file, the
 * environment cleared, and a way to run a command in-process capturing its output (which must never
 * contain the token).
 */
abstract class FakePkiCommandTest {
    static final String TOKEN = "ocp_" + HexFormat.of().formatHex(new java.security.SecureRandom().generateSeed(16));

    @TempDir
    Path dir;
    FakePki pki;
    Path tokenFile;

    /** A command's exit code and output. */
    record Run(int code, String out, String err) {
    }

    @BeforeEach
    void startFakePki() throws Exception {
        pki = new FakePki(TOKEN);
        tokenFile = Files.writeString(dir.resolve("admin-token"), TOKEN + "\n");
        ApiOptions.environment = name -> null;
    }

    @AfterEach
    void stopFakePki() {
        pki.close();
        ApiOptions.environment = System::getenv;
        System.clearProperty("ocppsec.home");
    }

    /** Runs a command line in-process. */
    static Run run(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
            int code = cl.execute(args);
            Run r = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
            assertThat(r.out()).doesNotContain(TOKEN);
            assertThat(r.err()).doesNotContain(TOKEN);
            return r;
        } finally {
            System.setOut(oldOut);
        }
    }

    /** Runs a command against the fake with the token file. */
    Run api(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--api", pki.url(), "--token-file", tokenFile.toString()));
        return run(all.toArray(String[]::new));
    }
}
