package io.ocppsec.pki.ca;

import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import io.ocppsec.pki.store.CaCertificateRecord;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;

/**
 * A CA certificate the engine can sign with, with what every certificate it issues needs
 * precomputed: its name, its key identifier (for the AKI), its signature algorithm, and the chain
 * to hand out after a leaf (this CA and its parents up to, but without, the root).
 */
public record Issuer(
        CaCertificateRecord record,
        X509Certificate certificate,
        X500Name subject,
        byte[] subjectKeyIdentifier,
        KeyHandle key,
        SigningAlgorithm signingAlgorithm,
        List<X509Certificate> chainWithoutRoot,
        String chainWithoutRootPem,
        X509Certificate root) {

    public String id() {
        return record.id();
    }

    public Instant notAfter() {
        return record.notAfter();
    }

    public Instant notBefore() {
        return record.notBefore();
    }

    public AuthorityKeyIdentifier authorityKeyIdentifier() {
        return new AuthorityKeyIdentifier(subjectKeyIdentifier);
    }

    public SubjectKeyIdentifier ski() {
        return new SubjectKeyIdentifier(subjectKeyIdentifier);
    }
}
