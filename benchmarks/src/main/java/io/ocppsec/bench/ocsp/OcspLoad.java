package io.ocppsec.bench.ocsp;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * OCSP responder load, for pki-service's responder and {@code openssl ocsp -index} side by side.
 *
 * <pre>
 * prepare API_URL TOKEN_FILE KEYSTORE KEYSTORE_PASSWORD COUNT OUT_DIR
 *     registers a station, has COUNT certificates issued over the API, revokes every tenth
 *     (keyCompromise), and writes to OUT_DIR: issuer.pem (the station CA), root.pem, index.txt
 *     (openssl ca database for the same certificates), ocsp-signer.pem / ocsp-signer.key (the
 *     delegated signer pki-service uses, read from the development PKCS#12 keystore, so openssl
 *     signs with the same key) and requests.bin (one DER OCSP request per certificate, SHA-1
 *     CertID, no nonce, each prefixed by its length as a 4-byte int).
 * run HOST PORT REQUESTS_FILE CONNECTIONS SECONDS [WARMUP_SECONDS]
 *     CONNECTIONS threads, each on its own keep-alive HTTP/1.1 connection (reopened only if the
 *     server closes it), POSTing the requests round robin; prints responses/s and checks a sample.
 * </pre>
 */
public final class OcspLoad {
    private OcspLoad() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("prepare") && args.length == 7) {
            prepare(args[1], Path.of(args[2]), Path.of(args[3]), args[4].toCharArray(), Integer.parseInt(args[5]), Path.of(args[6]));
        } else if (args.length >= 1 && args[0].equals("run") && (args.length == 6 || args.length == 7)) {
            run(args[1], Integer.parseInt(args[2]), Path.of(args[3]), Integer.parseInt(args[4]), Integer.parseInt(args[5]),
                    args.length == 7 ? Integer.parseInt(args[6]) : 5);
        } else {
            System.err.println("usage: OcspLoad prepare API_URL TOKEN_FILE KEYSTORE KEYSTORE_PASSWORD COUNT OUT_DIR\n"
                    + "       OcspLoad run HOST PORT REQUESTS_FILE CONNECTIONS SECONDS [WARMUP_SECONDS]");
            System.exit(2);
        }
    }

    // ---- prepare -------------------------------------------------------------------------------

    private static final DateTimeFormatter INDEX_TIME = DateTimeFormatter.ofPattern("yyMMddHHmmss'Z'").withZone(ZoneOffset.UTC);

    static void prepare(String api, Path tokenFile, Path keystore, char[] password, int count, Path out) throws Exception {
        Files.createDirectories(out);
        String token = Files.readString(tokenFile).trim();
        HttpClient http = HttpClient.newHttpClient();
        String organization = call(http, api, token, "GET", "/api/v1/ca", null).replaceAll("(?s).*\"organization\":\"([^\"]*)\".*", "$1");
        String station = "OCSP-BENCH-" + System.currentTimeMillis() % 100000;
        call(http, api, token, "POST", "/api/v1/stations", "{\"identity\":\"" + station + "\",\"serialNumber\":\"SN-" + station
                + "\",\"securityProfile\":3}");
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> leaves = new ArrayList<>();
        X509Certificate issuer = null;
        for (int i = 0; i < count; i++) {
            KeyPair kp = g.generateKeyPair();
            var csr = new JcaPKCS10CertificationRequestBuilder(new X500Name("CN=SN-" + station + ",O=" + organization), kp.getPublic())
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
            String pem = pem("CERTIFICATE REQUEST", csr.getEncoded()).replace("\n", "\\n");
            String body = "{\"station\":\"" + station + "\",\"csr\":\"" + pem + "\"}";
            String answer = call(http, api, token, "POST", "/api/v1/certificates/sign", body);
            String chain = answer.replaceAll("(?s).*\"certificateChain\":\"([^\"]*)\".*", "$1").replace("\\n", "\n");
            var certs = new ArrayList<X509Certificate>();
            for (var c : cf.generateCertificates(new java.io.ByteArrayInputStream(chain.getBytes(StandardCharsets.US_ASCII)))) {
                certs.add((X509Certificate) c);
            }
            leaves.add(certs.get(0));
            issuer = certs.get(1);
        }
        StringBuilder index = new StringBuilder();
        for (int i = 0; i < leaves.size(); i++) {
            X509Certificate c = leaves.get(i);
            String serial = c.getSerialNumber().toString(16).toUpperCase(java.util.Locale.ROOT);
            if (serial.length() % 2 == 1) {
                serial = "0" + serial;
            }
            String expiry = INDEX_TIME.format(c.getNotAfter().toInstant());
            String subject = "/" + c.getSubjectX500Principal().getName().replace(",", "/");
            if (i % 10 == 0) {
                String answer = call(http, api, token, "POST", "/api/v1/certificates/" + c.getSerialNumber().toString(16) + "/revoke",
                        "{\"reason\":\"keyCompromise\"}");
                java.time.Instant at = java.time.Instant.parse(answer.replaceAll("(?s).*\"revokedAt\":\"([^\"]*)\".*", "$1"));
                index.append("R\t").append(expiry).append('\t').append(INDEX_TIME.format(at)).append(",keyCompromise\t");
            } else {
                index.append("V\t").append(expiry).append("\t\t");
            }
            index.append(serial).append("\tunknown\t").append(subject).append('\n');
        }
        Files.writeString(out.resolve("index.txt"), index.toString());
        Files.writeString(out.resolve("index.txt.attr"), "unique_subject = no\n");
        Files.writeString(out.resolve("issuer.pem"), pem("CERTIFICATE", issuer.getEncoded()));
        Files.writeString(out.resolve("root.pem"), call(http, api, token, "GET", "/api/v1/ca/chain", null));

        // The delegated signer's key, from the development keystore, for openssl's -rkey.
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, password);
        }
        String signerAlias = null;
        for (String alias : Collections.list(ks.aliases())) {
            if (alias.contains("ocsp") && ks.isKeyEntry(alias) && (signerAlias == null || alias.compareTo(signerAlias) > 0)) {
                signerAlias = alias;
            }
        }
        if (signerAlias == null) {
            throw new IllegalStateException("no OCSP signer key in " + keystore);
        }
        Key key = ks.getKey(signerAlias, password);
        X509Certificate signer = (X509Certificate) ks.getCertificate(signerAlias);
        Path keyFile = out.resolve("ocsp-signer.key");
        Files.writeString(keyFile, pem("PRIVATE KEY", ((PrivateKey) key).getEncoded()));
        Files.setPosixFilePermissions(keyFile, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        Files.writeString(out.resolve("ocsp-signer.pem"), pem("CERTIFICATE", signer.getEncoded()));

        X509CertificateHolder issuerHolder = new X509CertificateHolder(issuer.getEncoded());
        var digest = new JcaDigestCalculatorProviderBuilder().build().get(CertificateID.HASH_SHA1);
        try (DataOutputStream o = new DataOutputStream(Files.newOutputStream(out.resolve("requests.bin")))) {
            for (X509Certificate c : leaves) {
                byte[] req = new OCSPReqBuilder().addRequest(new CertificateID(digest, issuerHolder, c.getSerialNumber())).build().getEncoded();
                o.writeInt(req.length);
                o.write(req);
            }
        }
        System.out.println("prepared " + leaves.size() + " certificates (" + (leaves.size() + 9) / 10 + " revoked) of station "
                + station + " in " + out + "; signer " + signerAlias);
    }

    private static String call(HttpClient http, String api, String token, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + token);
        if (body != null) {
            b.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            b.header("Accept", "application/json, application/pem-certificate-chain").GET();
        }
        if (path.endsWith("/chain")) {
            b.setHeader("Accept", "application/pem-certificate-chain");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(method + " " + path + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    // ---- run -----------------------------------------------------------------------------------

    static void run(String host, int port, Path requestsFile, int connections, int seconds, int warmup) throws Exception {
        List<byte[]> requests = new ArrayList<>();
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(requestsFile)))) {
            while (true) {
                int n;
                try {
                    n = in.readInt();
                } catch (EOFException e) {
                    break;
                }
                requests.add(in.readNBytes(n));
            }
        }
        List<byte[]> wire = new ArrayList<>();
        for (byte[] r : requests) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(("POST /ocsp HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nContent-Type: application/ocsp-request\r\n"
                    + "Content-Length: " + r.length + "\r\nConnection: keep-alive\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            b.writeBytes(r);
            wire.add(b.toByteArray());
        }
        // Check a sample first: a successful, signed OCSP answer, good or revoked.
        Response sample = exchangeOnce(host, port, wire.get(1));
        OCSPResp parsed = new OCSPResp(sample.body());
        if (sample.status() != 200 || parsed.getStatus() != 0) {
            throw new IllegalStateException("sample answer: HTTP " + sample.status() + ", OCSP status " + parsed.getStatus());
        }
        BasicOCSPResp basic = (BasicOCSPResp) parsed.getResponseObject();
        System.out.println("sample: " + (basic.getResponses()[0].getCertStatus() == null ? "good" : basic.getResponses()[0].getCertStatus().getClass().getSimpleName())
                + ", " + sample.body().length + " bytes");

        LongAdder done = new LongAdder();
        LongAdder reconnects = new LongAdder();
        LongAdder errors = new LongAdder();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < connections; t++) {
            int offset = t * 7919;
            Thread th = new Thread(() -> {
                int i = offset;
                Socket s = null;
                while (!stop.get()) {
                    try {
                        if (s == null) {
                            s = connect(host, port);
                        }
                        OutputStream o = s.getOutputStream();
                        o.write(wire.get(Math.floorMod(i++, wire.size())));
                        o.flush();
                        Response r = read(s.getInputStream());
                        if (r.status() != 200) {
                            errors.increment();
                        }
                        done.increment();
                        if (r.close()) {
                            s.close();
                            s = null;
                            reconnects.increment();
                        }
                    } catch (IOException e) {
                        errors.increment();
                        try {
                            if (s != null) {
                                s.close();
                            }
                        } catch (IOException ignored) {
                            // closing a broken socket
                        }
                        s = null;
                        reconnects.increment();
                    }
                }
                try {
                    if (s != null) {
                        s.close();
                    }
                } catch (IOException ignored) {
                    // done
                }
            }, "ocsp-load-" + t);
            th.setDaemon(true);
            threads.add(th);
            th.start();
        }
        Thread.sleep(warmup * 1000L);
        long startCount = done.sum();
        long startErrors = errors.sum();
        long startReconnects = reconnects.sum();
        long start = System.nanoTime();
        Thread.sleep(seconds * 1000L);
        long count = done.sum() - startCount;
        double elapsed = (System.nanoTime() - start) / 1e9;
        stop.set(true);
        for (Thread th : threads) {
            th.join(5000);
        }
        System.out.printf("%s:%d connections=%d measured=%.1fs responses=%d rate=%.0f/s errors=%d reconnects=%d%n",
                host, port, connections, elapsed, count, count / elapsed, errors.sum() - startErrors, reconnects.sum() - startReconnects);
    }

    private static Socket connect(String host, int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress(host, port), 5000);
        s.setSoTimeout(10_000);
        return s;
    }

    record Response(int status, byte[] body, boolean close) {
    }

    private static Response exchangeOnce(String host, int port, byte[] wire) throws IOException {
        try (Socket s = connect(host, port)) {
            s.getOutputStream().write(wire);
            return read(s.getInputStream());
        }
    }

    /** One HTTP/1.x response with Content-Length (both servers send it), read without buffering past it. */
    private static Response read(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        int prev3 = 0;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new EOFException("connection closed");
            }
            head.append((char) c);
            prev3 = (prev3 << 8 | c) & 0xFFFFFFFF;
            if (prev3 == 0x0D0A0D0A) {
                break;
            }
            if (head.length() > 16384) {
                throw new IOException("header too long");
            }
        }
        String[] lines = head.toString().split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        int length = -1;
        boolean close = lines[0].startsWith("HTTP/1.0");
        for (String l : lines) {
            String lower = l.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(l.substring(15).trim());
            } else if (lower.startsWith("connection:")) {
                close = lower.contains("close") || (close && !lower.contains("keep-alive"));
            }
        }
        byte[] body;
        if (length >= 0) {
            body = in.readNBytes(length);
        } else {
            body = in.readAllBytes();
            close = true;
        }
        return new Response(status, body, close);
    }
}
