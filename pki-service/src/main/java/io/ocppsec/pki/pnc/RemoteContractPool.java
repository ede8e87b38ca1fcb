package io.ocppsec.pki.pnc;

import io.ocppsec.security.cert.PemCertificates;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Contract provisioning by an external contract-certificate pool (issue 6 scope 5b), Hubject
 * style: {@code POST {base}/v1/ccp/signedContractData} with
 * {@code {"certificateInstallationReq": <exiRequest>, "xsdMsgDefNamespace": <schema>}}
 * (the schema as the pools name it: {@code urn:iso:15118:2:2013:MsgDef} or, for ISO 15118-20,
 * {@code urn:iso:15118:20:2020:MsgDef}; {@code certificateUpdateReq} for Update; for ISO 15118-20 also
 * {@code maximumContractCertificateChains} and {@code prioritizedEMAIDs} when given), answered with
 * {@code {"CCPResponse": {"emaidContent": [{"messageDef": {"certificateInstallationRes": <exi>, "emaid": ...}}]}}}
 * (thoughtworks/maeve-csms {@code manager/services/contract_certificate_provider.go} reads the same shape).
 *
 * <p>OAuth2 client credentials: the token is cached until shortly before it expires and fetched
 * again once when the pool answers 401. HTTPS against a configurable trust store; connect and read
 * timeouts; retries with exponential back-off and jitter on 5xx and timeouts only (never on 4xx);
 * everything, the token included, within one deadline below the EV's ISO 15118 budget
 * (CertificateInstallation: 4.5 s; default 4 s); answers larger than the cap are refused unread.
 * Secrets (client secret, tokens) are never logged nor put in an outcome.
 */
public final class RemoteContractPool implements ContractProvisioner {
    private static final Logger log = LoggerFactory.getLogger(RemoteContractPool.class);
    private static final JsonMapper JSON = JsonMapper.builder().build();
    static final String PATH = "/v1/ccp/signedContractData";
    /** OCPP 2.1 exiRequest maxLength (2.0.1: 5600). */
    static final int MAX_EXI_REQUEST_CHARS = 11_000;
    /** OCPP 2.1 exiResponse maxLength (2.0.1: 5600). */
    static final int MAX_EXI_RESPONSE_CHARS = 17_000;
    private static final int MAX_TOKEN_RESPONSE_BYTES = 16 * 1024;

    /** Failed.reasonCode values (OCPP StatusInfo.reasonCode, at most 20 characters). */
    public static final String BAD_REQUEST = "InvalidRequest";
    public static final String TIMEOUT = "Timeout";
    public static final String UNREACHABLE = "PoolUnreachable";
    public static final String REMOTE_ERROR = "PoolError";
    public static final String REJECTED = "PoolRejected";
    public static final String AUTH_FAILED = "PoolAuthFailed";
    public static final String BAD_RESPONSE = "PoolBadResponse";
    public static final String TOO_LARGE = "PoolResponseTooLarge";
    public static final String NO_CONTRACT = "NoContract";

    private final PncProperties.Remote config;
    private final HttpClient http;
    private final LongSupplier nanoTime;
    private final String clientSecret;
    private final URI endpoint;
    private CachedToken token;

    private record CachedToken(String value, long expiresAtNanos) {
    }

    /** A failure of one attempt; {@code transientFailure} ones are retried. */
    private static final class AttemptFailure extends Exception {
        final String reason;
        final boolean transientFailure;

        AttemptFailure(String reason, boolean transientFailure, String message) {
            super(message, null, false, false);
            this.reason = reason;
            this.transientFailure = transientFailure;
        }
    }

    public RemoteContractPool(PncProperties.Remote config) {
        this(config, System::nanoTime);
    }

    RemoteContractPool(PncProperties.Remote config, LongSupplier nanoTime) {
        config.requireComplete();
        this.config = config;
        this.nanoTime = nanoTime;
        this.clientSecret = secret(config);
        String base = config.baseUrl().toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + PATH);
        HttpClient.Builder b = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER);
        if (config.trustStore() != null) {
            b.sslContext(sslContext(config));
        }
        this.http = b.build();
    }

    @Override
    public ProvisioningOutcome provision(ProvisioningRequest r) {
        String invalid = invalid(r);
        if (invalid != null) {
            return new ProvisioningOutcome.Failed(BAD_REQUEST, invalid);
        }
        long deadline = nanoTime.getAsLong() + config.deadline().toNanos();
        byte[] body = requestBody(r);
        boolean refreshedToken = false;
        AttemptFailure last = null;
        for (int attempt = 1; attempt <= config.maxAttempts(); attempt++) {
            try {
                return attempt(r, body, deadline);
            } catch (Unauthorized u) {
                if (refreshedToken || config.tokenUrl() == null) {
                    last = new AttemptFailure(AUTH_FAILED, false, "the pool refused our credentials (HTTP 401)");
                    break;
                }
                // The token may have been revoked or expired early: fetch a new one, once, and
                // try again without counting this as an attempt.
                refreshedToken = true;
                invalidate(u.token);
                attempt--;
                continue;
            } catch (AttemptFailure f) {
                last = f;
                if (!f.transientFailure) {
                    break;
                }
            }
            if (attempt < config.maxAttempts() && !backOff(attempt, deadline)) {
                last = new AttemptFailure(TIMEOUT, false, "no answer from the pool within " + config.deadline().toMillis() + " ms");
                break;
            }
        }
        log.warn("remote contract provisioning for station {} failed: {} ({})", r.stationId(), last.reason, last.getMessage());
        return new ProvisioningOutcome.Failed(last.reason, last.getMessage());
    }

    private static final class Unauthorized extends Exception {
        final String token;

        Unauthorized(String token) {
            super(null, null, false, false);
            this.token = token;
        }
    }

    private ProvisioningOutcome attempt(ProvisioningRequest r, byte[] body, long deadline) throws AttemptFailure, Unauthorized {
        String bearer = config.tokenUrl() == null ? null : token(deadline);
        HttpRequest.Builder req = HttpRequest.newBuilder(endpoint)
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (bearer != null) {
            req.header("Authorization", "Bearer " + bearer);
        }
        HttpResponse<byte[]> resp = send(req, deadline, config.maxResponseBytes(), "the pool");
        int status = resp.statusCode();
        if (status == 401 && bearer != null) {
            throw new Unauthorized(bearer);
        }
        if (status >= 500) {
            throw new AttemptFailure(REMOTE_ERROR, true, "the pool answered HTTP " + status);
        }
        if (status == 401 || status == 403) {
            throw new AttemptFailure(AUTH_FAILED, false, "the pool answered HTTP " + status);
        }
        if (status != 200) {
            throw new AttemptFailure(REJECTED, false, "the pool refused the request: HTTP " + status + detail(resp.body()));
        }
        return parse(resp.body(), r.update());
    }

    /** Parses the pool's answer; anything unexpected is BAD_RESPONSE (not retried). */
    static ProvisioningOutcome parse(byte[] body, boolean update) throws AttemptFailure {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new AttemptFailure(BAD_RESPONSE, false, "the pool's answer is not JSON");
        }
        if (root == null || !root.isObject()) {
            throw new AttemptFailure(BAD_RESPONSE, false, "the pool's answer is not a JSON object");
        }
        JsonNode ccp = root.has("CCPResponse") ? root.get("CCPResponse") : root;
        JsonNode contents = ccp.get("emaidContent");
        if (contents == null || !contents.isArray()) {
            throw new AttemptFailure(BAD_RESPONSE, false, "the pool's answer has no emaidContent");
        }
        if (contents.isEmpty()) {
            return new ProvisioningOutcome.Failed(NO_CONTRACT, "the pool has no contract for this EV");
        }
        JsonNode def = contents.get(0).path("messageDef");
        JsonNode exi = def.get(update ? "certificateUpdateRes" : "certificateInstallationRes");
        if (exi == null) {
            exi = def.get(update ? "certificateInstallationRes" : "certificateUpdateRes");
        }
        if (exi == null || !exi.isString() || exi.asString().isEmpty()) {
            throw new AttemptFailure(BAD_RESPONSE, false, "the pool's answer has no EXI response in emaidContent[0].messageDef");
        }
        String b64 = exi.asString();
        if (b64.length() > MAX_EXI_RESPONSE_CHARS) {
            throw new AttemptFailure(TOO_LARGE, false, "the pool's EXI response has " + b64.length()
                    + " characters, more than OCPP allows (" + MAX_EXI_RESPONSE_CHARS + ")");
        }
        try {
            Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            throw new AttemptFailure(BAD_RESPONSE, false, "the pool's EXI response is not Base64");
        }
        Integer remaining = null;
        for (JsonNode holder : List.of(ccp, root)) {
            for (String field : List.of("remainingContracts", "remainingContractCertificateChains")) {
                JsonNode n = holder.get(field);
                if (remaining == null && n != null && n.isIntegralNumber() && n.asInt() >= 0 && n.asInt() <= 255) {
                    remaining = n.asInt();
                }
            }
        }
        return new ProvisioningOutcome.Accepted(b64, remaining);
    }

    /** OCPP's iso15118SchemaVersion for ISO 15118-20 (the -20 CommonMessages namespace). */
    static final String OCPP_ISO_15118_20 = "urn:iso:std:iso:15118:-20:CommonMessages";
    /**
     * The pools' name for ISO 15118-20: CharIN's Open Plug&Charge OpenAPI (CCP and CPS APIs,
     * {@code xsdMsgDefNamespaceParamV1}) enumerates exactly {@code urn:iso:15118:2:2013:MsgDef} and
     * {@code urn:iso:15118:20:2020:MsgDef}.
     */
    static final String POOL_ISO_15118_20 = "urn:iso:15118:20:2020:MsgDef";

    /**
     * The xsdMsgDefNamespace a pool understands for OCPP's iso15118SchemaVersion: -2's namespace is the
     * same in both; OCPP names -20 by its CommonMessages namespace, the pools by
     * {@link #POOL_ISO_15118_20}; anything else is passed on as given.
     */
    static String poolNamespace(String ocppSchemaVersion) {
        return OCPP_ISO_15118_20.equals(ocppSchemaVersion) ? POOL_ISO_15118_20 : ocppSchemaVersion;
    }

    private byte[] requestBody(ProvisioningRequest r) {
        ObjectNode o = JSON.createObjectNode();
        o.put(r.update() ? "certificateUpdateReq" : "certificateInstallationReq", r.exiRequestBase64());
        o.put("xsdMsgDefNamespace", poolNamespace(r.iso15118SchemaVersion()));
        if (r.maximumContractCertificateChains() != null) {
            o.put("maximumContractCertificateChains", r.maximumContractCertificateChains());
        }
        if (!r.prioritizedEmaids().isEmpty()) {
            var a = o.putArray("prioritizedEMAIDs");
            r.prioritizedEmaids().forEach(a::add);
        }
        return JSON.writeValueAsBytes(o);
    }

    private static String invalid(ProvisioningRequest r) {
        if (r == null || r.exiRequestBase64() == null || r.exiRequestBase64().isEmpty()) {
            return "exiRequest is required";
        }
        if (r.exiRequestBase64().length() > MAX_EXI_REQUEST_CHARS) {
            return "exiRequest is longer than " + MAX_EXI_REQUEST_CHARS + " characters";
        }
        try {
            Base64.getDecoder().decode(r.exiRequestBase64());
        } catch (IllegalArgumentException e) {
            return "exiRequest is not Base64";
        }
        if (!"Install".equals(r.action()) && !"Update".equals(r.action())) {
            return "action must be Install or Update";
        }
        if (r.iso15118SchemaVersion() == null || r.iso15118SchemaVersion().isBlank() || r.iso15118SchemaVersion().length() > 50) {
            return "iso15118SchemaVersion is required (at most 50 characters)";
        }
        if (r.maximumContractCertificateChains() != null
                && (r.maximumContractCertificateChains() < 0 || r.maximumContractCertificateChains() > 255)) {
            return "maximumContractCertificateChains must be between 0 and 255";
        }
        if (r.prioritizedEmaids().size() > 8 || r.prioritizedEmaids().stream().anyMatch(e -> e == null || e.length() > 255)) {
            return "prioritizedEMAIDs: at most 8 eMAIDs";
        }
        return null;
    }

    // --- OAuth2 client credentials (RFC 6749 §4.4) ---

    private synchronized String token(long deadline) throws AttemptFailure {
        long now = nanoTime.getAsLong();
        if (token != null && now - token.expiresAtNanos() < 0) {
            return token.value();
        }
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (config.scope() != null && !config.scope().isBlank()) {
            form.append("&scope=").append(URLEncoder.encode(config.scope(), StandardCharsets.UTF_8));
        }
        HttpRequest.Builder req = HttpRequest.newBuilder(config.tokenUrl())
                .header("Content-Type", "application/x-www-form-urlencoded").header("Accept", "application/json");
        if (config.clientAuth().equals("basic")) {
            String creds = URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8) + ":"
                    + URLEncoder.encode(clientSecret, StandardCharsets.UTF_8);
            req.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(creds.getBytes(StandardCharsets.UTF_8)));
        } else {
            form.append("&client_id=").append(URLEncoder.encode(config.clientId(), StandardCharsets.UTF_8))
                    .append("&client_secret=").append(URLEncoder.encode(clientSecret, StandardCharsets.UTF_8));
        }
        req.POST(HttpRequest.BodyPublishers.ofString(form.toString()));
        HttpResponse<byte[]> resp = send(req, deadline, MAX_TOKEN_RESPONSE_BYTES, "the token endpoint");
        if (resp.statusCode() >= 500) {
            throw new AttemptFailure(REMOTE_ERROR, true, "the token endpoint answered HTTP " + resp.statusCode());
        }
        if (resp.statusCode() != 200) {
            throw new AttemptFailure(AUTH_FAILED, false, "the token endpoint refused our client credentials: HTTP " + resp.statusCode());
        }
        JsonNode t;
        try {
            t = JSON.readTree(resp.body());
        } catch (JacksonException e) {
            throw new AttemptFailure(AUTH_FAILED, false, "the token endpoint's answer is not JSON");
        }
        String value = t == null ? null : t.path("access_token").asString(null);
        if (value == null || value.isEmpty() || value.length() > 8192 || !value.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
            throw new AttemptFailure(AUTH_FAILED, false, "the token endpoint's answer has no usable access_token");
        }
        long expiresIn = t.path("expires_in").isNumber() ? t.path("expires_in").asLong() : 300;
        expiresIn = Math.max(1, Math.min(expiresIn, 86_400));
        // Renew a little early: a tenth of the lifetime, at most 30 s.
        long margin = Math.min(30, expiresIn / 10);
        token = new CachedToken(value, now + TimeUnit.SECONDS.toNanos(expiresIn - margin));
        return value;
    }

    private synchronized void invalidate(String used) {
        if (token != null && token.value().equals(used)) {
            token = null;
        }
    }

    // --- HTTP ---

    private HttpResponse<byte[]> send(HttpRequest.Builder req, long deadline, int cap, String peer) throws AttemptFailure {
        long remaining = deadline - nanoTime.getAsLong();
        if (remaining <= 0) {
            throw new AttemptFailure(TIMEOUT, false, "no answer from the pool within " + config.deadline().toMillis() + " ms");
        }
        Duration timeout = Duration.ofNanos(Math.min(remaining, config.readTimeout().toNanos()));
        CompletableFuture<HttpResponse<byte[]>> f = http.sendAsync(req.timeout(timeout).build(), CappedBody.handler(cap));
        try {
            // The request timeout covers the headers; this bounds the body too.
            return f.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            throw new AttemptFailure(TIMEOUT, true, peer + " did not answer within " + timeout.toMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new AttemptFailure(TIMEOUT, false, "interrupted while waiting for " + peer);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            while (c instanceof java.util.concurrent.CompletionException || (c instanceof IOException && c.getCause() instanceof CappedBody.TooLarge)) {
                c = c.getCause();
            }
            if (c instanceof CappedBody.TooLarge) {
                throw new AttemptFailure(TOO_LARGE, false, peer + "'s answer is larger than " + cap + " bytes");
            }
            if (c instanceof HttpConnectTimeoutException) {
                throw new AttemptFailure(TIMEOUT, true, "could not connect to " + peer + " within " + config.connectTimeout().toMillis() + " ms");
            }
            if (c instanceof HttpTimeoutException) {
                throw new AttemptFailure(TIMEOUT, true, peer + " did not answer within " + timeout.toMillis() + " ms");
            }
            if (c instanceof javax.net.ssl.SSLException) {
                throw new AttemptFailure(UNREACHABLE, false, "TLS with " + peer + " failed (is its certificate in the trust store?)");
            }
            throw new AttemptFailure(UNREACHABLE, true, "cannot reach " + peer + ": " + (c == null ? "unknown" : c.getClass().getSimpleName()));
        }
    }

    /** Waits before the next attempt; false when the deadline leaves no time for one. */
    private boolean backOff(int attempt, long deadline) {
        long base = TimeUnit.MILLISECONDS.toNanos(100L << Math.min(attempt - 1, 5));
        long wait = base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
        long remaining = deadline - nanoTime.getAsLong();
        if (remaining - wait <= TimeUnit.MILLISECONDS.toNanos(50)) {
            return false;
        }
        try {
            TimeUnit.NANOSECONDS.sleep(wait);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return "";
        }
        String s = new String(body, 0, Math.min(body.length, 200), StandardCharsets.UTF_8).replaceAll("[^\\x20-\\x7e]", " ").trim();
        return s.isEmpty() ? "" : " (" + s + ")";
    }

    private static String secret(PncProperties.Remote config) {
        if (config.tokenUrl() == null) {
            return null;
        }
        if (config.clientSecret() != null) {
            return config.clientSecret();
        }
        try {
            List<String> lines = Files.readAllLines(config.clientSecretFile(), StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                throw new IllegalArgumentException("ocppsec.pnc.remote.client-secret-file is empty");
            }
            return lines.get(0).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("ocppsec.pnc.remote.client-secret-file cannot be read: " + config.clientSecretFile());
        }
    }

    private static SSLContext sslContext(PncProperties.Remote config) {
        try {
            List<X509Certificate> anchors = PemCertificates.read(Files.readString(config.trustStore()));
            if (anchors.isEmpty()) {
                throw new IllegalArgumentException("ocppsec.pnc.remote.trust-store holds no certificate");
            }
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            for (int i = 0; i < anchors.size(); i++) {
                ks.setCertificateEntry("anchor-" + i, anchors.get(i));
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (IOException e) {
            throw new IllegalArgumentException("ocppsec.pnc.remote.trust-store cannot be read: " + config.trustStore());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot build the TLS context for the contract pool", e);
        }
    }
}
