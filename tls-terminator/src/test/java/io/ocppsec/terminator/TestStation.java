package io.ocppsec.terminator;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/** A minimal station for the tests: the JDK's own WebSocket client (an independent implementation). */
final class TestStation implements AutoCloseable {
    final BlockingQueue<String> received;
    final CompletableFuture<Integer> closed;
    final WebSocket ws;

    /** Thrown when the upgrade is refused: the HTTP status. */
    static final class Refused extends RuntimeException {
        final int status;
        final String body;

        Refused(int status, String body) {
            super("HTTP " + status + ": " + body);
            this.status = status;
            this.body = body;
        }
    }

    private TestStation(WebSocket ws, Holder h) {
        this.ws = ws;
        this.received = h.early;
        this.closed = h.earlyClose;
    }

    static TestStation connect(URI uri, SSLContext tls, String basicUser, String password, List<String> subprotocols) {
        HttpClient.Builder hb = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10));
        if (tls != null) {
            hb.sslContext(tls);
        }
        HttpClient http = hb.build();
        WebSocket.Builder b = http.newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10));
        if (basicUser != null) {
            b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (basicUser + ":" + password).getBytes(StandardCharsets.UTF_8)));
        }
        if (subprotocols != null && !subprotocols.isEmpty()) {
            b.subprotocols(subprotocols.get(0), subprotocols.subList(1, subprotocols.size()).toArray(new String[0]));
        }
        Holder holder = new Holder();
        try {
            WebSocket ws = b.buildAsync(uri, holder).get(20, TimeUnit.SECONDS);
            return new TestStation(ws, holder);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause() instanceof CompletionException && e.getCause().getCause() != null ? e.getCause().getCause() : e.getCause();
            if (c instanceof WebSocketHandshakeException h) {
                Object body = h.getResponse().body();
                throw new Refused(h.getResponse().statusCode(), body == null ? "" : body.toString());
            }
            throw new IllegalStateException(c);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Holder implements WebSocket.Listener {
        private final StringBuilder partial = new StringBuilder();
        private final BlockingQueue<String> early = new LinkedBlockingQueue<>();
        private final CompletableFuture<Integer> earlyClose = new CompletableFuture<>();

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                String s = partial.toString();
                partial.setLength(0);
                early.add(s);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            earlyClose.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            earlyClose.complete(-1);
        }
    }

    String subprotocol() {
        return ws.getSubprotocol();
    }

    void send(String text) {
        ws.sendText(text, true).join();
    }

    /** The next message, or fails after {@code seconds}. */
    String next(int seconds) throws InterruptedException {
        String s = received.poll(seconds, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no message within " + seconds + " s");
        }
        return s;
    }

    int awaitClose(int seconds) throws Exception {
        return closed.get(seconds, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            ws.sendClose(1000, "bye").get(2, TimeUnit.SECONDS);
        } catch (Exception ignored) {
            ws.abort();
        }
    }
}
