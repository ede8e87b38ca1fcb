package io.ocppsec.terminator.pki;

import java.security.cert.X509Certificate;

import io.ocppsec.ocpp.OcppJson;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import io.netty.handler.codec.http.HttpMethod;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The terminator's side of the pki-service API (docs/pki-service.md, "Terminator API"). Every call is
 * asynchronous, bounded in time and size, and authenticated with the terminator's token. The token
 * never appears in a log line or an exception message. The transport is {@link PkiHttp}: a bounded pool
 * of keep-alive connections on an event loop of its own; answers complete on that loop, so callers
 * must not block in their callbacks.
 */
public final class PkiClient implements AutoCloseable {
    /** The largest answer read from pki-service. */
    static final int MAX_BODY = 1024 * 1024;
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final URI base;
    private final String authorization;
    private final PkiHttp http;
    private final JsonMapper json = OcppJson.standard().mapper();
    /** Connections to pki-service at most (a reconnect storm of thousands of stations opens no more). */
    static final int MAX_IN_FLIGHT = 64;
    /** Requests waiting for a connection at most; beyond that a request fails at once. */
    static final int MAX_WAITING = 20_000;
    /** Idle keep-alive connections are closed after this (below the usual server keep-alive timeouts). */
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(20);

    /** Why a call failed: an HTTP status with pki-service's problem code, or no answer at all. */
    public static final class PkiException extends RuntimeException {
        private final int status;
        private final String code;

        public PkiException(int status, String code, String message) {
            super(message);
            this.status = status;
            this.code = code;
        }

        /** The HTTP status, or 0 when pki-service could not be reached. */
        public int status() {
            return status;
        }

        /** pki-service's problem code ({@code code} member), or null. */
        public String code() {
            return code;
        }
    }

    public PkiClient(URI base, String token) {
        this.base = base;
        this.authorization = "Bearer " + token;
        this.http = new PkiHttp(base, MAX_IN_FLIGHT, MAX_WAITING, MAX_BODY, Duration.ofSeconds(5), TIMEOUT, IDLE_TIMEOUT);
    }

    /** Gives the calls already made up to two seconds, then closes the connections to pki-service. */
    @Override
    public void close() {
        http.close(Duration.ofSeconds(2));
    }

    /** Reads the token file (first line, trimmed); a clear error when it is missing. */
    public static String readToken(Path file) {
        try {
            String t = Files.readString(file, StandardCharsets.UTF_8).trim();
            if (t.isEmpty() || t.length() > 512) {
                throw new IllegalArgumentException("the token file " + file + " is empty or too long");
            }
            return t;
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the pki-service token file " + file
                    + " (create one with './ocppsec token create --role terminator')");
        }
    }

    /** The station's admission facts; empty when pki-service does not know it. */
    public CompletableFuture<Optional<StationRecord>> station(String identity) {
        return send(get("/api/v1/terminator/stations/" + seg(identity))).thenApply(r -> {
            if (r.status == 404) {
                return Optional.empty();
            }
            JsonNode n = r.require(200);
            return Optional.of(new StationRecord(text(n, "identity"), text(n, "serialNumber"),
                    n.path("securityProfile").asInt(), n.path("profileFloor").asInt(n.path("securityProfile").asInt()),
                    text(n, "organization"), n.path("enabled").asBoolean(true), strings(n.get("ocppVersions")),
                    n.path("allowExpiredClientCertificate").asBoolean(false), text(n, "passwordHash"),
                    text(n, "pendingPasswordHash"), n.path("version").asLong()));
        });
    }

    /** The station CA certificates (every CA of role STATION_CA pki-service knows): client-certificate trust anchors. */
    public CompletableFuture<List<java.security.cert.X509Certificate>> stationCas() {
        return send(get("/api/v1/ca")).thenCompose(r -> {
            JsonNode status = r.require(200);
            List<CompletableFuture<String>> pems = new java.util.ArrayList<>();
            for (JsonNode c : status.path("certificates")) {
                if ("STATION_CA".equals(text(c, "role")) && !"REVOKED".equals(text(c, "status"))) {
                    pems.add(send(new Req(HttpMethod.GET, "/api/v1/ca/certificates/" + seg(text(c, "id")),
                            "application/pem-certificate-chain", null)).thenApply(a -> {
                        if (a.status != 200) {
                            a.require(200);
                        }
                        return a.body;
                    }));
                }
            }
            return CompletableFuture.allOf(pems.toArray(new CompletableFuture[0])).thenApply(v -> {
                List<java.security.cert.X509Certificate> out = new java.util.ArrayList<>();
                for (CompletableFuture<String> f : pems) {
                    out.addAll(io.ocppsec.security.cert.PemCertificates.read(f.join()));
                }
                return out;
            });
        });
    }

    /** A signed certificate for a station's CSR: the answer of {@code POST /api/v1/certificates/sign}. */
    public record Signed(String serialNumber, String certificateChain) {
    }

    public CompletableFuture<Signed> sign(String station, String csrPem, String certificateType, Long requestId) {
        ObjectNode body = json.createObjectNode();
        body.put("station", station);
        body.put("csr", csrPem);
        if (certificateType != null) {
            body.put("certificateType", certificateType);
        }
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return send(post("/api/v1/certificates/sign", body)).thenApply(r -> {
            JsonNode n = r.status == 200 ? r.json() : r.require(201);
            return new Signed(text(n, "serialNumber"), text(n, "certificateChain"));
        });
    }

    /** A TLS server certificate for this terminator's CSR: the chain PEM (leaf first) of {@code POST /api/v1/terminator/server-certificates}. */
    public CompletableFuture<String> serverCertificate(String csrPem) {
        ObjectNode body = json.createObjectNode();
        body.put("csr", csrPem);
        return send(post("/api/v1/terminator/server-certificates", body)).thenApply(r -> {
            String chain = text(r.require(201), "certificateChain");
            if (chain == null || chain.isBlank()) {
                throw new PkiException(r.status, null, "pki-service answered without a certificate chain");
            }
            return chain;
        });
    }

    /**
     * The revocation status of a station's client certificate from pki-service's OCSP broker, the
     * cache GetCertificateStatus (M06) also uses: our own CAs answer in process, others through their
     * responder (the certificate's AIA URL, guarded and allow-listed by pki-service). "GOOD",
     * "REVOKED" or "UNKNOWN"; "UNKNOWN" too when the broker could not get a status (Failed).
     */
    public CompletableFuture<String> ocspStatus(String station, X509Certificate leaf, X509Certificate issuer) {
        ObjectNode data = json.createObjectNode();
        data.put("hashAlgorithm", "SHA256");
        data.put("issuerNameHash", sha256Hex(issuer.getSubjectX500Principal().getEncoded()));
        data.put("issuerKeyHash", sha256Hex(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                .getInstance(issuer.getPublicKey().getEncoded()).getPublicKeyData().getBytes()));
        data.put("serialNumber", leaf.getSerialNumber().toString(16));
        data.put("responderURL", ocspUrl(leaf));
        ObjectNode body = json.createObjectNode();
        body.put("station", station);
        body.put("ocppVersion", "ocpp2.0.1");
        body.putObject("request").set("ocspRequestData", data);
        return send(post("/api/v1/ocsp/certificate-status", body)).thenApply(r -> {
            JsonNode n = r.require(200);
            if (!"Accepted".equals(text(n, "status")) || text(n, "ocspResult") == null) {
                return "UNKNOWN";
            }
            return singleStatus(java.util.Base64.getDecoder().decode(text(n, "ocspResult")));
        });
    }

    /** GOOD, REVOKED or UNKNOWN from a DER OCSPResponse pki-service's broker has verified. */
    static String singleStatus(byte[] der) {
        try {
            org.bouncycastle.cert.ocsp.OCSPResp resp = new org.bouncycastle.cert.ocsp.OCSPResp(der);
            if (resp.getStatus() != org.bouncycastle.cert.ocsp.OCSPResp.SUCCESSFUL) {
                return "UNKNOWN";
            }
            org.bouncycastle.cert.ocsp.BasicOCSPResp basic = (org.bouncycastle.cert.ocsp.BasicOCSPResp) resp.getResponseObject();
            org.bouncycastle.cert.ocsp.SingleResp[] single = basic.getResponses();
            if (single.length == 0) {
                return "UNKNOWN";
            }
            Object status = single[0].getCertStatus();
            if (status == org.bouncycastle.cert.ocsp.CertificateStatus.GOOD) {
                return "GOOD";
            }
            return status instanceof org.bouncycastle.cert.ocsp.RevokedStatus ? "REVOKED" : "UNKNOWN";
        } catch (java.io.IOException | org.bouncycastle.cert.ocsp.OCSPException | ClassCastException e) {
            throw new PkiException(200, null, "pki-service's OCSP answer cannot be read: " + e.getMessage());
        }
    }

    private String ocspUrl(X509Certificate leaf) {
        byte[] ext = leaf.getExtensionValue(org.bouncycastle.asn1.x509.Extension.authorityInfoAccess.getId());
        if (ext != null) {
            try {
                org.bouncycastle.asn1.x509.AuthorityInformationAccess aia = org.bouncycastle.asn1.x509.AuthorityInformationAccess
                        .getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets());
                for (org.bouncycastle.asn1.x509.AccessDescription d : aia.getAccessDescriptions()) {
                    if (d.getAccessMethod().equals(org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp)
                            && d.getAccessLocation().getTagNo() == org.bouncycastle.asn1.x509.GeneralName.uniformResourceIdentifier) {
                        String url = d.getAccessLocation().getName().toString();
                        if (url.length() <= 512) {
                            return url;
                        }
                    }
                }
            } catch (RuntimeException e) {
                // a malformed AIA: fall back to pki-service's own responder
            }
        }
        return base.resolve("/ocsp").toString();
    }

    private static String sha256Hex(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Revocation status of an issued certificate by serial (hex): "GOOD", "REVOKED" or "UNKNOWN". */
    public CompletableFuture<String> certificateStatus(String serialHex) {
        return send(get("/api/v1/certificates/" + seg(serialHex))).thenApply(r -> {
            if (r.status == 404) {
                return "UNKNOWN";
            }
            String status = text(r.require(200), "status");
            return status != null && status.equalsIgnoreCase("REVOKED") ? "REVOKED" : "GOOD";
        });
    }

    /**
     * A station logged in with its pending password (A01.FR.03): pki-service's credential check makes it
     * the current one. Best effort; the copy of the password is wiped once sent.
     */
    public CompletableFuture<Void> confirmPendingPassword(String identity, char[] password) {
        ObjectNode body = json.createObjectNode();
        body.put("password", new String(password));
        java.util.Arrays.fill(password, '\0');
        return send(post("/api/v1/stations/" + seg(identity) + "/credentials/verify", body)).thenAccept(r -> r.requireOk())
                .exceptionally(e -> {
                    org.slf4j.LoggerFactory.getLogger(PkiClient.class).warn("station {}: the new password was used but could not be confirmed: {}",
                            identity, e.getMessage());
                    return null;
                });
    }

    /** Registers this terminator (its control API and the token pki-service must send to it). */
    public CompletableFuture<Void> registerInstance(String terminatorId, String controlUrl, String controlToken) {
        ObjectNode body = json.createObjectNode();
        body.put("controlUrl", controlUrl);
        body.put("controlToken", controlToken);
        return send(put("/api/v1/terminator/instances/" + seg(terminatorId), body)).thenAccept(r -> r.requireOk());
    }

    /** Tells pki-service that this terminator now holds the station's connection. */
    public CompletableFuture<Void> sessionOpened(String identity, String terminatorId, int profile, String subprotocol,
                                                 String clientCertificateSha256, String remoteAddress) {
        ObjectNode body = json.createObjectNode();
        body.put("terminatorId", terminatorId);
        body.put("securityProfile", profile);
        body.put("subprotocol", subprotocol);
        body.put("clientCertificateSha256", clientCertificateSha256);
        body.put("remoteAddress", remoteAddress);
        return send(put("/api/v1/terminator/sessions/" + seg(identity), body)).thenAccept(r -> r.requireOk());
    }

    public CompletableFuture<Void> sessionClosed(String identity, String terminatorId) {
        return send(new Req(HttpMethod.DELETE, "/api/v1/terminator/sessions/" + seg(identity) + "?terminatorId="
                + seg(terminatorId), "application/json", null)).thenAccept(r -> r.requireOk());
    }

    /** Stores a batch of security events. */
    public CompletableFuture<Void> securityEvents(List<ObjectNode> events) {
        return send(post("/api/v1/terminator/security-events", json.createArrayNode().addAll(events)))
                .thenAccept(r -> r.requireOk());
    }

    /** Records the station's answer to CertificateSigned. */
    public CompletableFuture<Void> certificateSigned(String station, String serial, String status, JsonNode statusInfo) {
        ObjectNode body = json.createObjectNode();
        body.put("station", station);
        body.put("serialNumber", serial);
        body.put("status", status);
        if (statusInfo != null) {
            body.set("statusInfo", statusInfo);
        }
        return send(post("/api/v1/terminator/certificate-signed", body)).thenAccept(r -> r.requireOk());
    }

    /** Forwards an OCPP request body to a pki-service endpoint and returns its JSON answer (or the failure). */
    public CompletableFuture<JsonNode> postJson(String path, JsonNode body) {
        return send(post(path, body)).thenApply(r -> r.require(200));
    }

    // --- plumbing -------------------------------------------------------------------------------

    private final class Answer {
        final int status;
        final String body;

        Answer(int status, String body) {
            this.status = status;
            this.body = body;
        }

        JsonNode json() {
            try {
                return json.readTree(body);
            } catch (RuntimeException e) {
                throw new PkiException(status, null, "pki-service sent an answer that is not JSON");
            }
        }

        JsonNode require(int expected) {
            if (status != expected) {
                throw failure();
            }
            return json();
        }

        void requireOk() {
            if (status / 100 != 2) {
                throw failure();
            }
        }

        PkiException failure() {
            String code = null;
            String detail = "HTTP " + status;
            try {
                JsonNode n = json.readTree(body);
                code = text(n, "code");
                String d = text(n, "detail");
                if (d != null) {
                    detail = detail + ": " + (d.length() > 300 ? d.substring(0, 300) : d);
                }
            } catch (RuntimeException ignored) {
                // not problem+json
            }
            return new PkiException(status, code, "pki-service refused: " + detail);
        }
    }

    /** A request: method, path and query (encoded), Accept, and a JSON body or null. */
    private record Req(HttpMethod method, String target, String accept, byte[] body) {
    }

    /**
     * Sends through the pool: at most {@value #MAX_IN_FLIGHT} requests in flight (so a reconnect storm of
     * thousands of stations opens a bounded number of connections to pki-service); up to
     * {@value #MAX_WAITING} more wait their turn, beyond that a request fails at once.
     */
    private CompletableFuture<Answer> send(Req r) {
        return http.send(r.method(), r.target(), authorization, r.accept(), r.body() == null ? null : "application/json", r.body())
                .thenApply(resp -> new Answer(resp.status(), resp.body()));
    }

    private static Req get(String path) {
        return new Req(HttpMethod.GET, path, "application/json", null);
    }

    private Req post(String path, JsonNode body) {
        return new Req(HttpMethod.POST, path, "application/json", json.writeValueAsBytes(body));
    }

    private Req put(String path, JsonNode body) {
        return new Req(HttpMethod.PUT, path, "application/json", json.writeValueAsBytes(body));
    }

    private static String seg(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    static String text(JsonNode n, String field) {
        JsonNode v = n == null ? null : n.get(field);
        return v == null || v.isNull() ? null : v.asString();
    }

    private static List<String> strings(JsonNode array) {
        if (array == null || !array.isArray()) {
            return null;
        }
        List<String> out = new java.util.ArrayList<>();
        array.forEach(e -> out.add(e.asString()));
        return out;
    }
}
