package io.ocppsec.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * A small client of the pki-service API on the JDK HTTP client: bearer token on every call, no
 * redirects (the token must not follow one elsewhere), bounded responses, and every failure turned
 * into a one-line {@link CliException}: an API refusal (a 4xx RFC 9457 problem) exits 1 and names
 * the problem's {@code code}; anything else (unreachable, 5xx, a malformed answer) exits 2.
 */
final class ApiClient {
    /** The largest page the list endpoints serve. */
    static final int PAGE = 1000;
    /** Largest response read; anything larger is refused rather than buffered. */
    static final long MAX_RESPONSE_BYTES = 64L * 1024 * 1024;
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    private static final String JSON_TYPE = "application/json";

    private final String baseText;
    private final String token;
    private final String tokenSource;
    private final HttpClient http;

    ApiClient(URI base, String token, String tokenSource) {
        this.baseText = base.toString();
        this.token = token;
        this.tokenSource = tokenSource;
        this.http = HttpClient.newBuilder()
                .connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1)
                .build();
    }

    /** What an API call returned: its status, content type and (bounded) body. */
    record Response(int status, String contentType, byte[] body) {
        JsonNode json(ApiClient api, String what) {
            if (body.length == 0) {
                throw new CliException("pki-service at " + api.baseText + " sent an empty answer to " + what);
            }
            try {
                return Text.JSON.readTree(body);
            } catch (JacksonException e) {
                throw new CliException("pki-service at " + api.baseText + " sent an answer to " + what + " that is not JSON");
            }
        }
    }

    // ---- requests ----------------------------------------------------------------------------

    /** GET a JSON document. {@code subject} names what it is about in error messages ("station CP001"). */
    JsonNode get(String path, String subject) {
        return expectOk(send("GET", path, null, JSON_TYPE), subject).json(this, "GET " + path);
    }

    JsonNode post(String path, JsonNode body, String subject) {
        return expectOk(send("POST", path, body, JSON_TYPE), subject).json(this, "POST " + path);
    }

    /** POST with a longer wait than the usual {@link #REQUEST_TIMEOUT} (calls that wait for a station). */
    JsonNode post(String path, JsonNode body, String subject, Duration timeout) {
        return expectOk(send("POST", path, body, JSON_TYPE, timeout), subject).json(this, "POST " + path);
    }

    JsonNode patch(String path, JsonNode body, String subject) {
        return expectOk(send("PATCH", path, body, JSON_TYPE), subject).json(this, "PATCH " + path);
    }

    void delete(String path, String subject) {
        expectOk(send("DELETE", path, null, JSON_TYPE), subject);
    }

    /** GET a non-JSON document (PEM, CSV) as bytes. */
    byte[] getBytes(String path, String accept, String subject) {
        return expectOk(send("GET", path, null, accept), subject).body();
    }

    /**
     * GET a document straight into {@code out} without holding it in memory; returns the number of
     * bytes written. Refuses (and leaves {@code out} to the caller to discard) beyond
     * {@link #MAX_RESPONSE_BYTES}.
     */
    long download(String path, String accept, OutputStream out, String subject) {
        HttpResponse<InputStream> r = exchange("GET", path, null, accept);
        try (InputStream in = r.body()) {
            if (r.statusCode() / 100 != 2) {
                expectOk(new Response(r.statusCode(), contentType(r), readBounded(in, contentLength(r), path)), subject);
            }
            return copyBounded(in, contentLength(r), out, path);
        } catch (IOException e) {
            throw transportFailure(e, path);
        }
    }

    /** One exchange with a bounded body. */
    Response send(String method, String path, JsonNode body, String accept) {
        return send(method, path, body, accept, REQUEST_TIMEOUT);
    }

    Response send(String method, String path, JsonNode body, String accept, Duration timeout) {
        HttpResponse<InputStream> r = exchange(method, path, body, accept, timeout);
        try (InputStream in = r.body()) {
            return new Response(r.statusCode(), contentType(r), readBounded(in, contentLength(r), path));
        } catch (IOException e) {
            throw transportFailure(e, path, timeout);
        }
    }

    private HttpResponse<InputStream> exchange(String method, String path, JsonNode body, String accept) {
        return exchange(method, path, body, accept, REQUEST_TIMEOUT);
    }

    private HttpResponse<InputStream> exchange(String method, String path, JsonNode body, String accept, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(baseText + path))
                .timeout(timeout)
                .header("Authorization", "Bearer " + token)
                .header("Accept", accept + ", application/problem+json")
                .header("User-Agent", "ocppsec-cli");
        if (body != null) {
            b.header("Content-Type", JSON_TYPE)
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(Text.JSON.writeValueAsBytes(body)));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw transportFailure(e, path, timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while waiting for pki-service");
        }
    }

    // ---- errors ------------------------------------------------------------------------------

    private Response expectOk(Response r, String subject) {
        if (r.status() / 100 == 2) {
            return r;
        }
        throw refusal(r, subject);
    }

    /** The one-line reason for a non-2xx answer. */
    private CliException refusal(Response r, String subject) {
        JsonNode problem = null;
        if (r.contentType() != null && r.contentType().toLowerCase(Locale.ROOT).contains("json") && r.body().length > 0) {
            try {
                problem = Text.JSON.readTree(r.body());
            } catch (JacksonException notJson) {
                // described below by its status
            }
        }
        int exit = r.status() >= 400 && r.status() < 500 ? CliException.REFUSED : CliException.FAILED;
        if (problem == null || !problem.isObject()) {
            return new CliException(CliException.FAILED, "pki-service at " + baseText + " answered HTTP " + r.status()
                    + (subject == null ? "" : " for " + subject));
        }
        String code = Text.str(problem, "code");
        String detail = Text.str(problem, "detail");
        if (detail == null) {
            detail = Text.str(problem, "title");
        }
        String tag = " (" + (code == null ? "HTTP " + r.status() : Text.oneLine(code)) + ")";
        String message;
        if (r.status() == 401) {
            message = "pki-service did not accept the API token from " + tokenSource + tag;
        } else if (subject != null && code != null && FRIENDLY.containsKey(code)) {
            message = subject + " " + FRIENDLY.get(code) + tag;
        } else {
            message = (subject == null ? "" : subject + ": ") + (detail == null ? "refused" : detail) + tag;
        }
        return new CliException(exit, redact(Text.oneLine(message)));
    }

    /** Problem codes that read better as a short phrase after the subject ("station CP001 exists"). */
    private static final Map<String, String> FRIENDLY = new LinkedHashMap<>();

    static {
        FRIENDLY.put("STATION_EXISTS", "exists");
        FRIENDLY.put("STATION_UNKNOWN", "is not registered");
        FRIENDLY.put("CERTIFICATE_UNKNOWN", "is not in the inventory");
        FRIENDLY.put("TOKEN_UNKNOWN", "is not an active token");
    }

    private CliException transportFailure(IOException e, String path) {
        return transportFailure(e, path, REQUEST_TIMEOUT);
    }

    private CliException transportFailure(IOException e, String path, Duration timeout) {
        if (e instanceof ConnectException || e.getCause() instanceof ConnectException) {
            return new CliException("pki-service is not reachable at " + baseText + " (is './ocppsec up' running?)");
        }
        if (e instanceof HttpTimeoutException) {
            return new CliException("pki-service at " + baseText + " did not answer within "
                    + (e instanceof java.net.http.HttpConnectTimeoutException ? CONNECT_TIMEOUT : timeout).toSeconds()
                    + " s");
        }
        return new CliException("talking to pki-service at " + baseText + " failed: "
                + redact(Text.oneLine(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())));
    }

    private static byte[] readBounded(InputStream in, OptionalLong declared, String path) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(
                (int) Math.max(0, Math.min(declared.orElse(8192), 1024 * 1024)));
        copyBounded(in, declared, out, path);
        return out.toByteArray();
    }

    /** Copies a response body, refusing one that is (or says it is) larger than {@link #MAX_RESPONSE_BYTES}. */
    private static long copyBounded(InputStream in, OptionalLong declared, OutputStream out, String path) throws IOException {
        refuseIfDeclaredTooLarge(declared, path);
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        int n;
        while ((n = in.read(buf)) != -1) {
            total += n;
            if (total > MAX_RESPONSE_BYTES) {
                throw tooLarge(path);
            }
            out.write(buf, 0, n);
        }
        return total;
    }

    private static void refuseIfDeclaredTooLarge(OptionalLong declared, String path) {
        if (declared.isPresent() && declared.getAsLong() > MAX_RESPONSE_BYTES) {
            throw tooLarge(path);
        }
    }

    private static CliException tooLarge(String path) {
        return new CliException("the answer to " + pathOnly(path) + " is larger than " + (MAX_RESPONSE_BYTES >> 20)
                + " MiB; refused");
    }

    private static String pathOnly(String path) {
        int q = path.indexOf('?');
        return q < 0 ? path : path.substring(0, q);
    }

    private static OptionalLong contentLength(HttpResponse<?> r) {
        return r.headers().firstValueAsLong("Content-Length");
    }

    private static String contentType(HttpResponse<?> r) {
        return r.headers().firstValue("Content-Type").orElse(null);
    }

    /** Never let the token reach the terminal, whatever a server puts into its messages. */
    private String redact(String s) {
        return token.isEmpty() ? s : s.replace(token, "<redacted>");
    }

    // ---- URLs --------------------------------------------------------------------------------

    /**
     * A path segment, percent-encoded: OCPP identities may hold {@code * + | @ =}, which must not
     * be read as URL syntax; "." and ".." are refused so that no segment walks up the path.
     */
    static String segment(String value, String what) {
        if (value.isEmpty() || value.equals(".") || value.equals("..")) {
            throw new CliException("'" + Text.oneLine(value) + "' is not a valid " + what);
        }
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

    /** A query string from name/value pairs, skipping null values; empty when there are none. */
    static String query(Object... namesAndValues) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            if (v == null) {
                continue;
            }
            b.append(b.length() == 0 ? '?' : '&').append(namesAndValues[i]).append('=')
                    .append(URLEncoder.encode(v.toString(), StandardCharsets.UTF_8));
        }
        return b.toString();
    }
}
