package io.ocppsec.bench;

import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * Prepares an issuance load test against a running pki-service: registers stations
 * {@code LOAD-0..n-1} and writes one SignCertificate API request body per line, each with a fresh
 * P-256 key and CSR (distinct CSRs: nothing is an idempotent replay). {@code wrk} then sends them
 * with {@code benchmarks/wrk/issue.lua}; see docs/benchmarks.md.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ocppsec.bench.IssuanceLoad \
 *     http://127.0.0.1:18080 data/admin-token 64 120000 /tmp/bodies.jsonl</pre>
 */
public final class IssuanceLoad {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private IssuanceLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: IssuanceLoad API_URL TOKEN_FILE STATIONS COUNT OUT_FILE");
            System.exit(2);
        }
        String api = args[0];
        String token = Files.readString(Path.of(args[1])).trim();
        int stations = Integer.parseInt(args[2]);
        int count = Integer.parseInt(args[3]);
        Path out = Path.of(args[4]);
        String organization = organization(api, token);

        HttpClient http = HttpClient.newHttpClient();
        for (int i = 0; i < stations; i++) {
            String body = "{\"identity\":\"LOAD-" + i + "\",\"serialNumber\":\"SN-LOAD-" + i + "\",\"securityProfile\":3}";
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/stations"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 201 && r.statusCode() != 409) {
                throw new IllegalStateException("cannot register LOAD-" + i + ": " + r.statusCode() + " " + r.body());
            }
        }

        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<List<String>>> parts = new ArrayList<>();
        long start = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int from = t * count / threads;
            int to = (t + 1) * count / threads;
            parts.add(pool.submit(() -> {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
                g.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
                List<String> lines = new ArrayList<>(to - from);
                for (int n = from; n < to; n++) {
                    int s = n % stations;
                    KeyPair kp = g.generateKeyPair();
                    byte[] der = new JcaPKCS10CertificationRequestBuilder(
                            new X500Name("CN=SN-LOAD-" + s + ",O=" + organization), kp.getPublic())
                            .build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(kp.getPrivate())).getEncoded();
                    String pem = "-----BEGIN CERTIFICATE REQUEST-----\\n" + Base64.getEncoder().encodeToString(der)
                            + "\\n-----END CERTIFICATE REQUEST-----\\n";
                    lines.add("{\"station\":\"LOAD-" + s + "\",\"csr\":\"" + pem + "\",\"certificateType\":\"ChargingStationCertificate\"}");
                }
                return lines;
            }));
        }
        try (BufferedWriter w = Files.newBufferedWriter(out, StandardCharsets.UTF_8)) {
            for (Future<List<String>> f : parts) {
                for (String line : f.get()) {
                    w.write(line);
                    w.write('\n');
                }
            }
        }
        pool.shutdown();
        System.out.printf("%d stations, %d request bodies in %s (%.1f s)%n", stations, count, out,
                (System.nanoTime() - start) / 1e9);
    }

    private static String organization(String api, String token) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api + "/api/v1/ca"))
                .header("Authorization", "Bearer " + token).build(), HttpResponse.BodyHandlers.ofString());
        String body = r.body();
        int i = body.indexOf("\"organization\":\"");
        if (r.statusCode() != 200 || i < 0) {
            throw new IllegalStateException("cannot read the CA organization: " + r.statusCode());
        }
        int start = i + "\"organization\":\"".length();
        return body.substring(start, body.indexOf('"', start));
    }
}
