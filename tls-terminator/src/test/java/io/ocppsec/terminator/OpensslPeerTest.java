package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import io.netty.handler.ssl.SslProvider;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS policy seen by an independent peer: the openssl CLI (s_client), against BoringSSL (the
 * default provider); {@link OpensslPeerJdkTlsTest} runs the same checks against the JDK's TLS, the
 * fallback when netty-tcnative cannot load.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OpensslPeerTest {
    Path dir;
    Harness h;

    /** The provider this class checks, and the terminator setting that selects it. */
    SslProvider expectedProvider() {
        return SslProvider.OPENSSL;
    }

    Map<String, String> settings() {
        return Map.of("failure-threshold", "100000");
    }

    @BeforeAll
    void start(@TempDir Path tmp) throws Exception {
        dir = tmp;
        assumeTrue(available(), "the openssl CLI is not installed: these checks need it as an independent TLS peer");
        h = new Harness(dir, settings());
        h.standIn.station("CP3", "SN-3", 3, null);
        Files.writeString(dir.resolve("root.pem"), TestPki.pem(h.pki.root));
    }

    @AfterAll
    void stop() {
        if (h != null) {
            h.close();
        }
    }

    @Test
    void theListenerUsesTheExpectedProvider() throws Exception {
        java.net.http.HttpResponse<String> health = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(h.control("/health")).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(health.body()).contains("\"tls\":\"" + expectedProvider().name() + "\"");
    }

    static boolean available() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            return false;
        }
    }

    /** Runs s_client with {@code args}; returns its output (stdout and stderr). */
    String sClient(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + h.terminator.wssPort(),
                "-servername", "localhost", "-CAfile", dir.resolve("root.pem").toString(), "-verify_return_error", "-ign_eof"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().write("GET /ocpp/CP3 HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        p.getOutputStream().close();
        if (!p.waitFor(20, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void onlyTls11OfferedFails_A00_FR_418() throws Exception {
        String out = sClient("-tls1_1", "-cipher", "DEFAULT@SECLEVEL=0");
        assertThat(out).contains("Cipher is (NONE)").doesNotContain("HTTP/1.1");
    }

    @Test
    void onlyNonOcppSuitesOfferedFails_A00_FR_425() throws Exception {
        String out = sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA256:ECDHE-RSA-AES128-SHA:AES128-SHA");
        assertThat(out).contains("alert handshake failure").contains("Cipher is (NONE)").doesNotContain("HTTP/1.1");
    }

    @Test
    void tls12EcdsaSuiteGetsTheEcCertificate_A00_FR_421() throws Exception {
        String out = sClient("-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-GCM-SHA256");
        assertThat(out).contains("Cipher is ECDHE-ECDSA-AES128-GCM-SHA256").contains("Verify return code: 0 (ok)");
        assertThat(out).containsPattern("(Server public key is 256 bit|Peer signature type: ECDSA)");
    }

    @Test
    void tls12RsaSuiteGetsTheRsaCertificate_A00_FR_421() throws Exception {
        String out = sClient("-tls1_2", "-cipher", "AES128-GCM-SHA256");
        assertThat(out).contains("Cipher is AES128-GCM-SHA256").contains("Server public key is 2048 bit")
                .contains("Verify return code: 0 (ok)");
    }

    @Test
    void tls13WithTheAllowedSuites() throws Exception {
        String out = sClient("-tls1_3", "-ciphersuites", "TLS_AES_256_GCM_SHA384");
        assertThat(out).contains("TLSv1.3").contains("TLS_AES_256_GCM_SHA384").contains("Verify return code: 0 (ok)");
    }

    @Test
    void aSelfSignedClientCertificateFailsTheHandshake_A00_FR_407() throws Exception {
        TestPki other = new TestPki();
        Instant now = Instant.now();
        java.security.KeyPair kp = TestPki.ec();
        var n = TestPki.name(h.pki.organization, "SN-3");
        var self = TestPki.sign(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(n, java.math.BigInteger.TWO,
                java.util.Date.from(now.minusSeconds(60)), java.util.Date.from(now.plus(Duration.ofDays(1))), n, kp.getPublic()), kp.getPrivate());
        Files.writeString(dir.resolve("self.pem"), TestPki.pem(self));
        Files.writeString(dir.resolve("self.key"), TestPki.pkcs8(kp.getPrivate()));
        String out = sClient("-tls1_2", "-cert", dir.resolve("self.pem").toString(), "-key", dir.resolve("self.key").toString());
        assertThat(out).doesNotContain("HTTP/1.1");
        assertThat(out.toLowerCase()).containsAnyOf("alert", "error", "errno");
        assertThat(other).isNotNull();
    }

    @Test
    void aValidClientCertificateReachesTheUpgrade() throws Exception {
        TestPki.Issued cert = h.pki.station("SN-3");
        Files.writeString(dir.resolve("ok.pem"), TestPki.pem(cert.certificate()));
        Files.writeString(dir.resolve("ok.key"), TestPki.pkcs8(cert.key()));
        String out = sClient("-tls1_2", "-cert", dir.resolve("ok.pem").toString(), "-key", dir.resolve("ok.key").toString());
        // not an upgrade request, but the TLS and certificate checks passed: the HTTP layer answers
        assertThat(out).contains("HTTP/1.1 426");
    }
}
