package io.ocppsec.pki.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.GetCertificateStatusResponse;
import io.ocppsec.ocpp.message.type.GetCertificateStatusEnum;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import java.math.BigInteger;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every answer is verified before it is handed on or cached: tampered, wrongly signed, stale,
 * replayed, oversized, mislabelled or redirected answers are refused with a reason (M06.FR.04:
 * status Failed + statusInfo), and our own issuers are answered in process without any fetch.
 * The responder is {@link BcOcspResponder} behind {@link TinyHttpServer} on 127.0.0.1.
 */
class ResponseVerificationTest {
    TestPki.Cert ca = TestPki.ca("Verification CA");
    TestPki.Cert leaf = TestPki.leaf(ca, "leaf");
    BcOcspResponder responder = new BcOcspResponder(ca, ca);
    TinyHttpServer server;
    String url;

    @BeforeEach
    void start() throws Exception {
        responder.issued(leaf.certificate().getSerialNumber());
        server = new TinyHttpServer(body -> TinyHttpServer.Reply.ok("application/ocsp-response", responder.respond(body).orElseThrow()));
        url = "http://ocsp.test:" + server.port() + "/ocsp";
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    OcspBroker broker() {
        return Brokers.broker(List.of("ocsp.test:" + server.port()), List.of("127.0.0.1/32"), List.of(), null, List.of(ca.certificate()));
    }

    GetCertificateStatusResponse ask() {
        return broker().certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(), leaf.certificate(), url),
                OcppVersion.OCPP_2_0_1);
    }

    static void assertFailed(GetCertificateStatusResponse r, String reason) {
        assertThat(r.status()).isEqualTo(GetCertificateStatusEnum.Failed);
        assertThat(r.ocspResult()).isNull();
        assertThat(r.statusInfo().reasonCode()).as(r.statusInfo().additionalInfo()).isEqualTo(reason);
    }

    @Test
    void aGenuineAnswerSignedByTheIssuerIsAccepted() {
        GetCertificateStatusResponse r = ask();
        assertThat(r.status()).as(String.valueOf(r.statusInfo())).isEqualTo(GetCertificateStatusEnum.Accepted);
    }

    /** Served bytes altered after signing: a byte of the serial number inside the signed data. */
    @Test
    void aTamperedAnswerIsRefused() {
        byte[] serial = leaf.certificate().getSerialNumber().toByteArray();
        server.handler(body -> {
            byte[] der = responder.respond(body).orElseThrow();
            int at = indexOf(der, serial);
            der[at + serial.length - 1] ^= 0x01;
            return TinyHttpServer.Reply.ok("application/ocsp-response", der);
        });
        assertFailed(ask(), "BadSignature");
    }

    @Test
    void aTamperedSignatureIsRefused() {
        server.handler(body -> {
            byte[] der = responder.respond(body).orElseThrow();
            der[der.length - 3] ^= 0x40; // inside the ECDSA signature (no certs follow it)
            return TinyHttpServer.Reply.ok("application/ocsp-response", der);
        });
        GetCertificateStatusResponse r = ask();
        assertThat(r.status()).isEqualTo(GetCertificateStatusEnum.Failed);
        assertThat(r.statusInfo().reasonCode()).isIn("BadSignature", "BadOcspResponse");
    }

    @Test
    void anAnswerSignedWithAnotherKeyIsRefused() {
        responder.signWith = TestPki.ca("Rogue CA");
        assertFailed(ask(), "BadSignature");
    }

    @Test
    void anAnswerFromAnotherCasResponderIsRefused() {
        TestPki.Cert rogue = TestPki.ca("Rogue CA");
        BcOcspResponder other = new BcOcspResponder(rogue, rogue);
        // the rogue answers for our CertID (it pretends), naming and signing as itself
        server.handler(body -> TinyHttpServer.Reply.ok("application/ocsp-response", signedBy(other, body)));
        assertFailed(ask(), "SignerUnknown");
    }

    @Test
    void aDelegatedSignerIssuedByAnotherCaIsRefused() {
        TestPki.Cert rogue = TestPki.ca("Verification CA"); // same name, other key
        BcOcspResponder r = new BcOcspResponder(ca, TestPki.ocspSigner(rogue, true));
        r.issued(leaf.certificate().getSerialNumber());
        server.handler(body -> TinyHttpServer.Reply.ok("application/ocsp-response", r.respond(body).orElseThrow()));
        assertFailed(ask(), "SignerRefused");
    }

    @Test
    void aDelegatedSignerWithoutOcspSigningIsRefusedAndOneWithItAccepted() {
        BcOcspResponder noEku = new BcOcspResponder(ca, TestPki.ocspSigner(ca, false));
        noEku.issued(leaf.certificate().getSerialNumber());
        server.handler(body -> TinyHttpServer.Reply.ok("application/ocsp-response", noEku.respond(body).orElseThrow()));
        assertFailed(ask(), "SignerRefused");
        BcOcspResponder delegated = new BcOcspResponder(ca, TestPki.ocspSigner(ca, true));
        delegated.issued(leaf.certificate().getSerialNumber());
        server.handler(body -> TinyHttpServer.Reply.ok("application/ocsp-response", delegated.respond(body).orElseThrow()));
        assertThat(ask().status()).isEqualTo(GetCertificateStatusEnum.Accepted);
    }

    @Test
    void aStaleAnswerIsRefused() {
        responder.thisUpdateOffset = Duration.ofHours(-3);
        responder.nextUpdateOffset = Duration.ofHours(-1);
        assertFailed(ask(), "Stale");
    }

    @Test
    void anAnswerFromTheFutureIsRefused() {
        responder.thisUpdateOffset = Duration.ofHours(1);
        responder.nextUpdateOffset = Duration.ofHours(2);
        assertFailed(ask(), "NotYetValid");
    }

    @Test
    void aReplayedAnswerWithAnotherNonceIsRefused() {
        AtomicReference<byte[]> recorded = new AtomicReference<>();
        server.handler(body -> {
            recorded.compareAndSet(null, responder.respond(body).orElseThrow());
            return TinyHttpServer.Reply.ok("application/ocsp-response", recorded.get());
        });
        assertThat(ask().status()).isEqualTo(GetCertificateStatusEnum.Accepted);
        assertFailed(ask(), "NonceMismatch"); // a new broker, a new nonce, the old answer
    }

    @Test
    void anAnswerForAnotherCertificateIsRefused() {
        TestPki.Cert other = TestPki.leaf(ca, "other");
        responder.issued(other.certificate().getSerialNumber());
        server.handler(body -> {
            try {
                byte[] req = OcspBroker.request(CertId.of(HashAlgorithm.SHA256, ca.certificate(),
                        other.certificate().getSerialNumber()), null);
                return TinyHttpServer.Reply.ok("application/ocsp-response", responder.respond(req).orElseThrow());
            } catch (BrokerFailure f) {
                throw new IllegalStateException(f);
            }
        });
        assertFailed(ask(), "CertIdMismatch");
    }

    @Test
    void responderErrorsNonDerAndWrongContentTypeAreRefused() throws Exception {
        byte[] tryLater = new OCSPRespBuilder().build(OCSPRespBuilder.TRY_LATER, null).getEncoded();
        server.handler(body -> TinyHttpServer.Reply.ok("application/ocsp-response", tryLater));
        assertFailed(ask(), "ResponderError");
        server.handler(body -> TinyHttpServer.Reply.ok("application/ocsp-response", "<html>hello</html>".getBytes()));
        assertFailed(ask(), "BadOcspResponse");
        server.handler(body -> TinyHttpServer.Reply.ok("text/html", responder.respond(body).orElseThrow()));
        assertFailed(ask(), "WrongContentType");
        server.handler(body -> new TinyHttpServer.Reply(500, "application/ocsp-response", new byte[0], true, null));
        assertFailed(ask(), "HttpStatus");
    }

    @Test
    void anOversizedAnswerIsRefusedWithOrWithoutContentLength() {
        byte[] big = new byte[70 * 1024];
        server.handler(body -> TinyHttpServer.Reply.ok("application/ocsp-response", big));
        assertFailed(ask(), "TooLarge");
        server.handler(body -> new TinyHttpServer.Reply(200, "application/ocsp-response", big, false, null));
        assertFailed(ask(), "TooLarge");
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        try (TinyHttpServer target = new TinyHttpServer(body -> TinyHttpServer.Reply.ok("application/ocsp-response",
                responder.respond(body).orElseThrow()))) {
            server.handler(body -> new TinyHttpServer.Reply(302, null, new byte[0], true,
                    "Location: http://ocsp.test:" + target.port() + "/"));
            OcspBroker b = Brokers.broker(List.of("ocsp.test:" + server.port(), "ocsp.test:" + target.port()),
                    List.of("127.0.0.1/32"), List.of(), null, List.of(ca.certificate()));
            assertFailed(b.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(), leaf.certificate(), url),
                    OcppVersion.OCPP_2_1), "Redirected");
            assertThat(target.connections()).isZero();
        }
    }

    @Test
    void anIssuerWhoseCertificateIsNowhereIsRefused() {
        OcspBroker b = Brokers.broker(List.of("ocsp.test:" + server.port()), List.of("127.0.0.1/32"), List.of(), null, List.of());
        assertFailed(b.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(), leaf.certificate(), url),
                OcppVersion.OCPP_2_0_1), "IssuerUnknown");
    }

    /** Own issuers: our responder in process, never the network, even when the URL is allowed. */
    @Test
    void ownIssuersAreAnsweredInProcessWithoutAFetch() {
        OcspBroker b = Brokers.broker(List.of("ocsp.test:" + server.port()), List.of("127.0.0.1/32"),
                List.of(ca.certificate()), responder, List.of());
        GetCertificateStatusResponse r = b.certificateStatus(Brokers.request(HashAlgorithm.SHA384, ca.certificate(),
                leaf.certificate(), url), OcppVersion.OCPP_2_0_1);
        assertThat(r.status()).as(String.valueOf(r.statusInfo())).isEqualTo(GetCertificateStatusEnum.Accepted);
        assertThat(server.connections()).isZero();
        assertThat(responder.asked).isEqualTo(1);

        OcspBroker none = Brokers.broker(List.of("ocsp.test:" + server.port()), List.of("127.0.0.1/32"),
                List.of(ca.certificate()), null, List.of());
        assertFailed(none.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(), leaf.certificate(), url),
                OcppVersion.OCPP_2_0_1), "NoLocalResponder");
        assertThat(server.connections()).isZero();
    }

    /** A revocation of our own certificate shows at once once the revocation service calls forget(). */
    @Test
    void forgetDropsTheCachedAnswerOfARevokedCertificate() throws Exception {
        OcspBroker b = Brokers.broker(List.of(), List.of(), List.of(ca.certificate()), responder, List.of());
        var req = Brokers.request(HashAlgorithm.SHA512, ca.certificate(), leaf.certificate(), url);
        String good = b.certificateStatus(req, OcppVersion.OCPP_2_1).ocspResult();
        responder.revoke(leaf.certificate().getSerialNumber());
        assertThat(b.certificateStatus(req, OcppVersion.OCPP_2_1).ocspResult()).isEqualTo(good);
        b.forget(ca.certificate(), leaf.certificate().getSerialNumber());
        String now = b.certificateStatus(req, OcppVersion.OCPP_2_1).ocspResult();
        var single = ((org.bouncycastle.cert.ocsp.BasicOCSPResp) new org.bouncycastle.cert.ocsp.OCSPResp(
                java.util.Base64.getDecoder().decode(now)).getResponseObject()).getResponses()[0];
        assertThat(single.getCertStatus()).isInstanceOf(org.bouncycastle.cert.ocsp.RevokedStatus.class);
        assertThat(responder.asked).isEqualTo(2);
    }

    @Test
    void ownResponderAnswersAreVerifiedToo() {
        responder.signWith = TestPki.ca("Rogue CA");
        OcspBroker b = Brokers.broker(List.of(), List.of(), List.of(ca.certificate()), responder, List.of());
        assertFailed(b.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(), leaf.certificate(), url),
                OcppVersion.OCPP_2_0_1), "BadSignature");
    }

    @Test
    void malformedHashesAreRefusedBeforeAnything() {
        var bad = new io.ocppsec.ocpp.message.type.OcspRequestData(HashAlgorithm.SHA256, "abcd", "zz", "1", url);
        assertFailed(broker().certificateStatus(bad, OcppVersion.OCPP_2_0_1), "InvalidCertId");
        assertThat(server.connections()).isZero();
    }

    private static byte[] signedBy(BcOcspResponder other, byte[] request) {
        return other.respondForAnyIssuer(request);
    }

    static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i <= hay.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("not found: " + Arrays.toString(needle) + " " + new BigInteger(1, needle));
    }
}
