package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code server-certificates=pki}: the terminator makes its own keys, has pki-service issue its
 * server certificates from CSRs, renews them before they expire (A00.FR.701 fast expiration: pki-service
 * issues them for less than 24 hours) and reloads them without dropping a connection.
 */
class ServerCertificatesFromPkiTest {
    @TempDir
    Path dir;

    private static X509Certificate serverCertificate(Harness h, boolean rsa) throws Exception {
        javax.net.ssl.SSLContext ctx = h.pki.clientContext(null);
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("localhost", h.terminator.wssPort())) {
            s.setEnabledProtocols(new String[] {"TLSv1.2"});
            s.setEnabledCipherSuites(new String[] {rsa ? "TLS_RSA_WITH_AES_128_GCM_SHA256" : "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"});
            s.startHandshake();
            return (X509Certificate) s.getSession().getPeerCertificates()[0];
        }
    }

    @Test
    void a00fr701ShortLivedCertificatesAreRenewedBeforeExpiryWithoutDroppingConnections() throws Exception {
        // Certificates of 30 s here: renewed after two thirds of their life, each time with a new key.
        Map<String, String> c = new HashMap<>();
        c.put("server-certificates", "pki");
        c.put("server-names", "localhost,127.0.0.1");
        try (Harness h = new Harness(dir, c, standIn -> standIn.serverValidity = Duration.ofSeconds(30))) {
            h.standIn.station("CP2", "SN-CP2", 2, "secret-password-2");
            // at start: a fresh EC and RSA certificate, for exactly the configured names
            assertThat(h.standIn.serverCertificates).hasSizeGreaterThanOrEqualTo(2);
            assertThat(h.standIn.serverCertificates.get(0)).startsWith("EC ").endsWith("DNS:localhost,IP:127.0.0.1,");
            assertThat(h.standIn.serverCertificates.get(1)).startsWith("RSA ");
            X509Certificate first = serverCertificate(h, false);
            X509Certificate firstRsa = serverCertificate(h, true);
            assertThat(first.getSubjectX500Principal().getName()).contains("from CSR");
            assertThat(firstRsa.getPublicKey().getAlgorithm()).isEqualTo("RSA");
            assertThat(Files.readString(dir.resolve("tls/server-ec.key"))).contains("PRIVATE KEY");
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("tls/server-ec.key"))))
                        .isEqualTo("rw-------");
            }

            try (TestStation before = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2",
                    List.of("ocpp2.0.1"))) {
                X509Certificate renewed = first;
                long deadline = System.currentTimeMillis() + 45_000;
                while (System.currentTimeMillis() < deadline && renewed.getSerialNumber().equals(first.getSerialNumber())) {
                    Thread.sleep(200);
                    renewed = serverCertificate(h, false);
                }
                assertThat(renewed.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
                assertThat(renewed.getPublicKey()).isNotEqualTo(first.getPublicKey()); // a new key each time
                // renewed before the old one expired
                assertThat(renewed.getNotBefore()).isBefore(first.getNotAfter());
                before.send("[2,\"h\",\"Heartbeat\",{}]");
                assertThat(before.next(10)).startsWith("[3,\"h\","); // the connection from before is still there
            }
            // the RSA certificate was issued a moment later (its key takes longer), so it is due a moment later
            X509Certificate renewedRsa = firstRsa;
            long deadline = System.currentTimeMillis() + 30_000;
            while (System.currentTimeMillis() < deadline && renewedRsa.getSerialNumber().equals(firstRsa.getSerialNumber())) {
                Thread.sleep(200);
                renewedRsa = serverCertificate(h, true);
            }
            assertThat(renewedRsa.getSerialNumber()).isNotEqualTo(firstRsa.getSerialNumber());
            String health = new String(java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(h.control("/health")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofByteArray()).body());
            assertThat(health).contains("serverCertificateNotAfter");
        }
    }

    /** A terminator with {@code server-certificates=pki} whose pki-service is a port nobody listens on. */
    private Terminator withPkiServiceDown() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        Files.writeString(dir.resolve("token"), PkiStandIn.TOKEN + "\n");
        Map<String, String> c = new HashMap<>();
        c.put("wss-host", "127.0.0.1");
        c.put("wss-port", "0");
        c.put("control-port", "0");
        c.put("tls-dir", dir.resolve("tls").toString());
        c.put("pki-url", "http://127.0.0.1:" + closedPort);
        c.put("pki-token-file", dir.resolve("token").toString());
        c.put("identity-key-file", dir.resolve("identity.key").toString());
        c.put("server-certificates", "pki");
        return new Terminator(TerminatorConfig.from(c));
    }

    @Test
    void withoutPkiServiceAndWithoutFilesTheTerminatorDoesNotStart() throws Exception {
        Terminator t = withPkiServiceDown();
        try {
            assertThatThrownBy(t::start).hasMessageContaining("no server certificate")
                    .hasMessageContaining("server-ec.pem is missing or expired");
        } finally {
            t.stop();
        }
    }

    @Test
    void withoutPkiServiceTheValidFilesServeUntilItIsBack() throws Exception {
        new TestPki().writeServerCertificates(dir.resolve("tls"), " from file");
        Terminator t = withPkiServiceDown();
        try {
            t.start();
            assertThat(t.wssPort()).isPositive();
        } finally {
            t.stop();
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThatThrownBy(() -> TerminatorConfig.from(Map.of("server-certificates", "vault")))
                .hasMessageContaining("server-certificates must be");
        assertThatThrownBy(() -> TerminatorConfig.from(Map.of("server-names", "localhost,bad_name!")))
                .hasMessageContaining("server-names");
        assertThatThrownBy(() -> TerminatorConfig.from(Map.of("server-names", "300.1.1.1")))
                .hasMessageContaining("server-names");
        assertThat(TerminatorConfig.from(Map.of("server-names", "CSMS.example.com, ::1")).serverNames())
                .containsExactly("csms.example.com", "::1");
    }
}
