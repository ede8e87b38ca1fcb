package io.ocppsec.pki.ca;

import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import io.ocppsec.pki.store.CaCertificateRecord;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * A CA certificate the engine can sign with, with what every certificate it issues needs
 * precomputed: its name, its key identifier (for the AKI), its signature algorithm, and the chain
 * to hand out after a leaf (this CA and its parents up to, but without, the root). Trust anchors
 * imported without a key are Issuers too (key null); for an Ed448 one ({@link KeyAlgorithm#ED448},
 * ISO 15118-20 only) {@code signingAlgorithm} is null as well, since the CA never signs with Ed448.
 */
public record Issuer(
        CaCertificateRecord record,
        X509Certificate certificate,
        X500Name subject,
        byte[] subjectKeyIdentifier,
        KeyHandle key,
        SigningAlgorithm signingAlgorithm,
        String chainWithoutRootPem,
        List<X509Certificate> chainWithoutRoot,
        X509Certificate root) {

    public Issuer {
        chainWithoutRoot = List.copyOf(chainWithoutRoot);
    }

    /**
     * The issuer for a stored CA certificate; {@code chainWithoutRoot} is what follows a leaf it
     * issues (this CA and its parents, without the root), empty for a root.
     */
    static Issuer of(CaCertificateRecord record, X509Certificate certificate, List<X509Certificate> chainWithoutRoot,
                     X509Certificate root) {
        KeyAlgorithm algorithm = KeyAlgorithm.valueOf(record.keyAlgorithm());
        // an Ed448 trust anchor (ISO 15118-20, imported without a key) has no signing algorithm: we never sign for it
        SigningAlgorithm signing = algorithm.custodial() ? SigningAlgorithm.forKey(algorithm) : null;
        if (signing == null && record.key() != null) {
            throw new IllegalStateException("CA certificate " + record.id() + " has a key in custody but is " + algorithm
                    + ", which the CA never holds");
        }
        return new Issuer(record, certificate, X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded()),
                subjectKeyIdentifier(certificate), record.key(), signing, Pem.certificates(chainWithoutRoot),
                chainWithoutRoot, root);
    }

    /** The key identifier issued certificates carry as AKI: the CA's own SKI extension, else RFC 7093's. */
    private static byte[] subjectKeyIdentifier(X509Certificate cert) {
        byte[] ext = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ext != null) {
            return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(ext).getOctets()).getKeyIdentifier();
        }
        return KeyIdentifiers.of(SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded()));
    }

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
}
