package io.ocppsec.pki.ca;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * The extensions of each kind of certificate, decided by the CA alone: nothing is copied from a
 * CSR. Intent-named, so that policy reads as policy.
 */
public final class CertificateProfiles {
    private final URI publicUrl;

    public CertificateProfiles(URI publicUrl) {
        String s = publicUrl.toString();
        this.publicUrl = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
    }

    /** Where the CRL of a CA is published. */
    public String crlUrl(String issuerId) {
        return publicUrl + "/crl/" + issuerId + ".crl";
    }

    /** The OCSP responder URL. */
    public String ocspUrl() {
        return publicUrl + "/ocsp";
    }

    /**
     * A station certificate (A02/A03): basicConstraints cA:false critical; keyUsage critical —
     * digitalSignature with keyAgreement (EC) or keyEncipherment (RSA) for the CSMS connection,
     * digitalSignature and keyAgreement for an ISO 15118 SECC certificate (ISO 15118-2 Annex F);
     * SKI and AKI; CRL distribution point and OCSP in AIA; no extendedKeyUsage unless the profile
     * asks (A00.FR.514).
     */
    public List<Extension> station(CertificateType type, CertificateType.KeyType keyType, SubjectPublicKeyInfo key,
                                   Issuer issuer, List<String> extendedKeyUsage) {
        List<Extension> ext = new ArrayList<>();
        ext.add(ext(Extension.basicConstraints, true, new BasicConstraints(false)));
        int ku = KeyUsage.digitalSignature
                | (type == CertificateType.ChargingStationCertificate && keyType == CertificateType.KeyType.RSA
                ? KeyUsage.keyEncipherment : KeyUsage.keyAgreement);
        ext.add(ext(Extension.keyUsage, true, new KeyUsage(ku)));
        if (!extendedKeyUsage.isEmpty()) {
            List<KeyPurposeId> purposes = new ArrayList<>();
            for (String e : extendedKeyUsage) {
                purposes.add("serverAuth".equals(e) ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth);
            }
            ext.add(ext(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purposes.toArray(KeyPurposeId[]::new))));
        }
        identifiers(ext, key, issuer);
        revocationPointers(ext, issuer);
        return ext;
    }

    /** A root CA: basicConstraints cA:true critical, keyCertSign and cRLSign, SKI. */
    public List<Extension> root(SubjectPublicKeyInfo key) {
        List<Extension> ext = new ArrayList<>();
        ext.add(ext(Extension.basicConstraints, true, new BasicConstraints(true)));
        ext.add(ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
        ext.add(ext(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(KeyIdentifiers.of(key))));
        return ext;
    }

    /** An issuing sub-CA: cA:true with pathLen 0, keyCertSign and cRLSign, SKI and AKI, CRL DP. */
    public List<Extension> subCa(SubjectPublicKeyInfo key, Issuer parent) {
        List<Extension> ext = new ArrayList<>();
        ext.add(ext(Extension.basicConstraints, true, new BasicConstraints(0)));
        ext.add(ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign)));
        identifiers(ext, key, parent);
        ext.add(ext(Extension.cRLDistributionPoints, false, crlDp(parent.id())));
        return ext;
    }

    /**
     * A delegated OCSP responder (RFC 6960 §4.2.2.2): cA:false, digitalSignature, EKU
     * id-kp-OCSPSigning, id-pkix-ocsp-nocheck (responders do not check their own status).
     */
    public List<Extension> ocspSigner(SubjectPublicKeyInfo key, Issuer issuer) {
        List<Extension> ext = new ArrayList<>();
        ext.add(ext(Extension.basicConstraints, true, new BasicConstraints(false)));
        ext.add(ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature)));
        ext.add(ext(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning)));
        ext.add(ext(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck, false, DERNull.INSTANCE));
        identifiers(ext, key, issuer);
        return ext;
    }

    /**
     * A firmware signing certificate (L01): cA:false, digitalSignature only, EKU id-kp-codeSigning
     * (what a station checks before it trusts a signature over an image), SKI and AKI, and where
     * its revocation status is (our CRL of the issuing manufacturer root and our OCSP responder).
     */
    public List<Extension> firmwareSigner(SubjectPublicKeyInfo key, Issuer issuer) {
        List<Extension> ext = new ArrayList<>();
        ext.add(ext(Extension.basicConstraints, true, new BasicConstraints(false)));
        ext.add(ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature)));
        ext.add(ext(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_codeSigning)));
        identifiers(ext, key, issuer);
        revocationPointers(ext, issuer);
        return ext;
    }

    /**
     * The CSMS TLS server certificate (A00.FR.510: CN = the endpoint's FQDN): cA:false,
     * digitalSignature (plus keyEncipherment for RSA, which the TLS_RSA suites of A00.FR.318 use),
     * EKU serverAuth, and the names in subjectAltName (A00.FR.511 allows SANs for a CSMS reached
     * over several network paths).
     */
    public List<Extension> server(SubjectPublicKeyInfo key, boolean rsa, Issuer issuer, List<GeneralName> names) {
        List<Extension> ext = new ArrayList<>();
        ext.add(ext(Extension.basicConstraints, true, new BasicConstraints(false)));
        ext.add(ext(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | (rsa ? KeyUsage.keyEncipherment : 0))));
        ext.add(ext(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth)));
        ext.add(ext(Extension.subjectAlternativeName, false, new GeneralNames(names.toArray(GeneralName[]::new))));
        identifiers(ext, key, issuer);
        revocationPointers(ext, issuer);
        return ext;
    }

    private void identifiers(List<Extension> ext, SubjectPublicKeyInfo key, Issuer issuer) {
        ext.add(ext(Extension.subjectKeyIdentifier, false, new SubjectKeyIdentifier(KeyIdentifiers.of(key))));
        ext.add(ext(Extension.authorityKeyIdentifier, false, issuer.authorityKeyIdentifier()));
    }

    private void revocationPointers(List<Extension> ext, Issuer issuer) {
        ext.add(ext(Extension.cRLDistributionPoints, false, crlDp(issuer.id())));
        ext.add(ext(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                new AccessDescription(AccessDescription.id_ad_ocsp, new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl())))));
    }

    private CRLDistPoint crlDp(String issuerId) {
        return new CRLDistPoint(new DistributionPoint[] {new DistributionPoint(
                new DistributionPointName(new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, crlUrl(issuerId)))),
                null, null)});
    }

    private static Extension ext(org.bouncycastle.asn1.ASN1ObjectIdentifier oid, boolean critical,
                                 org.bouncycastle.asn1.ASN1Encodable value) {
        try {
            return new Extension(oid, critical, value.toASN1Primitive().getEncoded("DER"));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
