package io.ocppsec.pki.terminator;

import io.ocppsec.pki.store.TerminatorStore;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The client side of a terminator's control API: {@code POST {controlUrl}/control/v1/stations/{identity}/calls}
 * with the terminator's bearer token, which sends one CALL to a station it holds and answers with
 * the station's CALLRESULT or CALLERROR. No redirects (the token must not follow one elsewhere),
 * a 5 s connect timeout, the call's own timeout plus 5 s for the whole exchange, answers of at
 * most 1 MiB.
 */
public final class ControlClient {
    /** The largest answer read from a terminator. */
    public static final int MAX_ANSWER_BYTES = 1024 * 1024;
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** Added to the call's timeout for the HTTP exchange, so that the terminator's own 504 arrives first. */
    static final int GRACE_SECONDS = 5;
    static final int MAX_REQUEST_SECONDS = 300;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /** What became of a call sent to a terminator. */
    public sealed interface Delivery permits Answered, NotHeld, StationTimeout, Failed {
    }

    /**
     * The terminator answered 200: {@code body} as it came (a JSON object of at most 1 MiB whose
     * {@code result} is CALLRESULT or CALLERROR), {@code json} its reading.
     */
    public record Answered(byte[] body, JsonNode json) implements Delivery {
        public boolean callResult() {
            return "CALLRESULT".equals(json.path("result").stringValue(null));
        }

        public String messageId() {
            return json.path("messageId").stringValue(null);
        }

        public String errorCode() {
            return json.path("errorCode").stringValue(null);
        }

        @Override
        public String toString() {
            return "Answered[result=" + json.path("result").stringValue(null) + ", messageId=" + messageId() + "]";
        }
    }

    /** 404: the terminator does not hold the station (any more); nothing was sent. */
    public record NotHeld() implements Delivery {
    }

    /** 504: the station did not answer in time; it may or may not have acted on the call. */
    public record StationTimeout() implements Delivery {
    }

    /** Why a call failed between pki-service and the terminator. */
    public enum Failure {
        /** The terminator could not be reached: nothing was sent. */
        UNREACHABLE(false),
        /** The terminator refused the request (4xx other than 404): nothing was sent. */
        REFUSED(false),
        /** No answer within the timeout: the call may have reached the station. */
        NO_ANSWER(true),
        /** A 5xx, a broken connection or an answer that is not the contract's: it may have reached the station. */
        BAD_ANSWER(true);

        private final boolean mayHaveBeenDelivered;

        Failure(boolean mayHaveBeenDelivered) {
            this.mayHaveBeenDelivered = mayHaveBeenDelivered;
        }

        public boolean mayHaveBeenDelivered() {
            return mayHaveBeenDelivered;
        }
    }

    /** The call failed on the way; {@code detail} is for people and holds no secrets. */
    public record Failed(Failure failure, String detail) implements Delivery {
    }

    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(HttpClient.Version.HTTP_1_1)
            .build();

    /** Sends {@code {"action","payload","timeoutSeconds"}} to the terminator holding {@code station}. */
    public Delivery send(TerminatorStore.Instance terminator, String station, String action, JsonNode payload, int timeoutSeconds) {
        ObjectNode body = JSON.createObjectNode();
        body.put("action", action);
        body.set("payload", payload);
        body.put("timeoutSeconds", timeoutSeconds);
        URI uri;
        try {
            uri = URI.create(stripSlashes(terminator.controlUrl()) + "/control/v1/stations/" + segment(station) + "/calls");
        } catch (IllegalArgumentException e) {
            return new Failed(Failure.UNREACHABLE, "the terminator's control URL is not usable");
        }
        HttpRequest request = HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(Math.min(timeoutSeconds + GRACE_SECONDS, MAX_REQUEST_SECONDS)))
                .header("Authorization", "Bearer " + terminator.controlToken())
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .header("User-Agent", "ocppsec-pki-service")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)))
                .build();
        HttpResponse<InputStream> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException | ConnectException e) {
            return new Failed(Failure.UNREACHABLE, "the terminator's control API did not accept a connection");
        } catch (HttpTimeoutException e) {
            return new Failed(Failure.NO_ANSWER, "the terminator did not answer within "
                    + Math.min(timeoutSeconds + GRACE_SECONDS, MAX_REQUEST_SECONDS) + " s");
        } catch (IOException e) {
            if (e.getCause() instanceof ConnectException) {
                return new Failed(Failure.UNREACHABLE, "the terminator's control API did not accept a connection");
            }
            return new Failed(Failure.BAD_ANSWER, "the connection to the terminator failed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Failed(Failure.NO_ANSWER, "interrupted while waiting for the terminator");
        }
        int status = response.statusCode();
        byte[] answer;
        try (InputStream in = response.body()) {
            answer = in.readNBytes(MAX_ANSWER_BYTES + 1);
        } catch (HttpTimeoutException e) {
            return new Failed(Failure.NO_ANSWER, "the terminator did not finish its answer in time");
        } catch (IOException e) {
            return new Failed(Failure.BAD_ANSWER, "the terminator's answer broke off");
        }
        if (status == 404) {
            return new NotHeld();
        }
        if (status == 504) {
            return new StationTimeout();
        }
        if (status != 200) {
            return new Failed(status >= 400 && status < 500 ? Failure.REFUSED : Failure.BAD_ANSWER,
                    "the terminator answered HTTP " + status);
        }
        if (answer.length > MAX_ANSWER_BYTES) {
            return new Failed(Failure.BAD_ANSWER, "the terminator's answer is larger than 1 MiB");
        }
        JsonNode json;
        try {
            json = JSON.readTree(answer);
        } catch (JacksonException e) {
            return new Failed(Failure.BAD_ANSWER, "the terminator's answer is not JSON");
        }
        String problem = contractProblem(json);
        if (problem != null) {
            return new Failed(Failure.BAD_ANSWER, "the terminator's answer " + problem);
        }
        return new Answered(answer, json);
    }

    /** What is wrong with a 200 answer, or null when it is one of the two shapes of the contract. */
    static String contractProblem(JsonNode json) {
        if (json == null || !json.isObject()) {
            return "is not a JSON object";
        }
        String result = json.path("result").stringValue(null);
        if ("CALLRESULT".equals(result)) {
            return json.path("payload").isObject() ? null : "is a CALLRESULT without a payload object";
        }
        if ("CALLERROR".equals(result)) {
            return json.path("errorCode").isString() ? null : "is a CALLERROR without an errorCode";
        }
        return "has no result CALLRESULT or CALLERROR";
    }

    private static String stripSlashes(String url) {
        String s = url;
        while (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    /** A path segment with everything but RFC 3986 unreserved characters percent-encoded. */
    static String segment(String value) {
        StringBuilder b = new StringBuilder();
        for (byte x : value.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.'
                    || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return b.toString();
    }
}
