package io.ocppsec.pki.broker;

import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPRespBuilder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.cert.ocsp.CertificateStatus;
import org.bouncycastle.cert.ocsp.OCSPReq;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.OCSPRespBuilder;
import org.bouncycastle.cert.ocsp.Req;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentSigner;

/**
 * A real OCSP responder built with Bouncy Castle, in the test tree: parses the DER request, answers
 * for the CertIDs of its issuer (any SHA-2 hash algorithm the request used) from its revocation
 * map, signs with the issuer key or a delegated signer, echoes the nonce. Knobs for the tests:
 * validity window, a signer that is not the one the responder ID names, no nonce.
 */
final class BcOcspResponder implements LocalOcspResponder {
    private final X509Certificate issuer;
    private final X509Certificate signer; // the issuer itself or a delegated responder
    private final java.util.function.Supplier<ContentSigner> signing;
    private final Map<BigInteger, Instant> revoked = new ConcurrentHashMap<>();
    private final Map<BigInteger, Boolean> issued = new ConcurrentHashMap<>();
    volatile Duration thisUpdateOffset = Duration.ofMinutes(-1);
    volatile Duration nextUpdateOffset = Duration.ofHours(1);
    volatile boolean echoNonce = true;
    volatile TestPki.Cert signWith; // null: signer; else sign with this key while naming signer
    volatile int asked;
    volatile boolean anyIssuer;
    volatile boolean allIssued;

    BcOcspResponder(TestPki.Cert issuer, TestPki.Cert signer) {
        this(issuer.certificate(), signer.certificate(), () -> TestPki.signer(signer.keys()));
    }

    /** A responder whose key is elsewhere (e.g. in pki-service's key custody): {@code signing} signs as {@code signer}. */
    BcOcspResponder(X509Certificate issuer, X509Certificate signer, java.util.function.Supplier<ContentSigner> signing) {
        this.issuer = issuer;
        this.signer = signer;
        this.signing = signing;
    }

    void issuedAll() {
        allIssued = true;
    }

    void issued(BigInteger serial) {
        issued.put(serial, true);
    }

    void revoke(BigInteger serial) {
        revoked.put(serial, Instant.now().minusSeconds(60));
    }

    @Override
    public Optional<byte[]> respond(byte[] der) {
        asked++;
        try {
            OCSPReq req = new OCSPReq(der);
            Req[] list = req.getRequestList();
            if (list.length != 1) {
                return Optional.of(new OCSPRespBuilder().build(OCSPRespBuilder.MALFORMED_REQUEST, null).getEncoded());
            }
            CertificateID id = list[0].getCertID();
            io.ocppsec.ocpp.message.type.HashAlgorithm alg = null;
            for (var a : io.ocppsec.ocpp.message.type.HashAlgorithm.values()) {
                if (CertId.of(a, issuer, BigInteger.ONE).algorithmIdentifier().getAlgorithm()
                        .equals(id.getHashAlgOID())) {
                    alg = a;
                }
            }
            if (!anyIssuer && (alg == null || !CertId.of(alg, issuer, id.getSerialNumber()).matches(id))) {
                return Optional.empty();
            }
            X509CertificateHolder signerHolder = new JcaX509CertificateHolder(signer);
            BasicOCSPRespBuilder b = new BasicOCSPRespBuilder(new RespID(signerHolder.getSubject()));
            Instant now = Instant.now();
            BigInteger serial = id.getSerialNumber();
            CertificateStatus status = revoked.containsKey(serial)
                    ? new RevokedStatus(Date.from(revoked.get(serial)), CRLReason.keyCompromise)
                    : issued.containsKey(serial) || allIssued ? CertificateStatus.GOOD : new UnknownStatus();
            b.addResponse(id, status, Date.from(now.plus(thisUpdateOffset)), Date.from(now.plus(nextUpdateOffset)), null);
            Extension nonce = req.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
            if (nonce != null && echoNonce) {
                b.setResponseExtensions(new Extensions(nonce));
            }
            ContentSigner cs = signWith == null ? signing.get() : TestPki.signer(signWith.keys());
            X509CertificateHolder[] chain = signer.equals(issuer) ? new X509CertificateHolder[0]
                    : new X509CertificateHolder[] {signerHolder};
            return Optional.of(new OCSPRespBuilder().build(OCSPRespBuilder.SUCCESSFUL, b.build(cs, chain, new Date())).getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Answers whatever CertID is asked, as a responder that lies about its issuer would. */
    byte[] respondForAnyIssuer(byte[] der) {
        anyIssuer = true;
        return respond(der).orElseThrow();
    }

    X509Certificate issuerCertificate() {
        return issuer;
    }

    static OCSPResp parse(byte[] der) throws java.io.IOException {
        return new OCSPResp(der);
    }
}
