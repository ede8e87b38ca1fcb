package io.ocppsec.pki.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.pki.ca.CustodyContentSigner;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.flow.Api;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The broker's API over real HTTP on the embedded default (H2, PKCS#12 custody, development PKI):
 * the terminator's contract ({@code {"station","ocppVersion","request"}} in, the OCPP response
 * out), schema-checked requests (400 problem otherwise), answers valid against the official
 * schemas, roles, and our own station CA answered in process by a BC responder in the test tree
 * that signs through key custody.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OcspBrokerApiTest {
    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.ocsp-broker.allowed-hosts", () -> "ocsp.example.com");
    }

    static OfficialSchemas schemas;

    @BeforeAll
    static void oracle() {
        schemas = OfficialSchemas.require();
    }

    @LocalServerPort
    int port;

    @Autowired
    IssuerRegistry issuers;

    Api api() {
        return new Api(port);
    }

    String admin() throws Exception {
        return Files.readString(dir.resolve("data").resolve("admin-token")).trim();
    }

    String token(String role) throws Exception {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"broker " + role + " " + System.nanoTime() + "\",\"role\":\""
                + role + "\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    X509Certificate stationCa() {
        return issuers.active(CaRole.STATION_CA).orElseThrow().certificate();
    }

    static ObjectNode hashData(ObjectNode n, HashAlgorithm alg, X509Certificate issuer, String serialHex) {
        HexFormat h = HexFormat.of();
        return n.put("hashAlgorithm", alg.name()).put("issuerNameHash", h.formatHex(CertId.nameHash(alg, issuer)))
                .put("issuerKeyHash", h.formatHex(CertId.keyHash(alg, issuer))).put("serialNumber", serialHex);
    }

    ObjectNode statusBody(String version, HashAlgorithm alg, X509Certificate issuer, String serial, String url) {
        ObjectNode body = Api.object().put("station", "CP-broker-1").put("ocppVersion", version);
        ObjectNode data = hashData(body.putObject("request").putObject("ocspRequestData"), alg, issuer, serial);
        data.put("responderURL", url);
        return body;
    }

    JsonNode ok(Api.Reply r, String version, String action) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(schemas.errors(version, action, false, r.json())).as(r.body()).isEmpty();
        return r.json();
    }

    /** M06.FR.01/02/08/09 on both versions: our CA, answered in process, signed by it, schema-valid. */
    @Test
    void ownStationCaIsAnsweredWithASignedOcspResponse_M06_FR_02_08_09() throws Exception {
        String terminator = token("terminator");
        for (String v : new String[] {"2.0.1", "2.1"}) {
            ObjectNode body = statusBody("ocpp" + v, HashAlgorithm.SHA256, stationCa(), "1a2b3c4d5e", "http://127.0.0.1:8080/ocsp");
            assertThat(schemas.errors(v, "GetCertificateStatus", true, body.get("request"))).isEmpty();
            JsonNode answer = ok(api().post("/api/v1/ocsp/certificate-status", body, terminator), v, "GetCertificateStatus");
            assertThat(answer.get("status").asString()).as(answer.toString()).isEqualTo("Accepted");
            BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(Base64.getDecoder().decode(answer.get("ocspResult").asString()))
                    .getResponseObject();
            // signed by pki-service's delegated OCSP signer, which the station CA issued
            org.bouncycastle.cert.X509CertificateHolder signer = basic.getCerts()[0];
            assertThat(signer.isSignatureValid(new JcaContentVerifierProviderBuilder().build(stationCa().getPublicKey()))).isTrue();
            assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer))).isTrue();
            assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(org.bouncycastle.cert.ocsp.UnknownStatus.class);
        }
    }

    /**
     * Our own responder behind the broker: an issued certificate is good, and once revoked the broker's
     * cached "good" is dropped at once, so GetCertificateStatus (and the terminator, which asks the same
     * way) sees the revocation on the next request, for every CertID hash algorithm OCPP names.
     */
    @Test
    void revocationShowsAtOnceThroughTheBrokersCache_M06() throws Exception {
        String terminator = token("terminator");
        String station = "CP-BRK-" + System.nanoTime() % 100000;
        assertThat(api().post("/api/v1/stations", "{\"identity\":\"" + station + "\",\"serialNumber\":\"SN-" + station + "\"}",
                admin()).status()).isEqualTo(201);
        Api.Reply signed = api().post("/api/v1/certificates/sign", Api.object().put("station", station)
                .put("csr", io.ocppsec.pki.ca.Csrs.p256("CN=SN-" + station + ",O=ocppsec development CPO")), admin());
        assertThat(signed.status()).as(signed.body()).isEqualTo(201);
        String serial = signed.json().get("serialNumber").asString();
        for (HashAlgorithm alg : HashAlgorithm.values()) {
            assertThat(status(terminator, alg, serial)).as(alg.name()).isNull(); // CertificateStatus.GOOD
        }
        assertThat(crlStatus(terminator, serial)).isEqualTo("Good");
        Api.Reply revoked = api().post("/api/v1/certificates/" + serial + "/revoke", "{\"reason\":\"keyCompromise\"}", admin());
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);
        for (HashAlgorithm alg : HashAlgorithm.values()) {
            assertThat(status(terminator, alg, serial)).as(alg.name()).isInstanceOf(org.bouncycastle.cert.ocsp.RevokedStatus.class);
        }
        // M07 with source CRL for our own CA: the CRL we publish, read in process (its URL is ours, on
        // loopback, which the guard refuses for anything fetched), regenerated at the revocation
        assertThat(crlStatus(terminator, serial)).isEqualTo("Revoked");
    }

    private String crlStatus(String token, String serial) {
        ObjectNode body = Api.object().put("station", "CP-broker-3").put("ocppVersion", "ocpp2.1");
        ObjectNode one = body.putObject("request").putArray("certificateStatusRequests").addObject();
        hashData(one.putObject("certificateHashData"), HashAlgorithm.SHA256, stationCa(), serial);
        one.put("source", "CRL").putArray("urls").add("http://127.0.0.1:8080/crl/station-ca.crl");
        JsonNode answer = ok(api().post("/api/v1/ocsp/chain-status", body, token), "2.1", "GetCertificateChainStatus");
        JsonNode first = answer.get("certificateStatus").get(0);
        assertThat(first.get("source").asString()).isEqualTo("CRL");
        return first.get("status").asString();
    }

    private Object status(String token, HashAlgorithm alg, String serial) throws Exception {
        JsonNode answer = ok(api().post("/api/v1/ocsp/certificate-status",
                statusBody("ocpp2.0.1", alg, stationCa(), serial, "http://127.0.0.1:8080/ocsp"), token), "2.0.1", "GetCertificateStatus");
        assertThat(answer.get("status").asString()).as(answer.toString()).isEqualTo("Accepted");
        BasicOCSPResp basic = (BasicOCSPResp) new OCSPResp(Base64.getDecoder().decode(answer.get("ocspResult").asString()))
                .getResponseObject();
        return basic.getResponses()[0].getCertStatus();
    }

    /** M06.FR.04: a URL the allow-list refuses is a schema-valid Failed with a reason, not an error. */
    @Test
    void aRefusedResponderIsAFailedAnswerWithAReason_M06_FR_04() throws Exception {
        X509Certificate external = TestPki.ca("Somebody else's CA").certificate();
        for (String url : new String[] {"http://169.254.169.254/latest/meta-data/", "file:///etc/passwd", "http://ocsp.other.test/"}) {
            JsonNode answer = ok(api().post("/api/v1/ocsp/certificate-status",
                    statusBody("ocpp2.0.1", HashAlgorithm.SHA384, external, "01", url), token("csms")), "2.0.1", "GetCertificateStatus");
            assertThat(answer.get("status").asString()).isEqualTo("Failed");
            assertThat(answer.get("statusInfo").get("reasonCode").asString()).isIn("HostNotAllowed", "UrlRefused");
            assertThat(answer.has("ocspResult")).isFalse();
        }
    }

    @Test
    void requestsTheSchemaRefusesAre400Problems() throws Exception {
        String csms = token("csms");
        ObjectNode noUrl = statusBody("ocpp2.0.1", HashAlgorithm.SHA256, stationCa(), "01", "x");
        ((ObjectNode) noUrl.get("request").get("ocspRequestData")).remove("responderURL");
        ObjectNode md5 = statusBody("ocpp2.1", HashAlgorithm.SHA256, stationCa(), "01", "http://a.test/");
        ((ObjectNode) md5.get("request").get("ocspRequestData")).put("hashAlgorithm", "MD5");
        ObjectNode longSerial = statusBody("ocpp2.0.1", HashAlgorithm.SHA256, stationCa(), "1".repeat(41), "http://a.test/");
        ObjectNode longUrl = statusBody("ocpp2.0.1", HashAlgorithm.SHA256, stationCa(), "01", "http://a.test/" + "a".repeat(600));
        for (ObjectNode bad : new ObjectNode[] {noUrl, md5, longSerial, longUrl}) {
            assertThat(schemas.errors(bad.get("ocppVersion").asString().substring(4), "GetCertificateStatus", true,
                    bad.get("request"))).as("the oracle agrees it is invalid").isNotEmpty();
            Api.Reply r = api().post("/api/v1/ocsp/certificate-status", bad, csms);
            assertThat(r.status()).as(r.body()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("invalid-ocpp-request");
        }
        Api.Reply noStation = api().post("/api/v1/ocsp/certificate-status", "{\"ocppVersion\":\"ocpp2.1\",\"request\":{}}", csms);
        assertThat(noStation.status()).isEqualTo(400);
        assertThat(noStation.code()).isEqualTo("missing-field");
        Api.Reply v16 = api().post("/api/v1/ocsp/certificate-status", "{\"station\":\"CP\",\"ocppVersion\":\"ocpp1.6\",\"request\":{}}", csms);
        assertThat(v16.code()).isEqualTo("unsupported-version");
        Api.Reply notJson = api().post("/api/v1/ocsp/certificate-status", "{not json", csms);
        assertThat(notJson.status()).isEqualTo(400);
    }

    @Test
    void rolesAreEnforced() throws Exception {
        ObjectNode body = statusBody("ocpp2.1", HashAlgorithm.SHA256, stationCa(), "01", "http://a.test/");
        assertThat(api().post("/api/v1/ocsp/certificate-status", body, null).status()).isEqualTo(401);
        assertThat(api().post("/api/v1/ocsp/certificate-status", body, "not-a-token-at-all-0123456789").status()).isEqualTo(401);
        assertThat(api().post("/api/v1/ocsp/certificate-status", body, token("csms")).status()).isEqualTo(200);
        assertThat(api().post("/api/v1/ocsp/chain-status", Api.object(), null).status()).isEqualTo(401);
    }

    /** M07 over the API (2.1 only): own CA by OCSP in process, an external CRL URL refused by the guard. */
    @Test
    void chainStatusAnswersOnePerCertificate_M07_FR_08() throws Exception {
        String terminator = token("terminator");
        ObjectNode body = Api.object().put("station", "CP-broker-2").put("ocppVersion", "ocpp2.1");
        var list = body.putObject("request").putArray("certificateStatusRequests");
        ObjectNode own = list.addObject();
        hashData(own.putObject("certificateHashData"), HashAlgorithm.SHA256, stationCa(), "7f01");
        own.put("source", "OCSP").putArray("urls").add("http://127.0.0.1:8080/ocsp");
        ObjectNode crl = list.addObject();
        hashData(crl.putObject("certificateHashData"), HashAlgorithm.SHA512, TestPki.ca("Other CA").certificate(), "02");
        crl.put("source", "CRL").putArray("urls").add("http://10.0.0.1/ca.crl");
        assertThat(schemas.errors("2.1", "GetCertificateChainStatus", true, body.get("request"))).isEmpty();

        JsonNode answer = ok(api().post("/api/v1/ocsp/chain-status", body, terminator), "2.1", "GetCertificateChainStatus");
        // our responder answers for our CA: a serial it never issued is Unknown (RFC 6960 §2.2)
        assertThat(answer.get("certificateStatus").get(0).get("status").asString()).isEqualTo("Unknown");
        assertThat(answer.get("certificateStatus").get(0).get("source").asString()).isEqualTo("OCSP");
        assertThat(answer.get("certificateStatus").get(1).get("status").asString()).isEqualTo("Failed");
        assertThat(answer.get("certificateStatus").get(1).get("source").asString()).isEqualTo("CRL");

        body.put("ocppVersion", "ocpp2.0.1");
        Api.Reply old = api().post("/api/v1/ocsp/chain-status", body, terminator);
        assertThat(old.status()).isEqualTo(400);
        assertThat(old.code()).isEqualTo("unsupported-version");
        body.put("ocppVersion", "ocpp2.1");
        ((ObjectNode) body.get("request")).putArray("certificateStatusRequests");
        Api.Reply empty = api().post("/api/v1/ocsp/chain-status", body, terminator);
        assertThat(empty.status()).isEqualTo(400);
        assertThat(empty.code()).isEqualTo("invalid-ocpp-request");
    }
}
