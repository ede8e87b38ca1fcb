package io.ocppsec.terminator.pki;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.ssl.SslContextBuilder;
import io.ocppsec.terminator.TestPki;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * PkiHttp, the terminator's HTTP/1.1 client to pki-service, against a scripted server on a real
 * socket: keep-alive reuse, the connection bound, the waiting bound, timeouts, oversized answers, a
 * connection pki-service closed while it sat idle, Connection: close, chunked answers, and https with
 * host-name verification.
 */
class PkiHttpTest {

    /** What the scripted server does with one request. */
    interface Script {
        /** @param conn connection number (0-based), @param n request number on that connection (0-based) */
        void answer(int conn, int n, Request req, OutputStream out, Socket s) throws Exception;
    }

    record Request(String method, String target, List<String> headers, byte[] body) {
        String header(String name) {
            for (String h : headers) {
                int c = h.indexOf(':');
                if (c > 0 && h.substring(0, c).trim().equalsIgnoreCase(name)) {
                    return h.substring(c + 1).trim();
                }
            }
            return null;
        }
    }

    /** A raw HTTP/1.1 server: one thread per connection, requests read with Content-Length bodies. */
    static final class Server implements AutoCloseable {
        final ServerSocket socket;
        final AtomicInteger connections = new AtomicInteger();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger maxOpen = new AtomicInteger();
        final List<Request> requests = new CopyOnWriteArrayList<>();
        final List<Socket> sockets = new CopyOnWriteArrayList<>();
        final Script script;

        Server(Script script) throws IOException {
            this(script, new ServerSocket(0, 200, InetAddress.getLoopbackAddress()));
        }

        Server(Script script, ServerSocket socket) {
            this.script = script;
            this.socket = socket;
            Thread t = new Thread(this::acceptLoop, "pki-http-test-server");
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return socket.getLocalPort();
        }

        private void acceptLoop() {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    sockets.add(s);
                    int conn = connections.getAndIncrement();
                    int now = open.incrementAndGet();
                    maxOpen.accumulateAndGet(now, Math::max);
                    Thread t = new Thread(() -> serve(conn, s), "pki-http-test-conn-" + conn);
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        }

        private void serve(int conn, Socket s) {
            try (s) {
                InputStream in = s.getInputStream();
                OutputStream out = s.getOutputStream();
                for (int n = 0; ; n++) {
                    Request r = read(in);
                    if (r == null) {
                        return;
                    }
                    requests.add(r);
                    script.answer(conn, n, r, out, s);
                    out.flush();
                    if (s.isClosed()) {
                        return;
                    }
                }
            } catch (Exception e) {
                // the client went away
            } finally {
                open.decrementAndGet();
            }
        }

        private static Request read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int state = 0;
            while (state < 4) {
                int b = in.read();
                if (b < 0) {
                    return null;
                }
                head.write(b);
                state = (b == '\r' && (state == 0 || state == 2)) || (b == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            }
            String[] lines = head.toString(StandardCharsets.ISO_8859_1).split("\r\n");
            String[] first = lines[0].split(" ");
            List<String> headers = new ArrayList<>(List.of(lines).subList(1, lines.length));
            Request r = new Request(first[0], first[1], headers, new byte[0]);
            String len = r.header("Content-Length");
            byte[] body = in.readNBytes(len == null ? 0 : Integer.parseInt(len));
            return new Request(first[0], first[1], headers, body);
        }

        @Override
        public void close() throws IOException {
            socket.close();
            for (Socket s : sockets) {
                s.close();
            }
        }
    }

    static void respond(OutputStream out, int status, String body, String... extraHeaders) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        StringBuilder sb = new StringBuilder("HTTP/1.1 " + status + " X\r\nContent-Type: application/json\r\nContent-Length: " + b.length + "\r\n");
        for (String h : extraHeaders) {
            sb.append(h).append("\r\n");
        }
        out.write(sb.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
        out.write(b);
    }

    private final List<AutoCloseable> closeLater = new ArrayList<>();

    @AfterEach
    void tearDown() throws Exception {
        for (AutoCloseable c : closeLater) {
            c.close();
        }
    }

    private Server server(Script script) throws IOException {
        Server s = new Server(script);
        closeLater.add(s);
        return s;
    }

    private PkiHttp client(String base, int maxConnections, int maxWaiting, int maxBody, Duration timeout) {
        PkiHttp h = new PkiHttp(URI.create(base), maxConnections, maxWaiting, maxBody, Duration.ofSeconds(2), timeout,
                Duration.ofSeconds(20));
        closeLater.add(0, h);
        return h;
    }

    private static PkiClient.PkiException failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause() instanceof PkiClient.PkiException, "a PkiException, got " + e.getCause());
        PkiClient.PkiException p = (PkiClient.PkiException) e.getCause();
        assertEquals(0, p.status());
        return p;
    }

    @Test
    void sequentialRequestsShareOneKeepAliveConnectionAndCarryTheirHeaders() throws Exception {
        Server srv = server((conn, n, req, out, s) -> respond(out, 200, "{\"n\":" + n + ",\"path\":\"" + req.target() + "\"}"));
        PkiHttp http = client("http://127.0.0.1:" + srv.port(), 8, 100, 4096, Duration.ofSeconds(5));
        for (int i = 0; i < 50; i++) {
            byte[] body = ("{\"i\":" + i + "}").getBytes(StandardCharsets.UTF_8);
            PkiHttp.Response r = http.send(HttpMethod.POST, "/api/v1/x/" + i + "?q=%20", "Bearer secret", "application/json",
                    "application/json", body).get(10, TimeUnit.SECONDS);
            assertEquals(200, r.status());
            assertEquals("{\"n\":" + i + ",\"path\":\"/api/v1/x/" + i + "?q=%20\"}", r.body());
        }
        assertEquals(1, srv.connections.get(), "one connection, kept alive");
        Request last = srv.requests.get(49);
        assertEquals("POST", last.method());
        assertEquals("Bearer secret", last.header("Authorization"));
        assertEquals("application/json", last.header("Content-Type"));
        assertEquals("127.0.0.1:" + srv.port(), last.header("Host"));
        assertEquals("{\"i\":49}", new String(last.body(), StandardCharsets.UTF_8));
        assertEquals(0, http.outstanding());
    }

    @Test
    void manyConcurrentRequestsUseAtMostTheConnectionBoundAndAllAreAnswered() throws Exception {
        Server srv = server((conn, n, req, out, s) -> {
            Thread.sleep(5);
            respond(out, 200, req.target());
        });
        PkiHttp http = client("http://127.0.0.1:" + srv.port(), 4, 1000, 4096, Duration.ofSeconds(10));
        List<CompletableFuture<PkiHttp.Response>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            all.add(http.send(HttpMethod.GET, "/s/" + i, null, "application/json", null, null));
        }
        for (int i = 0; i < 300; i++) {
            assertEquals("/s/" + i, all.get(i).get(20, TimeUnit.SECONDS).body());
        }
        assertTrue(srv.maxOpen.get() <= 4, "at most 4 connections at once, saw " + srv.maxOpen.get());
        assertEquals(0, http.outstanding());
    }

    @Test
    void beyondTheWaitingBoundARequestFailsAtOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Server srv = server((conn, n, req, out, s) -> {
            release.await(10, TimeUnit.SECONDS);
            respond(out, 200, "{}");
        });
        PkiHttp http = client("http://127.0.0.1:" + srv.port(), 1, 2, 4096, Duration.ofSeconds(10));
        List<CompletableFuture<PkiHttp.Response>> accepted = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            accepted.add(http.send(HttpMethod.GET, "/w/" + i, null, null, null, null));
        }
        CompletableFuture<PkiHttp.Response> fourth = http.send(HttpMethod.GET, "/w/3", null, null, null, null);
        assertTrue(fourth.isDone(), "refused without waiting");
        assertTrue(failure(fourth).getMessage().contains("too many requests"));
        release.countDown();
        for (CompletableFuture<PkiHttp.Response> f : accepted) {
            assertEquals(200, f.get(10, TimeUnit.SECONDS).status());
        }
    }

    @Test
    void aRequestWithoutAnAnswerTimesOutAndItsConnectionIsNotReused() throws Exception {
        Server srv = server((conn, n, req, out, s) -> {
            if (conn == 0) {
                Thread.sleep(3_000); // never in time
                return;
            }
            respond(out, 200, "{\"conn\":" + conn + "}");
        });
        PkiHttp http = client("http://127.0.0.1:" + srv.port(), 1, 10, 4096, Duration.ofMillis(300));
        PkiClient.PkiException e = failure(http.send(HttpMethod.GET, "/slow", null, null, null, null));
        assertTrue(e.getMessage().contains("did not answer within 300 ms"), e.getMessage());
        assertEquals("{\"conn\":1}", http.send(HttpMethod.GET, "/next", null, null, null, null).get(10, TimeUnit.SECONDS).body());
    }

    @Test
    void anAnswerLargerThanTheLimitFailsAndTheNextRequestWorks() throws Exception {
        Server srv = server((conn, n, req, out, s) -> respond(out, 200, req.target().equals("/big") ? "x".repeat(5000) : "small"));
        PkiHttp http = client("http://127.0.0.1:" + srv.port(), 2, 10, 4096, Duration.ofSeconds(5));
        PkiClient.PkiException e = failure(http.send(HttpMethod.GET, "/big", null, null, null, null));
        assertTrue(e.getMessage().contains("larger than 4096 bytes"), e.getMessage());
        assertEquals("small", http.send(HttpMethod.GET, "/small", null, null, null, null).get(10, TimeUnit.SECONDS).body());
    }

    /**
     * pki-service closed a keep-alive connection just as it was reused (it reads the next request and
     * closes without answering): a GET, PUT or DELETE is sent once more on a new connection; a POST is
     * not (it may have been processed) and fails.
     */
    @Test
    void aConnectionClosedAsItWasReusedRetriesIdempotentRequestsOnly() throws Exception {
        Server srv = server((conn, n, req, out, s) -> {
            if (n == 1) {
                s.close(); // the second request on any connection: closed unanswered
                return;
            }
            respond(out, 200, "{\"conn\":" + conn + "}");
        });
        PkiHttp http = client("http://127.0.0.1:" + srv.port(), 1, 10, 4096, Duration.ofSeconds(5));
        assertEquals("{\"conn\":0}", http.send(HttpMethod.GET, "/a", null, null, null, null).get(10, TimeUnit.SECONDS).body());
        assertEquals("{\"conn\":1}", http.send(HttpMethod.PUT, "/b", null, null, "application/json", "{}".getBytes())
                .get(10, TimeUnit.SECONDS).body(), "retried on a second connection");
        PkiClient.PkiException e = failure(http.send(HttpMethod.POST, "/c", null, null, "application/json", "{}".getBytes()));
        assertTrue(e.getMessage().contains("closed the connection before answering"), e.getMessage());
        assertEquals(2, srv.requests.stream().filter(r -> r.target().equals("/b")).count());
        assertEquals(1, srv.requests.stream().filter(r -> r.target().equals("/c")).count(), "a POST is never sent twice");
    }

    @Test
    void connectionCloseAndChunkedAnswersAreHonoured() throws Exception {
        Server srv = server((conn, n, req, out, s) -> {
            if (req.target().equals("/close")) {
                respond(out, 201, "{\"closing\":true}", "Connection: close");
                out.flush();
                s.close();
                return;
            }
            out.write(("HTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\n"
                    + "5\r\n{\"a\":\r\n3\r\n42}\r\n0\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
        });
        PkiHttp http = client("http://127.0.0.1:" + srv.port(), 1, 10, 4096, Duration.ofSeconds(5));
        PkiHttp.Response closing = http.send(HttpMethod.DELETE, "/close", null, null, null, null).get(10, TimeUnit.SECONDS);
        assertEquals(201, closing.status());
        PkiHttp.Response chunked = http.send(HttpMethod.GET, "/chunked", null, null, null, null).get(10, TimeUnit.SECONDS);
        assertEquals(404, chunked.status());
        assertEquals("{\"a\":42}", chunked.body());
        assertEquals(2, srv.connections.get(), "a new connection after Connection: close");
    }

    @Test
    void anUnreachableServiceFailsWithStatusZeroAndNoSecret() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        PkiHttp http = client("http://127.0.0.1:" + port, 2, 10, 4096, Duration.ofSeconds(5));
        PkiClient.PkiException e = failure(http.send(HttpMethod.GET, "/x", "Bearer top-secret-token", null, null, null));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        assertTrue(!e.getMessage().contains("top-secret"), "no token in the message");
    }

    @Test
    void httpsIsVerifiedIncludingTheHostName() throws Exception {
        TestPki pki = new TestPki();
        KeyPair key = TestPki.ec();
        GeneralNames san = new GeneralNames(new GeneralName(GeneralName.dNSName, "localhost"));
        X509Certificate cert = TestPki.leaf(TestPki.name("localhost"), key.getPublic(), Instant.now().minusSeconds(60),
                Instant.now().plus(Duration.ofDays(1)), pki.root, pki.rootKey.getPrivate(), KeyPurposeId.id_kp_serverAuth, san);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("k", key.getPrivate(), "p".toCharArray(), new Certificate[] {cert, pki.root});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "p".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        SSLServerSocket tlsSocket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Server srv = new Server((conn, n, req, out, s) -> respond(out, 200, "{\"tls\":true}"), tlsSocket);
        closeLater.add(srv);
        var trustingRoot = SslContextBuilder.forClient().trustManager(pki.root).build();

        PkiHttp byName = new PkiHttp(URI.create("https://localhost:" + srv.port()), 2, 10, 4096, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(20), trustingRoot);
        closeLater.add(0, byName);
        assertEquals("{\"tls\":true}", byName.send(HttpMethod.GET, "/t", null, null, null, null).get(10, TimeUnit.SECONDS).body());

        // the certificate names localhost only: by address the name check fails
        PkiHttp byAddress = new PkiHttp(URI.create("https://127.0.0.1:" + srv.port()), 2, 10, 4096, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(20), trustingRoot);
        closeLater.add(0, byAddress);
        failure(byAddress.send(HttpMethod.GET, "/t", null, null, null, null));

        // an untrusted server (the JDK's trust store does not hold the test root)
        PkiHttp untrusted = new PkiHttp(URI.create("https://localhost:" + srv.port()), 2, 10, 4096, Duration.ofSeconds(2),
                Duration.ofSeconds(5), Duration.ofSeconds(20));
        closeLater.add(0, untrusted);
        failure(untrusted.send(HttpMethod.GET, "/t", null, null, null, null));
        assertEquals(1, srv.requests.size(), "only the verified connection got a request through");
    }

    @Test
    void otherSchemesAreRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new PkiHttp(URI.create("ftp://h/"), 1, 1,
                1, Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().toLowerCase(Locale.ROOT).contains("http"));
    }
}
