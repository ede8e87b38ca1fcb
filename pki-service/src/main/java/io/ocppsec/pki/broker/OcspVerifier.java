package io.ocppsec.pki.broker;

import java.io.IOException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.BasicOCSPResp;
import org.bouncycastle.cert.ocsp.OCSPException;
import org.bouncycastle.cert.ocsp.OCSPResp;
import org.bouncycastle.cert.ocsp.RespID;
import org.bouncycastle.cert.ocsp.RevokedStatus;
import org.bouncycastle.cert.ocsp.SingleResp;
import org.bouncycastle.cert.ocsp.UnknownStatus;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.asn1.oiw.OIWObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;

/**
 * Checks an OCSP response before the broker hands it on or caches it (RFC 6960 §3.2): the response
 * is {@code successful} and a BasicOCSPResponse; it is signed by the certificate's issuer itself or
 * by a delegated responder certificate the issuer signed, valid now, with id-kp-OCSPSigning; it
 * carries a SingleResponse for exactly our CertID; thisUpdate is not in the future and nextUpdate
 * has not passed (both within the clock skew); and it echoes our nonce when we sent one.
 *
 * <p>The issuer's public key comes from a certificate we know (our own CAs, the configured
 * external issuers) or from a certificate in the response whose name and key hash to the
 * request's issuer hashes (the station computed those from the real issuer, so such a
 * certificate carries the issuer's key).
 */
public final class OcspVerifier {

    /** The revocation state a verified response gives. */
    public enum CertState { GOOD, REVOKED, UNKNOWN }

    /** A verified response. {@code nextUpdate} is null when the responder gave none. */
    public record Verified(byte[] der, CertState state, Instant thisUpdate, Instant nextUpdate) {
    }

    private static final String[] RESPONSE_STATUS = {"successful", "malformedRequest", "internalError", "tryLater",
            "(4)", "sigRequired", "unauthorized"};

    private final Duration skew;

    public OcspVerifier(Duration skew) {
        this.skew = skew;
    }

    public Verified verify(byte[] der, CertId id, List<X509Certificate> knownIssuers, byte[] nonce, boolean requireNonce,
                           Instant now) throws BrokerFailure {
        OCSPResp resp;
        try {
            resp = new OCSPResp(der);
        } catch (IOException | RuntimeException e) {
            throw new BrokerFailure("BadOcspResponse", "the answer is not a DER OCSPResponse");
        }
        if (resp.getStatus() != OCSPResp.SUCCESSFUL) {
            int s = resp.getStatus();
            throw new BrokerFailure("ResponderError", "the responder answered "
                    + (s >= 0 && s < RESPONSE_STATUS.length ? RESPONSE_STATUS[s] : "status " + s));
        }
        BasicOCSPResp basic;
        try {
            Object o = resp.getResponseObject();
            if (!(o instanceof BasicOCSPResp b)) {
                throw new BrokerFailure("BadOcspResponse", "the response is not a BasicOCSPResponse");
            }
            basic = b;
        } catch (OCSPException | RuntimeException e) {
            throw new BrokerFailure("BadOcspResponse", "the BasicOCSPResponse cannot be read");
        }
        X509Certificate issuer = issuer(id, knownIssuers, basic.getCerts());
        checkSignature(basic, issuer, now);
        SingleResp single = null;
        for (SingleResp r : basic.getResponses()) {
            if (id.matches(r.getCertID())) {
                single = r;
                break;
            }
        }
        if (single == null) {
            throw new BrokerFailure("CertIdMismatch", "the response has no status for the requested certificate");
        }
        Instant thisUpdate = single.getThisUpdate().toInstant();
        Instant nextUpdate = single.getNextUpdate() == null ? null : single.getNextUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(skew))) {
            throw new BrokerFailure("NotYetValid", "thisUpdate " + thisUpdate + " is in the future");
        }
        if (nextUpdate != null && !nextUpdate.isAfter(now.minus(skew))) {
            throw new BrokerFailure("Stale", "nextUpdate " + nextUpdate + " has passed");
        }
        if (nextUpdate != null && nextUpdate.isBefore(thisUpdate)) {
            throw new BrokerFailure("BadOcspResponse", "nextUpdate is before thisUpdate");
        }
        Extension n = basic.getExtension(OCSPObjectIdentifiers.id_pkix_ocsp_nonce);
        if (nonce != null) {
            if (n == null) {
                if (requireNonce) {
                    throw new BrokerFailure("NonceMissing", "the response does not echo our nonce");
                }
            } else if (!Arrays.equals(n.getExtnValue().getOctets(), wrapped(nonce))
                    && !Arrays.equals(n.getExtnValue().getOctets(), nonce)) {
                throw new BrokerFailure("NonceMismatch", "the response's nonce is not ours (replayed?)");
            }
        }
        Object status = single.getCertStatus();
        CertState state = status == null ? CertState.GOOD
                : status instanceof RevokedStatus ? CertState.REVOKED
                : status instanceof UnknownStatus ? CertState.UNKNOWN : null;
        if (state == null) {
            throw new BrokerFailure("BadOcspResponse", "unknown certificate status");
        }
        return new Verified(der, state, thisUpdate, nextUpdate);
    }

    /** The issuer's certificate: known, or included in the response, with the CertID's name and key hashes. */
    static X509Certificate issuer(CertId id, List<X509Certificate> known, X509CertificateHolder[] included)
            throws BrokerFailure {
        for (X509Certificate c : known) {
            if (id.issuedBy(c)) {
                return c;
            }
        }
        for (X509CertificateHolder h : included == null ? new X509CertificateHolder[0] : included) {
            X509Certificate c = toX509(h);
            if (c != null && id.issuedBy(c)) {
                return c;
            }
        }
        throw new BrokerFailure("IssuerUnknown", "the issuer's certificate is neither known nor in the response");
    }

    private static void checkSignature(BasicOCSPResp basic, X509Certificate issuer, Instant now) throws BrokerFailure {
        RespID rid = basic.getResponderId();
        X509CertificateHolder issuerHolder;
        try {
            issuerHolder = new JcaX509CertificateHolder(issuer);
        } catch (CertificateException e) {
            throw new BrokerFailure("IssuerUnknown", "the issuer certificate cannot be read");
        }
        // 1. signed by the issuer itself
        if (names(rid, issuerHolder)) {
            if (!signatureValid(basic, verifier(issuer))) {
                throw new BrokerFailure("BadSignature", "the response signature does not verify with the issuer's key");
            }
            return;
        }
        // 2. signed by a delegated responder: included, issued by the issuer, id-kp-OCSPSigning, valid now
        List<X509CertificateHolder> candidates = new ArrayList<>();
        for (X509CertificateHolder h : basic.getCerts()) {
            if (names(rid, h)) {
                candidates.add(h);
            }
        }
        if (candidates.isEmpty()) {
            throw new BrokerFailure("SignerUnknown", "the response is signed by neither the issuer nor an included delegated responder");
        }
        String why = "no delegated responder certificate qualifies";
        for (X509CertificateHolder h : candidates) {
            if (!h.getIssuer().equals(issuerHolder.getSubject())) {
                why = "the delegated responder certificate was not issued by the certificate's issuer";
                continue;
            }
            try {
                if (!h.isSignatureValid(verifier(issuer))) {
                    why = "the delegated responder certificate was not signed by the issuer's key";
                    continue;
                }
            } catch (org.bouncycastle.cert.CertException | RuntimeException e) {
                why = "the delegated responder certificate's signature cannot be checked";
                continue;
            }
            ExtendedKeyUsage eku = ExtendedKeyUsage.fromExtensions(h.getExtensions());
            if (eku == null || !eku.hasKeyPurposeId(KeyPurposeId.id_kp_OCSPSigning)) {
                why = "the delegated responder certificate lacks id-kp-OCSPSigning";
                continue;
            }
            if (!h.isValidOn(java.util.Date.from(now))) {
                why = "the delegated responder certificate is not valid now";
                continue;
            }
            X509Certificate signer = toX509(h);
            if (signer == null) {
                continue;
            }
            if (!signatureValid(basic, verifier(signer))) {
                throw new BrokerFailure("BadSignature", "the response signature does not verify with the delegated responder's key");
            }
            return;
        }
        throw new BrokerFailure("SignerRefused", why);
    }

    private static boolean names(RespID rid, X509CertificateHolder cert) {
        if (rid.equals(new RespID(cert.getSubject()))) {
            return true;
        }
        try {
            // byKey: SHA-1 over the key bits (RFC 6960 §4.2.1). BC insists on its own SHA-1 identifier
            // (with NULL parameters) and throws on any other, so that one it is.
            DigestCalculator sha1 = new JcaDigestCalculatorProviderBuilder().build()
                    .get(org.bouncycastle.cert.ocsp.CertificateID.HASH_SHA1);
            return rid.equals(new RespID(cert.getSubjectPublicKeyInfo(), sha1));
        } catch (OperatorCreationException | OCSPException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean signatureValid(BasicOCSPResp basic, ContentVerifierProvider v) throws BrokerFailure {
        try {
            return basic.isSignatureValid(v);
        } catch (OCSPException | RuntimeException e) {
            return false;
        }
    }

    private static ContentVerifierProvider verifier(X509Certificate cert) throws BrokerFailure {
        try {
            return new JcaContentVerifierProviderBuilder().build(cert.getPublicKey());
        } catch (OperatorCreationException e) {
            throw new BrokerFailure("BadSignature", "no verifier for the signer's key");
        }
    }

    private static X509Certificate toX509(X509CertificateHolder h) {
        try {
            return new JcaX509CertificateConverter().getCertificate(h);
        } catch (CertificateException e) {
            return null;
        }
    }

    private static byte[] wrapped(byte[] nonce) {
        try {
            return new DEROctetString(nonce).getEncoded(org.bouncycastle.asn1.ASN1Encoding.DER);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static X500Name name(X509Certificate c) {
        return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    }
}
