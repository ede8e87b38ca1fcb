package io.ocppsec.pki.custody.vault;

import io.github.jopenlibs.vault.EnvironmentLoader;
import io.github.jopenlibs.vault.SslConfig;
import io.github.jopenlibs.vault.Vault;
import io.github.jopenlibs.vault.VaultConfig;
import io.github.jopenlibs.vault.VaultException;
import io.github.jopenlibs.vault.json.Json;
import io.github.jopenlibs.vault.json.JsonArray;
import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.github.jopenlibs.vault.response.LogicalResponse;
import io.ocppsec.pki.custody.CustodyException;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The one place that talks to Vault, through the jopenlibs {@code vault-java-driver}: logical
 * reads and writes on explicit paths, answers parsed, failures turned into
 * {@link CustodyException}s that name the operation and Vault's own error text (never the token).
 *
 * <p>The driver is set up so that nothing implicit happens: KV engine version 1 for every path
 * (the driver would otherwise rewrite paths for KV version 2 by guesswork; the KV v2 store builds
 * its {@code <mount>/data/<path>} paths itself), no environment variables or {@code ~/.vault-token}
 * read, no retries, and one shared {@link HttpClient} (HTTP/1.1, connect timeout, TLS verified
 * against the JDK trust store or the configured CA file). The driver keeps the token as a
 * {@code String} for its lifetime; that cannot be avoided with it.
 */
final class VaultClient {
    private final Vault vault;
    private final String where;

    /** A parsed answer: HTTP status and the JSON body (an empty object when there was none). */
    record Answer(int status, JsonObject body) {
        /** The {@code data} object of the answer, or an empty object. */
        JsonObject data() {
            JsonValue d = body.get("data");
            return d != null && d.isObject() ? d.asObject() : new JsonObject();
        }

        /**
         * Whether this is Vault's "nothing here" (404 without error text), as opposed to a 404
         * for a path no engine is mounted at ({@code no handler for route ...}).
         */
        boolean isAbsent() {
            JsonValue e = body.get("errors");
            return status == 404 && (e == null || !e.isArray() || e.asArray().isEmpty());
        }

        /** Vault's {@code errors} and {@code warnings}, joined, for messages. */
        String errors() {
            StringBuilder b = new StringBuilder();
            for (String field : new String[] {"errors", "warnings"}) {
                JsonValue v = body.get(field);
                if (v != null && v.isArray()) {
                    JsonArray a = v.asArray();
                    for (int i = 0; i < a.size(); i++) {
                        if (b.length() > 0) {
                            b.append("; ");
                        }
                        b.append(a.get(i).isString() ? a.get(i).asString() : a.get(i).toString());
                    }
                }
            }
            String s = b.toString();
            return s.length() > 300 ? s.substring(0, 300) + "..." : s;
        }
    }

    VaultClient(VaultSettings settings) {
        this.where = "Vault at " + settings.baseUrl() + (settings.namespace() != null ? " (namespace " + settings.namespace() + ")" : "");
        try {
            HttpClient http = HttpClient.newBuilder()
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(settings.connectTimeout())
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .sslContext(sslContext(settings))
                    .build();
            NoEnvironment noEnv = new NoEnvironment();
            VaultConfig config = new VaultConfig()
                    .environmentLoader(noEnv)
                    .address(settings.baseUrl())
                    .token(new String(settings.token()))
                    .openTimeout(seconds(settings.connectTimeout()))
                    .readTimeout(seconds(settings.readTimeout()))
                    .sslConfig(new SslConfig().verify(true).build())
                    .httpClient(http);
            if (settings.namespace() != null) {
                config.nameSpace(settings.namespace());
            }
            this.vault = Vault.create(config.build(), 1);
        } catch (VaultException | GeneralSecurityException | IOException e) {
            throw new CustodyException("cannot set up the client for " + where + ": " + e.getMessage(), e);
        }
    }

    /** Where this client talks to, for messages. */
    String where() {
        return where;
    }

    Answer read(String path, String operation) {
        try {
            return answer(vault.logical().read(path), operation);
        } catch (VaultException e) {
            throw failure(operation, e);
        }
    }

    Answer write(String path, Map<String, Object> body, String operation) {
        try {
            return answer(vault.logical().write(path, body), operation);
        } catch (VaultException e) {
            throw failure(operation, e);
        }
    }

    /** A {@link CustodyException} for an answer that is not a success. */
    CustodyException refusal(Answer a, String operation) {
        String errors = a.errors();
        switch (a.status()) {
            case 403:
                return new CustodyException(where + " refused to " + operation + ": permission denied (is the token valid,"
                        + " and does its policy allow this path?)");
            case 404:
                return new CustodyException(where + " has nothing at the path to " + operation + " (404"
                        + (errors.isEmpty() ? "" : ": " + errors) + "; is the engine mounted there?)");
            default:
                return new CustodyException(where + " could not " + operation + ": HTTP " + a.status()
                        + (errors.isEmpty() ? "" : " (" + errors + ")"));
        }
    }

    private Answer answer(LogicalResponse r, String operation) {
        int status = r.getRestResponse().getStatus();
        byte[] raw = r.getRestResponse().getBody();
        JsonObject body = new JsonObject();
        if (raw != null && raw.length > 0) {
            try {
                JsonValue v = Json.parse(new String(raw, StandardCharsets.UTF_8));
                if (v.isObject()) {
                    body = v.asObject();
                }
            } catch (RuntimeException e) {
                if (status / 100 == 2) {
                    throw new CustodyException(where + " sent an answer that is not JSON when asked to " + operation);
                }
            }
        }
        return new Answer(status, body);
    }

    private CustodyException failure(String operation, VaultException e) {
        int status = e.getHttpStatusCode();
        String reason = status > 0 ? "HTTP " + status : rootCause(e);
        return new CustodyException("cannot " + operation + " at " + where + ": " + reason, e);
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " " + t.getMessage());
    }

    private static int seconds(java.time.Duration d) {
        long s = (d.toMillis() + 999) / 1000;
        return (int) Math.min(Math.max(s, 1), Integer.MAX_VALUE);
    }

    private static SSLContext sslContext(VaultSettings settings) throws GeneralSecurityException, IOException {
        if (settings.caCertificates() == null) {
            return SSLContext.getDefault();
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        int n = 0;
        try (InputStream in = Files.newInputStream(settings.caCertificates())) {
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("vault-ca-" + n++, c);
            }
        }
        if (n == 0) {
            throw new GeneralSecurityException("no certificate in " + settings.caCertificates());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** Stops the driver from reading VAULT_* environment variables or ~/.vault-token. */
    private static final class NoEnvironment extends EnvironmentLoader {
        @Override
        public String loadVariable(String name) {
            return null;
        }
    }
}
