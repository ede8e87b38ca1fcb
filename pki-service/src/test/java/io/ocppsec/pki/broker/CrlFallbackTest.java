package io.ocppsec.pki.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.message.GetCertificateChainStatusRequest;
import io.ocppsec.ocpp.message.type.CertificateStatus;
import io.ocppsec.ocpp.message.type.CertificateStatusEnum;
import io.ocppsec.ocpp.message.type.CertificateStatusRequestInfo;
import io.ocppsec.ocpp.message.type.CertificateStatusSource;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.cert.X509v2CRLBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * M07 with source CRL (M07.FR.04–07): the CRL is downloaded through the same guard and caps,
 * verified (issuer's signature, freshness) and the serial looked up; a CRL that fails any check,
 * or cannot be had, gives Failed.
 */
class CrlFallbackTest {
    TestPki.Cert ca = TestPki.ca("CRL CA");
    TestPki.Cert good = TestPki.leaf(ca, "good");
    TestPki.Cert revoked = TestPki.leaf(ca, "revoked");
    TinyHttpServer server;
    String url;
    volatile byte[] crl;

    @BeforeEach
    void start() throws Exception {
        crl = crl(ca, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(6)));
        server = new TinyHttpServer(body -> TinyHttpServer.Reply.ok("application/pkix-crl", crl));
        url = "http://crl.test:" + server.port() + "/crl/station-ca.crl";
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    byte[] crl(TestPki.Cert issuer, Instant thisUpdate, Instant nextUpdate) throws Exception {
        X509v2CRLBuilder b = new X509v2CRLBuilder(TestPki.name(issuer), Date.from(thisUpdate));
        b.setNextUpdate(Date.from(nextUpdate));
        b.addCRLEntry(revoked.certificate().getSerialNumber(), Date.from(Instant.now().minusSeconds(3600)), CRLReason.keyCompromise);
        return b.build(TestPki.signer(issuer.keys())).getEncoded();
    }

    List<CertificateStatus> ask(List<java.security.cert.X509Certificate> known) {
        OcspBroker b = Brokers.broker(List.of("crl.test:" + server.port()), List.of("127.0.0.1/32"), List.of(), null, known);
        return b.chainStatus(new GetCertificateChainStatusRequest(List.of(
                new CertificateStatusRequestInfo(Brokers.hashData(HashAlgorithm.SHA256, ca.certificate(), good.certificate()),
                        CertificateStatusSource.CRL, List.of(url)),
                new CertificateStatusRequestInfo(Brokers.hashData(HashAlgorithm.SHA256, ca.certificate(), revoked.certificate()),
                        CertificateStatusSource.CRL, List.of(url))))).certificateStatus();
    }

    @Test
    void aVerifiedCrlGivesGoodOrRevokedUntilItsNextUpdate_M07_FR_04_06_07() {
        List<CertificateStatus> out = ask(List.of(ca.certificate()));
        assertThat(out).extracting(CertificateStatus::status).containsExactly(CertificateStatusEnum.Good, CertificateStatusEnum.Revoked);
        assertThat(out).allSatisfy(s -> {
            assertThat(s.source()).isEqualTo(CertificateStatusSource.CRL);
            assertThat(s.nextUpdate()).isAfter(OffsetDateTime.now().plusHours(5));
        });
    }

    @Test
    void aCrlThatFailsAnyCheckGivesFailed_M07_FR_05() throws Exception {
        TestPki.Cert rogue = TestPki.ca("CRL CA"); // same name, other key
        crl = crl(rogue, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(6)));
        assertThat(ask(List.of(ca.certificate()))).extracting(CertificateStatus::status).containsOnly(CertificateStatusEnum.Failed);

        crl = crl(ca, Instant.now().minus(Duration.ofDays(2)), Instant.now().minus(Duration.ofDays(1)));
        assertThat(ask(List.of(ca.certificate()))).extracting(CertificateStatus::status).containsOnly(CertificateStatusEnum.Failed);

        byte[] tampered = crl(ca, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(6)));
        byte[] serial = revoked.certificate().getSerialNumber().toByteArray();
        tampered[ResponseVerificationTest.indexOf(tampered, serial) + 2] ^= 0x01; // "unrevoke" it
        crl = tampered;
        assertThat(ask(List.of(ca.certificate()))).extracting(CertificateStatus::status).containsOnly(CertificateStatusEnum.Failed);

        crl = crl(ca, Instant.now().minusSeconds(60), Instant.now().plus(Duration.ofHours(6)));
        assertThat(ask(List.of())).as("issuer not known").extracting(CertificateStatus::status)
                .containsOnly(CertificateStatusEnum.Failed);
        server.handler(body -> TinyHttpServer.Reply.ok("application/pkix-crl", new byte[2 * 1024 * 1024]));
        assertThat(ask(List.of(ca.certificate()))).as("oversized").extracting(CertificateStatus::status)
                .containsOnly(CertificateStatusEnum.Failed);
    }

    @Test
    void crlUrlsGoThroughTheSameGuard() {
        OcspBroker b = Brokers.broker(List.of("crl.test:" + server.port()), List.of(), List.of(), null, List.of(ca.certificate()));
        var out = b.chainStatus(new GetCertificateChainStatusRequest(List.of(new CertificateStatusRequestInfo(
                Brokers.hashData(HashAlgorithm.SHA256, ca.certificate(), good.certificate()), CertificateStatusSource.CRL,
                List.of(url, "file:///etc/passwd", "http://169.254.169.254/crl"))))).certificateStatus();
        assertThat(out.get(0).status()).isEqualTo(CertificateStatusEnum.Failed);
        assertThat(server.connections()).isZero();
    }
}
