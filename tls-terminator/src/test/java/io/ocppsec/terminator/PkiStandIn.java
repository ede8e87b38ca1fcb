package io.ocppsec.terminator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.security.auth.PasswordHasher;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A stand-in for pki-service in the terminator's tests: the terminator API of docs/pki-service.md
 * (station admission facts, station CAs, CSR signing with a real test CA, certificate status,
 * instance and session registration, security events, CertificateSigned outcomes), over real HTTP,
 * with the Bearer token checked. The real pki-service is exercised by the end-to-end IT.
 */
final class PkiStandIn implements AutoCloseable {
    static final String TOKEN = "terminator-test-token-0123456789abcdef";

    record Station(String identity, String serial, int profile, String organization, List<String> versions,
                   boolean allowExpired, String passwordHash, String pendingHash) {
        Station(String identity, String serial, int profile, String organization, List<String> versions,
                boolean allowExpired, String passwordHash) {
            this(identity, serial, profile, organization, versions, allowExpired, passwordHash, null);
        }
    }

    final List<String> credentialChecks = new CopyOnWriteArrayList<>();
    /** Floors below the configured profile (an upgrade in progress), by lower-case identity. */
    final Map<String, Integer> floors = new ConcurrentHashMap<>();

    static String hash(String password) {
        return HASHER.hash(password.toCharArray());
    }

    final TestPki pki;
    final Map<String, Station> stations = new ConcurrentHashMap<>();
    final Set<String> revoked = ConcurrentHashMap.newKeySet();
    final List<JsonNode> events = new CopyOnWriteArrayList<>();
    final List<JsonNode> certificateSigned = new CopyOnWriteArrayList<>();
    final Map<String, JsonNode> sessions = new ConcurrentHashMap<>();
    final Map<String, JsonNode> instances = new ConcurrentHashMap<>();
    final List<String> signed = new CopyOnWriteArrayList<>();
    /** The OCSP broker requests (GetCertificateStatus bodies) the terminator sent. */
    final List<JsonNode> ocspRequests = new CopyOnWriteArrayList<>();
    /** The Get15118EVCertificate bodies (M02) the terminator sent to pki-service. */
    final List<JsonNode> evCertificateRequests = new CopyOnWriteArrayList<>();
    /** pki-service's answer to them: 200 answers, 500 stands for pki-service failing, 404 for one without the endpoint. */
    volatile int evCertificateStatus = 200;
    /** GetCertificateChainStatus (M07): 500 stands for pki-service failing. */
    volatile int chainStatusStatus = 500;
    /** Server certificates issued from the terminator's CSRs: key algorithm, serial and the names asked for. */
    final List<String> serverCertificates = new CopyOnWriteArrayList<>();
    /** The validity of those server certificates (pki-service: under 24 h with fast expiration). */
    volatile java.time.Duration serverValidity = java.time.Duration.ofHours(23);
    private final JsonMapper json = OcppJson.standard().mapper();
    private final HttpServer server;
    private static final PasswordHasher HASHER = new PasswordHasher();

    PkiStandIn(TestPki pki) throws IOException {
        this.pki = pki;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(4));
        server.start();
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    void station(String identity, String serial, int profile, String password) {
        stations.put(identity.toLowerCase(), new Station(identity, serial, profile, pki.organization,
                List.of("ocpp2.1", "ocpp2.0.1"), false, password == null ? null : HASHER.hash(password.toCharArray())));
    }

    void station(Station s) {
        stations.put(s.identity().toLowerCase(), s);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!("Bearer " + TOKEN).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                send(ex, 401, "{\"code\":\"UNAUTHORIZED\"}");
                return;
            }
            String path = ex.getRequestURI().getPath();
            String method = ex.getRequestMethod();
            byte[] body = ex.getRequestBody().readNBytes(1 << 20);
            if (path.startsWith("/api/v1/terminator/stations/") && method.equals("GET")) {
                Station s = stations.get(URLDecoder.decode(path.substring(28), StandardCharsets.UTF_8).toLowerCase());
                if (s == null) {
                    send(ex, 404, "{\"code\":\"STATION_UNKNOWN\",\"detail\":\"no such station\"}");
                    return;
                }
                ObjectNode n = json.createObjectNode().put("identity", s.identity()).put("serialNumber", s.serial())
                        .put("securityProfile", s.profile()).put("profileFloor", floors.getOrDefault(s.identity().toLowerCase(), s.profile())).put("organization", s.organization())
                        .put("enabled", true).put("allowExpiredClientCertificate", s.allowExpired())
                        .put("passwordHash", s.passwordHash()).put("version", 1);
                s.versions().forEach(n.putArray("ocppVersions")::add);
                n.put("pendingPasswordHash", s.pendingHash());
                send(ex, 200, n.toString());
            } else if (path.equals("/api/v1/ca") && method.equals("GET")) {
                ObjectNode n = json.createObjectNode();
                n.putArray("certificates").addObject().put("id", "station-ca").put("role", "STATION_CA").put("status", "ACTIVE");
                send(ex, 200, n.toString());
            } else if (path.equals("/api/v1/ca/certificates/station-ca")) {
                // like pki-service: PEM only for a client that accepts it
                String accept = ex.getRequestHeaders().getFirst("Accept");
                if (accept != null && !accept.contains("pem") && !accept.contains("*/*")) {
                    send(ex, 406, "{\"code\":\"NOT_ACCEPTABLE\"}");
                    return;
                }
                send(ex, 200, TestPki.pem(pki.stationCa));
            } else if (path.equals("/api/v1/certificates/sign") && method.equals("POST")) {
                JsonNode req = json.readTree(body);
                Station s = stations.get(req.path("station").asString().toLowerCase());
                PKCS10CertificationRequest csr;
                try (PEMParser p = new PEMParser(new StringReader(req.path("csr").asString()))) {
                    csr = (PKCS10CertificationRequest) p.readObject();
                } catch (Exception e) {
                    csr = null;
                }
                if (s == null || csr == null) {
                    send(ex, 400, "{\"code\":\"CSR_MALFORMED\",\"detail\":\"not a PKCS#10 certification request\"}");
                    return;
                }
                X509Certificate c = pki.signCsr(csr, s.serial());
                String serial = c.getSerialNumber().toString(16);
                signed.add(serial);
                send(ex, 201, json.createObjectNode().put("serialNumber", serial)
                        .put("certificateChain", TestPki.pem(c) + TestPki.pem(pki.stationCa)).toString());
            } else if (path.equals("/api/v1/ocsp/certificate-status") && method.equals("POST")) {
                // pki-service's OCSP broker (M06): a real OCSP response, signed by the station CA
                JsonNode req = json.readTree(body);
                ocspRequests.add(req);
                JsonNode d = req.path("request").path("ocspRequestData");
                byte[] nameHash = java.util.HexFormat.of().parseHex(d.path("issuerNameHash").asString());
                byte[] keyHash = java.util.HexFormat.of().parseHex(d.path("issuerKeyHash").asString());
                java.math.BigInteger serial = new java.math.BigInteger(d.path("serialNumber").asString(), 16);
                java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
                boolean ours = java.util.Arrays.equals(nameHash, sha.digest(pki.stationCa.getSubjectX500Principal().getEncoded()))
                        && java.util.Arrays.equals(keyHash, sha.digest(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo
                                .getInstance(pki.stationCa.getPublicKey().getEncoded()).getPublicKeyData().getBytes()));
                if (!ours) {
                    send(ex, 200, "{\"status\":\"Failed\",\"statusInfo\":{\"reasonCode\":\"UnknownIssuer\"}}");
                    return;
                }
                org.bouncycastle.cert.ocsp.CertificateID id = new org.bouncycastle.cert.ocsp.CertificateID(
                        new org.bouncycastle.asn1.ocsp.CertID(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                                org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256), new org.bouncycastle.asn1.DEROctetString(nameHash),
                                new org.bouncycastle.asn1.DEROctetString(keyHash), new org.bouncycastle.asn1.ASN1Integer(serial)));
                java.util.Date now = new java.util.Date();
                org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder b = new org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder(
                        new org.bouncycastle.cert.ocsp.RespID(org.bouncycastle.asn1.x500.X500Name.getInstance(
                                pki.stationCa.getSubjectX500Principal().getEncoded())));
                b.addResponse(id, revoked.contains(serial.toString(16))
                        ? new org.bouncycastle.cert.ocsp.RevokedStatus(now, org.bouncycastle.asn1.x509.CRLReason.keyCompromise)
                        : org.bouncycastle.cert.ocsp.CertificateStatus.GOOD, now, new java.util.Date(now.getTime() + 3_600_000));
                org.bouncycastle.cert.ocsp.BasicOCSPResp basic = b.build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder(
                        "SHA256withECDSA").build(pki.stationCaKey.getPrivate()), null, now);
                byte[] der = new org.bouncycastle.cert.ocsp.OCSPRespBuilder().build(org.bouncycastle.cert.ocsp.OCSPRespBuilder.SUCCESSFUL, basic)
                        .getEncoded();
                send(ex, 200, json.createObjectNode().put("status", "Accepted")
                        .put("ocspResult", java.util.Base64.getEncoder().encodeToString(der)).toString());
            } else if (path.equals("/api/v1/terminator/server-certificates") && method.equals("POST")) {
                PKCS10CertificationRequest csr;
                try (PEMParser p = new PEMParser(new StringReader(json.readTree(body).path("csr").asString()))) {
                    csr = (PKCS10CertificationRequest) p.readObject();
                } catch (Exception e) {
                    csr = null;
                }
                if (csr == null || !csr.isSignatureValid(new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder()
                        .build(csr.getSubjectPublicKeyInfo()))) {
                    send(ex, 400, "{\"code\":\"CSR_MALFORMED\",\"detail\":\"not a signed PKCS#10 certification request\"}");
                    return;
                }
                X509Certificate c = pki.serverCertificate(csr, serverValidity);
                serverCertificates.add(c.getPublicKey().getAlgorithm() + " " + c.getSerialNumber().toString(16) + " "
                        + TestPki.requestedNames(csr));
                send(ex, 201, json.createObjectNode().put("serialNumber", c.getSerialNumber().toString(16))
                        .put("certificateChain", TestPki.pem(c)).toString());
            } else if (path.startsWith("/api/v1/stations/") && path.endsWith("/credentials/verify") && method.equals("POST")) {
                Station s = stations.get(path.substring(17, path.length() - 19).toLowerCase());
                boolean valid = s != null && s.pendingHash() != null
                        && HASHER.verify(json.readTree(body).path("password").asString().toCharArray(), s.pendingHash());
                credentialChecks.add(path.substring(17, path.length() - 19) + ":" + valid);
                send(ex, 200, "{\"valid\":" + valid + "}");
            } else if (path.startsWith("/api/v1/certificates/") && method.equals("GET")) {
                String serial = path.substring(21);
                send(ex, 200, json.createObjectNode().put("serialNumber", serial)
                        .put("status", revoked.contains(serial) ? "REVOKED" : "ISSUED").toString());
            } else if (path.startsWith("/api/v1/terminator/instances/") && method.equals("PUT")) {
                instances.put(path.substring(29), json.readTree(body));
                send(ex, 204, null);
            } else if (path.startsWith("/api/v1/terminator/sessions/") && method.equals("PUT")) {
                JsonNode session = json.readTree(body);
                JsonNode fp = session.get("clientCertificateSha256");
                if (fp != null && !fp.isNull() && !fp.asString().matches("[0-9a-fA-F]{64}")) {
                    send(ex, 400, "{\"code\":\"BAD_FINGERPRINT\",\"detail\":\"clientCertificateSha256 must be 64 hexadecimal digits or null\"}");
                    return;
                }
                sessions.put(path.substring(28), session);
                send(ex, 204, null);
            } else if (path.startsWith("/api/v1/terminator/sessions/") && method.equals("DELETE")) {
                sessions.remove(path.substring(28));
                send(ex, 204, null);
            } else if (path.equals("/api/v1/pnc/ev-certificate") && method.equals("POST")) {
                JsonNode req = json.readTree(body);
                evCertificateRequests.add(req);
                if (evCertificateStatus == 404) { // a pki-service without the endpoint (before issue 6)
                    send(ex, 404, null);
                    return;
                }
                if (evCertificateStatus != 200) {
                    send(ex, evCertificateStatus, "{\"code\":\"INTERNAL\",\"detail\":\"stand-in failure\"}");
                    return;
                }
                // echoes the request's EXI reversed, so the test sees its own bytes came back through us
                String exi = new StringBuilder(req.path("request").path("exiRequest").asString()).reverse().toString();
                send(ex, 200, json.createObjectNode().put("status", "Accepted").put("exiResponse", exi).toString());
            } else if (path.equals("/api/v1/ocsp/chain-status") && method.equals("POST")) {
                send(ex, chainStatusStatus, "{\"code\":\"INTERNAL\",\"detail\":\"stand-in failure\"}");
            } else if (path.equals("/api/v1/terminator/security-events") && method.equals("POST")) {
                json.readTree(body).forEach(events::add);
                send(ex, 202, "{\"stored\":1}");
            } else if (path.equals("/api/v1/terminator/certificate-signed") && method.equals("POST")) {
                certificateSigned.add(json.readTree(body));
                send(ex, 204, null);
            } else {
                send(ex, 404, null);
            }
        } catch (Exception e) {
            send(ex, 500, "{\"code\":\"INTERNAL\",\"detail\":\"" + e.getClass().getSimpleName() + "\"}");
        }
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
