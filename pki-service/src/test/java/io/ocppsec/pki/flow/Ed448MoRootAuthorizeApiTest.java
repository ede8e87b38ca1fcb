package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.pnc.PncPki;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Authorize (C07, central contract validation) with a contract chain of an eMSP's ISO 15118-20 PKI on Ed448
 * ([V2G20-2319]; secp521r1 [V2G20-2674] is the other -20 key): its MO root imported through
 * {@code POST /pnc/roots} as MO_ROOT_20, the chain's signatures checked with Ed448 and its OCSP answers (signed with
 * Ed448 by the eMSP's responder, a real HTTP server on 127.0.0.1 that the broker is allowed to reach) verified by
 * the OCSP broker. A tampered signature and a look-alike root are refused.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class Ed448MoRootAuthorizeApiTest {
    static final Edition E = Edition.ISO_15118_20;
    static final AtomicLong SERIAL = new AtomicLong(0x448000);
    static final AtomicInteger ASKED = new AtomicInteger();
    static final BouncyCastleProvider BC = new BouncyCastleProvider();

    @TempDir
    static Path dir;

    /** The eMSP's OCSP responder: answers for the CAs in {@link #CAS} (certificate and Ed448 key), all good. */
    static final HttpServer OCSP = responder();
    static final Map<X509Certificate, KeyPair> CAS = new ConcurrentHashMap<>();

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.ocsp-broker.allowed-hosts", () -> "127.0.0.1:" + OCSP.getAddress().getPort());
        r.add("ocppsec.ocsp-broker.allowed-networks", () -> "127.0.0.1/32");
    }

    @AfterAll
    static void stopResponder() {
        OCSP.stop(0);
    }

    @LocalServerPort
    int port;

    @Autowired
    PncPki pki;

    static String ocspUrl() {
        return "http://127.0.0.1:" + OCSP.getAddress().getPort() + "/ocsp";
    }

    /** The eMSP's -20 MO PKI on Ed448: root, MO Sub-CA 2 (AIA: the responder). */
    static KeyPair rootKey = KeyType.ED448.generate();
    static KeyPair subKey = KeyType.ED448.generate();
    static X509Certificate root;
    static X509Certificate sub2;

    @BeforeAll
    static void moPki() {
        Instant t0 = Instant.now().minus(Duration.ofDays(1));
        root = Iso15118Certificates.issue(Iso15118Role.MO_ROOT, E,
                Iso15118Certificates.subjectFor(Iso15118Role.MO_ROOT, "Ed448 MO Root", "Some eMSP", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(rootKey.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(rootKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), t0, Urls.NONE);
        sub2 = Iso15118Certificates.issue(Iso15118Role.MO_SUB_CA_2, E,
                Iso15118Certificates.subjectFor(Iso15118Role.MO_SUB_CA_2, "Ed448 MO Sub-CA 2", "Some eMSP", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(subKey.getPublic()),
                Issuer.ca(root, Iso15118Certificates.signer(rootKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), t0, Urls.ocsp(ocspUrl()));
        CAS.put(root, rootKey);
        CAS.put(sub2, subKey);
    }

    /** A -20 contract certificate for {@code emaid} with a key of {@code type}, issued (Ed448) by the MO Sub-CA 2. */
    static X509Certificate contract(String emaid, KeyType type) {
        KeyPair k = type.generate();
        return Iso15118Certificates.issue(Iso15118Role.CONTRACT, E,
                Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, "Some eMSP", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(k.getPublic()),
                Issuer.ca(sub2, Iso15118Certificates.signer(subKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofHours(1)), Urls.ocsp(ocspUrl()));
    }

    Api api() {
        return new Api(port);
    }

    String admin() throws IOException {
        return Files.readString(dir.resolve("data").resolve("admin-token")).trim();
    }

    void importMoRoot() throws Exception {
        Api.Reply r = api().post("/api/v1/pnc/roots", Api.object().put("certificate", Pem.certificate(root)), admin());
        assertThat(r.status()).as(r.body()).isIn(201, 409);
        assertThat(pki.moRoots20()).contains(root);
    }

    /** Authorize over OCPP 2.1 with the chain (PEM, leaf first); the CSMS's token database says Accepted. */
    JsonNode authorize(String emaid, String chainPem) throws Exception {
        ObjectNode body = Api.object().put("ocppVersion", "ocpp2.1").put("tokenStatus", "Accepted");
        ObjectNode req = body.putObject("request");
        req.putObject("idToken").put("idToken", emaid).put("type", "eMAID");
        req.put("certificate", chainPem);
        Api.Reply r = api().post("/api/v1/pnc/authorize", body, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(OfficialSchemas.responseViolations("ocpp2.1", "Authorize", r.json())).isEmpty();
        return r.json();
    }

    @Test
    void aContractChainUnderAnImportedEd448MoRootIsAccepted_V2G20_2319() throws Exception {
        importMoRoot();
        int before = ASKED.get();
        for (KeyType leafKey : List.of(KeyType.ED448, KeyType.SECP521R1)) {
            String emaid = leafKey == KeyType.ED448 ? "DEEMS4480000001" : "DEEMS4480000002";
            X509Certificate leaf = contract(emaid, leafKey);
            assertThat(leaf.getSigAlgName()).isEqualTo("Ed448");
            JsonNode answer = authorize(emaid, Pem.certificate(leaf) + Pem.certificate(sub2));
            assertThat(answer.path("certificateStatus").asString()).as(answer.toString()).isEqualTo("Accepted");
            assertThat(answer.path("idTokenInfo").path("status").asString()).isEqualTo("Accepted");
        }
        assertThat(ASKED.get() - before).as("the eMSP's responder was asked (each leaf; the Sub-CA 2 once, then cached)")
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aTamperedEd448SignatureOrALookAlikeEd448RootIsRefused() throws Exception {
        importMoRoot();
        X509Certificate leaf = contract("DEEMS4480000003", KeyType.ED448);
        assertThat(authorize("DEEMS4480000003", Pem.certificate(leaf) + Pem.certificate(sub2)).path("certificateStatus")
                .asString()).isEqualTo("Accepted");

        // the contract certificate's Ed448 signature altered (its last byte): the signature check fails. C07's table,
        // as ContractAuthorization implements it, answers a signature that does not verify with SignatureError
        byte[] der = leaf.getEncoded();
        der[der.length - 1] ^= 0x01;
        X509Certificate tampered = parse(der);
        JsonNode bad = authorize("DEEMS4480000003", Pem.certificate(tampered) + Pem.certificate(sub2));
        assertThat(bad.path("certificateStatus").asString()).as(bad.toString()).isEqualTo("SignatureError");
        assertThat(bad.path("idTokenInfo").path("status").asString()).isEqualTo("Invalid");

        // the root sent along with its Ed448 self-signature altered: not the trusted root, CertChainError
        byte[] rootDer = root.getEncoded();
        rootDer[rootDer.length - 1] ^= 0x01;
        JsonNode badRoot = authorize("DEEMS4480000003", Pem.certificate(leaf) + Pem.certificate(sub2) + Pem.certificate(parse(rootDer)));
        assertThat(badRoot.path("certificateStatus").asString()).as(badRoot.toString()).isEqualTo("CertChainError");
        assertThat(badRoot.path("idTokenInfo").path("status").asString()).isEqualTo("Invalid");

        // a look-alike Ed448 MO PKI (same names, other keys) whose root was never imported: CertChainError
        KeyPair otherRootKey = KeyType.ED448.generate();
        X509Certificate otherRoot = Iso15118Certificates.issue(Iso15118Role.MO_ROOT, E,
                Iso15118Certificates.subjectFor(Iso15118Role.MO_ROOT, "Ed448 MO Root", "Some eMSP", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(otherRootKey.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(otherRootKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofDays(1)), Urls.NONE);
        KeyPair otherSubKey = KeyType.ED448.generate();
        X509Certificate otherSub = Iso15118Certificates.issue(Iso15118Role.MO_SUB_CA_2, E,
                Iso15118Certificates.subjectFor(Iso15118Role.MO_SUB_CA_2, "Ed448 MO Sub-CA 2", "Some eMSP", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(otherSubKey.getPublic()),
                Issuer.ca(otherRoot, Iso15118Certificates.signer(otherRootKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofDays(1)), Urls.ocsp(ocspUrl()));
        KeyPair k = KeyType.ED448.generate();
        X509Certificate otherLeaf = Iso15118Certificates.issue(Iso15118Role.CONTRACT, E,
                Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, "DEEMS4480000004", "Some eMSP", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(k.getPublic()),
                Issuer.ca(otherSub, Iso15118Certificates.signer(otherSubKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofHours(1)), Urls.ocsp(ocspUrl()));
        JsonNode unknown = authorize("DEEMS4480000004", Pem.certificate(otherLeaf) + Pem.certificate(otherSub));
        assertThat(unknown.path("certificateStatus").asString()).as(unknown.toString()).isEqualTo("CertChainError");
        assertThat(unknown.path("idTokenInfo").path("status").asString()).isEqualTo("Invalid");
    }

    /**
     * Our responder and CRLs answer only for CAs we run: a CertID naming the imported Ed448 root (CertId hashes its
     * 57-byte key like any other) is {@code unauthorized}, and the anchor has no CRL; the broker's CertId reads it.
     */
    @Test
    void anImportedEd448RootIsNotACaWeAnswerFor() throws Exception {
        importMoRoot();
        for (var alg : io.ocppsec.ocpp.message.type.HashAlgorithm.values()) {
            io.ocppsec.pki.broker.CertId id = io.ocppsec.pki.broker.CertId.of(alg, root, sub2.getSerialNumber());
            assertThat(id.issuedBy(root)).as(alg.name()).isTrue();
            assertThat(id.issuedBy(sub2)).isFalse();
            assertThat(id.issuerKeyHash()).hasSize(alg.length());
        }
        byte[] request = new org.bouncycastle.cert.ocsp.OCSPReqBuilder().addRequest(
                io.ocppsec.pki.broker.CertId.of(io.ocppsec.ocpp.message.type.HashAlgorithm.SHA256, root, sub2.getSerialNumber()).toBc())
                .build().getEncoded();
        var http = java.net.http.HttpClient.newHttpClient();
        var answer = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/ocsp"))
                .header("Content-Type", "application/ocsp-request")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(request)).build(),
                java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(new org.bouncycastle.cert.ocsp.OCSPResp(answer.body()).getStatus()).isEqualTo(OCSPRespBuilder.UNAUTHORIZED);
        String id = api().get("/api/v1/ca", admin()).json().get("certificates").valueStream()
                .filter(c -> c.get("role").asString().equals("MO_ROOT_20") && c.get("keyAlgorithm").asString().equals("ED448"))
                .map(c -> c.get("id").asString()).findFirst().orElseThrow();
        var crl = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/crl/" + id + ".crl"))
                .GET().build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crl.statusCode()).isEqualTo(404);
    }

    @Test
    void theCaHoldsNoEd448Key_theSubCaAndRotationApisRefuseEd448() throws Exception {
        Api.Reply sub = api().post("/api/v1/ca/sub-ca/request", Api.object().put("subject", "CN=Ed448 Station CA,O=Test")
                .put("keyAlgorithm", "ED448"), admin());
        assertThat(sub.status()).as(sub.body()).isEqualTo(400);
        assertThat(sub.code()).isEqualTo("BAD_KEY_ALGORITHM");
        Api.Reply rotate = api().post("/api/v1/ca/rotations/station-ca", Api.object().put("keyAlgorithm", "ED448"), admin());
        assertThat(rotate.status()).as(rotate.body()).isEqualTo(400);
        assertThat(rotate.code()).isEqualTo("BAD_KEY_ALGORITHM");
    }

    static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new java.io.ByteArrayInputStream(der));
    }

    /** A tiny OCSP responder on 127.0.0.1: one CertID per request, issued by one of {@link #CAS}, signed by that CA (Ed448). */
    static HttpServer responder() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            s.createContext("/ocsp", ex -> {
                byte[] answer;
                try (InputStream in = ex.getRequestBody()) {
                    answer = respond(in.readNBytes(16 * 1024));
                } catch (Exception e) {
                    answer = new OCSPRespBuilderHolder().internalError();
                }
                ex.getResponseHeaders().add("Content-Type", "application/ocsp-response");
                ex.sendResponseHeaders(200, answer.length);
                try (OutputStream out = ex.getResponseBody()) {
                    out.write(answer);
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] respond(byte[] request) throws Exception {
        ASKED.incrementAndGet();
        OCSPReq req = new OCSPReq(request);
        CertificateID id = req.getRequestList()[0].getCertID();
        var digests = new JcaDigestCalculatorProviderBuilder().build();
        for (Map.Entry<X509Certificate, KeyPair> ca : CAS.entrySet()) {
            X509CertificateHolder issuer = new JcaX509CertificateHolder(ca.getKey());
            if (!id.matchesIssuer(issuer, digests)) {
                continue;
            }
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(issuer.getSubject()));
            Instant now = Instant.now();
            b.addResponse(id, CertificateStatus.GOOD, Date.from(now.minusSeconds(60)), Date.from(now.plus(Duration.ofHours(1))), null);
            Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null) {
                b.setResponseExtensions(new Extensions(nonce));
            }
            var signer = new JcaContentSignerBuilder("Ed448").setProvider(BC).build(ca.getValue().getPrivate());
            return new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL,
                    b.build(signer, new X509CertificateHolder[] {issuer}, new Date())).getEncoded();
        }
        return new OCSPRespBuilderHolder().unauthorized();
    }

    /** The unsigned error answers. */
    static final class OCSPRespBuilderHolder {
        byte[] internalError() {
            return status(OCSPRespBuilder.INTERNAL_ERROR);
        }

        byte[] unauthorized() {
            return status(OCSPRespBuilder.UNAUTHORIZED);
        }

        private static byte[] status(int status) {
            try {
                return new OCSPRespBuilder().build(status, null).getEncoded();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
