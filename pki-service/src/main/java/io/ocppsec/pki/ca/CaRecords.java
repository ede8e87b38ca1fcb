package io.ocppsec.pki.ca;

import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.store.CaCertificateRecord;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * What code outside this package (key and root rotation) needs to create CA certificates the same
 * way the development PKI and the CA import do: the stored record of a new certificate, a
 * signing-ready {@link Issuer} for a certificate not yet in the registry, readable names.
 */
public final class CaRecords {
    private CaRecords() {
    }

    /**
     * The record of a CA certificate this CA just made or imported, ACTIVE. With a {@code key} the
     * algorithm must be one the CA holds (EC, RSA); {@link KeyAlgorithm#ED448} only without one (an
     * imported ISO 15118-20 trust anchor).
     */
    public static CaCertificateRecord record(String id, CaRole role, X509CertificateHolder cert, String parentId,
                                             KeyHandle key, KeyAlgorithm algorithm, Instant createdAt) {
        if (key != null) {
            algorithm.requireCustodial();
        }
        byte[] der = DevelopmentPki.der(cert);
        return new CaCertificateRecord(id, role, CaStatus.ACTIVE, Names.rfc4514(cert.getSubject()),
                SerialNumbers.hex(cert.getSerialNumber()), DevelopmentPki.sha256Hex(der), parentId, key, algorithm.name(),
                cert.getNotBefore().toInstant(), cert.getNotAfter().toInstant(), Pem.certificate(der), createdAt);
    }

    /** An issuer for a certificate that is not in the registry yet; {@code parents} up to the root, empty for a root. */
    public static Issuer issuer(CaCertificateRecord record, X509Certificate certificate, List<X509Certificate> parents) {
        if (parents.isEmpty()) {
            return Issuer.of(record, certificate, List.of(), certificate);
        }
        java.util.ArrayList<X509Certificate> chain = new java.util.ArrayList<>();
        chain.add(certificate);
        chain.addAll(parents.subList(0, parents.size() - 1));
        return Issuer.of(record, certificate, chain, parents.get(parents.size() - 1));
    }

    public static X509Certificate x509(X509CertificateHolder holder) {
        return DevelopmentPki.certificate(holder);
    }

    public static byte[] der(X509CertificateHolder holder) {
        return DevelopmentPki.der(holder);
    }

    public static String sha256Hex(byte[] der) {
        return DevelopmentPki.sha256Hex(der);
    }

    /** O and CN, as the development PKI names its CAs. */
    public static X500Name name(String organization, String commonName) {
        return DevelopmentPki.name(organization, commonName);
    }

    /** A distinguished name as people read it (RFC 4514, CN first). */
    public static String readable(X500Name name) {
        return Names.rfc4514(name);
    }

    /**
     * A link (cross) certificate: the new root's name and key, certified by the old root, so that a
     * station that trusts only the old root builds a path to what the new root signs. cA:true
     * without a path length, keyCertSign and cRLSign; the SKI is the new root's own (so a path
     * through either the link or the self-signed new root matches the same AKI), the AKI the old root's.
     */
    public static List<org.bouncycastle.asn1.x509.Extension> linkExtensions(SubjectPublicKeyInfo newRootKey, Issuer oldRoot) {
        try {
            return List.of(
                    new org.bouncycastle.asn1.x509.Extension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true,
                            new BasicConstraints(true).getEncoded()),
                    new org.bouncycastle.asn1.x509.Extension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                            new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign).getEncoded()),
                    new org.bouncycastle.asn1.x509.Extension(org.bouncycastle.asn1.x509.Extension.subjectKeyIdentifier, false,
                            new SubjectKeyIdentifier(KeyIdentifiers.of(newRootKey)).getEncoded()),
                    new org.bouncycastle.asn1.x509.Extension(org.bouncycastle.asn1.x509.Extension.authorityKeyIdentifier, false,
                            oldRoot.authorityKeyIdentifier().getEncoded()));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
