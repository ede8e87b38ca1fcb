package io.ocppsec.pki.revocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.pki.ca.Csrs;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.flow.Api;
import io.ocppsec.pki.flow.Openssl;
import io.ocppsec.security.cert.PemCertificates;
import java.math.BigInteger;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509CRL;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReqBuilder;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Revocation, CRLs and the OCSP responder over real HTTP, run against each database by a
 * subclass, with the openssl CLI as the independent peer (RFC 5280 §5 CRLs, RFC 6960 OCSP,
 * RFC 8954 nonces; issue 5 scope items 1 and 2).
 */
abstract class RevocationContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final String ORG = "ocppsec development CPO";

    @TempDir
    Path work;

    @Autowired
    DataSource dataSource;

    @Autowired
    OcspResponder responder;

    abstract Api api();

    abstract int port();

    abstract Path dataDir();

    Path root;
    Path sub;
    String stationCaId;

    @BeforeEach
    void caFiles() {
        root = Openssl.write(work, "root.pem", api().get("/api/v1/ca/chain", admin()).body());
        JsonNode ca = api().get("/api/v1/ca", admin()).json();
        stationCaId = ca.get("certificates").valueStream().filter(c -> c.get("role").asString().equals("STATION_CA")
                && c.get("status").asString().equals("ACTIVE")).findFirst().orElseThrow().get("id").asString();
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

    String station() {
        int n = SEQ.incrementAndGet();
        String id = "RV-" + System.nanoTime() % 1_000_000 + "-" + n;
        Api.Reply r = api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"SN" + id
                + "\",\"securityProfile\":3}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return id;
    }

    /** A certificate issued to a station: its leaf and issuer files and its serial (hex). */
    record Issued(String serial, X509Certificate leaf, Path leafFile, Path issuerFile) {
    }

    Issued issue(String station) {
        Api.Reply r = api().post("/api/v1/certificates/sign", Api.object().put("station", station)
                .put("csr", Csrs.p256("CN=SN" + station + ",O=" + ORG)), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        List<X509Certificate> chain = PemCertificates.read(r.json().get("certificateChain").asString());
        String serial = r.json().get("serialNumber").asString();
        sub = Openssl.write(work, "sub.pem", Pem.certificate(chain.get(1)));
        return new Issued(serial, chain.get(0), Openssl.write(work, serial + ".pem", Pem.certificate(chain.get(0))), sub);
    }

    Api.Reply revoke(String serial, String reason, String token) {
        return api().post("/api/v1/certificates/" + serial + "/revoke",
                reason == null ? "{}" : "{\"reason\":\"" + reason + "\"}", token);
    }

    /** openssl ocsp against our responder, verifying the delegated signer up to the root. */
    Openssl.Result ocsp(Issued c, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("openssl", "ocsp", "-issuer", c.issuerFile().toString(),
                "-cert", c.leafFile().toString(), "-url", "http://127.0.0.1:" + port() + "/ocsp",
                "-CAfile", root.toString(), "-verify_other", c.issuerFile().toString()));
        args.addAll(List.of(extra));
        return Openssl.run(work, args.toArray(String[]::new));
    }

    // --- OCSP with openssl -------------------------------------------------------------------

    @Test
    void rfc6960_goodRevokedWithReasonAndBackThroughTheCacheWithOpenssl() {
        assumeTrue(Openssl.available(), "openssl not found: OCSP peer test skipped");
        Issued c = issue(station());
        Openssl.Result good = ocsp(c, "-no_nonce", "-respout", "first.der");
        assertThat(good.output()).contains("Response verify OK", c.leafFile() + ": good", "Next Update:");
        // Without a nonce the answer is the pre-signed one: the same bytes again, no new signature.
        Openssl.Result again = ocsp(c, "-no_nonce", "-respout", "second.der");
        assertThat(again.output()).contains(": good");
        assertThat(bytes("second.der")).isEqualTo(bytes("first.der"));

        Api.Reply r = revoke(c.serial(), "keyCompromise", token("OPERATOR"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("revokedNow").booleanValue()).isTrue();
        // The pre-signed "good" is replaced at once (issue 5: revoked stops working everywhere).
        Openssl.Result revoked = ocsp(c, "-no_nonce");
        assertThat(revoked.output()).as(revoked.output())
                .contains("Response verify OK", c.leafFile() + ": revoked", "Reason: keyCompromise", "Revocation Time:");
        assertThat(revoked.exit()).isZero();
    }

    @Test
    void rfc8954_nonceIsEchoedAndSuchAnswersAreSignedFreshly() {
        assumeTrue(Openssl.available(), "openssl not found: OCSP nonce test skipped");
        Issued c = issue(station());
        Openssl.Result a = ocsp(c, "-resp_text", "-respout", "a.der");
        Openssl.Result b = ocsp(c, "-respout", "b.der");
        // openssl sends a nonce by default and fails ("nonce verify error") or warns when it is not echoed.
        assertThat(a.exit()).as(a.output()).isZero();
        assertThat(a.output()).contains("Response verify OK", ": good", "OCSP Nonce:")
                .doesNotContain("WARNING: no nonce in response");
        assertThat(b.output()).doesNotContain("WARNING: no nonce in response");
        assertThat(bytes("a.der")).isNotEqualTo(bytes("b.der"));
        // The delegated signer (id-kp-OCSPSigning, ocsp-nocheck) is in the response (RFC 6960 §4.2.2.2).
        assertThat(a.output()).contains("OCSP Signer", "OCSP No Check");
    }

    @Test
    void rfc6960_aSerialTheCaNeverIssuedIsUnknown() {
        assumeTrue(Openssl.available(), "openssl not found: OCSP unknown test skipped");
        Issued c = issue(station());
        Openssl.Result r = Openssl.run(work, "openssl", "ocsp", "-issuer", c.issuerFile().toString(), "-serial", "0x1234567",
                "-url", "http://127.0.0.1:" + port() + "/ocsp", "-CAfile", root.toString(), "-verify_other", c.issuerFile().toString());
        assertThat(r.output()).as(r.output()).contains("Response verify OK", "0x1234567: unknown");
    }

    @Test
    void rfc6960_2_3_anIssuerWeDoNotRunIsUnauthorized() {
        assumeTrue(Openssl.available(), "openssl not found: OCSP unauthorized test skipped");
        Openssl.Result ca = Openssl.run(work, "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                "-nodes", "-keyout", "other.key", "-out", "other.pem", "-subj", "/CN=Some other CA", "-days", "2");
        assertThat(ca.exit()).as(ca.output()).isZero();
        Openssl.Result r = Openssl.run(work, "openssl", "ocsp", "-issuer", "other.pem", "-serial", "0x10",
                "-url", "http://127.0.0.1:" + port() + "/ocsp", "-CAfile", root.toString());
        assertThat(r.output()).as(r.output()).contains("Responder Error: unauthorized (6)");
    }

    // --- OCSP bad input and GET, with Bouncy Castle on the client side ---------------------------

    @Test
    void rfc6960_2_3_notDerIsMalformedAndOversizedIsRefusedUnread() throws Exception {
        HttpResponse<byte[]> garbage = post("this is not DER".getBytes(StandardCharsets.US_ASCII));
        assertThat(garbage.statusCode()).isEqualTo(200);
        assertThat(garbage.headers().firstValue("Content-Type")).hasValue("application/ocsp-response");
        assertThat(new OCSPResp(garbage.body()).getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);

        HttpResponse<byte[]> truncated = post(java.util.Arrays.copyOf(request(issue(station()), false, null), 20));
        assertThat(new OCSPResp(truncated.body()).getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);

        HttpResponse<byte[]> big = post(new byte[OcspResponder.MAX_REQUEST + 1]);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(new OCSPResp(big.body()).getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);

        HttpResponse<byte[]> badGet = get("not*base64!");
        assertThat(new OCSPResp(badGet.body()).getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);

        // A nonce longer than RFC 8954's 32 octets.
        HttpResponse<byte[]> longNonce = post(request(issue(station()), true, new byte[33]));
        assertThat(new OCSPResp(longNonce.body()).getStatus()).isEqualTo(OCSPRespBuilder.MALFORMED_REQUEST);
    }

    @Test
    void rfc6960_appendixA_getWithUrlEncodedBase64AndSha256CertId() throws Exception {
        Issued c = issue(station());
        // Find a request whose base64 holds '/' or '+' so the URL encoding matters (nonce varies it).
        byte[] req = null;
        String b64 = null;
        for (int i = 0; i < 200 && (b64 == null || !(b64.contains("/") || b64.contains("+"))); i++) {
            req = request(c, true, BigInteger.valueOf(i + 1).toByteArray());
            b64 = Base64.getEncoder().encodeToString(req);
        }
        HttpResponse<byte[]> encoded = get(URLEncoder.encode(b64, StandardCharsets.US_ASCII));
        assertThat(encoded.statusCode()).isEqualTo(200);
        BasicOCSPResp basic = verified(encoded.body());
        assertThat(basic.getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        assertThat(basic.getResponses()[0].getCertID().getHashAlgOID())
                .isEqualTo(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256);
        HttpResponse<byte[]> raw = get(b64.replace("+", "%2B"));
        assertThat(verified(raw.body()).getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        // The nonce is echoed (RFC 8954).
        assertThat(basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce)).isNotNull();
    }

    @Test
    void preSignedResponsesAreServedAsIsAndReSignedBeforeTheyGoStale() throws Exception {
        Issued c = issue(station());
        byte[] req = request(c, false, null);
        byte[] first = post(req).body();
        assertThat(post(req).body()).isEqualTo(first);
        BasicOCSPResp before = verified(first);
        assertThat(before.getResponses()[0].getNextUpdate()).isAfter(before.getResponses()[0].getThisUpdate());
        Thread.sleep(1100); // a new second, so the re-signed thisUpdate differs
        // The background refresh re-signs every response that would go stale within the horizon.
        assertThat(responder.refreshDue(java.time.Duration.ofDays(30))).isPositive();
        byte[] refreshed = post(req).body();
        assertThat(refreshed).isNotEqualTo(first);
        BasicOCSPResp after = verified(refreshed);
        assertThat(after.getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        assertThat(after.getResponses()[0].getThisUpdate()).isAfter(before.getResponses()[0].getThisUpdate());
    }

    @Test
    void revocationByAnotherInstanceShowsWithinThePollInterval() throws Exception {
        Issued c = issue(station());
        byte[] req = request(c, false, null);
        assertThat(verified(post(req).body()).getResponses()[0].getCertStatus()).isEqualTo(CertificateStatus.GOOD);
        // Another pki-service instance on the same database revokes: straight in the database,
        // without this instance's listeners; the revision poll (1 s in tests) must pick it up.
        try (Connection conn = dataSource.getConnection()) {
            conn.setAutoCommit(false);
            assertThat(RevocationStore.revoke(conn, c.serial(), Instant.now().truncatedTo(ChronoUnit.SECONDS),
                    RevocationReason.superseded)).isTrue();
            conn.commit();
        }
        Instant deadline = Instant.now().plusSeconds(30);
        Object status = null;
        while (Instant.now().isBefore(deadline)) {
            status = verified(post(req).body()).getResponses()[0].getCertStatus();
            if (status instanceof RevokedStatus) {
                break;
            }
            Thread.sleep(200);
        }
        assertThat(status).isInstanceOf(RevokedStatus.class);
        assertThat(((RevokedStatus) status).getRevocationReason()).isEqualTo(RevocationReason.superseded.code());
        X509CRL crl = crl(stationCaId);
        assertThat(crl.getRevokedCertificate(new BigInteger(c.serial(), 16))).isNotNull();
    }

    // --- CRLs ------------------------------------------------------------------------------------

    @Test
    void rfc5280_crlIsSignedByTheCaNumberedMonotonicallyAndOpensslRefusesTheRevokedCertificate() throws Exception {
        assumeTrue(Openssl.available(), "openssl not found: CRL peer test skipped");
        Issued good = issue(station());
        Issued bad = issue(station());
        X509CRL before = crl(stationCaId);
        assertThat(revoke(bad.serial(), "cessationOfOperation", token("OPERATOR")).status()).isEqualTo(200);
        X509CRL after = crl(stationCaId);
        assertThat(number(after)).isGreaterThan(number(before));
        assertThat(after.getRevokedCertificate(new BigInteger(bad.serial(), 16))).isNotNull();
        assertThat(after.getRevokedCertificate(new BigInteger(good.serial(), 16))).isNull();
        assertThat(after.getNextUpdate()).isAfter(after.getThisUpdate());
        assertThat(after.getExtensionValue(Extension.authorityKeyIdentifier.getId())).isNotNull();

        Path der = work.resolve("ca.crl");
        Files.write(der, after.getEncoded());
        Openssl.Result check = Openssl.run(work, "openssl", "crl", "-inform", "DER", "-in", der.toString(),
                "-CAfile", sub.toString(), "-noout", "-text");
        assertThat(check.output()).as(check.output()).contains("verify OK", "Cessation Of Operation", "X509v3 CRL Number");
        Path pem = work.resolve("ca-crl.pem");
        assertThat(Openssl.run(work, "openssl", "crl", "-inform", "DER", "-in", der.toString(), "-out", pem.toString()).exit()).isZero();
        Openssl.Result refused = Openssl.run(work, "openssl", "verify", "-crl_check", "-CAfile", root.toString(),
                "-untrusted", sub.toString(), "-CRLfile", pem.toString(), bad.leafFile().toString());
        assertThat(refused.exit()).as(refused.output()).isNotZero();
        assertThat(refused.output()).contains("certificate revoked");
        Openssl.Result accepted = Openssl.run(work, "openssl", "verify", "-crl_check", "-CAfile", root.toString(),
                "-untrusted", sub.toString(), "-CRLfile", pem.toString(), good.leafFile().toString());
        assertThat(accepted.exit()).as(accepted.output()).isZero();
    }

    @Test
    void crlIsServedUnauthenticatedAtTheUrlInTheCertificatesAndUnknownIssuersAre404() throws Exception {
        Issued c = issue(station());
        String dp = new String(c.leaf().getExtensionValue(Extension.cRLDistributionPoints.getId()), StandardCharsets.ISO_8859_1);
        assertThat(dp).contains("/crl/" + stationCaId + ".crl");
        HttpResponse<byte[]> r = http().send(HttpRequest.newBuilder(URI.create(base() + "/crl/" + stationCaId + ".crl")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/pkix-crl");
        HttpResponse<String> missing = http().send(HttpRequest.newBuilder(URI.create(base() + "/crl/no-such-ca.crl")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.body()).contains("\"code\":\"CRL_UNKNOWN\"");
        HttpResponse<String> traversal = http().send(HttpRequest.newBuilder(URI.create(base() + "/crl/..%2F..%2Fetc.crl")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(traversal.statusCode()).isIn(400, 404);
    }

    // --- The API ---------------------------------------------------------------------------------

    @Test
    void revokingTwiceIsIdempotentAndKeepsTheFirstTimeAndReason() {
        Issued c = issue(station());
        String operator = token("OPERATOR");
        Api.Reply first = revoke(c.serial(), "superseded", operator);
        Api.Reply second = revoke(c.serial(), "keyCompromise", operator);
        assertThat(second.status()).isEqualTo(200);
        assertThat(second.json().get("revokedNow").booleanValue()).isFalse();
        assertThat(second.json().get("revocationReason").asString()).isEqualTo("superseded");
        assertThat(second.json().get("revokedAt").asString()).isEqualTo(first.json().get("revokedAt").asString());
        JsonNode shown = api().get("/api/v1/certificates/" + c.serial(), admin()).json();
        assertThat(shown.get("status").asString()).isEqualTo("REVOKED");
        assertThat(shown.get("revocationReason").asString()).isEqualTo("superseded");
        JsonNode audit = api().get("/api/v1/audit?limit=200", admin()).json();
        assertThat(audit.valueStream().filter(a -> a.get("action").asString().equals("certificate.revoke")
                && c.serial().equals(a.get("subject").asString()))).hasSize(1);
    }

    @Test
    void badInputChangesNothing() {
        Issued c = issue(station());
        Api.Reply hold = revoke(c.serial(), "certificateHold", token("OPERATOR"));
        assertThat(hold.status()).isEqualTo(400);
        assertThat(hold.code()).isEqualTo("BAD_REASON");
        Api.Reply nonsense = revoke(c.serial(), "because", token("OPERATOR"));
        assertThat(nonsense.code()).isEqualTo("BAD_REASON");
        Api.Reply csms = revoke(c.serial(), "keyCompromise", token("CSMS"));
        assertThat(csms.status()).isEqualTo(403);
        Api.Reply anonymous = revoke(c.serial(), "keyCompromise", null);
        assertThat(anonymous.status()).isEqualTo(401);
        Api.Reply unknown = revoke("abcdef0123", null, token("OPERATOR"));
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("CERTIFICATE_UNKNOWN");
        Api.Reply badSerial = revoke("xyz", null, token("OPERATOR"));
        assertThat(badSerial.code()).isEqualTo("BAD_SERIAL");
        Api.Reply noStation = api().post("/api/v1/stations/NO-SUCH-STATION-9/revoke-certificates", "{}", token("OPERATOR"));
        assertThat(noStation.status()).isEqualTo(404);
        assertThat(noStation.code()).isEqualTo("STATION_UNKNOWN");
        assertThat(api().get("/api/v1/certificates/" + c.serial(), admin()).json().get("status").asString()).isEqualTo("VALID");
    }

    @Test
    void revokingAStationRevokesAllItsValidCertificatesWithOneAuditRecordEach() throws Exception {
        String station = station();
        Issued a = issue(station);
        Issued b = issue(station);
        Issued other = issue(station());
        Api.Reply r = api().post("/api/v1/stations/" + station + "/revoke-certificates", "{\"reason\":\"affiliationChanged\"}",
                token("OPERATOR"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.json().get("revoked").asInt()).isEqualTo(2);
        for (Issued c : List.of(a, b)) {
            BasicOCSPResp basic = verified(post(request(c, false, null)).body());
            assertThat(basic.getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
            assertThat(((RevokedStatus) basic.getResponses()[0].getCertStatus()).getRevocationReason())
                    .isEqualTo(RevocationReason.affiliationChanged.code());
        }
        assertThat(verified(post(request(other, false, null)).body()).getResponses()[0].getCertStatus())
                .isEqualTo(CertificateStatus.GOOD);
        Api.Reply again = api().post("/api/v1/stations/" + station + "/revoke-certificates", "{}", token("OPERATOR"));
        assertThat(again.json().get("revoked").asInt()).isZero();
        JsonNode audit = api().get("/api/v1/audit?limit=200", admin()).json();
        assertThat(audit.valueStream().filter(x -> x.get("action").asString().equals("certificate.revoke")
                && (a.serial().equals(x.get("subject").asString()) || b.serial().equals(x.get("subject").asString())))).hasSize(2);
    }

    // --- helpers ---------------------------------------------------------------------------------

    String base() {
        return "http://127.0.0.1:" + port();
    }

    static HttpClient http() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    HttpResponse<byte[]> post(byte[] body) throws Exception {
        return http().send(HttpRequest.newBuilder(URI.create(base() + "/ocsp")).header("Content-Type", "application/ocsp-request")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> get(String encoded) throws Exception {
        return http().send(HttpRequest.newBuilder(URI.create(base() + "/ocsp/" + encoded)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    /** A DER OCSP request for a certificate, with a SHA-256 CertID (SHA-1 is what openssl sends). */
    static byte[] request(Issued c, boolean sha256, byte[] nonce) throws Exception {
        DigestCalculator digest = new JcaDigestCalculatorProviderBuilder().build()
                .get(sha256 ? new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.nist.NISTObjectIdentifiers.id_sha256)
                        : CertificateID.HASH_SHA1);
        X509CertificateHolder issuer = new X509CertificateHolder(PemCertificates.read(Files.readString(c.issuerFile())).get(0).getEncoded());
        OCSPReqBuilder b = new OCSPReqBuilder().addRequest(new CertificateID(digest, issuer, c.leaf().getSerialNumber()));
        if (nonce != null) {
            b.setRequestExtensions(new Extensions(new Extension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce, false,
                    new DEROctetString(new DEROctetString(nonce)).getOctets())));
        }
        return b.build().getEncoded();
    }

    /** A successful response whose signature verifies with the certificate it carries. */
    static BasicOCSPResp verified(byte[] der) throws Exception {
        OCSPResp resp = new OCSPResp(der);
        assertThat(resp.getStatus()).isEqualTo(OCSPRespBuilder.SUCCESSFUL);
        BasicOCSPResp basic = (BasicOCSPResp) resp.getResponseObject();
        X509CertificateHolder signer = basic.getCerts()[0];
        assertThat(basic.isSignatureValid(new JcaContentVerifierProviderBuilder().build(signer))).isTrue();
        return basic;
    }

    X509CRL crl(String issuerId) throws Exception {
        HttpResponse<byte[]> r = http().send(HttpRequest.newBuilder(URI.create(base() + "/crl/" + issuerId + ".crl")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertThat(r.statusCode()).isEqualTo(200);
        return (X509CRL) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCRL(new java.io.ByteArrayInputStream(r.body()));
    }

    static BigInteger number(X509CRL crl) {
        byte[] ext = crl.getExtensionValue(Extension.cRLNumber.getId());
        return CRLNumber.getInstance(org.bouncycastle.asn1.ASN1OctetString.getInstance(ext).getOctets()).getCRLNumber();
    }

    byte[] bytes(String name) {
        try {
            return Files.readAllBytes(work.resolve(name));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
