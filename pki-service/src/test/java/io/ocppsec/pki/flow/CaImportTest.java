package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.pki.ca.Csrs;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.security.cert.PemCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8EncryptorBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/** Bringing in a production CA instead of the development PKI (scope 2, "for production"). */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class CaImportTest {
    static final String ORG = "ocppsec development CPO";

    @TempDir
    static Path dir;

    @TempDir
    Path work;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
    }

    @LocalServerPort
    int port;

    Api api() {
        return new Api(port);
    }

    String admin() throws Exception {
        return Files.readString(dir.resolve("data/admin-token")).trim();
    }

    /** Issues a station certificate and has openssl verify it against the given root. */
    void issuesUnder(X509Certificate root, String stationId) throws Exception {
        api().post("/api/v1/stations", "{\"identity\":\"" + stationId + "\",\"serialNumber\":\"SN-" + stationId + "\"}", admin());
        Api.Reply r = api().post("/api/v1/certificates/sign",
                Api.object().put("station", stationId).put("csr", Csrs.p256("CN=SN-" + stationId + ",O=" + ORG)), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        List<X509Certificate> chain = PemCertificates.read(r.json().get("certificateChain").asString());
        assertThat(chain.get(chain.size() - 1)).isNotEqualTo(root);
        assertThat(api().get("/api/v1/ca/chain", admin()).body()).isEqualTo(Pem.certificate(root));
        if (Openssl.available()) {
            Path rootFile = Openssl.write(work, "root-" + stationId + ".pem", Pem.certificate(root));
            Path leaf = Openssl.write(work, "leaf-" + stationId + ".pem", Pem.certificate(chain.get(0)));
            Path rest = Openssl.write(work, "rest-" + stationId + ".pem", Pem.certificates(chain.subList(1, chain.size())));
            Openssl.Result v = Openssl.run(work, "openssl", "verify", "-x509_strict", "-CAfile", rootFile.toString(),
                    "-untrusted", rest.toString(), leaf.toString());
            assertThat(v.exit()).as(v.output()).isZero();
        }
    }

    @Test
    void importedPemCaIssuesFromNowOnAndTheDevelopmentCaIsRetired() throws Exception {
        ExternalCa ca = new ExternalCa(ORG);
        Api.Reply r = api().post("/api/v1/ca/import", Api.object().put("chain", ca.chainPem()).put("key", ca.subKeyPem()), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        JsonNode status = api().get("/api/v1/ca", admin()).json();
        long activeStationCas = status.get("certificates").valueStream()
                .filter(c -> c.get("role").asString().equals("STATION_CA") && c.get("status").asString().equals("ACTIVE")).count();
        assertThat(activeStationCas).isEqualTo(1);
        assertThat(status.toString()).contains("RETIRED");
        issuesUnder(ca.root, "IMP-PEM");
    }

    @Test
    void importedPkcs12CaIssues() throws Exception {
        ExternalCa ca = new ExternalCa(ORG);
        char[] pw = "p12-password".toCharArray();
        Api.Reply r = api().post("/api/v1/ca/import", Api.object()
                .put("pkcs12", Base64.getEncoder().encodeToString(ca.pkcs12(pw))).put("password", "p12-password"), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        issuesUnder(ca.root, "IMP-P12");
        Api.Reply wrong = api().post("/api/v1/ca/import", Api.object()
                .put("pkcs12", Base64.getEncoder().encodeToString(ca.pkcs12(pw))).put("password", "nope"), admin());
        assertThat(wrong.code()).isEqualTo("BAD_PKCS12");
    }

    @Test
    void encryptedPemKeyNeedsItsPassword() throws Exception {
        ExternalCa ca = new ExternalCa(ORG);
        java.io.StringWriter sw = new java.io.StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(sw)) {
            w.writeObject(new JcaPKCS8Generator(ca.subKeys.getPrivate(),
                    new JceOpenSSLPKCS8EncryptorBuilder(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_aes256_CBC).setProvider(ExternalCa.BC)
                            .setPassword("key-pass".toCharArray()).build()));
        }
        String encrypted = sw.toString();
        assertThat(api().post("/api/v1/ca/import", Api.object().put("chain", ca.chainPem()).put("key", encrypted), admin()).code())
                .isEqualTo("KEY_PASSWORD_REQUIRED");
        assertThat(api().post("/api/v1/ca/import", Api.object().put("chain", ca.chainPem()).put("key", encrypted)
                .put("keyPassword", "wrong"), admin()).code()).isEqualTo("BAD_KEY");
        Api.Reply ok = api().post("/api/v1/ca/import", Api.object().put("chain", ca.chainPem()).put("key", encrypted)
                .put("keyPassword", "key-pass"), admin());
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    }

    @Test
    void offlineRootSignsTheSubCaRequestAndTheCertificateIsInstalled() throws Exception {
        ExternalCa offline = new ExternalCa(ORG);
        Api.Reply req = api().post("/api/v1/ca/sub-ca/request",
                "{\"subject\":\"CN=" + ORG + " Online Station CA,O=" + ORG + "\",\"keyAlgorithm\":\"EC_P256\"}", admin());
        assertThat(req.status()).as(req.body()).isEqualTo(200);
        String csrPem = req.json().get("csrPem").asString();
        PKCS10CertificationRequest csr = new PKCS10CertificationRequest(io.ocppsec.pki.ca.Pem.csrDer(csrPem));
        X509Certificate signed = offline.signSubCa(csr);
        Api.Reply install = api().post("/api/v1/ca/sub-ca/install", Api.object().put("id", req.json().get("id").asString())
                .put("certificateChain", Pem.certificate(signed) + Pem.certificate(offline.root)), admin());
        assertThat(install.status()).as(install.body()).isEqualTo(200);
        issuesUnder(offline.root, "IMP-CSR");
        // The pending key is used up.
        assertThat(api().post("/api/v1/ca/sub-ca/install", Api.object().put("id", req.json().get("id").asString())
                .put("certificateChain", Pem.certificate(signed) + Pem.certificate(offline.root)), admin()).code())
                .isEqualTo("PENDING_KEY_UNKNOWN");
    }

    @Test
    void importRefusesWhatIsNotAUsableCaAndChangesNothing() throws Exception {
        ExternalCa ca = new ExternalCa(ORG);
        String before = api().get("/api/v1/ca", admin()).body();
        ExternalCa other = new ExternalCa(ORG);
        assertThat(api().post("/api/v1/ca/import", Api.object().put("chain", ca.chainPem()).put("key", other.subKeyPem()), admin()).code())
                .isEqualTo("KEY_MISMATCH");
        assertThat(api().post("/api/v1/ca/import", Api.object().put("chain", Pem.certificate(ca.sub)).put("key", ca.subKeyPem()), admin()).code())
                .isEqualTo("CHAIN_BROKEN");
        X509Certificate leaf = ExternalCa.certificate(new org.bouncycastle.asn1.x500.X500Name("CN=leaf"), ca.subKeys.getPublic(),
                org.bouncycastle.asn1.x500.X500Name.getInstance(ca.root.getSubjectX500Principal().getEncoded()), ca.rootKeys.getPrivate(), false,
                java.time.Duration.ofDays(365), ca.root);
        assertThat(api().post("/api/v1/ca/import", Api.object().put("chain", Pem.certificate(leaf) + Pem.certificate(ca.root))
                .put("key", ca.subKeyPem()), admin()).code()).isEqualTo("NOT_A_CA");
        assertThat(api().post("/api/v1/ca/import", Api.object().put("chain", "garbage").put("key", ca.subKeyPem()), admin()).code())
                .isEqualTo("BAD_CHAIN");
        assertThat(api().post("/api/v1/ca/import", Api.object().put("chain", ca.chainPem()).put("key", "garbage"), admin()).code())
                .isIn("BAD_KEY");
        assertThat(api().get("/api/v1/ca", admin()).body()).isEqualTo(before);
        String operator = api().post("/api/v1/tokens", "{\"name\":\"op\",\"role\":\"operator\"}", admin()).json().get("token").asString();
        assertThat(api().post("/api/v1/ca/import", Api.object().put("chain", ca.chainPem()).put("key", ca.subKeyPem()), operator).status())
                .isEqualTo(403);
    }
}
