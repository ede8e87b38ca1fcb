package io.ocppsec.cli;

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
import java.util.function.Function;

/**
 * A stand-in for the pki-service API on 127.0.0.1 and a random port: answers are registered per
 * "METHOD /path" (the path without the query) and every request is recorded. Requests without the
 * expected bearer token get pki-service's 401 problem; unknown routes a 404 problem.
 */
final class FakePki implements AutoCloseable {
    /** A recorded request. */
    record Request(String method, String path, String query, String authorization, String accept, String contentType,
                   String body) {
    }

    /** A canned answer. */
    record Answer(int status, String contentType, byte[] body) {
        static Answer json(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        static Answer problem(int status, String code, String detail) {
            return new Answer(status, "application/problem+json", ("{\"type\":\"urn:ocppsec:problem:" + code.toLowerCase().replace('_', '-')
                    + "\",\"title\":\"Refused\",\"status\":" + status + ",\"code\":\"" + code + "\",\"detail\":\"" + detail
                    + "\",\"instance\":\"/api\"}").getBytes(StandardCharsets.UTF_8));
        }

        static Answer noContent() {
            return new Answer(204, null, new byte[0]);
        }
    }

    private final HttpServer server;
    private final String token;
    private final Map<String, Function<Request, Answer>> routes = new ConcurrentHashMap<>();
    final List<Request> requests = new CopyOnWriteArrayList<>();

    FakePki(String token) throws IOException {
        this.token = token;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    FakePki on(String methodAndPath, Answer answer) {
        routes.put(methodAndPath, r -> answer);
        return this;
    }

    FakePki on(String methodAndPath, Function<Request, Answer> answer) {
        routes.put(methodAndPath, answer);
        return this;
    }

    Request last() {
        return requests.get(requests.size() - 1);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Request r = new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Accept"),
                    ex.getRequestHeaders().getFirst("Content-Type"), body);
            requests.add(r);
            Answer a;
            if (!("Bearer " + token).equals(r.authorization())) {
                a = new Answer(401, "application/problem+json", ("{\"type\":\"urn:ocppsec:problem:unauthorized\",\"title\":"
                        + "\"Unauthorized\",\"status\":401,\"code\":\"unauthorized\",\"detail\":\"A valid bearer token is required "
                        + "for /api (the first admin token is in the admin-token file of the data directory).\"}")
                        .getBytes(StandardCharsets.UTF_8));
            } else {
                Function<Request, Answer> route = routes.get(r.method() + " " + r.path());
                a = route == null ? Answer.problem(404, "NOT_FOUND", "no route " + r.method() + " " + r.path()) : route.apply(r);
            }
            if (a.contentType() != null) {
                ex.getResponseHeaders().set("Content-Type", a.contentType());
            }
            ex.sendResponseHeaders(a.status(), a.status() == 204 ? -1 : a.body().length);
            if (a.status() != 204) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(a.body());
                }
            }
        }
    }

    /** For routes that stream their own answer: the exchange of the request being handled. */
    interface Streamer {
        void stream(HttpExchange ex) throws IOException;
    }

    FakePki streaming(String methodAndPath, Streamer streamer) {
        server.removeContext("/");
        server.createContext("/", ex -> {
            String key = ex.getRequestMethod() + " " + ex.getRequestURI().getRawPath();
            if (key.equals(methodAndPath)) {
                try (ex) {
                    requests.add(new Request(ex.getRequestMethod(), ex.getRequestURI().getRawPath(), ex.getRequestURI().getRawQuery(),
                            ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Accept"), null, ""));
                    streamer.stream(ex);
                }
            } else {
                handle(ex);
            }
        });
        return this;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
