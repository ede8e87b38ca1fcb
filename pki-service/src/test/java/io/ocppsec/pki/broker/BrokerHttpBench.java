package io.ocppsec.pki.broker;

import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.pki.PkiServiceApplication;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Benchmark program (not a test): a broker cache hit through the whole HTTP path. Starts
 * pki-service in this JVM on a free port (H2 in a temporary data directory) with
 * {@code openssl ocsp} allow-listed on 127.0.0.1, fills the cache for 64 CertIDs, then one client
 * thread sends {@code n} POST /api/v1/ocsp/certificate-status (keep-alive, bearer token, OCPP
 * 2.0.1 payload) for random cached CertIDs, each timed. Arguments: n.
 */
public final class BrokerHttpBench {
    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        Path dir = Files.createTempDirectory("broker-http-bench");
        TestPki.Cert ca = TestPki.ca("HTTP bench CA");
        TestPki.Cert signer = TestPki.ocspSigner(ca, true);
        List<TestPki.Cert> leaves = new ArrayList<>();
        List<String> index = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            TestPki.Cert leaf = TestPki.leaf(ca, "leaf " + i);
            leaves.add(leaf);
            index.add(OpensslOcspResponder.indexLine(leaf.certificate(), i % 8 == 0));
        }
        TestPki.write(dir, "issuers.pem", ca.certificate());
        try (OpensslOcspResponder openssl = OpensslOcspResponder.start(dir, ca, signer, index, 60)) {
            ConfigurableApplicationContext app = SpringApplication.run(PkiServiceApplication.class,
                    "--server.port=0", "--ocppsec.data-dir=" + dir.resolve("data"), "--logging.level.root=WARN",
                    "--ocppsec.ocsp-broker.allowed-hosts=127.0.0.1:" + openssl.port(),
                    "--ocppsec.ocsp-broker.allowed-networks=127.0.0.1/32",
                    "--ocppsec.ocsp-broker.issuer-certificates=" + dir.resolve("issuers.pem"));
            try (app) {
                int port = Integer.parseInt(app.getEnvironment().getProperty("local.server.port"));
                String token = Files.readString(dir.resolve("data").resolve("admin-token")).trim();
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HexFormat h = HexFormat.of();
                String[] bodies = new String[leaves.size()];
                for (int i = 0; i < bodies.length; i++) {
                    bodies[i] = "{\"station\":\"CP-bench\",\"ocppVersion\":\"ocpp2.0.1\",\"request\":{\"ocspRequestData\":{"
                            + "\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\"" + h.formatHex(CertId.nameHash(HashAlgorithm.SHA256, ca.certificate()))
                            + "\",\"issuerKeyHash\":\"" + h.formatHex(CertId.keyHash(HashAlgorithm.SHA256, ca.certificate()))
                            + "\",\"serialNumber\":\"" + leaves.get(i).certificate().getSerialNumber().toString(16)
                            + "\",\"responderURL\":\"http://127.0.0.1:" + openssl.port() + "/\"}}}";
                }
                URI uri = URI.create("http://127.0.0.1:" + port + "/api/v1/ocsp/certificate-status");
                java.util.SplittableRandom rnd = new java.util.SplittableRandom(1);
                long[] s = new long[n];
                for (int round = 0; round < 2; round++) { // round 0: fill the cache and warm up
                    int count = round == 0 ? Math.max(20_000, n / 2) : n;
                    for (int i = 0; i < count; i++) {
                        HttpRequest req = HttpRequest.newBuilder(uri).header("Authorization", "Bearer " + token)
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(bodies[round == 0 && i < bodies.length ? i : rnd.nextInt(bodies.length)]))
                                .build();
                        long t0 = System.nanoTime();
                        HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                        long dt = System.nanoTime() - t0;
                        if (r.statusCode() != 200 || !r.body().contains("\"Accepted\"")) {
                            throw new IllegalStateException(r.statusCode() + " " + r.body());
                        }
                        if (round == 1) {
                            s[i] = dt;
                        }
                    }
                }
                java.util.Arrays.sort(s);
                System.out.printf(Locale.ROOT, "OCSP broker cache hit over HTTP (POST /api/v1/ocsp/certificate-status, 1 client thread, keep-alive)%n");
                System.out.printf(Locale.ROOT, "calls=%d  p50=%.3f ms  p99=%.3f ms  p99.9=%.3f ms  max=%.3f ms%n", n,
                        pct(s, 50), pct(s, 99), pct(s, 99.9), s[n - 1] / 1e6);
            }
        }
    }

    private static double pct(long[] sorted, double p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))] / 1e6;
    }
}
