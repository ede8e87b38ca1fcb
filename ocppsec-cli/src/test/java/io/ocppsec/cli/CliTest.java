package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The offline commands, run in-process. */
class CliTest {
    @TempDir
    Path dir;

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
    void helpListsTheCommands() {
        Run r = run("--help");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("up", "ocpp", "cert", "password", "security-events");
    }

    @Test
    void ocppValidateExitsZeroOnlyForAValidFrame() throws Exception {
        Path good = Files.writeString(dir.resolve("good.json"), "[2,\"1\",\"SignCertificate\",{\"csr\":\"x\"}]");
        Path bad = Files.writeString(dir.resolve("bad.json"), "[2,\"1\",\"SignCertificate\",{\"csr\":\"x\",\"requestId\":1}]");
        assertThat(run("ocpp", "validate", "--ocpp-version", "2.0.1", good.toString()).code()).isZero();
        Run r = run("ocpp", "validate", "--ocpp-version", "2.0.1", bad.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.out()).contains("OccurrenceConstraintViolation", "/requestId");
        assertThat(run("ocpp", "validate", "--ocpp-version", "2.1", bad.toString()).code()).isZero();
    }

    @Test
    void A01_FR_06_passwordGenerateGivesARandomPasswordOfTheRequestedLength() {
        Run a = run("password", "generate", "--length", "24");
        Run b = run("password", "generate", "--length", "24");
        assertThat(a.out().strip()).hasSize(24).matches("[A-Za-z0-9*\\-_=:+|@.]+");
        assertThat(a.out()).isNotEqualTo(b.out());
        assertThat(run("password", "generate", "--length", "8").code()).isEqualTo(2);
    }

    @Test
    void badFilesGetAOneLineError() {
        Run r = run("cert", "inspect", dir.resolve("missing.pem").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("ocppsec: no such file");
    }

    @Test
    void securityEventsAreListedPerVersion() {
        Run r = run("security-events", "--ocpp-version", "2.1");
        assertThat(r.out()).contains("DiscardedRenewedClientCertificate", "InvalidTLSCipherSuite");
    }
}
