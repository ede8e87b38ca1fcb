package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.pki.ca.Csrs;
import io.ocppsec.security.cert.PemCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The enrollment flow over real HTTP (A02/A03 and the registry), run against each database by a
 * subclass. Certificates are checked by openssl as an independent peer.
 */
abstract class IssuanceFlowContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final String ORG = "ocppsec development CPO";

    @TempDir
    Path work;

    abstract Api api();

    abstract Path dataDir();

    /** The custody backend this run uses. */
    String expectedBackend() {
        return "pkcs12";
    }

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

    /** Registers a station with a fresh identity and serial number. */
    String station(String... types) {
        int n = SEQ.incrementAndGet();
        String id = "CP-" + System.nanoTime() % 1_000_000 + "-" + n;
        String body = "{\"identity\":\"" + id + "\",\"serialNumber\":\"SN" + id + "\",\"securityProfile\":3,"
                + "\"certificateTypes\":" + Api.JSON.writeValueAsString(types.length == 0 ? List.of("ChargingStationCertificate") : List.of(types))
                + ",\"seccIds\":[\"DE*OCS*E" + n + "*1\"]}";
        Api.Reply r = api().post("/api/v1/stations", body, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return id;
    }

    Api.Reply sign(String station, String csr, String type, Long requestId) {
        var body = Api.object().put("station", station).put("csr", csr);
        if (type != null) {
            body.put("certificateType", type);
        }
        if (requestId != null) {
            body.put("requestId", requestId);
        }
        return api().post("/api/v1/certificates/sign", body, admin());
    }

    long certificateCount() {
        return api().get("/api/v1/certificates?limit=1000", admin()).json().size();
    }

    @Test
    void firstStartCreatedTheDevelopmentPki() {
        JsonNode ca = api().get("/api/v1/ca", admin()).json();
        List<String> roles = ca.get("certificates").valueStream().map(c -> c.get("role").asString()).toList();
        assertThat(roles).contains("CSMS_ROOT", "STATION_CA", "OCSP_SIGNER", "SERVER");
        assertThat(roles.stream().filter("SERVER"::equals)).hasSize(2);
        assertThat(ca.get("custody").get("backend").asString()).isEqualTo(expectedBackend());
        assertThat(dataDir().resolve("tls/server-ec.pem")).exists();
        assertThat(dataDir().resolve("tls/server-rsa.key")).exists();
        Api.Reply chain = api().get("/api/v1/ca/chain", admin());
        assertThat(chain.status()).isEqualTo(200);
        assertThat(PemCertificates.read(chain.body())).hasSize(1);
    }

    @Test
    void A00_FR_318_serverCertificatesCoverBothSuiteFamiliesAndOpensslVerifiesThem() {
        assumeTrue(Openssl.available(), "openssl not found");
        Path root = dataDir().resolve("tls/csms-root.pem");
        for (String kind : List.of("server-ec", "server-rsa")) {
            Openssl.Result r = Openssl.run(work, "openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                    "-CAfile", root.toString(), dataDir().resolve("tls/" + kind + ".pem").toString());
            assertThat(r.exit()).as(r.output()).isZero();
        }
        Openssl.Result rsa = Openssl.run(work, "openssl", "x509", "-noout", "-text", "-in", dataDir().resolve("tls/server-rsa.pem").toString());
        assertThat(rsa.output()).contains("rsaEncryption", "Public-Key: (2048 bit)", "DNS:localhost", "IP Address:127.0.0.1");
    }

    @Test
    void A02_stationCertificateIsIssuedAndOpensslVerifiesItAsAClientCertificate() throws Exception {
        assumeTrue(Openssl.available(), "openssl not found");
        String id = station();
        KeyPair keys = Csrs.ec("secp256r1");
        String csr = Csrs.pem(Csrs.csrAskingForCa("CN=SN" + id + ",O=" + ORG, keys));
        Api.Reply r = sign(id, csr, "ChargingStationCertificate", null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        String chainPem = r.json().get("certificateChain").asString();
        List<X509Certificate> chain = PemCertificates.read(chainPem);
        assertThat(chain).hasSize(2); // leaf first, then the station CA; never the root
        X509Certificate leaf = chain.get(0);
        assertThat(leaf.getSubjectX500Principal().getName()).isEqualTo("CN=SN" + id + ",O=" + ORG);
        assertThat(leaf.getPublicKey()).isEqualTo(keys.getPublic());

        Path root = Openssl.write(work, "root.pem", api().get("/api/v1/ca/chain", admin()).body());
        Path sub = Openssl.write(work, "sub.pem", io.ocppsec.pki.ca.Pem.certificate(chain.get(1)));
        Path leafFile = Openssl.write(work, "leaf.pem", io.ocppsec.pki.ca.Pem.certificate(leaf));
        Openssl.Result v = Openssl.run(work, "openssl", "verify", "-x509_strict", "-purpose", "sslclient",
                "-CAfile", root.toString(), "-untrusted", sub.toString(), leafFile.toString());
        assertThat(v.exit()).as(v.output()).isZero();

        // The CA decided every extension; the CSR asked for cA:true and did not get it.
        X509CertificateHolder h = new X509CertificateHolder(leaf.getEncoded());
        assertThat(h.getExtension(Extension.basicConstraints).isCritical()).isTrue();
        assertThat(BasicConstraints.getInstance(h.getExtension(Extension.basicConstraints).getParsedValue()).isCA()).isFalse();
        assertThat(h.getExtension(Extension.keyUsage).isCritical()).isTrue();
        KeyUsage ku = KeyUsage.getInstance(h.getExtension(Extension.keyUsage).getParsedValue());
        assertThat(ku.hasUsages(KeyUsage.digitalSignature | KeyUsage.keyAgreement)).isTrue();
        assertThat(ku.hasUsages(KeyUsage.keyCertSign)).isFalse();
        assertThat(h.getExtension(Extension.extendedKeyUsage)).as("no EKU by default (A00.FR.514)").isNull();
        assertThat(h.getExtension(Extension.subjectKeyIdentifier)).isNotNull();
        assertThat(h.getExtension(Extension.authorityKeyIdentifier)).isNotNull();
        assertThat(h.getExtension(Extension.cRLDistributionPoints)).isNotNull();
        assertThat(h.getExtension(Extension.authorityInfoAccess)).isNotNull();
        assertThat(h.getExtension(Extension.subjectAlternativeName)).as("A00.FR.511: no SAN on station certificates").isNull();
        assertThat(leaf.getSerialNumber().bitLength()).isGreaterThanOrEqualTo(64);
        assertThat(leaf.getSigAlgName()).isEqualTo("SHA256withECDSA");
        // notBefore is back-dated (stations refuse a future notBefore), notAfter within the CA's.
        assertThat(leaf.getNotBefore().toInstant()).isBefore(java.time.Instant.now().minusSeconds(600));
        assertThat(leaf.getNotAfter()).isBeforeOrEqualTo(chain.get(1).getNotAfter());

        Openssl.Result text = Openssl.run(work, "openssl", "x509", "-noout", "-text", "-in", leafFile.toString());
        assertThat(text.output()).contains("CA:FALSE", "Digital Signature, Key Agreement", "OCSP - URI:", "/crl/");
        assertThat(text.output()).doesNotContain("Extended Key Usage");
    }

    @Test
    void A02_rsaStationKeyGetsKeyEnciphermentForTheTlsRsaSuites() throws Exception {
        String id = station();
        Api.Reply r = sign(id, Csrs.pem(Csrs.csr("CN=SN" + id + ",O=" + ORG, Csrs.rsa(2048, 65537), "SHA256withRSA")), null, null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        X509CertificateHolder h = new X509CertificateHolder(PemCertificates.read(r.json().get("certificateChain").asString()).get(0).getEncoded());
        KeyUsage ku = KeyUsage.getInstance(h.getExtension(Extension.keyUsage).getParsedValue());
        assertThat(ku.hasUsages(KeyUsage.digitalSignature | KeyUsage.keyEncipherment)).isTrue();
    }

    @Test
    void A02_FR_17_theSameCsrTwiceReturnsTheSameCertificate() {
        String id = station();
        String csr = Csrs.p256("CN=SN" + id + ",O=" + ORG);
        Api.Reply first = sign(id, csr, null, 41L);
        Api.Reply again = sign(id, csr, null, 41L);
        assertThat(first.status()).isEqualTo(201);
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json().get("replay").booleanValue()).isTrue();
        assertThat(again.json().get("serialNumber").asString()).isEqualTo(first.json().get("serialNumber").asString());
        assertThat(api().get("/api/v1/certificates?station=" + id, admin()).json().size()).isEqualTo(1);
    }

    @Test
    void A02_FR_25_requestIdReusedWithAnotherCsrIsRefusedNotAnsweredTwice() {
        String id = station();
        assertThat(sign(id, Csrs.p256("CN=SN" + id + ",O=" + ORG), null, 7L).status()).isEqualTo(201);
        Api.Reply second = sign(id, Csrs.p256("CN=SN" + id + ",O=" + ORG), null, 7L);
        assertThat(second.status()).isEqualTo(409);
        assertThat(second.code()).isEqualTo("REQUEST_ID_REUSED");
        assertThat(second.json().get("type").asString()).isEqualTo("urn:ocppsec:problem:request-id-reused");
    }

    @Test
    void A00_FR_405_subjectMustCarryTheSerialNumberAndTheOrganizationElseNothingIsIssued() {
        String id = station();
        long before = certificateCount();
        Api.Reply wrongCn = sign(id, Csrs.p256("CN=" + id + ",O=" + ORG), null, null);
        assertThat(wrongCn.status()).isEqualTo(422);
        assertThat(wrongCn.code()).isEqualTo("SUBJECT_CN_MISMATCH");
        Api.Reply wrongO = sign(id, Csrs.p256("CN=SN" + id + ",O=Somebody Else"), null, null);
        assertThat(wrongO.code()).isEqualTo("SUBJECT_O_MISMATCH");
        Api.Reply twoCn = sign(id, Csrs.p256("CN=SN" + id + ",CN=other,O=" + ORG), null, null);
        assertThat(twoCn.code()).isEqualTo("SUBJECT_CN_AMBIGUOUS");
        assertThat(certificateCount()).isEqualTo(before);
    }

    @Test
    void badInputGetsAClearFourHundredAndNothingIsWritten() {
        String id = station();
        long before = certificateCount();
        int stationsBefore = api().get("/api/v1/stations?limit=1000", admin()).json().size();
        assertThat(sign("NO-SUCH-STATION", Csrs.p256("CN=x,O=" + ORG), null, null).code()).isEqualTo("STATION_UNKNOWN");
        assertThat(sign(id, "garbage", null, null).code()).isEqualTo("CSR_MALFORMED");
        assertThat(sign(id, Csrs.p256("CN=SN" + id + ",O=" + ORG), "V2GCertificate", null).code()).isEqualTo("CERTIFICATE_TYPE_NOT_ALLOWED");
        assertThat(sign(id, Csrs.p256("CN=SN" + id + ",O=" + ORG), "Bogus", null).code()).isEqualTo("CERTIFICATE_TYPE_UNKNOWN");
        assertThat(sign(id, Csrs.pem(Csrs.csr("CN=SN" + id + ",O=" + ORG, Csrs.rsa(1024, 65537), "SHA256withRSA")), null, null).code())
                .isEqualTo("KEY_TOO_SMALL");
        KeyPair a = Csrs.ec("secp256r1");
        KeyPair b = Csrs.ec("secp256r1");
        assertThat(sign(id, Csrs.pem(Csrs.csr("CN=SN" + id + ",O=" + ORG, new KeyPair(a.getPublic(), b.getPrivate()), "SHA256withECDSA")),
                null, null).code()).as("a CSR signed by another key than its own (no proof of possession)").isEqualTo("CSR_SIGNATURE_INVALID");
        // 413 from Content-Length, the 10 MB left unread: the client sees that answer or, still sending, the close
        java.util.Optional<Api.Reply> big = api().postOversized("/api/v1/certificates/sign",
                "{\"station\":\"" + id + "\",\"csr\":\"" + "A".repeat(10_500_000) + "\"}", admin());
        big.ifPresent(r -> assertThat(r.status()).as(r.body()).isEqualTo(413));
        assertThat(api().post("/api/v1/stations", "{\"identity\":\"bad:id\",\"serialNumber\":\"x\"}", admin()).code()).isEqualTo("BAD_IDENTITY");
        assertThat(api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"x\"}", admin()).code()).isEqualTo("STATION_EXISTS");
        assertThat(api().post("/api/v1/stations", "{\"identity\":\"" + id.toLowerCase() + "\",\"serialNumber\":\"x\"}", admin()).code())
                .as("identities are case-insensitive").isEqualTo("STATION_EXISTS");
        assertThat(api().post("/api/v1/stations", "{\"identity\":\"CP\\u0000\\u202e1\",\"serialNumber\":\"x\"}", admin()).code())
                .isEqualTo("BAD_IDENTITY");
        assertThat(certificateCount()).isEqualTo(before);
        assertThat(api().get("/api/v1/stations?limit=1000", admin()).json().size()).isEqualTo(stationsBefore);
    }

    @Test
    void V2G_seccCertificateFollowsTheIso15118Profile() throws Exception {
        String id = station("ChargingStationCertificate", "V2GCertificate");
        String secc = api().get("/api/v1/stations/" + id, admin()).json().get("seccIds").get(0).asString();
        Api.Reply r = sign(id, Csrs.pem(Csrs.csr("C=DE,O=" + ORG + ",CN=" + secc, Csrs.ec("secp256r1"), "SHA256withECDSA")),
                "V2GCertificate", null);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        X509Certificate leaf = PemCertificates.read(r.json().get("certificateChain").asString()).get(0);
        assertThat(leaf.getSubjectX500Principal().getName()).contains("DC=CPO", "CN=" + secc, "O=" + ORG, "C=DE");
        X509CertificateHolder h = new X509CertificateHolder(leaf.getEncoded());
        assertThat(h.getExtension(Extension.keyUsage).isCritical()).isTrue();
        assertThat(KeyUsage.getInstance(h.getExtension(Extension.keyUsage).getParsedValue())
                .hasUsages(KeyUsage.digitalSignature | KeyUsage.keyAgreement)).isTrue();
        assertThat(leaf.getEncoded().length).as("[V2G2-010] at most 800 bytes of DER").isLessThanOrEqualTo(800);
        assertThat(sign(id, Csrs.p256("CN=not-a-secc-id,O=" + ORG), "V2GCertificate", null).code()).isEqualTo("SUBJECT_CN_MISMATCH");
    }

    @Test
    void inventoryIsSearchableAndExportable() {
        String id = station();
        String serial = sign(id, Csrs.p256("CN=SN" + id + ",O=" + ORG), null, null).json().get("serialNumber").asString();
        JsonNode found = api().get("/api/v1/certificates?station=" + id.toLowerCase(), admin()).json().get(0);
        assertThat(found.get("serialNumber").asString()).isEqualTo(serial);
        assertThat(found.get("station").asString()).as("the identity as registered, not its lookup key").isEqualTo(id);
        JsonNode one = api().get("/api/v1/certificates/" + serial.toUpperCase(), admin()).json();
        assertThat(one.get("certificate").asString()).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(one.get("csrSha256").asString()).hasSize(64);
        assertThat(one.get("requester").asString()).startsWith("token:");
        assertThat(api().get("/api/v1/certificates?station=" + id + "&expiringWithinDays=400", admin()).json().size()).isEqualTo(1);
        assertThat(api().get("/api/v1/certificates?station=" + id + "&expiringWithinDays=30", admin()).json().size()).isZero();
        Api.Reply csv = api().get("/api/v1/certificates/export?format=csv&station=" + id, admin());
        assertThat(csv.body().lines().toList()).hasSize(2).first().asString().startsWith("serial,station");
        assertThat(csv.body().lines().toList().get(1)).startsWith(serial + "," + id + ",");
        Api.Reply json = api().get("/api/v1/certificates/export?format=json&station=" + id, admin());
        assertThat(json.json().get(0).get("serialNumber").asString()).isEqualTo(serial);
    }

    @Test
    void rolesLimitWhatATokenMayDo() {
        String csms = token("csms");
        String operator = token("operator");
        assertThat(api().post("/api/v1/stations", "{\"identity\":\"ROLE-1\",\"serialNumber\":\"S\"}", csms).status()).isEqualTo(403);
        assertThat(api().post("/api/v1/stations", "{\"identity\":\"ROLE-1\",\"serialNumber\":\"S\"}", operator).status()).isEqualTo(201);
        assertThat(api().get("/api/v1/stations/ROLE-1", csms).status()).isEqualTo(200);
        assertThat(api().get("/api/v1/audit/verify", operator).status()).isEqualTo(403);
        assertThat(api().post("/api/v1/tokens", "{\"name\":\"x\",\"role\":\"admin\"}", operator).status()).isEqualTo(403);
        assertThat(api().get("/api/v1/stations", null).status()).isEqualTo(401);
    }

    @Test
    void A01_FR_03_and_04_passwordRotationKeepsTheOldPasswordUntilTheStationAccepts() {
        String id = "PW-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100000;
        JsonNode created = api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"S\",\"securityProfile\":2}", admin()).json();
        String original = created.get("password").asString();
        assertThat(original).hasSize(32);

        JsonNode rotation = api().post("/api/v1/stations/" + id + "/password/rotate", "{}", admin()).json();
        String next = rotation.get("password").asString();
        assertThat(rotation.get("setVariablesRequest").toString()).contains("BasicAuthPassword", "SecurityCtrlr", next);
        assertThat(verify(id, original)).as("old password still valid while pending").isTrue();
        // A01.FR.04: the station answered Rejected: the new password is dropped, the old one stays.
        api().post("/api/v1/stations/" + id + "/password/confirm", "{\"status\":\"Rejected\"}", admin());
        assertThat(verify(id, next)).isFalse();
        assertThat(verify(id, original)).isTrue();
        // A01.FR.03: Accepted: the new password works, the old one no longer.
        String third = api().post("/api/v1/stations/" + id + "/password/rotate", "{}", admin()).json().get("password").asString();
        api().post("/api/v1/stations/" + id + "/password/confirm", "{\"status\":\"Accepted\"}", admin());
        assertThat(verify(id, third)).isTrue();
        assertThat(verify(id, original)).isFalse();
    }

    private boolean verify(String id, String password) {
        return api().post("/api/v1/stations/" + id + "/credentials/verify", Api.object().put("password", password), admin())
                .json().get("valid").booleanValue();
    }

    @Test
    void auditChainIsIntactAndRecordsRefusalsWithTheirReason() {
        String id = station();
        sign(id, Csrs.p256("CN=wrong,O=" + ORG), null, null);
        JsonNode verification = api().get("/api/v1/audit/verify", admin()).json();
        assertThat(verification.get("intact").booleanValue()).as(verification.toString()).isTrue();
        assertThat(verification.get("records").asLong()).isPositive();
        JsonNode latest = api().get("/api/v1/audit?limit=200", admin()).json();
        assertThat(latest.valueStream().anyMatch(r -> "REFUSED".equals(r.get("outcome").asString())
                && "SUBJECT_CN_MISMATCH".equals(r.get("reason").asString()))).isTrue();
    }

    @Test
    void openApiDocumentIsServed() {
        Api.Reply doc = api().get("/v3/api-docs", null);
        assertThat(doc.status()).isEqualTo(200);
        assertThat(doc.json().get("paths").has("/api/v1/certificates/sign")).isTrue();
    }

    @SuppressWarnings("unused")
    private static byte[] octets(byte[] ext) {
        return ASN1OctetString.getInstance(ext).getOctets();
    }
}
