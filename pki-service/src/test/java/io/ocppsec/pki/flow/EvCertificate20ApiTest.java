package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.iso15118.envelope.Iso15118_20Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.envelope.Unsealed;
import io.ocppsec.iso15118.exi.Iso15118_20;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateChain;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Iso15118_20.Header;
import io.ocppsec.iso15118.exi.Iso15118_20.ResponseCode;
import io.ocppsec.iso15118.exi.Iso15118_20Codec;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.pki.ChainValidation;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.pnc.ContractStore;
import io.ocppsec.pki.pnc.InstallSeries;
import io.ocppsec.pki.pnc.LocalContractProvisioner;
import io.ocppsec.pki.pnc.PncDevelopmentPki;
import io.ocppsec.pki.pnc.PncPki;
import io.ocppsec.pki.pnc.ProvisioningOutcome;
import io.ocppsec.pki.pnc.ProvisioningRequest;
import io.ocppsec.pki.store.Ledger;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DelegatingDataSource;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Get15118EVCertificate with ISO 15118-20 (OCPP 2.1 M01) through the API, local provisioning on the -20
 * edition of the development Plug & Charge PKI: an EV of a car maker's own -20 OEM PKI (P-521, imported as
 * trusted) asks once per contract; each answer is signed by the -20 CPS leaf, its contract key opens with the
 * OEM key, remainingContracts counts down (M01.FR.04/06/07) and the series is kept in the database (a restart or
 * another instance continues it; of two requests at once, each gets its own contract); refusals are Failed +
 * statusInfo with the signed -20 answer inside; every answer is checked against the official OCPP 2.1 schema. An EV
 * with an Ed448 OEM certificate gets its contract key under X448 with the certificate's alternate key [V2G20-2534].
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class EvCertificate20ApiTest {
    static final String COMMON = "urn:iso:std:iso:15118:-20:CommonMessages";
    static final Edition E = Edition.ISO_15118_20;
    static final AtomicLong SERIAL = new AtomicLong(0x7000);
    static final byte[] SESSION = {1, 3, 5, 7, 9, 11, 13, 15};

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

    @Autowired
    PncDevelopmentPki developmentPki;

    @Autowired
    ContractStore contractStore;

    @Autowired
    IssuerRegistry registry;

    @Autowired
    Ledger ledger;

    @Autowired
    DataSource dataSource;

    /** The car maker's own -20 OEM PKI (secp521r1, ecdsa-with-SHA512), imported as trusted. */
    static KeyPair oemRootKey = KeyType.SECP521R1.generate();
    static KeyPair oemSubKey = KeyType.SECP521R1.generate();
    static X509Certificate oemRoot;
    static X509Certificate oemSub;

    @BeforeAll
    static void oemPki() {
        Instant t0 = Instant.now().minus(Duration.ofDays(1));
        oemRoot = Iso15118Certificates.issue(Iso15118Role.OEM_ROOT, E,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_ROOT, "Test OEM Root 20", "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(oemRootKey.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(oemRootKey.getPrivate(), KeyType.SECP521R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), t0, Urls.NONE);
        oemSub = Iso15118Certificates.issue(Iso15118Role.OEM_SUB_CA_2, E,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_SUB_CA_2, "Test OEM Sub-CA 2 20", "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(oemSubKey.getPublic()),
                Issuer.ca(oemRoot, Iso15118Certificates.signer(oemRootKey.getPrivate(), KeyType.SECP521R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), t0, Urls.NONE);
    }

    /**
     * Another car maker's -20 OEM PKI, wholly on Ed448 [V2G20-2319]: root and Sub-CA 2, imported as trusted through
     * {@code POST /pnc/oem-roots} by the test that uses them.
     */
    static KeyPair edOemRootKey = KeyType.ED448.generate();
    static KeyPair edOemSubKey = KeyType.ED448.generate();
    static X509Certificate edOemRoot;
    static X509Certificate edOemSub;

    @BeforeAll
    static void ed448OemPki() {
        Instant t0 = Instant.now().minus(Duration.ofDays(1));
        edOemRoot = Iso15118Certificates.issue(Iso15118Role.OEM_ROOT, E,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_ROOT, "Test Ed448 OEM Root 20", "Test Ed448 OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(edOemRootKey.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(edOemRootKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), t0, Urls.NONE);
        edOemSub = Iso15118Certificates.issue(Iso15118Role.OEM_SUB_CA_2, E,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_SUB_CA_2, "Test Ed448 OEM Sub-CA 2 20", "Test Ed448 OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(edOemSubKey.getPublic()),
                Issuer.ca(edOemRoot, Iso15118Certificates.signer(edOemRootKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), t0, Urls.NONE);
    }

    /** An EV: its OEM provisioning certificate and key, and for an Ed448 certificate the private key of its X448 alternate key. */
    record Car(String pcid, X509Certificate cert, PrivateKey key, PrivateKey x448) {
        Car(String pcid, X509Certificate cert, PrivateKey key) {
            this(pcid, cert, key, null);
        }
    }

    /** An EV: its OEM provisioning certificate (CN = PCID, 18 characters as the -20 envelope AAD needs [V2G20-2492]). */
    static Car car(String pcid) {
        KeyPair k = KeyType.SECP521R1.generate();
        X509Certificate c = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, E,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, pcid, "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(k.getPublic()),
                Issuer.ca(oemSub, Iso15118Certificates.signer(oemSubKey.getPrivate(), KeyType.SECP521R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofHours(1)), Urls.NONE);
        return new Car(pcid, c, k.getPrivate());
    }

    /**
     * An EV whose -20 OEM provisioning certificate is Ed448 (it signs with Ed448) and carries an X448 key for the
     * contract-key ECDH, its "Alternate Subject Public Key" [V2G20-2534] (subjectAltPublicKeyInfo, our reading).
     */
    static Car ed448Car(String pcid) throws Exception {
        return ed448Car(pcid, oemSub, Iso15118Certificates.signer(oemSubKey.getPrivate(), KeyType.SECP521R1));
    }

    /** An Ed448 EV with an X448 alternate key under {@code subCa}, which signs with {@code subCaSigner}. */
    static Car ed448Car(String pcid, X509Certificate subCa, org.bouncycastle.operator.ContentSigner subCaSigner) throws Exception {
        KeyPair ed = KeyType.ED448.generate();
        KeyPair x448 = java.security.KeyPairGenerator.getInstance("X448", new org.bouncycastle.jce.provider.BouncyCastleProvider())
                .generateKeyPair();
        X509Certificate c = Iso15118Certificates.issueOemProvisioningWithX448(
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, pcid, "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(ed.getPublic()), Iso15118Certificates.subjectPublicKeyInfo(x448.getPublic()),
                Issuer.ca(subCa, subCaSigner),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofHours(1)), Urls.NONE);
        return new Car(pcid, c, ed.getPrivate(), x448.getPrivate());
    }

    Api api() {
        return new Api(port);
    }

    String admin() throws Exception {
        return Files.readString(dir.resolve("data").resolve("admin-token")).trim();
    }

    String token(String role) throws Exception {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"ev20 " + role + " " + SERIAL.incrementAndGet() + "\",\"role\":\"" + role
                + "\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    void trustOem() throws Exception {
        Api.Reply r = api().post("/api/v1/pnc/oem-roots", Api.object().put("certificate", io.ocppsec.pki.ca.Pem.certificate(oemRoot) + io.ocppsec.pki.ca.Pem.certificate(oemSub)), admin());
        assertThat(r.status()).as(r.body()).isIn(201, 409);
    }

    void addContract(String pcid, String emaid) throws Exception {
        Api.Reply c = api().post("/api/v1/pnc/contracts", Api.object().put("pcid", pcid).put("emaid", emaid), admin());
        assertThat(c.status()).as(c.body()).isEqualTo(201);
    }

    /** The EV's -20 CertificateInstallationReq, signed (ecdsa-sha512 or Ed448) over OEMProvisioningCertificateChain (as Josev's -20 EVCC). */
    static String installRequest(Car car, X509Certificate trustedV2gRoot, int max) throws Exception {
        return installRequest(car, oemSub, trustedV2gRoot, max);
    }

    /** The same, for a car under the OEM Sub-CA 2 {@code subCa} (sent in the chain). */
    static String installRequest(Car car, X509Certificate subCa, X509Certificate trustedV2gRoot, int max) throws Exception {
        CertificateChain chain = new CertificateChain("id1", car.cert().getEncoded(), List.of(subCa.getEncoded()));
        CertificateInstallationReq unsigned = new CertificateInstallationReq(new Header(SESSION, BigInteger.valueOf(1_700_000_000L), null),
                chain, List.of(new RootCertificateId(trustedV2gRoot.getSubjectX500Principal().getName(), trustedV2gRoot.getSerialNumber())),
                max, null);
        var sig = ExiSignatures.sign(Map.of("id1", Iso15118_20Codec.encodeOemProvisioningChainFragment(chain)),
                car.key() instanceof ECPrivateKey ? ExiSigner.ecdsaP521(car.key()) : ExiSigner.ed448(car.key()));
        CertificateInstallationReq signed = new CertificateInstallationReq(new Header(SESSION, unsigned.header().timeStamp(), sig),
                chain, unsigned.rootCertificateIds(), max, null);
        return Base64.getEncoder().encodeToString(Iso15118_20Codec.encode(signed));
    }

    static ObjectNode body(String ocppVersion, String station, String exi, Integer maxChains) {
        ObjectNode b = Api.object().put("ocppVersion", ocppVersion);
        if (station != null) {
            b.put("station", station);
        }
        ObjectNode req = b.putObject("request").put("iso15118SchemaVersion", COMMON).put("action", "Install").put("exiRequest", exi);
        if (maxChains != null) {
            req.put("maximumContractCertificateChains", maxChains);
        }
        return b;
    }

    JsonNode post(ObjectNode body, String ocppVersion) throws Exception {
        Api.Reply r = api().post("/api/v1/pnc/ev-certificate", body, token("csms"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode answer = r.json();
        assertThat(OfficialSchemas.responseViolations(ocppVersion, "Get15118EVCertificate", answer)).as(answer.toString()).isEmpty();
        return answer;
    }

    /** The -20 answer inside, its signature over SignedInstallationData verified with the -20 CPS leaf. */
    CertificateInstallationRes signedAnswer(JsonNode answer) throws Exception {
        return signedAnswer(answer.path("exiResponse").asString());
    }

    CertificateInstallationRes signedAnswer(String exiResponseBase64) throws Exception {
        var m = Iso15118_20Codec.decode(Base64.getDecoder().decode(exiResponseBase64));
        assertThat(m).isInstanceOf(CertificateInstallationRes.class);
        CertificateInstallationRes res = (CertificateInstallationRes) m;
        assertThat(res.header().sessionId()).isEqualTo(SESSION);
        PncPki.SigningChain cps = pki.cpsChain20().orElseThrow();
        assertThat(cert(res.cpsChain().certificate())).isEqualTo(cps.leaf());
        var data = res.signedInstallationData();
        assertThat(ExiSignatures.verify(res.header().signature(), Map.of(data.id(), Iso15118_20Codec.encodeFragment(data)),
                cps.leaf().getPublicKey()).isValid()).as("signed by the -20 CPS leaf").isTrue();
        return res;
    }

    static List<X509Certificate> contractChain(CertificateInstallationRes res) throws Exception {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert(res.signedInstallationData().contractChain().certificate()));
        for (byte[] sub : res.signedInstallationData().contractChain().subCertificates()) {
            chain.add(cert(sub));
        }
        return chain;
    }

    static byte[] ski(X509Certificate c) {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                c.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
    }

    static X509Certificate cert(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** What the EV does with an OK answer: open the contract key with its OEM key and check it is the certificate's. */
    String installedEmaid(CertificateInstallationRes res, Car car) throws Exception {
        assertThat(res.responseCode()).isEqualTo(ResponseCode.OK);
        List<X509Certificate> chain = contractChain(res);
        X509Certificate contract = chain.get(0);
        // a -20 contract chain to the -20 MO root of the development PKI; the leaf names our OCSP responder
        ChainValidation v = new Iso15118ChainValidator(new TrustAnchors(List.of(), pki.moRoots20(), List.of()), Leniency.strict())
                .validate(chain, Iso15118Role.CONTRACT, E, Instant.now());
        assertThat(v.isValid()).as(v.toString()).isTrue();
        assertThat(contract.getExtensionValue(Extension.authorityInfoAccess.getId())).as("OCSP address").isNotNull();
        assertThat(contract.getSigAlgName()).isEqualTo("SHA512withECDSA");
        var d = res.signedInstallationData();
        // the contract key is secp521r1 either way; the ECDH is the OEM key's, or an Ed448 certificate's X448 key [V2G20-2534]
        assertThat(d.encryptedKeyType()).isEqualTo(Iso15118_20.EncryptedKeyType.SECP521);
        assertThat(d.encryptedPrivateKey()).hasSize(94);
        assertThat(d.ecdhCurve()).isEqualTo(car.x448() == null ? Iso15118_20.EcdhCurve.SECP521 : Iso15118_20.EcdhCurve.X448);
        assertThat(d.dhPublicKey()).hasSize(car.x448() == null ? 133 : 56);
        Unsealed opened = car.x448() == null
                ? Iso15118_20Envelope.unwrapSecp521(new SealedKey(d.encryptedPrivateKey(), d.dhPublicKey()), car.key(),
                        (ECPublicKey) contract.getPublicKey(), car.pcid(), ski(contract))
                : Iso15118_20Envelope.unwrap(Iso15118_20Envelope.Ecdh.X448, Iso15118_20Envelope.ContractKey.SECP521,
                        new SealedKey(d.encryptedPrivateKey(), d.dhPublicKey()), car.x448(), contract.getPublicKey(), car.pcid(),
                        ski(contract));
        assertThat(opened).isInstanceOf(Unsealed.Opened.class);
        Signature s = Signature.getInstance("SHA512withECDSA");
        s.initSign((ECPrivateKey) ((Unsealed.Opened) opened).contractKey());
        s.update(SESSION);
        byte[] sig = s.sign();
        s.initVerify(contract.getPublicKey());
        s.update(SESSION);
        assertThat(s.verify(sig)).as("the opened key is the contract certificate's").isTrue();
        // recorded in the inventory like the -2 contracts: revocable, our OCSP responder answers for it
        Api.Reply inv = api().get("/api/v1/certificates/" + contract.getSerialNumber().toString(16), admin());
        assertThat(inv.status()).as(inv.body()).isEqualTo(200);
        assertThat(inv.body()).contains("ContractCertificate");
        var cn = org.bouncycastle.asn1.x500.X500Name.getInstance(contract.getSubjectX500Principal().getEncoded())
                .getRDNs(org.bouncycastle.asn1.x500.style.BCStyle.CN);
        return org.bouncycastle.asn1.x500.style.IETFUtils.valueToString(cn[0].getFirst().getValue());
    }

    /** Authorize (C07) with the -20 contract chain, central validation: Accepted/Accepted. */
    void authorizeAccepted(String emaid, List<X509Certificate> chain) throws Exception {
        var body = Api.object().put("ocppVersion", "ocpp2.1");
        var req = body.putObject("request");
        req.putObject("idToken").put("idToken", emaid).put("type", "eMAID");
        req.put("certificate", io.ocppsec.pki.ca.Pem.certificates(chain));
        JsonNode answer = api().post("/api/v1/pnc/authorize", body, admin()).json();
        assertThat(OfficialSchemas.responseViolations("ocpp2.1", "Authorize", answer)).isEmpty();
        assertThat(answer.path("certificateStatus").asString()).as(answer.toString()).isEqualTo("Accepted");
        assertThat(answer.path("idTokenInfo").path("status").asString()).isEqualTo("Accepted");
    }

    /** Our responder answers Good for a -20 contract certificate (through the OCSP broker, M06), signed for MO Sub-CA 2 -20. */
    void ocspGood(List<X509Certificate> chain) throws Exception {
        var body = Api.object().put("station", "CS-PNC-20").put("ocppVersion", "ocpp2.1");
        body.putObject("request").putObject("ocspRequestData")
                .put("hashAlgorithm", "SHA256")
                .put("issuerNameHash", java.util.HexFormat.of().formatHex(io.ocppsec.pki.broker.CertId.nameHash(
                        io.ocppsec.ocpp.message.type.HashAlgorithm.SHA256, chain.get(1))))
                .put("issuerKeyHash", java.util.HexFormat.of().formatHex(io.ocppsec.pki.broker.CertId.keyHash(
                        io.ocppsec.ocpp.message.type.HashAlgorithm.SHA256, chain.get(1))))
                .put("serialNumber", chain.get(0).getSerialNumber().toString(16)).put("responderURL", pki.ocspUrl());
        JsonNode status = null;
        for (int i = 0; i < 100; i++) { // the revocation poller picks up new CAs (200 ms in these tests)
            status = api().post("/api/v1/ocsp/certificate-status", body, admin()).json();
            if ("Accepted".equals(status.path("status").asString())) {
                break;
            }
            Thread.sleep(100);
        }
        assertThat(status.path("status").asString()).as(status.toString()).isEqualTo("Accepted");
        var basic = (org.bouncycastle.cert.ocsp.BasicOCSPResp) new org.bouncycastle.cert.ocsp.OCSPResp(
                Base64.getDecoder().decode(status.get("ocspResult").asString())).getResponseObject();
        assertThat(basic.getResponses()[0].getCertStatus()).as("good").isNull();
    }

    @Test
    void theDevelopmentPkiHasAMinus20EditionBesideTheMinus2One_P521_ecdsaWithSha512() throws Exception {
        PncPki.SigningChain cps20 = pki.cpsChain20().orElseThrow();
        assertThat(cps20.subCas()).hasSize(2);
        assertThat(((ECPublicKey) cps20.leaf().getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(521);
        for (X509Certificate c : cps20.withoutRoot()) {
            assertThat(c.getSigAlgName()).isEqualTo("SHA512withECDSA");
            assertThat(c.getSubjectX500Principal().getName()).contains("(development)");
            // small: they travel in every answer (AIA OCSP, no CRL distribution point, no O)
            assertThat(c.getExtensionValue(Extension.cRLDistributionPoints.getId())).isNull();
            assertThat(c.getExtensionValue(Extension.authorityInfoAccess.getId())).isNotNull();
        }
        cps20.leaf().verify(cps20.subCas().get(0).getPublicKey());
        cps20.subCas().get(1).verify(cps20.root().getPublicKey());
        assertThat(pki.v2gRoots20()).contains(cps20.root());
        assertThat(pki.contractIssuerChain20().orElseThrow().subCas()).hasSize(1);
        // the -2 accessors still give the -2 (P-256) chains
        assertThat(pki.cpsChain().orElseThrow().leaf().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(pki.contractIssuerChain().orElseThrow().leaf().getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(pki.v2gRoots()).doesNotContain(cps20.root());
        // the -20 raw signer: 66+66 bytes r||s that the CPS leaf's key verifies [V2G20-2474]
        byte[] data = "SignedInfo".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] raw = pki.cpsSignRaw20(data);
        assertThat(raw).hasSize(132);
        Signature v = Signature.getInstance("SHA512withPLAIN-ECDSA", new org.bouncycastle.jce.provider.BouncyCastleProvider());
        v.initVerify(cps20.leaf().getPublicKey());
        v.update(data);
        assertThat(v.verify(raw)).isTrue();
        // idempotent: a restart makes nothing new
        assertThat(developmentPki.createMinus20IfAbsent("ocppsec")).isEmpty();
        assertThat(pki.cpsChain20().orElseThrow().leaf()).isEqualTo(cps20.leaf());
        assertThat(developmentPki.renewCpsLeaf20IfDue("ocppsec", Duration.ofDays(30))).as("a fresh leaf is not due").isFalse();
    }

    @Test
    void twoContractsForOneEvComeOneRequestEach_remainingContractsCountsDown_M01_FR_04_06_07() throws Exception {
        trustOem();
        Car car = car("WMI20API000000001A");
        addContract(car.pcid(), "DE-OCP-C20000001");
        addContract(car.pcid(), "DE-OCP-C20000002");
        String exi = installRequest(car, pki.cpsChain20().orElseThrow().root(), 2);

        JsonNode first = post(body("ocpp2.1", "CS-PNC-20", exi, 2), "ocpp2.1");
        assertThat(first.path("status").asString()).as(first.toString()).isEqualTo("Accepted");
        assertThat(first.path("remainingContracts").asInt()).isEqualTo(1);
        // six P-521 certificates (about 6100 characters measured): more than OCPP 2.0.1's 5600, within 2.1's 17,000
        assertThat(first.path("exiResponse").asString().length()).isBetween(5601, 17_000);
        CertificateInstallationRes r1 = signedAnswer(first);
        assertThat(r1.remainingContractCertificateChains()).isEqualTo(1);
        String e1 = installedEmaid(r1, car);

        JsonNode second = post(body("ocpp2.1", "CS-PNC-20", exi, 2), "ocpp2.1");
        assertThat(second.path("status").asString()).as(second.toString()).isEqualTo("Accepted");
        assertThat(second.path("remainingContracts").isMissingNode()).as("remainingContracts 0 is sent").isFalse();
        assertThat(second.path("remainingContracts").asInt()).isZero();
        CertificateInstallationRes r2 = signedAnswer(second);
        assertThat(r2.remainingContractCertificateChains()).isZero();
        String e2 = installedEmaid(r2, car);
        assertThat(Set.of(e1, e2)).containsExactlyInAnyOrder("DE-OCP-C20000001", "DE-OCP-C20000002");
        ocspGood(contractChain(r1));
        authorizeAccepted(e1, contractChain(r1));

        // the series ended at 0: the next request of this EV starts a new one with its first contract
        JsonNode again = post(body("ocpp2.1", "CS-PNC-20", exi, 2), "ocpp2.1");
        assertThat(again.path("remainingContracts").asInt()).isEqualTo(1);
        assertThat(installedEmaid(signedAnswer(again), car)).isEqualTo(e1);

        // the series is per station: another station's request for the same EV starts at the first contract too,
        // and OCPP's maximumContractCertificateChains 1 caps it (remaining 0)
        JsonNode other = post(body("ocpp2.1", "CS-PNC-21", exi, 1), "ocpp2.1");
        assertThat(other.path("status").asString()).isEqualTo("Accepted");
        assertThat(other.path("remainingContracts").asInt()).isZero();
        Set<String> seen = new HashSet<>(Set.of(e1, e2));
        assertThat(seen).contains(installedEmaid(signedAnswer(other), car));
    }

    /**
     * Another LocalContractProvisioner on this database, as a restart or a second pki-service instance behind a
     * load balancer has; its series store reads and writes through {@code seriesDataSource}.
     */
    LocalContractProvisioner anotherInstance(DataSource seriesDataSource) {
        return new LocalContractProvisioner(pki, contractStore, new InstallSeries(seriesDataSource, InstallSeries.DEFAULT_TTL,
                Clock.systemUTC()), registry, ledger, Leniency.knownDeviations(), Clock.systemUTC());
    }

    static ProvisioningRequest request(String station, String exi, int max) {
        return new ProvisioningRequest(station, COMMON, "Install", exi, max, List.of(), "ocpp2.1");
    }

    /** The series row of (station, PCID): how many were delivered, or null when there is none. */
    Integer seriesRow(String station, Car car) {
        return JdbcClient.create(dataSource).sql("select delivered from pnc_install_series where station_id = ? and pcid = ?")
                .param(station).param(car.pcid()).query(Integer.class).optional().orElse(null);
    }

    @Test
    void theSeriesIsKeptInTheDatabase_aRestartOrAnotherInstanceGivesTheNextContract_theEndDeletesIt() throws Exception {
        trustOem();
        Car car = car("WMI20API000000006A");
        for (String emaid : List.of("DE-OCP-C20000006", "DE-OCP-C20000007", "DE-OCP-C20000008")) {
            addContract(car.pcid(), emaid);
        }
        String exi = installRequest(car, pki.cpsChain20().orElseThrow().root(), 3);

        JsonNode first = post(body("ocpp2.1", "CS-PNC-22", exi, 3), "ocpp2.1");
        assertThat(first.path("remainingContracts").asInt()).as(first.toString()).isEqualTo(2);
        String e1 = installedEmaid(signedAnswer(first), car);
        assertThat(seriesRow("CS-PNC-22", car)).isEqualTo(1);

        // the next request reaches another instance (or this one after a restart): it goes on with the second contract
        ProvisioningOutcome second = anotherInstance(dataSource).provision(request("CS-PNC-22", exi, 3));
        assertThat(second).as(second.toString()).isInstanceOf(ProvisioningOutcome.Accepted.class);
        ProvisioningOutcome.Accepted accepted = (ProvisioningOutcome.Accepted) second;
        assertThat(accepted.remainingContracts()).isEqualTo(1);
        String e2 = installedEmaid(signedAnswer(accepted.exiResponseBase64()), car);
        assertThat(seriesRow("CS-PNC-22", car)).isEqualTo(2);

        JsonNode third = post(body("ocpp2.1", "CS-PNC-22", exi, 3), "ocpp2.1");
        assertThat(third.path("remainingContracts").asInt()).isZero();
        String e3 = installedEmaid(signedAnswer(third), car);
        assertThat(List.of(e1, e2, e3)).containsExactlyInAnyOrder("DE-OCP-C20000006", "DE-OCP-C20000007", "DE-OCP-C20000008");
        assertThat(seriesRow("CS-PNC-22", car)).as("the series ended: its row is deleted").isNull();
    }

    @Test
    void ofTwoRequestsOfOneEvAtOnce_theOneThatRecordsSecondAnswersFromTheNewCount() throws Exception {
        trustOem();
        Car car = car("WMI20API000000007A");
        for (String emaid : List.of("DE-OCP-C20000009", "DE-OCP-C20000010", "DE-OCP-C20000011")) {
            addContract(car.pcid(), emaid);
        }
        String exi = installRequest(car, pki.cpsChain20().orElseThrow().root(), 3);
        InstallSeries.Key key = new InstallSeries.Key("CS-PNC-23", car.pcid());
        InstallSeries rival = new InstallSeries(dataSource, InstallSeries.DEFAULT_TTL, Clock.systemUTC());
        // The series store's second statement is its first recording; just before it, another request of this EV
        // (another instance) records that it delivered the first contract: the race, made deterministic.
        AtomicInteger statements = new AtomicInteger();
        DataSource racing = new DelegatingDataSource(dataSource) {
            @Override
            public Connection getConnection() throws SQLException {
                if (statements.incrementAndGet() == 2) {
                    assertThat(rival.advance(key, rival.read(key), 1)).isTrue();
                }
                return super.getConnection();
            }
        };
        ProvisioningOutcome o = anotherInstance(racing).provision(request("CS-PNC-23", exi, 3));
        assertThat(o).as(o.toString()).isInstanceOf(ProvisioningOutcome.Accepted.class);
        ProvisioningOutcome.Accepted raced = (ProvisioningOutcome.Accepted) o;
        // not the first contract again (remaining 2) but the second one
        assertThat(raced.remainingContracts()).isEqualTo(1);
        assertThat(signedAnswer(raced.exiResponseBase64()).remainingContractCertificateChains()).isEqualTo(1);
        String second = installedEmaid(signedAnswer(raced.exiResponseBase64()), car);
        assertThat(seriesRow("CS-PNC-23", car)).isEqualTo(2);

        JsonNode last = post(body("ocpp2.1", "CS-PNC-23", exi, 3), "ocpp2.1");
        assertThat(last.path("remainingContracts").asInt()).isZero();
        assertThat(installedEmaid(signedAnswer(last), car)).isNotEqualTo(second);
        assertThat(seriesRow("CS-PNC-23", car)).isNull();
    }

    @Test
    void anEd448EvWithAnX448AlternateKeyGetsItsContractKeyUnderX448_V2G20_2534() throws Exception {
        trustOem();
        Car car = ed448Car("WMI20API00000X448A");
        addContract(car.pcid(), "DE-OCP-C20000448");
        JsonNode answer = post(body("ocpp2.1", "CS-PNC-20", installRequest(car, pki.cpsChain20().orElseThrow().root(), 1), 1),
                "ocpp2.1");
        assertThat(answer.path("status").asString()).as(answer.toString()).isEqualTo("Accepted");
        assertThat(answer.path("remainingContracts").asInt()).isZero();
        // ECDHCurve X448, DHPublicKey 56 bytes, SECP521_EncryptedPrivateKey opened with the EV's X448 key
        assertThat(installedEmaid(signedAnswer(answer), car)).isEqualTo("DE-OCP-C20000448");
    }

    /**
     * An OEM PKI wholly on Ed448 [V2G20-2319] (root and Sub-CA 2), imported through {@code POST /pnc/oem-roots}: its
     * EVs, Ed448 with an X448 alternate key or secp521r1 ([V2G20-2674]; the -20 profile takes either at every tier),
     * get their contracts over OCPP 2.1; once the root is removed the same request is a CertChainError.
     */
    @Test
    void evsUnderAnEd448OemRootImportedThroughTheApiAreInstalled_V2G20_2319() throws Exception {
        Api.Reply imported = api().post("/api/v1/pnc/oem-roots", Api.object().put("certificate",
                io.ocppsec.pki.ca.Pem.certificate(edOemRoot) + io.ocppsec.pki.ca.Pem.certificate(edOemSub)), admin());
        assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        assertThat(imported.json().valueStream().map(a -> a.get("role").asString()).toList()).containsExactly("OEM_ROOT", "OEM_SUB_CA");
        assertThat(pki.oemRoots()).contains(edOemRoot);
        X509Certificate v2g20 = pki.cpsChain20().orElseThrow().root();

        Car ed = ed448Car("WMI20API0000ED448B", edOemSub, Iso15118Certificates.signer(edOemSubKey.getPrivate(), KeyType.ED448));
        assertThat(ed.cert().getSigAlgName()).isEqualTo("Ed448");
        addContract(ed.pcid(), "DE-OCP-C20000450");
        String edExi = installRequest(ed, edOemSub, v2g20, 1);
        JsonNode answer = post(body("ocpp2.1", "CS-PNC-24", edExi, 1), "ocpp2.1");
        assertThat(answer.path("status").asString()).as(answer.toString()).isEqualTo("Accepted");
        // ECDHCurve X448 with the certificate's alternate key; the contract chain is the -20 (P-521) MO PKI's
        assertThat(installedEmaid(signedAnswer(answer), ed)).isEqualTo("DE-OCP-C20000450");

        KeyPair k = KeyType.SECP521R1.generate();
        X509Certificate p521Cert = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, E,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, "WMI20API0000ED448C", "Test Ed448 OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(k.getPublic()),
                Issuer.ca(edOemSub, Iso15118Certificates.signer(edOemSubKey.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofHours(1)), Urls.NONE);
        Car p521 = new Car("WMI20API0000ED448C", p521Cert, k.getPrivate());
        addContract(p521.pcid(), "DE-OCP-C20000451");
        JsonNode p521Answer = post(body("ocpp2.1", "CS-PNC-24", installRequest(p521, edOemSub, v2g20, 1), 1), "ocpp2.1");
        assertThat(p521Answer.path("status").asString()).as(p521Answer.toString()).isEqualTo("Accepted");
        assertThat(installedEmaid(signedAnswer(p521Answer), p521)).isEqualTo("DE-OCP-C20000451");

        // the anchor is what makes it work: without the Ed448 OEM root the chain has no trusted root
        String fp = imported.json().get(0).get("sha256Fingerprint").asString();
        assertThat(api().delete("/api/v1/pnc/oem-roots/" + fp, admin()).status()).isEqualTo(204);
        JsonNode untrusted = post(body("ocpp2.1", "CS-PNC-25", edExi, 1), "ocpp2.1");
        assertThat(untrusted.path("status").asString()).isEqualTo("Failed");
        assertThat(untrusted.path("statusInfo").path("reasonCode").asString()).isEqualTo("CertChainError");
        assertThat(untrusted.path("statusInfo").path("additionalInfo").asString()).contains("OEM provisioning chain");
        assertThat(signedAnswer(untrusted).responseCode()).isEqualTo(ResponseCode.WARNING_CertificateValidationError);
    }

    @Test
    void anEd448EvWithoutAnX448AlternateKeyIsFailedUnsupportedKey() throws Exception {
        trustOem();
        KeyPair ed = KeyType.ED448.generate();
        X509Certificate c = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, E,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, "WMI20API00000ED448", "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(ed.getPublic()),
                Issuer.ca(oemSub, Iso15118Certificates.signer(oemSubKey.getPrivate(), KeyType.SECP521R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minus(Duration.ofHours(1)), Urls.NONE);
        Car car = new Car("WMI20API00000ED448", c, ed.getPrivate()); // signs with Ed448, offers no X448 key
        addContract(car.pcid(), "DE-OCP-C20000449");
        JsonNode answer = post(body("ocpp2.1", "CS-PNC-20", installRequest(car, pki.cpsChain20().orElseThrow().root(), 1), 1),
                "ocpp2.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("UnsupportedKey");
        assertThat(answer.path("statusInfo").path("additionalInfo").asString()).contains("X448");
        assertThat(signedAnswer(answer).responseCode()).isEqualTo(ResponseCode.FAILED);
    }

    @Test
    void anEvWithoutAContractGetsFailedWithTheSignedMinus20AnswerInside() throws Exception {
        trustOem();
        Car stranger = car("WMI20API00000000ZZ");
        JsonNode answer = post(body("ocpp2.1", "CS-PNC-20", installRequest(stranger, pki.cpsChain20().orElseThrow().root(), 1), 1),
                "ocpp2.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("NoContract");
        assertThat(answer.path("statusInfo").path("additionalInfo").asString()).contains("WMI20API00000000ZZ");
        assertThat(answer.has("remainingContracts")).isFalse();
        CertificateInstallationRes res = signedAnswer(answer);
        assertThat(res.responseCode()).isEqualTo(ResponseCode.WARNING_NoContractMatchingPCIDFound);
    }

    @Test
    void anEvThatTrustsOnlyTheMinus2V2gRootIsRefused() throws Exception {
        trustOem();
        Car car = car("WMI20API000000003A");
        addContract(car.pcid(), "DE-OCP-C20000003");
        JsonNode answer = post(body("ocpp2.1", "CS-PNC-20", installRequest(car, pki.cpsChain().orElseThrow().root(), 1), 1), "ocpp2.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("UnknownRoot");
        assertThat(signedAnswer(answer).responseCode()).isEqualTo(ResponseCode.WARNING_NoCertificateAvailable);
    }

    @Test
    void anEvSignatureThatDoesNotVerifyIsFailedSignatureError() throws Exception {
        trustOem();
        Car car = car("WMI20API000000004A");
        addContract(car.pcid(), "DE-OCP-C20000004");
        Car impostor = new Car(car.pcid(), car.cert(), KeyType.SECP521R1.generate().getPrivate());
        JsonNode answer = post(body("ocpp2.1", "CS-PNC-20", installRequest(impostor, pki.cpsChain20().orElseThrow().root(), 1), 1),
                "ocpp2.1");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("SignatureError");
        assertThat(signedAnswer(answer).responseCode()).isEqualTo(ResponseCode.FAILED_SignatureError);
    }

    @Test
    void iso15118_20OverOcpp201IsFailedBeforeAnythingIsIssued() throws Exception {
        trustOem();
        Car car = car("WMI20API000000005A");
        addContract(car.pcid(), "DE-OCP-C20000005");
        JsonNode answer = post(body("ocpp2.0.1", "CS-PNC-20", installRequest(car, pki.cpsChain20().orElseThrow().root(), 1), null),
                "ocpp2.0.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("Ocpp21Required");
        assertThat(answer.path("statusInfo").path("additionalInfo").asString()).contains("OCPP 2.1");
        assertThat(answer.path("exiResponse").asString()).isEmpty();
        // it did not count as a delivery: the first request over OCPP 2.1 gets the (only) contract
        JsonNode over21 = post(body("ocpp2.1", "CS-PNC-20", installRequest(car, pki.cpsChain20().orElseThrow().root(), 1), null),
                "ocpp2.1");
        assertThat(over21.path("status").asString()).as(over21.toString()).isEqualTo("Accepted");
        assertThat(over21.path("remainingContracts").asInt()).isZero();
        assertThat(installedEmaid(signedAnswer(over21), car)).isEqualTo("DE-OCP-C20000005");
    }

    @Test
    void bytesThatAreNoMinus20ExiGetFailedInvalidExi() throws Exception {
        JsonNode answer = post(body("ocpp2.1", "CS-PNC-20", "AAECAwQF", 1), "ocpp2.1");
        assertThat(answer.path("status").asString()).isEqualTo("Failed");
        assertThat(answer.path("statusInfo").path("reasonCode").asString()).isEqualTo("InvalidExi");
        assertThat(answer.path("exiResponse").asString()).isEmpty();
    }
}
