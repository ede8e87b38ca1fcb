package io.ocppsec.pki.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A tiny HTTP/1.1 server on 127.0.0.1 for the tests: answers every request with what
 * {@code handler} makes of its body, and counts the connections it accepted (the SSRF tests
 * assert that count stays 0).
 */
final class TinyHttpServer implements AutoCloseable {

    /** What to send back. {@code contentLength} false: no Content-Length, the body ends with the connection. */
    record Reply(int status, String contentType, byte[] body, boolean contentLength, String extraHeader) {
        static Reply ok(String type, byte[] body) {
            return new Reply(200, type, body, true, null);
        }
    }

    private final ServerSocket server;
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Function<byte[], Reply> handler;

    TinyHttpServer(Function<byte[], Reply> handler) throws IOException {
        this.handler = handler;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(this::loop, "tiny-http-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    void handler(Function<byte[], Reply> h) {
        this.handler = h;
    }

    int port() {
        return server.getLocalPort();
    }

    int connections() {
        return connections.get();
    }

    private void loop() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                connections.incrementAndGet();
                s.setSoTimeout(5000);
                byte[] body = readRequest(s.getInputStream());
                Reply r = handler.apply(body);
                OutputStream out = s.getOutputStream();
                StringBuilder head = new StringBuilder("HTTP/1.1 " + r.status() + " X\r\n");
                if (r.contentType() != null) {
                    head.append("Content-Type: ").append(r.contentType()).append("\r\n");
                }
                if (r.contentLength()) {
                    head.append("Content-Length: ").append(r.body().length).append("\r\n");
                }
                if (r.extraHeader() != null) {
                    head.append(r.extraHeader()).append("\r\n");
                }
                head.append("Connection: close\r\n\r\n");
                out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
                out.write(r.body());
                out.flush();
            } catch (IOException | RuntimeException e) {
                // next connection
            }
        }
    }

    private static byte[] readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        while (state < 4) {
            int c = in.read();
            if (c < 0) {
                return new byte[0];
            }
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) || (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
        }
        int length = 0;
        for (String line : head.toString(StandardCharsets.ISO_8859_1).split("\r\n")) {
            if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        return in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
