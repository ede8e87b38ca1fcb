package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.iso15118.envelope.Iso15118_2Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.envelope.Unsealed;
import io.ocppsec.iso15118.exi.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Header;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.ResponseCode;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.exi.V2gMessage;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.pki.pnc.PncPki;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
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
 * Get15118EVCertificate (M01/M02) through the API on the development Plug & Charge PKI, local
 * provisioning: an EV's signed CertificateInstallationReq in, a signed CertificateInstallationRes
 * out, whose contract key the EV decrypts; refusals as status Failed + statusInfo with the FAILED_*
 * answer inside; every answer checked against the official schema.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EvCertificateApiTest {
    static final String MSGDEF = "urn:iso:15118:2:2013:MsgDef";
    static final AtomicLong SERIAL = new AtomicLong(0x5000);
    static final byte[] SESSION = {9, 8, 7, 6, 5, 4, 3, 2};

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
    }

    @LocalServerPort
    int port;

    @Autowired
    PncPki pki;

    /** An OEM PKI of the test's own (the car maker's), imported as trusted. */
    static KeyPair oemRootKey = KeyType.SECP256R1.generate();
    static KeyPair oemSubKey = KeyType.SECP256R1.generate();
    static X509Certificate oemRoot;
    static X509Certificate oemSub;

    @BeforeAll
    static void oemPki() {
        Instant t0 = Instant.now().minus(Duration.ofDays(1));
        oemRoot = Iso15118Certificates.issue(Iso15118Role.OEM_ROOT, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_ROOT, "Test OEM Root", "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(oemRootKey.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(oemRootKey.getPrivate(), KeyType.SECP256R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), t0, Urls.NONE);
        oemSub = Iso15118Certificates.issue(Iso15118Role.OEM_SUB_CA_2, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_SUB_CA_2, "Test OEM Sub-CA 2", "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(oemSubKey.getPublic()),
                Issuer.ca(oemRoot, Iso15118Certificates.signer(oemRootKey.getPrivate(), KeyType.SECP256R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), t0, Urls.NONE);
    }

    record Car(X509Certificate cert, PrivateKey key) {
    }

    static Car car(String pcid) {
        KeyPair k = KeyType.SECP256R1.generate();
        X509Certificate c = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, pcid, "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(k.getPublic()),
                Issuer.ca(oemSub, Iso15118Certificates.signer(oemSubKey.getPrivate(), KeyType.SECP256R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofHours(1)), Urls.NONE);
        return new Car(c, k.getPrivate());
    }

    Api api() {
        return new Api(port);
    }

    String admin() throws Exception {
        return Files.readString(dir.resolve("data").resolve("admin-token")).trim();
    }

    String token(String role) throws Exception {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"ev " + role + " " + SERIAL.incrementAndGet() + "\",\"role\":\"" + role + "\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    void trustOemAndAddContract(String pcid, String emaid) throws Exception {
        String pem = io.ocppsec.pki.ca.Pem.certificate(oemRoot) + io.ocppsec.pki.ca.Pem.certificate(oemSub);
        Api.Reply r = api().post("/api/v1/pnc/oem-roots", Api.object().put("certificate", pem), admin());
        assertThat(r.status()).as(r.body()).isIn(201, 409);
        Api.Reply c = api().post("/api/v1/pnc/contracts", Api.object().put("pcid", pcid).put("emaid", emaid), admin());
        assertThat(c.status()).as(c.body()).isEqualTo(201);
    }

    String installRequest(Car car, X509Certificate trustedV2gRoot) throws Exception {
        CertificateInstallationReq req = new CertificateInstallationReq("ID1", car.cert().getEncoded(), List.of(
                new RootCertificateId(trustedV2gRoot.getSubjectX500Principal().getName(), trustedV2gRoot.getSerialNumber())));
        var sig = ExiSignatures.sign(Iso15118_2Codec.signedFragments(req), ExiSigner.ecdsaP256(car.key()));
        return Base64.getEncoder().encodeToString(Iso15118_2Codec.encode(new V2gMessage(new Header(SESSION, null, sig), req)));
    }

    ObjectNode body(String ocppVersion, String station, String action, String exi) {
        ObjectNode b = Api.object().put("ocppVersion", ocppVersion);
        if (station != null) {
            b.put("station", station);
        }
        b.putObject("request").put("iso15118SchemaVersion", MSGDEF).put("action", action).put("exiRequest", exi);
        return b;
    }

    JsonNode post(ObjectNode body, String ocppVersion) throws Exception {
        Api.Reply r = api().post("/api/v1/pnc/ev-certificate", body, token("csms"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode answer = r.json();
        assertThat(OfficialSchemas.responseViolations(ocppVersion, "Get15118EVCertificate", answer)).isEmpty();
        return answer;
    }

    static X509Certificate cert(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    @Test
    void installThroughTheApi_theEvGetsAContractItCanDecrypt_M01_FR_01() throws Exception {
        trustOemAndAddContract("WMIAPI0000000001A", "DE-OCP-C00000001");
        Car car = car("WMIAPI0000000001A");
        PncPki.SigningChain cps = pki.cpsChain().orElseThrow();
        for (String v : List.of("ocpp2.0.1", "ocpp2.1")) {
            JsonNode answer = post(body(v, "CS-PNC-1", "Install", installRequest(car, cps.root())), v);
            assertThat(answer.path("status").asString()).as(answer.toString()).isEqualTo("Accepted");
            // OCPP 2.0.1 carries at most 5600 Base64 characters: the development PKI's chains fit
            assertThat(answer.path("exiResponse").asString().length()).isLessThanOrEqualTo(5600);
            V2gMessage res = Iso15118_2Codec.decode(Base64.getDecoder().decode(answer.path("exiResponse").asString()));
            assertThat(res.header().sessionId()).isEqualTo(SESSION);
            CertificateInstallationRes body = (CertificateInstallationRes) res.body();
            assertThat(body.responseCode()).isEqualTo(ResponseCode.OK);
            // signed by the CPS leaf of the development PKI, whose chain the EV checks up to the V2G root
            X509Certificate cpsLeaf = cert(body.saProvisioningChain().certificate());
            assertThat(cpsLeaf).isEqualTo(cps.leaf());
            assertThat(ExiSignatures.verify(res.header().signature(), Iso15118_2Codec.signedFragments(body), cpsLeaf.getPublicKey())
                    .isValid()).isTrue();
            X509Certificate contract = cert(body.contractChain().certificate());
            assertThat(contract.getSubjectX500Principal().getName()).contains("CN=DE-OCP-C00000001", "DC=MO");
            contract.verify(pki.contractIssuerChain().orElseThrow().leaf().getPublicKey());
            Unsealed opened = Iso15118_2Envelope.unwrap(new SealedKey(body.encryptedPrivateKey().value(), body.dhPublicKey().value()),
                    car.key(), (ECPublicKey) contract.getPublicKey());
            assertThat(opened).isInstanceOf(Unsealed.Opened.class);
            // the contract certificate is in the inventory: it can be revoked and our responder answers for it
            Api.Reply inv = api().get("/api/v1/certificates/" + contract.getSerialNumber().toString(16), admin());
            assertThat(inv.status()).as(inv.body()).isEqualTo(200);
            assertThat(inv.body()).contains("ContractCertificate");
        }
    }

    /** Installs a contract for a fresh car over OCPP 2.1 and returns its chain (leaf, MO Sub-CAs) as PEM. */
    String installedContractChain(String pcid, String emaid) throws Exception {
        trustOemAndAddContract(pcid, emaid);
        JsonNode answer = post(body("ocpp2.1", "CS-PNC-2", "Install", installRequest(car(pcid), pki.cpsChain().orElseThrow().root())), "ocpp2.1");
        assertThat(answer.path("status").asString()).as(answer.toString()).isEqualTo("Accepted");
        CertificateInstallationRes res = (CertificateInstallationRes) Iso15118_2Codec.decode(
                Base64.getDecoder().decode(answer.path("exiResponse").asString())).body();
        StringBuilder pem = new StringBuilder(io.ocppsec.pki.ca.Pem.certificate(res.contractChain().certificate()));
        for (byte[] sub : res.contractChain().subCertificates()) {
            pem.append(io.ocppsec.pki.ca.Pem.certificate(sub));
        }
        return pem.toString();
    }

    JsonNode authorize(String emaid, String chainPem, String tokenStatus) throws Exception {
        return authorize(emaid, chainPem, tokenStatus, List.of());
    }

    JsonNode authorize(String emaid, String chainPem, String tokenStatus, List<io.ocppsec.ocpp.message.type.OcspRequestData> hashData)
            throws Exception {
        ObjectNode b = Api.object().put("ocppVersion", "ocpp2.0.1");
        if (tokenStatus != null) {
            b.put("tokenStatus", tokenStatus);
        }
        ObjectNode req = b.putObject("request");
        req.putObject("idToken").put("idToken", emaid).put("type", "eMAID");
        if (chainPem != null) {
            req.put("certificate", chainPem);
        }
        if (!hashData.isEmpty()) {
            var array = req.putArray("iso15118CertificateHashData");
            for (var d : hashData) {
                array.addObject().put("hashAlgorithm", d.hashAlgorithm().name()).put("issuerNameHash", d.issuerNameHash())
                        .put("issuerKeyHash", d.issuerKeyHash()).put("serialNumber", d.serialNumber())
                        .put("responderURL", d.responderURL());
            }
        }
        assertThat(OfficialSchemas.requestViolations("ocpp2.0.1", "Authorize", req)).isEmpty();
        Api.Reply r = api().post("/api/v1/pnc/authorize", b, token("csms"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(OfficialSchemas.responseViolations("ocpp2.0.1", "Authorize", r.json())).isEmpty();
        return r.json();
    }

    @Test
    void authorizeWithTheContractChain_centralValidationWithOurOwnOcsp_TC_C_52_and_C07_FR_16() throws Exception {
        String chain = installedContractChain("WMIAPI0000000004A", "DE-OCP-C00000004");
        JsonNode ok = authorize("DE-OCP-C00000004", chain, null);
        assertThat(ok.path("idTokenInfo").path("status").asString()).isEqualTo("Accepted");
        assertThat(ok.path("certificateStatus").asString()).isEqualTo("Accepted");

        // the CSMS's own token database says Blocked: ContractCancelled with that status (C07.FR.13)
        JsonNode blocked = authorize("DE-OCP-C00000004", chain, "Blocked");
        assertThat(blocked.path("idTokenInfo").path("status").asString()).isEqualTo("Blocked");
        assertThat(blocked.path("certificateStatus").asString()).isEqualTo("ContractCancelled");

        // an eMAID other than the certificate's CN
        JsonNode other = authorize("DE-OCP-C00000099", chain, null);
        assertThat(other.path("certificateStatus").asString()).isEqualTo("CertChainError");
        assertThat(other.path("idTokenInfo").path("status").asString()).isEqualTo("Invalid");

        // no certificate, no hash data
        JsonNode none = authorize("DE-OCP-C00000004", null, null);
        assertThat(none.path("certificateStatus").asString()).isEqualTo("NoCertificateAvailable");

        // revoked: the broker's cached good answer is dropped on revocation, the next Authorize sees it
        X509Certificate leaf = io.ocppsec.security.cert.PemCertificates.read(chain).get(0);
        Api.Reply rev = api().post("/api/v1/certificates/" + leaf.getSerialNumber().toString(16) + "/revoke",
                Api.object().put("reason", "keyCompromise"), admin());
        assertThat(rev.status()).as(rev.body()).isEqualTo(200);
        JsonNode revoked = authorize("DE-OCP-C00000004", chain, null);
        assertThat(revoked.path("certificateStatus").asString()).isEqualTo("CertificateRevoked");
        assertThat(revoked.path("idTokenInfo").path("status").asString()).isEqualTo("Invalid");
    }

    /** The station's hash data for the leaf of a PEM chain (issued by the next certificate). */
    static io.ocppsec.ocpp.message.type.OcspRequestData leafHashData(String chainPem) {
        List<X509Certificate> c = io.ocppsec.security.cert.PemCertificates.read(chainPem);
        return io.ocppsec.security.cert.CertificateIdentifier.of(c.get(0), c.get(1),
                io.ocppsec.ocpp.message.type.HashAlgorithm.SHA256, "http://station.example/ocsp");
    }

    @Test
    void authorizeWithTheContractChainAndStationHashData_theHashDataMustDescribeThatChain_TC_C_52_C07_FR_06() throws Exception {
        String chain = installedContractChain("WMIAPI0000000006A", "DE-OCP-C00000006");
        String another = installedContractChain("WMIAPI0000000007A", "DE-OCP-C00000007");
        JsonNode ok = authorize("DE-OCP-C00000006", chain, null, List.of(leafHashData(chain)));
        assertThat(ok.path("certificateStatus").asString()).as(ok.toString()).isEqualTo("Accepted");
        assertThat(ok.path("idTokenInfo").path("status").asString()).isEqualTo("Accepted");
        // hash data for another contract than the certificate sent
        JsonNode mixed = authorize("DE-OCP-C00000006", chain, null, List.of(leafHashData(another)));
        assertThat(mixed.path("certificateStatus").asString()).as(mixed.toString()).isEqualTo("CertChainError");
        assertThat(mixed.path("idTokenInfo").path("status").asString()).isEqualTo("Invalid");
    }

    @Test
    void authorizeWithACancelledContractInOurStore_ContractCancelled_C07_FR_13() throws Exception {
        String chain = installedContractChain("WMIAPI0000000005A", "DE-OCP-C00000005");
        api().post("/api/v1/pnc/contracts/DE-OCP-C00000005/cancel", Api.object().put("tokenStatus", "Expired"), admin());
        JsonNode answer = authorize("DE-OCP-C00000005", chain, null);
        assertThat(answer.path("certificateStatus").asString()).isEqualTo("ContractCancelled");
        assertThat(answer.path("idTokenInfo").path("status").asString()).isEqualTo("Expired");
    }

    @Test
    void anEvWithoutAContractGetsFailedWithTheExiAnswerInside() throws Exception {
        trustOemAndAddContract("WMIAPI0000000002A", "DE-OCP-C00000002");
        Car stranger = car("WMIAPI000000000ZZ");
        JsonNode answer = post(body("ocpp2.0.1", null, "Install", installRequest(stranger, pki.cpsChain().orElseThrow().root())), "ocpp2.0.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("NoCertificate");
        V2gMessage res = Iso15118_2Codec.decode(Base64.getDecoder().decode(answer.path("exiResponse").asString()));
        assertThat(((CertificateInstallationRes) res.body()).responseCode()).isEqualTo(ResponseCode.FAILED_NoCertificateAvailable);
    }

    @Test
    void aCancelledContractGetsFailedContractCanceled() throws Exception {
        trustOemAndAddContract("WMIAPI0000000003A", "DE-OCP-C00000003");
        assertThat(api().post("/api/v1/pnc/contracts/DE-OCP-C00000003/cancel", Api.object().put("tokenStatus", "Blocked"), admin()).status())
                .isEqualTo(200);
        JsonNode answer = post(body("ocpp2.0.1", "CS-PNC-1", "Install",
                installRequest(car("WMIAPI0000000003A"), pki.cpsChain().orElseThrow().root())), "ocpp2.0.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("ContractCanceled");
        V2gMessage res = Iso15118_2Codec.decode(Base64.getDecoder().decode(answer.path("exiResponse").asString()));
        assertThat(((CertificateInstallationRes) res.body()).responseCode()).isEqualTo(ResponseCode.FAILED_ContractCanceled);
    }

    @Test
    void bytesThatAreNoExiGetFailedWithAnEmptyExiResponse() throws Exception {
        JsonNode answer = post(body("ocpp2.0.1", "CS-PNC-1", "Install", "AAECAwQF"), "ocpp2.0.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("InvalidExi");
        assertThat(answer.path("exiResponse").asString()).isEmpty();

        JsonNode notBase64 = post(body("ocpp2.0.1", "CS-PNC-1", "Install", "this is not base64!"), "ocpp2.0.1");
        assertThat(notBase64.path("statusInfo").path("reasonCode").asString()).isEqualTo("InvalidExi");
    }

    @Test
    void anIso15118_20RequestIsRefusedWithAReasonByLocalProvisioning() throws Exception {
        ObjectNode b = body("ocpp2.1", "CS-PNC-1", "Install", "gA==");
        ((ObjectNode) b.get("request")).put("iso15118SchemaVersion", "urn:iso:std:iso:15118:-20:CommonMessages")
                .put("maximumContractCertificateChains", 1);
        JsonNode answer = post(b, "ocpp2.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        // local provisioning answers -20 now (EvCertificate20ApiTest); these bytes are no -20 CertificateInstallationReq
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("InvalidExi");
    }

    @Test
    void aRequestThatBreaksTheOcppSchemaIsA400AndTheSchemaSaysWhy() throws Exception {
        ObjectNode b = Api.object().put("ocppVersion", "ocpp2.0.1");
        b.putObject("request").put("iso15118SchemaVersion", MSGDEF).put("exiRequest", "gA==");
        Api.Reply r = api().post("/api/v1/pnc/ev-certificate", b, token("csms"));
        assertThat(r.status()).isEqualTo(400);
        assertThat(r.body()).contains("action");
        // and a station token cannot call it: CSMS role
        assertThat(api().post("/api/v1/pnc/ev-certificate", body("ocpp2.0.1", null, "Install", "gA=="), "ocps_not-a-real-token-at-all-0000").status())
                .isEqualTo(401);
    }
}
