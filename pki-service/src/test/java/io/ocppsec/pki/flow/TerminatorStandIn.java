package io.ocppsec.pki.flow;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import tools.jackson.databind.JsonNode;

/**
 * A stand-in for a terminator's control API on 127.0.0.1 and a random port, following the contract
 * in docs/pki-service.md: {@code POST /control/v1/stations/{identity}/calls} with
 * {@code Authorization: Bearer <control token>}. Requests without that token get 401; stations
 * without a scripted answer 404 (the terminator does not hold them). Every request is recorded.
 */
final class TerminatorStandIn implements AutoCloseable {
    static final String PREFIX = "/control/v1/stations/";

    /** A recorded request: the raw path segment of the station, the authorization header, the body. */
    record Request(String station, String authorization, String contentType, JsonNode body) {
    }

    /** A scripted answer. */
    record Answer(int status, String contentType, byte[] body, long delayMillis) {
        static Answer json(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8), 0);
        }

        static Answer callResult(String messageId, String payload) {
            return json(200, "{\"messageId\":\"" + messageId + "\",\"result\":\"CALLRESULT\",\"payload\":" + payload + "}");
        }

        static Answer callError(String messageId, String errorCode, String description) {
            return json(200, "{\"messageId\":\"" + messageId + "\",\"result\":\"CALLERROR\",\"errorCode\":\"" + errorCode
                    + "\",\"errorDescription\":\"" + description + "\",\"errorDetails\":{}}");
        }

        static Answer status(int status) {
            return json(status, "{\"error\":\"" + status + "\"}");
        }

        /** Answers only after the exchange has been given up (the test releases it at the end). */
        static Answer never() {
            return new Answer(200, "application/json", "{}".getBytes(StandardCharsets.UTF_8), -1);
        }
    }

    private final HttpServer server;
    private final String token;
    private final Map<String, Function<Request, Answer>> stations = new ConcurrentHashMap<>();
    private final CountDownLatch release = new CountDownLatch(1);
    final List<Request> requests = new CopyOnWriteArrayList<>();

    TerminatorStandIn(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "terminator-stand-in");
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Scripts the answers for a station, by its path segment as sent (percent-encoded). */
    TerminatorStandIn holds(String stationSegment, Function<Request, Answer> answer) {
        stations.put(stationSegment, answer);
        return this;
    }

    TerminatorStandIn holds(String stationSegment, Answer answer) {
        return holds(stationSegment, r -> answer);
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] raw = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getRawPath();
            Answer a;
            if (!"POST".equals(ex.getRequestMethod()) || !path.startsWith(PREFIX) || !path.endsWith("/calls")) {
                a = Answer.status(405);
            } else {
                String station = path.substring(PREFIX.length(), path.length() - "/calls".length());
                JsonNode body = Api.JSON.readTree(raw);
                Request r = new Request(station, ex.getRequestHeaders().getFirst("Authorization"),
                        ex.getRequestHeaders().getFirst("Content-Type"), body);
                requests.add(r);
                if (!("Bearer " + token).equals(r.authorization())) {
                    a = Answer.status(401);
                } else {
                    Function<Request, Answer> script = stations.get(station);
                    a = script == null ? Answer.status(404) : script.apply(r);
                }
            }
            if (a.delayMillis() < 0) {
                try {
                    release.await(120, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.getResponseHeaders().set("Content-Type", a.contentType());
            ex.sendResponseHeaders(a.status(), a.body().length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(a.body());
            } catch (IOException gone) {
                // the caller gave up waiting
            }
        }
    }

    @Override
    public void close() {
        release.countDown();
        server.stop(0);
    }
}
