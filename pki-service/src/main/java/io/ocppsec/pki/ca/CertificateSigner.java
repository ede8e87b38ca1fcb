package io.ocppsec.pki.ca;

import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.math.BigInteger;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;

/** Builds an X.509 v3 certificate and has the custody backend sign it. */
public final class CertificateSigner {
    private final KeyCustody custody;

    public CertificateSigner(KeyCustody custody) {
        this.custody = custody;
    }

    /** Signs a certificate with a CA's key. */
    public X509CertificateHolder sign(X500Name issuerName, KeyHandle issuerKey, SigningAlgorithm algorithm,
                                      BigInteger serial, Instant notBefore, Instant notAfter,
                                      X500Name subject, SubjectPublicKeyInfo subjectKey, List<Extension> extensions) {
        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, serial,
                Date.from(notBefore), Date.from(notAfter), subject, subjectKey);
        try {
            for (Extension e : extensions) {
                b.addExtension(e);
            }
        } catch (CertIOException e) {
            throw new IllegalStateException("extension cannot be encoded", e);
        }
        return b.build(CustodyContentSigner.of(custody, issuerKey, algorithm));
    }

    /** A (single-use) Bouncy Castle signer for an {@link Issuer}'s key in the custody backend. */
    public org.bouncycastle.operator.ContentSigner contentSigner(Issuer issuer) {
        return CustodyContentSigner.of(custody, issuer.key(), issuer.signingAlgorithm());
    }

    /** Signs with an {@link Issuer}. */
    public X509CertificateHolder sign(Issuer issuer, BigInteger serial, Instant notBefore, Instant notAfter,
                                      X500Name subject, SubjectPublicKeyInfo subjectKey, List<Extension> extensions) {
        return sign(issuer.subject(), issuer.key(), issuer.signingAlgorithm(), serial, notBefore, notAfter,
                subject, subjectKey, extensions);
    }
}
