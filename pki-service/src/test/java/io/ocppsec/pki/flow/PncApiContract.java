package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.pki.ca.Csrs;
import io.ocppsec.pki.pnc.ContractStore;
import io.ocppsec.pki.pnc.InstallSeries;
import io.ocppsec.pki.pnc.PncDevelopmentPki;
import io.ocppsec.pki.pnc.PncPki;
import io.ocppsec.pki.pnc.PncTestCerts;
import io.ocppsec.security.cert.PemCertificates;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Signature;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.JsonNode;

/**
 * Plug & Charge in pki-service over real HTTP (issue 6 scopes 1, 5a, 8), run against each database
 * by a subclass: the development Plug & Charge PKI, the PncPki bean, root and OEM-root import, the
 * contract mapping, the ISO 15118-20 installation series table, and SECC certificates under CPO Sub-CA 2
 * checked by openssl.
 */
abstract class PncApiContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final String ORG = "ocppsec development CPO";

    @TempDir
    Path work;

    @Autowired
    PncPki pki;

    @Autowired
    PncDevelopmentPki developmentPki;

    @Autowired
    ContractStore contractStore;

    @Autowired
    DataSource dataSource;

    abstract Api api();

    abstract Path dataDir();

    String admin() {
        try {
            return Files.readString(dataDir().resolve("admin-token")).trim();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String token(String role) {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"test " + role + "\",\"role\":\"" + role + "\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    List<String> roles() {
        return api().get("/api/v1/ca", admin()).json().get("certificates").valueStream().map(c -> c.get("role").asString()).toList();
    }

    @Test
    void firstStartCreatedTheDevelopmentPlugAndChargePki_idempotentlyAndAudited() {
        List<String> roles = roles();
        assertThat(roles).contains("V2G_ROOT", "CPO_SUB_CA_1", "CPO_SUB_CA_2", "CPS_SUB_CA_1", "CPS_SUB_CA_2", "CPS_LEAF",
                "MO_ROOT", "MO_SUB_CA_1", "MO_SUB_CA_2", "OEM_ROOT", "OEM_SUB_CA");
        long v2gRoots = roles.stream().filter("V2G_ROOT"::equals).count();
        assertThat(developmentPki.createIfAbsent("true", ORG)).as("a restart makes nothing new").isEmpty();
        assertThat(roles().stream().filter("V2G_ROOT"::equals).count()).isEqualTo(v2gRoots);
        JsonNode audit = api().get("/api/v1/audit?limit=1000", admin()).json();
        assertThat(audit.valueStream().filter(a -> a.get("action").asString().equals("ca.create")
                && a.get("details").asString().contains("\"role\":\"CPS_LEAF\"") && a.get("details").asString().contains("\"dev\":true")))
                .isNotEmpty();
    }

    @Test
    void theCpsLeafIsRenewedWhenDue_andTheOldOneRetired() throws Exception {
        PncPki.SigningChain before = pki.cpsChain().orElseThrow();
        assertThat(developmentPki.renewCpsLeafIfDue(ORG, java.time.Duration.ofDays(30))).as("a fresh leaf is not due").isFalse();
        assertThat(developmentPki.renewCpsLeafIfDue(ORG, java.time.Duration.ofDays(100))).as("90-day leaf, 100 days ahead").isTrue();
        PncPki.SigningChain after = pki.cpsChain().orElseThrow();
        assertThat(after.leaf()).isNotEqualTo(before.leaf());
        after.leaf().verify(before.subCas().get(0).getPublicKey());
        assertThat(after.subCas()).isEqualTo(before.subCas());
        String oldSerial = before.leaf().getSerialNumber().toString(16);
        JsonNode old = api().get("/api/v1/ca", admin()).json().get("certificates").valueStream()
                .filter(c -> c.get("role").asString().equals("CPS_LEAF") && new BigInteger(c.get("serial").asString(), 16)
                        .equals(before.leaf().getSerialNumber())).findFirst().orElseThrow(() -> new AssertionError(oldSerial));
        assertThat(old.get("status").asString()).isEqualTo("RETIRED");
    }

    @Test
    void rootsAreListedAsJsonAndPem_andTheyAreSelfSignedIsoRoots() throws Exception {
        String csms = token("csms");
        JsonNode roots = api().get("/api/v1/pnc/roots", csms).json();
        assertThat(roots.valueStream().map(r -> r.get("type").asString()).toList()).contains("V2G", "MO");
        assertThat(roots.valueStream().map(r -> r.get("role").asString()).toList())
                .as("the ISO 15118-20 roots are listed too").contains("V2G_ROOT_20", "MO_ROOT_20");
        Api.Reply pem = api().getAccepting("/api/v1/pnc/roots", csms, "application/pem-certificate-chain");
        assertThat(pem.status()).isEqualTo(200);
        List<X509Certificate> certs = PemCertificates.read(pem.body());
        assertThat(certs).hasSize(roots.size());
        for (int i = 0; i < certs.size(); i++) {
            X509Certificate c = certs.get(i);
            c.verify(c.getPublicKey());
            // ISO 15118-2 roots sign with SHA-256 (P-256), the -20 ones (role *_20) with SHA-512 (P-521) or Ed448
            boolean minus20 = roots.get(i).get("role").asString().endsWith("_20");
            assertThat(c.getSigAlgName()).isIn(minus20 ? List.of("SHA512withECDSA", "Ed448") : List.of("SHA256withECDSA"));
            assertThat(c.getBasicConstraints()).as("CA without pathLen").isEqualTo(Integer.MAX_VALUE);
        }
        assertThat(certs.get(0).getSubjectX500Principal().getName()).contains("DC=V2G", "(development)");
        assertThat(pki.v2gRoots()).contains(certs.get(0));
        assertThat(pki.moRoots()).isNotEmpty();
    }

    @Test
    void pncPki_cpsChainAndRawSignerVerify_andContractIssuerIssuesAChainToTheMoRoot() throws Exception {
        PncPki.SigningChain cps = pki.cpsChain().orElseThrow();
        assertThat(cps.subCas()).hasSize(2);
        cps.leaf().verify(cps.subCas().get(0).getPublicKey());
        cps.subCas().get(0).verify(cps.subCas().get(1).getPublicKey());
        cps.subCas().get(1).verify(cps.root().getPublicKey());
        assertThat(pki.v2gRoots()).contains(cps.root());
        assertThat(cps.leaf().getSubjectX500Principal().getName()).contains("DC=CPS");
        assertThat(cps.leaf().getBasicConstraints()).isEqualTo(-1);

        byte[] data = "SignedInfo EXI bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] raw = pki.cpsSignRaw(data);
        assertThat(raw).as("ISO 15118-2 SignatureValue: r||s, 32+32 bytes").hasSize(64);
        Signature v = Signature.getInstance("SHA256withPLAIN-ECDSA", new org.bouncycastle.jce.provider.BouncyCastleProvider());
        v.initVerify(cps.leaf().getPublicKey());
        v.update(data);
        assertThat(v.verify(raw)).isTrue();
        v.initVerify(cps.leaf().getPublicKey());
        v.update("other bytes".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        assertThat(v.verify(raw)).isFalse();

        KeyPair contractKey = PncTestCerts.p256();
        X509Certificate contract = Iso15118Certificates.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, "DE-ABC-C123ABC56", "Example MO", "DE"),
                SubjectPublicKeyInfo.getInstance(contractKey.getPublic().getEncoded()), pki.contractIssuer().orElseThrow(),
                BigInteger.valueOf(System.nanoTime()), Instant.now(), pki.contractUrls());
        PncPki.SigningChain mo = pki.contractIssuerChain().orElseThrow();
        List<X509Certificate> path = new java.util.ArrayList<>(List.of(contract));
        path.addAll(mo.withoutRoot());
        PKIXParameters params = new PKIXParameters(Set.of(new TrustAnchor(mo.root(), null)));
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(path), params);
        // The development PKI meets the ISO 15118-2 profiles with no leniency at all.
        var strict = new io.ocppsec.iso15118.pki.Iso15118ChainValidator(pki.trustAnchors(), io.ocppsec.iso15118.pki.Leniency.strict());
        assertThat(strict.validate(path, Iso15118Role.CONTRACT, Edition.ISO_15118_2, Instant.now()))
                .isInstanceOf(io.ocppsec.iso15118.pki.ChainValidation.Valid.class);
        assertThat(strict.validate(cps.withoutRoot(), Iso15118Role.CPS_LEAF, Edition.ISO_15118_2, Instant.now()))
                .isInstanceOf(io.ocppsec.iso15118.pki.ChainValidation.Valid.class);
        for (X509Certificate oem : pki.oemSubCas()) {
            assertThat(io.ocppsec.iso15118.pki.Iso15118Profile.check(oem, Iso15118Role.OEM_SUB_CA_2, Edition.ISO_15118_2,
                    io.ocppsec.iso15118.pki.Leniency.strict())).isEmpty();
        }
        assertThat(pki.moRoots()).contains(mo.root());
        assertThat(pki.contractUrls().ocsp()).contains(pki.ocspUrl());
    }

    @Test
    void V2G_seccCertificateIsIssuedUnderCpoSubCa2_andOpensslVerifiesItAgainstTheV2gRoot() throws Exception {
        assumeTrue(Openssl.available(), "openssl not found");
        int n = SEQ.incrementAndGet();
        String id = "PNC-" + System.nanoTime() % 1_000_000 + "-" + n;
        String secc = "DEOCSE" + n + "SECC";
        Api.Reply st = api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"SN" + id + "\",\"securityProfile\":3,"
                + "\"certificateTypes\":[\"ChargingStationCertificate\",\"V2GCertificate\"],\"seccIds\":[\"" + secc + "\"]}", admin());
        assertThat(st.status()).as(st.body()).isEqualTo(201);
        KeyPair keys = Csrs.ec("secp256r1");
        String csr = Csrs.pem(Csrs.csr("C=DE,O=" + ORG + ",CN=" + secc, keys, "SHA256withECDSA"));
        Api.Reply r = api().post("/api/v1/certificates/sign", Api.object().put("station", id).put("csr", csr)
                .put("certificateType", "V2GCertificate"), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        List<X509Certificate> chain = PemCertificates.read(r.json().get("certificateChain").asString());
        assertThat(chain).as("SECC + CPO Sub-CA 2 + CPO Sub-CA 1").hasSize(3);
        assertThat(chain.get(1).getSubjectX500Principal().getName()).contains("CPO Sub-CA 2");
        assertThat(chain.get(2).getSubjectX500Principal().getName()).contains("CPO Sub-CA 1");
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getSubjectX500Principal().getName()).contains("DC=CPO", "CN=" + secc, "O=" + ORG);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(leaf.getExtendedKeyUsage()).as("no EKU in the ISO profile").isNull();
        assertThat(leaf.getKeyUsage()[0] && leaf.getKeyUsage()[4]).as("digitalSignature + keyAgreement").isTrue();
        long days = java.time.Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant()).toDays();
        assertThat(days).isBetween(59L, 61L);
        assertThat(leaf.getEncoded().length).as("[V2G2-010]").isLessThanOrEqualTo(800);
        var validation = new io.ocppsec.iso15118.pki.Iso15118ChainValidator(pki.trustAnchors(), io.ocppsec.iso15118.pki.Leniency.strict())
                .validate(chain, Iso15118Role.SECC, Edition.ISO_15118_2, Instant.now());
        assertThat(validation).as(validation.toString()).isInstanceOf(io.ocppsec.iso15118.pki.ChainValidation.Valid.class);

        // M06 for the SECC chain: our responder answers for CPO Sub-CA 2 (through the broker), and
        // the CRL its CRL distribution point names is published.
        String serialHex = leaf.getSerialNumber().toString(16);
        var body = Api.object().put("station", id).put("ocppVersion", "ocpp2.0.1");
        body.putObject("request").putObject("ocspRequestData")
                .put("hashAlgorithm", "SHA256")
                .put("issuerNameHash", java.util.HexFormat.of().formatHex(io.ocppsec.pki.broker.CertId.nameHash(
                        io.ocppsec.ocpp.message.type.HashAlgorithm.SHA256, chain.get(1))))
                .put("issuerKeyHash", java.util.HexFormat.of().formatHex(io.ocppsec.pki.broker.CertId.keyHash(
                        io.ocppsec.ocpp.message.type.HashAlgorithm.SHA256, chain.get(1))))
                .put("serialNumber", serialHex).put("responderURL", pki.ocspUrl());
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
                java.util.Base64.getDecoder().decode(status.get("ocspResult").asString())).getResponseObject();
        assertThat(basic.getResponses()[0].getCertStatus()).as("good").isNull();
        String crlUrl = new String(leaf.getExtensionValue("2.5.29.31"), java.nio.charset.StandardCharsets.ISO_8859_1);
        String crlPath = crlUrl.substring(crlUrl.indexOf("/crl/"));
        var crl = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                java.net.URI.create(api().base() + crlPath)).build(), java.net.http.HttpResponse.BodyHandlers.ofByteArray());
        assertThat(crl.statusCode()).as(crlPath).isEqualTo(200);
        java.security.cert.X509CRL x509crl = (java.security.cert.X509CRL) CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(crl.body()));
        x509crl.verify(chain.get(1).getPublicKey());

        Path root = Openssl.write(work, "v2g-root.pem", pemOf(pki.v2gRoots().get(0)));
        Path subs = Openssl.write(work, "cpo-subs.pem", pemOf(chain.get(1)) + pemOf(chain.get(2)));
        Path leafFile = Openssl.write(work, "secc.pem", pemOf(leaf));
        Openssl.Result v = Openssl.run(work, "openssl", "verify", "-x509_strict", "-CAfile", root.toString(),
                "-untrusted", subs.toString(), leafFile.toString());
        assertThat(v.exit()).as(v.output()).isZero();
    }

    /**
     * OCPP 2.1 V2G20Certificate: the ISO 15118-20 SECC certificate is issued under the -20 CPO Sub-CA 2
     * (secp521r1 key, ecdsa-with-SHA512, DC=CPO, the -20 SECC profile), its chain validates strictly to
     * the -20 V2G root, and openssl verifies it.
     */
    @Test
    void V2G20_seccCertificateIsIssuedUnderTheMinus20CpoSubCa2() throws Exception {
        int n = SEQ.incrementAndGet();
        String id = "PNC20-" + System.nanoTime() % 1_000_000 + "-" + n;
        String secc = "DEOCSE" + n + "SECC20";
        Api.Reply st = api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"SN" + id + "\",\"securityProfile\":3,"
                + "\"certificateTypes\":[\"ChargingStationCertificate\",\"V2G20Certificate\"],\"seccIds\":[\"" + secc + "\"]}", admin());
        assertThat(st.status()).as(st.body()).isEqualTo(201);
        KeyPair keys = Csrs.ec("secp521r1");
        String csr = Csrs.pem(Csrs.csr("O=" + ORG + ",CN=" + secc, keys, "SHA512withECDSA"));
        Api.Reply r = api().post("/api/v1/certificates/sign", Api.object().put("station", id).put("csr", csr)
                .put("certificateType", "V2G20Certificate"), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        List<X509Certificate> chain = PemCertificates.read(r.json().get("certificateChain").asString());
        assertThat(chain).as("SECC + CPO Sub-CA 2 -20 + CPO Sub-CA 1 -20").hasSize(3);
        assertThat(chain.get(1).getSubjectX500Principal().getName()).contains("CPO Sub-CA 2 -20");
        assertThat(chain.get(2).getSubjectX500Principal().getName()).contains("CPO Sub-CA 1 -20");
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getSubjectX500Principal().getName()).contains("DC=CPO", "CN=" + secc, "O=" + ORG);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA512withECDSA");
        assertThat(io.ocppsec.iso15118.pki.Iso15118Profile.check(leaf, Iso15118Role.SECC, Edition.ISO_15118_20,
                io.ocppsec.iso15118.pki.Leniency.strict())).isEmpty();
        var anchors = new io.ocppsec.iso15118.pki.TrustAnchors(pki.v2gRoots20(), pki.moRoots20(), List.of());
        var validation = new io.ocppsec.iso15118.pki.Iso15118ChainValidator(anchors, io.ocppsec.iso15118.pki.Leniency.strict())
                .validate(chain, Iso15118Role.SECC, Edition.ISO_15118_20, Instant.now());
        assertThat(validation).as(validation.toString()).isInstanceOf(io.ocppsec.iso15118.pki.ChainValidation.Valid.class);
        if (Openssl.available()) {
            Path root = Openssl.write(work, "v2g-root-20.pem", pemOf(pki.v2gRoots20().get(0)));
            Path subs = Openssl.write(work, "cpo-subs-20.pem", pemOf(chain.get(1)) + pemOf(chain.get(2)));
            Path leafFile = Openssl.write(work, "secc-20.pem", pemOf(leaf));
            Openssl.Result v = Openssl.run(work, "openssl", "verify", "-x509_strict", "-CAfile", root.toString(),
                    "-untrusted", subs.toString(), leafFile.toString());
            assertThat(v.exit()).as(v.output()).isZero();
        }
        // a P-256 key is not a -20 SECC key
        String p256 = Csrs.pem(Csrs.csr("O=" + ORG + ",CN=" + secc, Csrs.ec("secp256r1"), "SHA256withECDSA"));
        Api.Reply wrong = api().post("/api/v1/certificates/sign", Api.object().put("station", id).put("csr", p256)
                .put("certificateType", "V2G20Certificate"), admin());
        assertThat(wrong.status()).as(wrong.body()).isEqualTo(422);
    }

    @Test
    void iso15118_20RootsAreImportedAsMinus20Anchors_secp521r1OrEd448_V2G20_2674_V2G20_2319() throws Exception {
        // A secp521r1 [V2G20-2674] or Ed448 [V2G20-2319] root anchors -20 chains: it is held to the -20 profile and trusted
        // in the -20 lists (contract installation -20, Authorize), not the P-256 ones
        String operator = token("operator");
        String csms = token("csms");
        int n = SEQ.incrementAndGet();
        List<X509Certificate> imported = new java.util.ArrayList<>();
        for (io.ocppsec.iso15118.pki.KeyType type : List.of(io.ocppsec.iso15118.pki.KeyType.SECP521R1, io.ocppsec.iso15118.pki.KeyType.ED448)) {
            X509Certificate v2g20 = minus20Root(Iso15118Role.V2G_ROOT, "Imported V2G Root -20 " + type + " " + n, type);
            Api.Reply r = api().post("/api/v1/pnc/roots", Api.object().put("certificate", io.ocppsec.pki.ca.Pem.certificate(v2g20)), operator);
            assertThat(r.status()).as(r.body()).isEqualTo(201);
            assertThat(r.json().get("type").asString()).isEqualTo("V2G");
            assertThat(r.json().get("role").asString()).isEqualTo("V2G_ROOT_20");
            assertThat(r.json().get("developmentKey").asBoolean()).isFalse();
            assertThat(pki.v2gRoots20()).contains(v2g20);
            assertThat(pki.v2gRoots()).doesNotContain(v2g20);

            X509Certificate mo20 = minus20Root(Iso15118Role.MO_ROOT, "Imported MO Root -20 " + type + " " + n, type);
            Api.Reply m = api().post("/api/v1/pnc/roots", Api.object().put("certificate", io.ocppsec.pki.ca.Pem.certificate(mo20)), operator);
            assertThat(m.status()).as(m.body()).isEqualTo(201);
            assertThat(m.json().get("type").asString()).isEqualTo("MO");
            assertThat(m.json().get("role").asString()).isEqualTo("MO_ROOT_20");
            assertThat(pki.moRoots20()).contains(mo20);
            assertThat(pki.moRoots()).doesNotContain(mo20);
            assertThat(api().post("/api/v1/pnc/roots", Api.object().put("certificate", io.ocppsec.pki.ca.Pem.certificate(mo20)), operator)
                    .status()).as("known").isEqualTo(409);
            imported.add(v2g20);
            imported.add(mo20);
        }
        // listed like the others, as JSON and as PEM (what `pnc roots --out` writes)
        JsonNode listed = api().get("/api/v1/pnc/roots", csms).json();
        assertThat(listed.valueStream().filter(a -> a.get("subject").asString().contains("-20 ED448 " + n))
                .map(a -> a.get("type").asString() + " " + a.get("role").asString()).toList())
                .containsExactlyInAnyOrder("V2G V2G_ROOT_20", "MO MO_ROOT_20");
        List<X509Certificate> pem = PemCertificates.read(api().getAccepting("/api/v1/pnc/roots", csms, "application/pem-certificate-chain").body());
        assertThat(pem).containsAll(imported);
        // recorded without a key, as ED448 (the CA never holds or signs with an Ed448 key)
        JsonNode ca = api().get("/api/v1/ca", admin()).json().get("certificates");
        for (X509Certificate c : imported.subList(2, 4)) {
            String fp = io.ocppsec.security.cert.CertificateFingerprint.sha256(c.getEncoded());
            JsonNode row = ca.valueStream().filter(x -> x.get("sha256Fingerprint").asString().equals(fp)).findFirst()
                    .orElseThrow(() -> new AssertionError(c.getSubjectX500Principal()));
            assertThat(row.get("keyAlgorithm").asString()).isEqualTo("ED448");
            assertThat(row.path("key").isNull() || row.path("key").isMissingNode()).as(row.toString()).isTrue();
        }
    }

    @Test
    void anEd448OemRootAndSubCaAreTrustedListedAndRemoved_V2G20_2319() throws Exception {
        String operator = token("operator");
        int n = SEQ.incrementAndGet();
        KeyPair rootKey = io.ocppsec.iso15118.pki.KeyType.ED448.generate();
        X509Certificate root = minus20Ca(Iso15118Role.OEM_ROOT, "Ed448 OEM Root " + n, rootKey, null, null);
        KeyPair subKey = io.ocppsec.iso15118.pki.KeyType.ED448.generate();
        X509Certificate sub = minus20Ca(Iso15118Role.OEM_SUB_CA_2, "Ed448 OEM Sub-CA " + n, subKey, root, rootKey);
        Api.Reply r = api().post("/api/v1/pnc/oem-roots", Api.object().put("certificate",
                io.ocppsec.pki.ca.Pem.certificate(root) + io.ocppsec.pki.ca.Pem.certificate(sub)), operator);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().valueStream().map(a -> a.get("role").asString()).toList()).containsExactly("OEM_ROOT", "OEM_SUB_CA");
        assertThat(pki.oemRoots()).contains(root);
        assertThat(pki.oemSubCas()).contains(sub);
        JsonNode list = api().get("/api/v1/pnc/oem-roots", token("csms")).json();
        assertThat(list.valueStream().map(a -> a.get("subject").asString())).anyMatch(s -> s.contains("Ed448 OEM Root " + n))
                .anyMatch(s -> s.contains("Ed448 OEM Sub-CA " + n));
        // an Ed448 sub-CA that the root did not sign
        KeyPair otherKey = io.ocppsec.iso15118.pki.KeyType.ED448.generate();
        X509Certificate stranger = minus20Ca(Iso15118Role.OEM_ROOT, "Ed448 OEM Root " + n, otherKey, null, null);
        X509Certificate foreignSub = minus20Ca(Iso15118Role.OEM_SUB_CA_2, "Foreign Ed448 Sub-CA " + n,
                io.ocppsec.iso15118.pki.KeyType.ED448.generate(), stranger, otherKey);
        Api.Reply broken = api().post("/api/v1/pnc/oem-roots", Api.object().put("certificate",
                io.ocppsec.pki.ca.Pem.certificate(root) + io.ocppsec.pki.ca.Pem.certificate(foreignSub)), operator);
        assertThat(broken.code()).as(broken.body()).isEqualTo("CHAIN_BROKEN");

        String fp = r.json().get(0).get("sha256Fingerprint").asString();
        assertThat(api().delete("/api/v1/pnc/oem-roots/" + fp, operator).status()).isEqualTo(204);
        assertThat(pki.oemRoots()).doesNotContain(root);
        assertThat(pki.oemSubCas()).doesNotContain(sub);
    }

    @Test
    void otherAnchorKeysStayRefusedWithTheirReasons() {
        // the edition comes from the key; an Ed448 root is held to the -20 profile and must be self-signed, and the
        // other key types ISO 15118 does not name stay out
        String operator = token("operator");
        int n = SEQ.incrementAndGet();
        java.util.function.Function<PncTestCerts.Cert, Api.Reply> importRoot = c -> api().post("/api/v1/pnc/roots",
                Api.object().put("certificate", c.pem()).put("type", "MO"), operator);
        KeyPair ed25519 = PncTestCerts.keys("Ed25519");
        Api.Reply e25519 = importRoot.apply(PncTestCerts.ca("CN=Ed25519 Root " + n + ",DC=MO", "CN=Ed25519 Root " + n + ",DC=MO",
                ed25519, ed25519, "Ed25519", null));
        assertThat(e25519.code()).as(e25519.body()).isEqualTo("KEY_ALGORITHM_UNSUPPORTED");
        assertThat(e25519.json().get("detail").asString()).contains("Ed448 (ISO 15118-20)");

        // P-384: neither -2 (secp256r1) nor -20 (secp521r1 or Ed448)
        KeyPair p384 = PncTestCerts.keys("secp384r1");
        Api.Reply r384 = importRoot.apply(PncTestCerts.ca("CN=P-384 Root " + n + ",DC=MO", "CN=P-384 Root " + n + ",DC=MO",
                p384, p384, "SHA384withECDSA", null));
        assertThat(r384.code()).as(r384.body()).isEqualTo("ISO_PROFILE_VIOLATION");
        assertThat(r384.json().get("detail").asString()).contains("PUBLIC_KEY");

        // an Ed448 root whose signature is not its own key's
        KeyPair ed = PncTestCerts.keys("Ed448");
        Api.Reply forged = importRoot.apply(PncTestCerts.ca("CN=Ed448 Root " + n + ",DC=MO", "CN=Ed448 Root " + n + ",DC=MO",
                ed, PncTestCerts.keys("Ed448"), "Ed448", null));
        assertThat(forged.code()).as(forged.body()).isEqualTo("NOT_SELF_SIGNED");

        // an Ed448 root that breaks the -20 root profile (pathLen 1 leaves no room for two Sub-CAs)
        Api.Reply pathLen = importRoot.apply(PncTestCerts.ca("CN=Ed448 Root " + n + ",DC=MO", "CN=Ed448 Root " + n + ",DC=MO",
                ed, ed, "Ed448", 1));
        assertThat(pathLen.code()).as(pathLen.body()).isEqualTo("ISO_PROFILE_VIOLATION");
        assertThat(pathLen.json().get("detail").asString()).contains("ISO_15118_20", "PATH_LENGTH");

        // an Ed448 root signed with ECDSA is no root at all (its own key cannot have made the signature)
        KeyPair p521 = PncTestCerts.keys("secp521r1");
        Api.Reply mixed = importRoot.apply(PncTestCerts.ca("CN=Mixed Root " + n + ",DC=MO", "CN=Mixed Root " + n + ",DC=MO",
                ed, p521, "SHA512withECDSA", null));
        assertThat(mixed.code()).as(mixed.body()).isEqualTo("NOT_SELF_SIGNED");
        // explicit curve parameters instead of a named curve: not read as a certificate at all (the JDK takes named curves only)
        Api.Reply explicit = api().post("/api/v1/pnc/roots", Api.object().put("certificate",
                PncTestCerts.explicitCurveRootPem("CN=Explicit Root " + n + ",DC=MO")).put("type", "MO"), operator);
        assertThat(explicit.status()).as(explicit.body()).isEqualTo(400);
        assertThat(explicit.code()).isEqualTo("BAD_CERTIFICATE");
        assertThat(pki.moRoots20().stream().map(c -> c.getSubjectX500Principal().getName())).noneMatch(s -> s.contains(" " + n + ","));
    }

    /** An ISO 15118-20 CA of {@code role} for {@code key} (Ed448 or secp521r1), self-signed when {@code issuer} is null. */
    private static X509Certificate minus20Ca(Iso15118Role role, String cn, KeyPair key, X509Certificate issuer, KeyPair issuerKey) {
        io.ocppsec.iso15118.pki.KeyType signerType = io.ocppsec.iso15118.pki.KeyType.of(
                SubjectPublicKeyInfo.getInstance((issuerKey == null ? key : issuerKey).getPublic().getEncoded())).orElseThrow();
        var signer = Iso15118Certificates.signer((issuerKey == null ? key : issuerKey).getPrivate(), signerType);
        return Iso15118Certificates.issue(role, Edition.ISO_15118_20, Iso15118Certificates.subjectFor(role, cn, "Some OEM", null),
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
                issuer == null ? io.ocppsec.iso15118.pki.Issuer.selfSigned(signer) : io.ocppsec.iso15118.pki.Issuer.ca(issuer, signer),
                BigInteger.valueOf(System.nanoTime()), Instant.now().minusSeconds(60), io.ocppsec.iso15118.pki.Urls.NONE);
    }

    private static X509Certificate minus20Root(Iso15118Role role, String cn, io.ocppsec.iso15118.pki.KeyType type) {
        KeyPair key = type.generate();
        return Iso15118Certificates.issue(role, Edition.ISO_15118_20, Iso15118Certificates.subjectFor(role, cn, "Some PKI", null),
                SubjectPublicKeyInfo.getInstance(key.getPublic().getEncoded()),
                io.ocppsec.iso15118.pki.Issuer.selfSigned(Iso15118Certificates.signer(key.getPrivate(), type)),
                BigInteger.valueOf(System.nanoTime()), Instant.now(), io.ocppsec.iso15118.pki.Urls.NONE);
    }

    @Test
    void v2gAndMoRootsCanBeImported_withChecks() throws Exception {
        String operator = token("operator");
        String csms = token("csms");
        PncTestCerts.Cert v2g = PncTestCerts.root("CN=Imported V2G Root,O=Some PKI,DC=V2G");
        Api.Reply r = api().post("/api/v1/pnc/roots", Api.object().put("certificate", v2g.pem()), operator);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("type").asString()).isEqualTo("V2G");
        assertThat(r.json().get("developmentKey").asBoolean()).isFalse();
        assertThat(api().post("/api/v1/pnc/roots", Api.object().put("certificate", v2g.pem()), operator).status()).isEqualTo(409);
        assertThat(pki.v2gRoots()).contains(v2g.certificate());

        assertThat(api().post("/api/v1/pnc/roots", Api.object().put("certificate", v2g.pem()), csms).status())
                .as("a CSMS token only reads").isEqualTo(403);
        PncTestCerts.Cert noDc = PncTestCerts.root("CN=Some eMSP Root,O=eMSP");
        assertThat(api().post("/api/v1/pnc/roots", Api.object().put("certificate", noDc.pem()), operator).code()).isEqualTo("ROOT_TYPE_REQUIRED");
        Api.Reply mo = api().post("/api/v1/pnc/roots", Api.object().put("certificate", noDc.pem()).put("type", "MO"), operator);
        assertThat(mo.status()).as(mo.body()).isEqualTo(201);
        assertThat(pki.moRoots()).contains(noDc.certificate());

        PncTestCerts.Cert sub = PncTestCerts.subCa(v2g, "CN=Not A Root,DC=V2G");
        assertThat(api().post("/api/v1/pnc/roots", Api.object().put("certificate", sub.pem()), operator).code()).isEqualTo("NOT_SELF_SIGNED");
        PncTestCerts.Cert leaf = PncTestCerts.selfSignedLeaf("CN=A Leaf,DC=V2G");
        assertThat(api().post("/api/v1/pnc/roots", Api.object().put("certificate", leaf.pem()), operator).code()).isEqualTo("NOT_A_CA");
        assertThat(api().post("/api/v1/pnc/roots", Api.object().put("certificate", "garbage"), operator).code()).isEqualTo("BAD_CERTIFICATE");
        PncTestCerts.Cert sha512 = PncTestCerts.root("CN=Wrong Algorithm Root,DC=V2G", "SHA512withECDSA");
        Api.Reply bad = api().post("/api/v1/pnc/roots", Api.object().put("certificate", sha512.pem()), operator);
        assertThat(bad.code()).as("[V2G2-006] ecdsa-with-SHA256 only, leniency or not").isEqualTo("ISO_PROFILE_VIOLATION");
        assertThat(bad.json().get("detail").asString()).contains("SIGNATURE_ALGORITHM");
        JsonNode refusals = api().get("/api/v1/audit?limit=50", admin()).json();
        assertThat(refusals.valueStream().filter(a -> a.get("action").asString().equals("pnc.root.import")
                && a.get("outcome").asString().equals("REFUSED"))).isNotEmpty();
    }

    @Test
    void theHubjectOpenPncTestV2gRootImports() throws Exception {
        String shared = System.getProperty("ocppsec.shared.dir");
        Path file = shared == null ? null : Path.of(shared, "iso15118/vectors/hubject-openpnc-test-pki/v2groot.pem");
        assumeTrue(file != null && Files.exists(file), "shared vectors not found (ocppsec.shared.dir): Hubject root import skipped");
        Api.Reply r = api().post("/api/v1/pnc/roots", Api.object().put("certificate", Files.readString(file)), token("operator"));
        assertThat(r.status()).as(r.body()).isIn(201, 409);
        assertThat(pki.v2gRoots().stream().map(c -> c.getSubjectX500Principal().getName())).anyMatch(s -> s.contains("CN=V2G Root") && s.contains("O=Hubject"));
    }

    @Test
    void oemRootsWithSubCasAreTrustedListedAndRemoved() {
        String operator = token("operator");
        PncTestCerts.Cert root = PncTestCerts.root("CN=Test OEM Root " + SEQ.incrementAndGet() + ",O=Test OEM,DC=OEM");
        PncTestCerts.Cert sub = PncTestCerts.subCa(root, "CN=Test OEM Sub-CA,O=Test OEM,DC=OEM");
        Api.Reply r = api().post("/api/v1/pnc/oem-roots", Api.object().put("certificate", root.pem() + sub.pem()), operator);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().size()).isEqualTo(2);
        String fp = r.json().get(0).get("sha256Fingerprint").asString();
        assertThat(pki.oemRoots()).contains(root.certificate());
        assertThat(pki.oemSubCas()).contains(sub.certificate());
        JsonNode list = api().get("/api/v1/pnc/oem-roots", token("csms")).json();
        assertThat(list.valueStream().map(a -> a.get("subject").asString()))
                .anyMatch(s -> s.contains("OEM Root CA (development)")).anyMatch(s -> s.contains("Test OEM Sub-CA"));

        PncTestCerts.Cert stranger = PncTestCerts.root("CN=Stranger,DC=OEM");
        PncTestCerts.Cert foreignSub = PncTestCerts.subCa(stranger, "CN=Foreign Sub,DC=OEM");
        assertThat(api().post("/api/v1/pnc/oem-roots", Api.object().put("certificate", root.pem() + foreignSub.pem()), operator).code())
                .isEqualTo("CHAIN_BROKEN");

        assertThat(api().delete("/api/v1/pnc/oem-roots/" + fp.toUpperCase(), operator).status()).isEqualTo(204);
        assertThat(pki.oemRoots()).doesNotContain(root.certificate());
        assertThat(pki.oemSubCas()).doesNotContain(sub.certificate());
        assertThat(api().delete("/api/v1/pnc/oem-roots/" + fp, operator).code()).isEqualTo("OEM_ROOT_UNKNOWN");
    }

    @Test
    void contractsMapPcidToEmaid_validatedLookedUpAndCancelled() {
        String operator = token("operator");
        int n = SEQ.incrementAndGet();
        String pcid = "WMIV1234567890AB" + (10 + n % 90);
        String emaid = "DE-ABC-C" + String.format("%07d", n) + "A";
        Api.Reply r = api().post("/api/v1/pnc/contracts", Api.object().put("pcid", pcid).put("emaid", emaid), operator);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("status").asString()).isEqualTo("ACTIVE");
        assertThat(r.json().get("tokenStatus").asString()).isEqualTo("Accepted");
        assertThat(api().post("/api/v1/pnc/contracts", Api.object().put("pcid", pcid).put("emaid", emaid.replace("-", "").toLowerCase()), operator)
                .code()).as("the same eMAID in another spelling").isEqualTo("CONTRACT_EXISTS");
        assertThat(api().post("/api/v1/pnc/contracts", Api.object().put("pcid", pcid).put("emaid", "D1-ABC-C123ABC56"), operator).code())
                .isEqualTo("BAD_EMAID");
        assertThat(api().post("/api/v1/pnc/contracts", Api.object().put("pcid", "OEMProvCert").put("emaid", "DE-ABC-C123ABC99"), operator).code())
                .isEqualTo("BAD_PCID");
        assertThat(api().post("/api/v1/pnc/contracts", Api.object().put("pcid", pcid).put("emaid", emaid), token("csms")).status())
                .isEqualTo(403);

        String csms = token("csms");
        assertThat(api().get("/api/v1/pnc/contracts/" + emaid.replace("-", ""), csms).json().get("pcid").asString()).isEqualTo(pcid);
        assertThat(api().get("/api/v1/pnc/contracts?pcid=" + pcid.toLowerCase(), csms).json().size()).isEqualTo(1);
        assertThat(contractStore.findByPcid(pcid)).extracting(c -> c.emaid()).containsExactly(emaid);
        assertThat(contractStore.findByEmaid(emaid.toLowerCase())).isPresent();
        assertThat(contractStore.findByEmaid("not an emaid")).isEmpty();

        Api.Reply cancelled = api().post("/api/v1/pnc/contracts/" + emaid + "/cancel", "{\"tokenStatus\":\"Blocked\"}", operator);
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("status").asString()).isEqualTo("CANCELLED");
        assertThat(cancelled.json().get("tokenStatus").asString()).isEqualTo("Blocked");
        assertThat(contractStore.activeByPcid(pcid)).isEmpty();
        assertThat(api().post("/api/v1/pnc/contracts/" + emaid + "/cancel", "{}", operator).code()).isEqualTo("CONTRACT_CANCELLED");
        assertThat(api().post("/api/v1/pnc/contracts/DE-ZZZ-C00000000/cancel", "{}", operator).code()).isEqualTo("CONTRACT_UNKNOWN");
        assertThat(api().post("/api/v1/pnc/contracts/" + emaid + "/cancel", "{\"tokenStatus\":\"Accepted\"}", operator).code())
                .isEqualTo("BAD_TOKEN_STATUS");
        JsonNode audit = api().get("/api/v1/audit?limit=100", admin()).json();
        assertThat(audit.valueStream().map(a -> a.get("action").asString() + "/" + a.get("outcome").asString()))
                .contains("pnc.contract.add/OK", "pnc.contract.add/REFUSED", "pnc.contract.cancel/OK");
    }

    /** An instance of the series store whose clock stands at {@code t}: each one is a restart, or another pki-service. */
    InstallSeries seriesAt(Instant t) {
        return new InstallSeries(dataSource, InstallSeries.DEFAULT_TTL, Clock.fixed(t, ZoneOffset.UTC));
    }

    int seriesRows(String stationPrefix) {
        return JdbcClient.create(dataSource).sql("select count(*) from pnc_install_series where station_id like ?")
                .param(stationPrefix + "%").query(Integer.class).single();
    }

    @Test
    void iso15118_20InstallSeriesAreKeptInTheDatabase_acrossInstances_M01_FR_04_06_07() {
        String station = "CS-SERIES-" + SEQ.incrementAndGet();
        InstallSeries.Key k = new InstallSeries.Key(station, "WMIV1234567890SER1");
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Duration ttl = InstallSeries.DEFAULT_TTL;

        InstallSeries a = seriesAt(t0);
        InstallSeries.Position none = a.read(k);
        assertThat(none.delivered()).isZero();
        assertThat(a.advance(k, none, 1)).isTrue();
        assertThat(a.advance(k, none, 1)).as("a second request that read no series: duplicate key, it lost").isFalse();

        // a restart (or another instance) a minute later continues the series
        InstallSeries b = seriesAt(t0.plusSeconds(60));
        InstallSeries.Position one = b.read(k);
        assertThat(one.delivered()).isEqualTo(1);
        InstallSeries.Position sameOne = a.read(k);
        assertThat(b.advance(k, one, 2)).isTrue();
        assertThat(a.advance(k, sameOne, 2)).as("position 2 was taken by b").isFalse();
        assertThat(a.advance(k, sameOne, 0)).isFalse();
        assertThat(a.read(k).delivered()).isEqualTo(2);

        // past the time to live since the last delivery the EV starts again; its first contract replaces the row
        InstallSeries c = seriesAt(t0.plusSeconds(60).plus(ttl));
        InstallSeries.Position expired = c.read(k);
        assertThat(expired.delivered()).isZero();
        assertThat(c.advance(k, expired, 1)).isTrue();
        assertThat(c.read(k).delivered()).isEqualTo(1);

        // the end of the series deletes the row
        assertThat(c.advance(k, c.read(k), 0)).isTrue();
        assertThat(seriesRows(station)).isZero();

        // expired rows are deleted when a series starts
        String stale = "CS-STALE-" + SEQ.incrementAndGet() + "-";
        for (int i = 0; i < 3; i++) {
            InstallSeries.Key s = new InstallSeries.Key(stale + i, "WMIV1234567890SER1");
            assertThat(a.advance(s, a.read(s), 1)).isTrue();
        }
        assertThat(seriesRows(stale)).isEqualTo(3);
        InstallSeries d = seriesAt(t0.plus(ttl).plusSeconds(1));
        assertThat(d.advance(k, d.read(k), 1)).isTrue();
        assertThat(seriesRows(stale)).isZero();
        assertThat(d.read(k).delivered()).isEqualTo(1);
    }

    private static String pemOf(X509Certificate c) {
        return PncTestCerts.pem(c);
    }
}
