package io.ocppsec.pki.broker;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.math.BigInteger;
import java.security.cert.X509Certificate;

/**
 * {@code openssl ocsp} as an external responder, started on a free port over an index.txt the test
 * writes (V = good, R = revoked; a serial not listed is unknown), signing with a delegated
 * responder certificate.
 */
final class OpensslOcspResponder implements AutoCloseable {
    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    private final Process process;
    private final int port;

    private OpensslOcspResponder(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    static boolean available() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    static String indexLine(X509Certificate cert, boolean revoked) {
        String exp = INDEX_TIME.format(cert.getNotAfter().toInstant());
        String rev = revoked ? INDEX_TIME.format(Instant.now().minusSeconds(3600)) + ",keyCompromise" : "";
        String serial = cert.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
        if (serial.length() % 2 == 1) {
            serial = "0" + serial;
        }
        return (revoked ? "R" : "V") + "\t" + exp + "\t" + rev + "\t" + serial + "\tunknown\t/CN=x\n";
    }

    static OpensslOcspResponder start(Path dir, TestPki.Cert ca, TestPki.Cert signer, List<String> indexLines, int minutes)
            throws IOException, InterruptedException {
        Files.writeString(dir.resolve("index.txt"), String.join("", indexLines));
        Files.writeString(dir.resolve("index.txt.attr"), "unique_subject = no\n");
        TestPki.write(dir, "ca.pem", ca.certificate());
        TestPki.write(dir, "signer.pem", signer.certificate());
        TestPki.write(dir, "signer.key", signer.keys().getPrivate());
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Process p = new ProcessBuilder("openssl", "ocsp", "-index", "index.txt", "-port", String.valueOf(port),
                "-rsigner", "signer.pem", "-rkey", "signer.key", "-CA", "ca.pem", "-ignore_err", "-nmin", String.valueOf(minutes))
                .directory(dir.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("openssl.log").toFile()).start();
        // openssl 3.0's responder wedges on a connection that closes without a request, so wait
        // for its "waiting for OCSP client connections" line instead of probing the port
        long until = System.nanoTime() + 10_000_000_000L;
        Path log = dir.resolve("openssl.log");
        while (System.nanoTime() < until && p.isAlive()) {
            if (Files.exists(log) && Files.readString(log, StandardCharsets.UTF_8).contains("waiting for OCSP client connections")) {
                return new OpensslOcspResponder(p, port);
            }
            Thread.sleep(50);
        }
        p.destroyForcibly();
        throw new IllegalStateException("openssl ocsp did not start: " + Files.readString(dir.resolve("openssl.log"), StandardCharsets.UTF_8));
    }

    int port() {
        return port;
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static String hex(BigInteger b) {
        return b.toString(16);
    }
}
