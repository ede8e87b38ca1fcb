package io.ocppsec.pki.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.GetCertificateChainStatusRequest;
import io.ocppsec.ocpp.message.GetCertificateStatusResponse;
import io.ocppsec.ocpp.message.type.CertificateStatus;
import io.ocppsec.ocpp.message.type.CertificateStatusEnum;
import io.ocppsec.ocpp.message.type.CertificateStatusRequestInfo;
import io.ocppsec.ocpp.message.type.CertificateStatusSource;
import io.ocppsec.ocpp.message.type.GetCertificateStatusEnum;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.pki.flow.Openssl;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker against {@code openssl ocsp} as an independent external responder (delegated signer,
 * nonces echoed): good, revoked, unknown, each SHA-2 CertID, the cache, and M07 over OCSP.
 * The answers the broker hands on are checked again by {@code openssl ocsp -respin}.
 */
class OpensslResponderTest {
    @TempDir
    static Path dir;
    static TestPki.Cert ca;
    static TestPki.Cert signer;
    static TestPki.Cert good;
    static TestPki.Cert revoked;
    static TestPki.Cert unknown;
    static OpensslOcspResponder openssl;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(OpensslOcspResponder.available(), "openssl not found on PATH: openssl ocsp responder tests skipped");
        ca = TestPki.ca("External test CA");
        signer = TestPki.ocspSigner(ca, true);
        good = TestPki.leaf(ca, "good");
        revoked = TestPki.leaf(ca, "revoked");
        unknown = TestPki.leaf(ca, "not in the index");
        openssl = OpensslOcspResponder.start(dir, ca, signer, List.of(OpensslOcspResponder.indexLine(good.certificate(), false),
                OpensslOcspResponder.indexLine(revoked.certificate(), true)), 60);
        url = "http://ocsp.test:" + openssl.port() + "/";
    }

    @AfterAll
    static void stop() {
        if (openssl != null) {
            openssl.close();
        }
    }

    static OcspBroker broker() {
        return Brokers.broker(List.of("ocsp.test:" + openssl.port()), List.of("127.0.0.1/32"), List.of(), null,
                List.of(ca.certificate()));
    }

    static BasicOCSPResp basic(GetCertificateStatusResponse r) throws Exception {
        assertThat(r.status()).as(String.valueOf(r.statusInfo())).isEqualTo(GetCertificateStatusEnum.Accepted);
        return (BasicOCSPResp) new OCSPResp(Base64.getDecoder().decode(r.ocspResult())).getResponseObject();
    }

    /** M06.FR.02/08/09: Accepted with the DER OCSPResponse, base64; openssl verifies what we hand on. */
    @Test
    void goodRevokedAndUnknownAreAcceptedWithTheResponderAnswer_M06_FR_02_08_09() throws Exception {
        OcspBroker b = broker();
        GetCertificateStatusResponse g = b.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(),
                good.certificate(), url), OcppVersion.OCPP_2_0_1);
        assertThat(basic(g).getResponses()[0].getCertStatus()).isNull(); // GOOD
        GetCertificateStatusResponse r = b.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(),
                revoked.certificate(), url), OcppVersion.OCPP_2_0_1);
        assertThat(basic(r).getResponses()[0].getCertStatus()).isInstanceOf(RevokedStatus.class);
        GetCertificateStatusResponse u = b.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(),
                unknown.certificate(), url), OcppVersion.OCPP_2_1);
        assertThat(basic(u).getResponses()[0].getCertStatus()).isInstanceOf(UnknownStatus.class);

        Files.write(dir.resolve("good.der"), Base64.getDecoder().decode(g.ocspResult()));
        TestPki.write(dir, "good.pem", good.certificate());
        Openssl.Result check = Openssl.run(dir, "openssl", "ocsp", "-respin", "good.der", "-issuer", "ca.pem",
                "-sha256", "-cert", "good.pem", "-CAfile", "ca.pem", "-no_nonce");
        assertThat(check.output()).contains("good.pem: good").contains("Response verify OK");
    }

    @Test
    void everyShaTwoCertIdIsAskedWithItsOwnAlgorithm() throws Exception {
        OcspBroker b = broker();
        for (HashAlgorithm alg : HashAlgorithm.values()) {
            GetCertificateStatusResponse r = b.certificateStatus(Brokers.request(alg, ca.certificate(), revoked.certificate(), url),
                    OcppVersion.OCPP_2_1);
            BasicOCSPResp basic = basic(r);
            assertThat(CertId.of(alg, ca.certificate(), revoked.certificate().getSerialNumber())
                    .matches(basic.getResponses()[0].getCertID())).as(alg.name()).isTrue();
        }
    }

    /** A second request inside nextUpdate is answered from the cache: the same bytes (a fetch would carry a new nonce). */
    @Test
    void aVerifiedAnswerIsCachedUntilNextUpdate() throws Exception {
        OcspBroker b = broker();
        var req = Brokers.request(HashAlgorithm.SHA256, ca.certificate(), good.certificate(), url);
        String first = b.certificateStatus(req, OcppVersion.OCPP_2_0_1).ocspResult();
        String second = b.certificateStatus(req, OcppVersion.OCPP_2_0_1).ocspResult();
        assertThat(second).isEqualTo(first);
        OcspBroker fresh = broker();
        assertThat(fresh.certificateStatus(req, OcppVersion.OCPP_2_0_1).ocspResult()).isNotEqualTo(first);
        var entry = b.cache().get(CertId.of(req.certificateHashData()), System.currentTimeMillis());
        assertThat(entry.nextUpdate()).isBetween(java.time.Instant.now().plus(Duration.ofMinutes(55)),
                java.time.Instant.now().plus(Duration.ofMinutes(61)));
    }

    /** M07.FR.01/03/08: source OCSP, one status per certificate with nextUpdate. */
    @Test
    void chainStatusOverOcspGivesOneStatusPerCertificate_M07_FR_01_03_08() {
        OcspBroker b = broker();
        var req = new GetCertificateChainStatusRequest(List.of(
                new CertificateStatusRequestInfo(Brokers.hashData(HashAlgorithm.SHA256, ca.certificate(), good.certificate()),
                        CertificateStatusSource.OCSP, List.of(url)),
                new CertificateStatusRequestInfo(Brokers.hashData(HashAlgorithm.SHA384, ca.certificate(), revoked.certificate()),
                        CertificateStatusSource.OCSP, List.of("http://127.0.0.1:22/", url)),
                new CertificateStatusRequestInfo(Brokers.hashData(HashAlgorithm.SHA512, ca.certificate(), unknown.certificate()),
                        CertificateStatusSource.OCSP, List.of(url))));
        List<CertificateStatus> out = b.chainStatus(req).certificateStatus();
        assertThat(out).extracting(CertificateStatus::status)
                .containsExactly(CertificateStatusEnum.Good, CertificateStatusEnum.Revoked, CertificateStatusEnum.Unknown);
        assertThat(out).allSatisfy(s -> {
            assertThat(s.source()).isEqualTo(CertificateStatusSource.OCSP);
            assertThat(s.nextUpdate()).isAfter(OffsetDateTime.now().plusMinutes(50));
        });
        assertThat(out.get(1).certificateHashData()).isEqualTo(req.certificateStatusRequests().get(1).certificateHashData());
    }

    /** M07.FR.02: no URL gives an answer: Failed. */
    @Test
    void chainStatusFailsWhenNoUrlAnswers_M07_FR_02() {
        OcspBroker b = broker();
        var req = new GetCertificateChainStatusRequest(List.of(new CertificateStatusRequestInfo(
                Brokers.hashData(HashAlgorithm.SHA256, ca.certificate(), good.certificate()), CertificateStatusSource.OCSP,
                List.of("http://127.0.0.1:22/", "file:///etc/passwd"))));
        assertThat(b.chainStatus(req).certificateStatus().get(0).status()).isEqualTo(CertificateStatusEnum.Failed);
    }
}
