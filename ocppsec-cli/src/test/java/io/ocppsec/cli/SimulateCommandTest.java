package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.simulator.testing.StandInCsms;
import io.ocppsec.simulator.testing.TestCa;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code station simulate}, run in-process against the simulator's stand-in CSMS over real TLS. */
class SimulateCommandTest {
    private static final String PASSWORD = "simulate-command-password";
    private static TestCa ca;

    @TempDir
    Path dir;

    @BeforeAll
    static void pki() {
        ca = TestCa.create("cli");
    }

    private record Run(int code, String out, String err) {
    }

    private static Run run(String... args) {
        PrintStream oldOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new java.io.PrintWriter(err, true, StandardCharsets.UTF_8));
            int code = cl.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
        }
    }

    @Test
    void onceEnrollsMovesToProfile3AndExitsZero() throws Exception {
        Path root = ca.writeRoot(dir.resolve("root.pem"));
        Path pw = Files.writeString(dir.resolve("pw"), PASSWORD + "\n");
        Path state = dir.resolve("state");
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start()) {
            Run r = run("station", "simulate", "CLI-01", "--url", csms.url(), "--ca", root.toString(),
                    "--password-file", pw.toString(), "--state", state.toString(), "--serial", "SN-CLI-01", "--once");
            assertThat(r.code()).as(r.out() + r.err()).isZero();
            assertThat(r.out()).contains("[CLI-01] connected: profile 2", "enrolled: ", "CN=SN-CLI-01",
                    "[CLI-01] online: profile 3");
            assertThat(Files.exists(state.resolve("chain.pem"))).isTrue();
            assertThat(csms.upgrades()).hasSize(2);
            assertThat(csms.upgrades().get(1).clientChain()).isNotEmpty();

            // again: the stored certificate takes it straight to profile 3, no password needed
            Run again = run("station", "simulate", "CLI-01", "--url", csms.url(), "--ca", root.toString(),
                    "--state", state.toString(), "--profile", "3", "--once");
            assertThat(again.code()).as(again.out() + again.err()).isZero();
            assertThat(again.out()).contains("connected: profile 3").doesNotContain("enrolled");
        }
    }

    @Test
    void onceExitsOneWhenTheCsmsRefuses() throws Exception {
        Path root = ca.writeRoot(dir.resolve("root.pem"));
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start()) {
            Run r = run("station", "simulate", "CLI-02", "--url", csms.url(), "--ca", root.toString(),
                    "--password", "not-the-password!", "--state", dir.resolve("s").toString(), "--once");
            assertThat(r.code()).isEqualTo(1);
            assertThat(r.err()).contains("401").contains("--password is visible");
            assertThat(r.out()).contains("connect failed");
        }
    }

    @Test
    void usageErrorsAreOneLine() throws Exception {
        Path root = ca.writeRoot(dir.resolve("root.pem"));
        Run noCa = run("station", "simulate", "CLI-03", "--password", "x", "--ca", dir.resolve("missing.pem").toString(),
                "--state", dir.resolve("s").toString(), "--once");
        assertThat(noCa.code()).isEqualTo(2);
        assertThat(noCa.err()).contains("no CSMS root certificate at");

        Run noPassword = run("station", "simulate", "CLI-03", "--ca", root.toString(), "--state", dir.resolve("s").toString());
        assertThat(noPassword.code()).isEqualTo(2);
        assertThat(noPassword.err()).contains("needs the station's Basic-auth password");

        Run profile3 = run("station", "simulate", "CLI-03", "--profile", "3", "--ca", root.toString(),
                "--state", dir.resolve("s").toString());
        assertThat(profile3.err()).contains("holds none");

        Run wsProfile2 = run("station", "simulate", "CLI-03", "--profile", "2", "--url", "ws://localhost:1/ocpp",
                "--password", "x", "--state", dir.resolve("s").toString());
        assertThat(wsProfile2.code()).isEqualTo(2);
        assertThat(wsProfile2.err()).contains("needs a wss:// URL");

        assertThat(run("station", "simulate", "CLI-03", "--profile", "4").code()).isEqualTo(2);
        assertThat(run("station", "simulate", "--help").out()).contains("--once", "--profile", "--password-file", "--state");
    }
}
