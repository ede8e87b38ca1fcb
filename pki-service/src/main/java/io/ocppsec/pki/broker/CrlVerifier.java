package io.ocppsec.pki.broker;

import java.io.IOException;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.IssuingDistributionPoint;
import org.bouncycastle.cert.X509CRLEntryHolder;
import org.bouncycastle.cert.X509CRLHolder;
import org.bouncycastle.cert.CertException;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;

/**
 * Checks a downloaded CRL (M07.FR.04–07) before its answer is used: DER X.509 CRL, issued and
 * signed by the certificate's issuer (a known certificate whose name and key hash to the CertID;
 * indirect CRLs are refused), thisUpdate not in the future, nextUpdate present and not passed;
 * then the serial is looked up in its revoked list.
 */
public final class CrlVerifier {

    /** The answer for one serial: revoked or not, and until when the CRL holds. */
    public record Verdict(boolean revoked, Instant thisUpdate, Instant nextUpdate) {
    }

    private final Duration skew;

    public CrlVerifier(Duration skew) {
        this.skew = skew;
    }

    public Verdict verify(byte[] der, CertId id, List<X509Certificate> knownIssuers, Instant now) throws BrokerFailure {
        X509CRLHolder crl;
        try {
            crl = new X509CRLHolder(der);
        } catch (IOException | RuntimeException e) {
            throw new BrokerFailure("BadCrl", "the answer is not a DER X.509 CRL");
        }
        X509Certificate issuer = null;
        for (X509Certificate c : knownIssuers) {
            if (id.issuedBy(c)) {
                issuer = c;
                break;
            }
        }
        if (issuer == null) {
            throw new BrokerFailure("IssuerUnknown", "the issuer's certificate is not known; a CRL cannot be checked without it");
        }
        if (!crl.getIssuer().equals(X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded()))) {
            throw new BrokerFailure("CrlWrongIssuer", "the CRL is not issued by the certificate's issuer");
        }
        Extension idp = crl.getExtension(Extension.issuingDistributionPoint);
        if (idp != null && IssuingDistributionPoint.getInstance(idp.getParsedValue()).isIndirectCRL()) {
            throw new BrokerFailure("CrlIndirect", "indirect CRLs are not supported");
        }
        try {
            if (!crl.isSignatureValid(new JcaContentVerifierProviderBuilder().build(issuer.getPublicKey()))) {
                throw new BrokerFailure("BadSignature", "the CRL signature does not verify with the issuer's key");
            }
        } catch (CertException | OperatorCreationException | RuntimeException e) {
            throw new BrokerFailure("BadSignature", "the CRL signature cannot be checked");
        }
        Instant thisUpdate = crl.getThisUpdate().toInstant();
        if (thisUpdate.isAfter(now.plus(skew))) {
            throw new BrokerFailure("NotYetValid", "the CRL's thisUpdate " + thisUpdate + " is in the future");
        }
        if (crl.getNextUpdate() == null) {
            throw new BrokerFailure("BadCrl", "the CRL has no nextUpdate");
        }
        Instant nextUpdate = crl.getNextUpdate().toInstant();
        if (!nextUpdate.isAfter(now.minus(skew))) {
            throw new BrokerFailure("Stale", "the CRL's nextUpdate " + nextUpdate + " has passed");
        }
        BigInteger serial = id.serial();
        X509CRLEntryHolder entry = crl.getRevokedCertificate(serial);
        return new Verdict(entry != null, thisUpdate, nextUpdate);
    }
}
