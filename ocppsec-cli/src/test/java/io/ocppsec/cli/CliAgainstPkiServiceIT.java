package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against the real pki-service (its packaged jar, run as a process on a free port). */
class CliAgainstPkiServiceIT {
    @TempDir
    static Path dir;
    static Process pki;
    static String api;

    @BeforeAll
    static void startPkiService() throws Exception {
        Path jar = Path.of(System.getProperty("ocppsec.pki.jar", "../pki-service/target/pki-service.jar"));
        assumeTrue(Files.isRegularFile(jar), "pki-service is not built (" + jar + "): CLI end-to-end test skipped");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        api = "http://127.0.0.1:" + port;
        pki = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-jar",
                jar.toString(), "--ocppsec.data-dir=" + dir.resolve("data"), "--server.port=" + port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("pki.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(api + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException starting) {
                // not yet
            }
            assertThat(pki.isAlive()).as("pki-service exited; see " + dir.resolve("pki.log")).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("pki-service did not start");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pki != null) {
            pki.destroy();
            pki.waitFor(20, TimeUnit.SECONDS);
            pki.destroyForcibly();
        }
    }

    record Run(int code, String out, String err) {
    }

    static Run ocppsec(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        if (!List.of(args).contains("--help")) {
            all.add("--api=" + api);
            all.add("--token-file=" + dir.resolve("data/admin-token"));
        }
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            int code = cl.execute(all.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    static String csr(String subject) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    @Test
    void anOperatorEnrollsAStationEndToEnd() throws Exception {
        Run add = ocppsec("station", "add", "CP-E2E", "--serial", "SN-E2E", "--profile", "3");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).contains("GENERATED PASSWORD");

        Path csr = Files.writeString(dir.resolve("cp.csr"), csr("CN=SN-E2E,O=ocppsec development CPO"));
        Path chain = dir.resolve("cp-chain.pem");
        Run sign = ocppsec("cert", "sign", "--station", "CP-E2E", "--csr", csr.toString(), "--out", chain.toString());
        assertThat(sign.code()).as(sign.err()).isZero();
        assertThat(Files.readString(chain).split("-----BEGIN CERTIFICATE-----")).hasSize(3); // leaf + station CA

        Run list = ocppsec("cert", "list", "--station", "CP-E2E");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("ChargingStationCertificate");

        Run status = ocppsec("ca", "status");
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("CSMS_ROOT", "STATION_CA", "keystore", "ca.p12");

        Path roots = dir.resolve("roots.pem");
        assertThat(ocppsec("ca", "chain", "--out", roots.toString()).code()).isZero();
        assertThat(Files.readString(roots)).startsWith("-----BEGIN CERTIFICATE-----");

        assertThat(ocppsec("audit", "verify").code()).isZero();

        Run again = ocppsec("station", "add", "CP-E2E", "--serial", "SN-E2E", "--profile", "3");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("STATION_EXISTS");
        String token = Files.readString(dir.resolve("data/admin-token")).trim();
        assertThat(add.out() + add.err() + again.err() + status.out()).doesNotContain(token);
    }
}
