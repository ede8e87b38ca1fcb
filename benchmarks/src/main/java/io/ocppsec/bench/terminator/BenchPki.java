package io.ocppsec.bench.terminator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Pattern;

/**
 * A stand-in for pki-service in terminator load runs. It answers, from memory and in microseconds,
 * the few endpoints the terminator calls (docs/pki-service.md, "Terminator API"), for any station
 * identity {@code CS<n>}: a security-profile-3 record with serial number = identity and
 * organization "Bench CPO"; one station CA; every certificate {@code ISSUED} (not revoked), and the
 * OCSP broker's answer for a client certificate ({@code POST /api/v1/ocsp/certificate-status}) a good
 * OCSP response signed by the station CA, made once per serial number as pki-service's responder
 * pre-signs; instance and session registration and security events accepted and dropped.
 *
 * <p>Why a stand-in: the load runs measure the terminator's own cost (TLS, upgrade, admission,
 * proxying). With the real pki-service on the same two cores its database and Tomcat would share
 * the CPU and the figures would mix both. pki-service is measured on its own (docs/benchmarks.md,
 * "Certificate issuance over the API"). What the stand-in does <em>not</em> remove: the
 * terminator still makes its HTTP calls (station record, revocation status) at each admission,
 * with its caches, exactly as against pki-service.
 *
 * <p>At start it creates (or reuses) in {@code --dir}: {@code bench-root.pem/.key} (root for the
 * server certificate), {@code server-ec.pem/.key} (EC P-256, localhost and 127.0.0.1: the
 * terminator's {@code --tls-dir}), {@code station-ca.pem/.key} (signs the stations' client
 * certificates; served as the station CA), {@code terminator-token} (the terminator's
 * {@code --pki-token-file}) and writes the bound port to {@code pki.port}.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ocppsec.bench.terminator.BenchPki --dir=DIR [--port=0] [--threads=4]</pre>
 *
 * {@code GET /bench/stats} (no token) gives the request counts by endpoint; they are also printed at exit.
 */
public final class BenchPki {
    static final String ORGANIZATION = "Bench CPO";
    private static final Pattern STATION = Pattern.compile("CS[0-9]{1,9}");

    private static final tools.jackson.databind.json.JsonMapper JSON = tools.jackson.databind.json.JsonMapper.builder().build();

    private final String token;
    private final String stationCaPem;
    private final X509Certificate stationCa;
    private final PrivateKey stationCaKey;
    private final Map<String, String> ocspBySerial = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private HttpServer server;

    BenchPki(String token, X509Certificate stationCa, PrivateKey stationCaKey) {
        this.token = token;
        this.stationCaPem = BenchCrypto.pem(stationCa);
        this.stationCa = stationCa;
        this.stationCaKey = stationCaKey;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> o = StationLoad.options(args);
        Path dir = Path.of(o.getOrDefault("dir", "target/bench-pki"));
        int port = Integer.parseInt(o.getOrDefault("port", "0"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "4"));
        Files.createDirectories(dir);
        Material m = Material.loadOrCreate(dir);
        BenchPki pki = new BenchPki(m.token, m.stationCa, m.stationCaKey);
        int bound = pki.start("127.0.0.1", port, threads);
        Files.writeString(dir.resolve("pki.port"), bound + "\n");
        System.out.println("BenchPki listening on http://127.0.0.1:" + bound + " (dir " + dir.toAbsolutePath() + ")");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("BenchPki requests: " + pki.stats())));
        Thread.currentThread().join();
    }

    /** The files a run needs; created once, then reused so restarts keep the same CA. */
    static final class Material {
        final X509Certificate stationCa;
        final PrivateKey stationCaKey;
        final String token;

        private Material(X509Certificate stationCa, PrivateKey stationCaKey, String token) {
            this.stationCa = stationCa;
            this.stationCaKey = stationCaKey;
            this.token = token;
        }

        static Material loadOrCreate(Path dir) throws IOException {
            Path caPem = dir.resolve("station-ca.pem");
            Path caKey = dir.resolve("station-ca.key");
            Path tokenFile = dir.resolve("terminator-token");
            if (!Files.exists(caPem) || !Files.exists(caKey) || !Files.exists(dir.resolve("server-ec.pem"))
                    || !Files.exists(tokenFile)) {
                KeyPair root = BenchCrypto.ecKeyPair();
                X509Certificate rootCert = BenchCrypto.selfSignedCa("CN=Bench Root CA,O=" + ORGANIZATION, root, 365);
                KeyPair server = BenchCrypto.ecKeyPair();
                X509Certificate serverCert = BenchCrypto.serverCertificate(rootCert, root.getPrivate(), server.getPublic());
                KeyPair ca = BenchCrypto.ecKeyPair();
                X509Certificate caCert = BenchCrypto.selfSignedCa("CN=Bench Station CA,O=" + ORGANIZATION, ca, 365);
                BenchCrypto.write(dir.resolve("bench-root.pem"), BenchCrypto.pem(rootCert));
                BenchCrypto.writeKey(dir.resolve("bench-root.key"), root.getPrivate());
                BenchCrypto.write(dir.resolve("server-ec.pem"), BenchCrypto.pem(serverCert));
                BenchCrypto.writeKey(dir.resolve("server-ec.key"), server.getPrivate());
                BenchCrypto.write(caPem, BenchCrypto.pem(caCert));
                BenchCrypto.writeKey(caKey, ca.getPrivate());
                byte[] t = new byte[32];
                new SecureRandom().nextBytes(t);
                BenchCrypto.write(tokenFile, Base64.getUrlEncoder().withoutPadding().encodeToString(t) + "\n");
            }
            return new Material(BenchCrypto.readCertificates(caPem).get(0), BenchCrypto.readKey(caKey),
                    Files.readString(tokenFile).trim());
        }
    }

    int start(String host, int port, int threads) throws IOException {
        server = HttpServer.create(new InetSocketAddress(host, port), 1024);
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "bench-pki");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(pool);
        server.createContext("/", this::handle);
        server.start();
        return server.getAddress().getPort();
    }

    void stop() {
        server.stop(0);
    }

    String stats() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        return m.toString();
    }

    private void count(String what) {
        counts.computeIfAbsent(what, k -> new LongAdder()).increment();
    }

    private void handle(HttpExchange x) throws IOException {
        if (x.getRequestURI().getRawPath().equals("/bench/presign")) {
            presign(x);
            return;
        }
        try (x; InputStream in = x.getRequestBody()) {
            byte[] body = in.readNBytes(64 * 1024);
            in.transferTo(OutputStream.nullOutputStream());
            String path = x.getRequestURI().getRawPath();
            String method = x.getRequestMethod();
            if (path.equals("/bench/stats")) {
                send(x, 200, "text/plain", stats() + "\n");
                return;
            }
            if (!("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                count("401");
                send(x, 401, "application/problem+json", "{\"status\":401,\"code\":\"UNAUTHORIZED\"}");
                return;
            }
            if (method.equals("GET") && path.startsWith("/api/v1/terminator/stations/")) {
                String id = path.substring("/api/v1/terminator/stations/".length());
                count("GET station");
                if (!STATION.matcher(id).matches()) {
                    send(x, 404, "application/problem+json", "{\"status\":404,\"code\":\"STATION_NOT_FOUND\"}");
                    return;
                }
                send(x, 200, "application/json", "{\"identity\":\"" + id + "\",\"serialNumber\":\"" + id
                        + "\",\"securityProfile\":3,\"profileFloor\":3,\"organization\":\"" + ORGANIZATION
                        + "\",\"enabled\":true,\"ocppVersions\":[\"ocpp2.0.1\"],\"allowExpiredClientCertificate\":false,"
                        + "\"passwordHash\":null,\"pendingPasswordHash\":null,\"version\":1}");
            } else if (method.equals("GET") && path.equals("/api/v1/ca")) {
                count("GET ca");
                send(x, 200, "application/json",
                        "{\"certificates\":[{\"id\":\"station-ca\",\"role\":\"STATION_CA\",\"status\":\"ACTIVE\"}]}");
            } else if (method.equals("GET") && path.equals("/api/v1/ca/certificates/station-ca")) {
                count("GET ca certificate");
                send(x, 200, "application/x-pem-file", stationCaPem);
            } else if (method.equals("GET") && path.startsWith("/api/v1/certificates/")) {
                count("GET certificate status");
                send(x, 200, "application/json", "{\"status\":\"ISSUED\"}");
            } else if (method.equals("POST") && path.equals("/api/v1/ocsp/certificate-status")) {
                count("POST ocsp certificate-status");
                String serial = JSON.readTree(body).path("request").path("ocspRequestData").path("serialNumber").asString();
                send(x, 200, "application/json", "{\"status\":\"Accepted\",\"ocspResult\":\""
                        + ocspBySerial.computeIfAbsent(serial, this::goodResponse) + "\"}");
            } else if (method.equals("PUT") && path.startsWith("/api/v1/terminator/instances/")) {
                count("PUT instance");
                send(x, 204, null, null);
            } else if ((method.equals("PUT") || method.equals("DELETE")) && path.startsWith("/api/v1/terminator/sessions/")) {
                count(method + " session");
                send(x, 204, null, null);
            } else if (method.equals("POST") && path.equals("/api/v1/terminator/security-events")) {
                count("POST security-events");
                send(x, 202, null, null);
            } else {
                count("404 " + method + " " + path.replaceAll("/[^/]*$", "/*"));
                send(x, 404, "application/problem+json", "{\"status\":404,\"code\":\"NOT_FOUND\"}");
            }
        }
    }

    /**
     * {@code POST /bench/presign} (token required): the OCSP responses for these serial numbers (hex, one
     * per line) are signed now, before the load starts, as pki-service's responder pre-signs the
     * responses of the certificates it issued long before a storm; answers how many.
     */
    private void presign(HttpExchange x) throws IOException {
        try (x; InputStream in = x.getRequestBody()) {
            if (!"POST".equals(x.getRequestMethod()) || !("Bearer " + token).equals(x.getRequestHeaders().getFirst("Authorization"))) {
                send(x, 401, "text/plain", "POST with the token\n");
                return;
            }
            String[] serials = new String(in.readNBytes(16 * 1024 * 1024), java.nio.charset.StandardCharsets.US_ASCII).split("\n");
            int n = 0;
            for (String serial : serials) {
                if (!serial.isBlank()) {
                    ocspBySerial.computeIfAbsent(serial.trim(), this::goodResponse);
                    n++;
                }
            }
            count("presigned");
            send(x, 200, "text/plain", n + "\n");
        }
    }

    /** A good OCSP response for one serial number of the station CA, signed by it (base64 DER). */
    private String goodResponse(String serialHex) {
        try {
            var digests = new org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder().build();
            var id = new org.bouncycastle.cert.ocsp.CertificateID(digests.get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1),
                    new org.bouncycastle.cert.jcajce.JcaX509CertificateHolder(stationCa), new java.math.BigInteger(serialHex, 16));
            var builder = new org.bouncycastle.cert.ocsp.jcajce.JcaBasicOCSPRespBuilder(stationCa.getPublicKey(),
                    digests.get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1));
            java.util.Date now = new java.util.Date();
            builder.addResponse(id, org.bouncycastle.cert.ocsp.CertificateStatus.GOOD, now,
                    new java.util.Date(now.getTime() + 3_600_000L));
            var basic = builder.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA")
                    .build(stationCaKey), null, now);
            return Base64.getEncoder().encodeToString(new org.bouncycastle.cert.ocsp.OCSPRespBuilder()
                    .build(org.bouncycastle.cert.ocsp.OCSPRespBuilder.SUCCESSFUL, basic).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException("cannot make the OCSP response", e);
        }
    }

    private static void send(HttpExchange x, int status, String type, String body) throws IOException {
        if (body == null) {
            x.sendResponseHeaders(status, -1);
            return;
        }
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        x.getResponseHeaders().set("Content-Type", type);
        x.sendResponseHeaders(status, b.length);
        try (OutputStream out = x.getResponseBody()) {
            out.write(b);
        }
    }
}
