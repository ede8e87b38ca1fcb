package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CRLDistPoint;
import org.bouncycastle.asn1.x509.DistributionPoint;
import org.bouncycastle.asn1.x509.DistributionPointName;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Issues the certificates of the ISO 15118 PKIs exactly per the profile of their
 * {@link Iso15118Role} (ISO 15118-2 Annex F as encoded by the reference generators, -20 Annex B;
 * reference iso15118.md §1.2/§1.4):
 * <ul>
 *   <li>X.509 v3; BasicConstraints <b>critical</b>: CA without pathLen (roots), pathLen 1 (Sub-CA 1),
 *       pathLen 0 (Sub-CA 2), CA:false (leaves);</li>
 *   <li>KeyUsage <b>critical</b> with the role's bits; no ExtendedKeyUsage;</li>
 *   <li>SubjectKeyIdentifier: SHA-1 of the key (RFC 5280 method 1, 20 bytes) for -2, the 8-byte
 *       RFC 5280 method-2 identifier for -20 (its contract SKI goes into the envelope AAD as 16 hex
 *       characters [V2G20-2492]); AuthorityKeyIdentifier = the issuer's SKI on non-roots;</li>
 *   <li>optional CRLDistributionPoints and AuthorityInformationAccess (OCSP) from {@link Urls},
 *       non-critical (RFC 5280; -20 Annex B marks them critical, which RFC 5280 validators refuse);</li>
 *   <li>the subject the caller gives, normally from {@link #subjectFor}; its CN must follow the role's
 *       rule (contract: eMAID; OEM provisioning: PCID);</li>
 *   <li>for a -20 Ed448 OEM provisioning certificate, optionally its X448 "Alternate Subject Public Key"
 *       ({@link #issueOemProvisioningWithX448}, non-critical subjectAltPublicKeyInfo, [V2G20-2534]).</li>
 * </ul>
 * The signature algorithm is the signer's; it must be one the edition allows (ecdsa-with-SHA256 for
 * -2 [V2G2-006]; ecdsa-with-SHA512 or Ed448 for -20), and so must the subject key [V2G2-007].
 * Misuse (wrong key type, bad CN, serial, dates, an issuer that is no CA) throws
 * {@link IllegalArgumentException} with the reason; nothing is signed then.
 */
public final class Iso15118Certificates {

    private static final Pattern COUNTRY = Pattern.compile("[A-Za-z]{2}");
    private static final int MAX_NAME_VALUE = 64;

    private Iso15118Certificates() {
    }

    /**
     * Issues a certificate of {@code role} with the role's default validity from {@code notBefore}.
     *
     * @see #issue(Iso15118Role, Edition, X500Name, SubjectPublicKeyInfo, Issuer, BigInteger, Instant, Instant, Urls)
     */
    public static X509Certificate issue(Iso15118Role role, Edition edition, X500Name subject, SubjectPublicKeyInfo key,
                                        Issuer issuer, BigInteger serial, Instant notBefore, Urls urls) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(notBefore, "notBefore");
        return issue(role, edition, subject, key, issuer, serial, notBefore, notBefore.plus(role.defaultValidity()), urls);
    }

    /**
     * Issues a certificate of {@code role}.
     *
     * @param role      the profile to follow
     * @param edition   ISO 15118-2 or -20: allowed key type and signature algorithm
     * @param subject   the subject name, e.g. {@link #subjectFor}
     * @param key       the subject public key
     * @param issuer    self-signed (roots only) or a CA certificate and its signer
     * @param serial    positive, at most 20 octets (RFC 5280 §4.1.2.2)
     * @param notBefore start of validity
     * @param notAfter  end of validity, after notBefore
     * @param urls      CRL / OCSP URLs to write, or {@link Urls#NONE}
     * @throws IllegalArgumentException if an argument breaks the profile
     */
    public static X509Certificate issue(Iso15118Role role, Edition edition, X500Name subject, SubjectPublicKeyInfo key,
                                        Issuer issuer, BigInteger serial, Instant notBefore, Instant notAfter,
                                        Urls urls) {
        return issue(role, edition, subject, key, issuer, serial, notBefore, notAfter, urls, null);
    }

    /**
     * Issues an ISO 15118-20 OEM provisioning certificate for an Ed448 key that also carries an X448 key for
     * the contract-key ECDH, its "Alternate Subject Public Key" [V2G20-2534], as a non-critical
     * subjectAltPublicKeyInfo extension (2.5.29.72: our reading, see {@link AlternatePublicKey}), with the
     * role's default validity.
     *
     * @param ed448Key the subject key, Ed448 (it signs the EV's requests)
     * @param x448Key  the alternate key, X448 (the receiver of the ECDH)
     * @throws IllegalArgumentException if a key is of another type, or as {@link #issue}
     */
    public static X509Certificate issueOemProvisioningWithX448(X500Name subject, SubjectPublicKeyInfo ed448Key,
                                                               SubjectPublicKeyInfo x448Key, Issuer issuer, BigInteger serial,
                                                               Instant notBefore, Urls urls) {
        Objects.requireNonNull(notBefore, "notBefore");
        return issueOemProvisioningWithX448(subject, ed448Key, x448Key, issuer, serial, notBefore,
                notBefore.plus(Iso15118Role.OEM_PROVISIONING.defaultValidity()), urls);
    }

    /** As {@link #issueOemProvisioningWithX448(X500Name, SubjectPublicKeyInfo, SubjectPublicKeyInfo, Issuer, BigInteger, Instant, Urls)}, valid until {@code notAfter}. */
    public static X509Certificate issueOemProvisioningWithX448(X500Name subject, SubjectPublicKeyInfo ed448Key,
                                                               SubjectPublicKeyInfo x448Key, Issuer issuer, BigInteger serial,
                                                               Instant notBefore, Instant notAfter, Urls urls) {
        Objects.requireNonNull(ed448Key, "ed448Key");
        if (KeyType.of(ed448Key).orElse(null) != KeyType.ED448) {
            throw new IllegalArgumentException("an OEM provisioning certificate with an X448 alternate key has an Ed448 key "
                    + "[V2G20-2534]");
        }
        return issue(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_20, subject, ed448Key, issuer, serial, notBefore, notAfter,
                urls, AlternatePublicKey.x448Extension(x448Key));
    }

    private static X509Certificate issue(Iso15118Role role, Edition edition, X500Name subject, SubjectPublicKeyInfo key,
                                         Issuer issuer, BigInteger serial, Instant notBefore, Instant notAfter,
                                         Urls urls, Extension alternateKey) {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(serial, "serial");
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(notAfter, "notAfter");
        Objects.requireNonNull(urls, "urls");

        KeyType keyType = KeyType.of(key).orElseThrow(
                () -> new IllegalArgumentException("subject key is not secp256r1, secp521r1 or Ed448"));
        if (!edition.allows(keyType)) {
            throw new IllegalArgumentException(keyType + " keys are not allowed in " + edition);
        }
        ASN1ObjectIdentifier sigAlg = issuer.signer().getAlgorithmIdentifier().getAlgorithm();
        if (!edition.allowsSignatureAlgorithm(sigAlg)) {
            throw new IllegalArgumentException("signature algorithm " + sigAlg + " is not allowed in " + edition);
        }
        if (serial.signum() <= 0 || serial.bitLength() > 159) {
            throw new IllegalArgumentException("serial must be positive and at most 20 octets");
        }
        if (!notAfter.isAfter(notBefore)) {
            throw new IllegalArgumentException("notAfter must be after notBefore");
        }
        checkSubject(role, subject);

        boolean selfSigned = issuer instanceof Issuer.SelfSigned;
        if (selfSigned != (role.tier() == Iso15118Role.Tier.ROOT)) {
            throw new IllegalArgumentException(selfSigned
                    ? role + " is not a root and cannot be self-signed"
                    : role + " is a root and must be self-signed");
        }
        BcX509ExtensionUtils ext = new BcX509ExtensionUtils();
        SubjectKeyIdentifier ski = edition == Edition.ISO_15118_20
                ? ext.createTruncatedSubjectKeyIdentifier(key)
                : ext.createSubjectKeyIdentifier(key);

        X500Name issuerName = subject;
        AuthorityKeyIdentifier aki = null;
        if (issuer instanceof Issuer.Ca ca) {
            X509CertificateHolder issuerHolder = holder(ca.certificate());
            checkIssuer(issuerHolder);
            issuerName = issuerHolder.getSubject();
            Extension issuerSki = issuerHolder.getExtension(Extension.subjectKeyIdentifier);
            aki = issuerSki != null
                    ? new AuthorityKeyIdentifier(SubjectKeyIdentifier.getInstance(issuerSki.getParsedValue()).getKeyIdentifier())
                    : ext.createAuthorityKeyIdentifier(issuerHolder.getSubjectPublicKeyInfo());
        }

        X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuerName, serial,
                Date.from(notBefore), Date.from(notAfter), subject, key);
        try {
            BasicConstraints bc = switch (role.tier()) {
                case ROOT -> new BasicConstraints(true);
                case SUB_CA_1, SUB_CA_2 -> new BasicConstraints(role.pathLength());
                case LEAF -> new BasicConstraints(false);
            };
            b.addExtension(Extension.basicConstraints, true, bc);
            b.addExtension(Extension.keyUsage, true, new KeyUsage(role.keyUsage()));
            b.addExtension(Extension.subjectKeyIdentifier, false, ski);
            if (aki != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, aki);
            }
            if (urls.crl().isPresent()) {
                GeneralNames names = new GeneralNames(new GeneralName(GeneralName.uniformResourceIdentifier, urls.crl().get()));
                b.addExtension(Extension.cRLDistributionPoints, false, new CRLDistPoint(new DistributionPoint[] {
                        new DistributionPoint(new DistributionPointName(names), null, null)}));
            }
            if (urls.ocsp().isPresent()) {
                b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, urls.ocsp().get()))));
            }
            if (alternateKey != null) {
                b.addExtension(alternateKey);
            }
        } catch (CertIOException e) {
            throw new IllegalStateException("cannot encode an extension", e);
        }
        X509CertificateHolder holder = b.build(issuer.signer());
        try {
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertificateException e) {
            throw new IllegalStateException("cannot convert the issued certificate", e);
        }
    }

    /**
     * The subject of a {@code role} certificate: CN, then O and C when given, then the role's DC
     * (IA5String): e.g. {@code CN=DE-ABC-C123ABC56, O=Example MO, C=DE, DC=MO}.
     *
     * @param cn the common name: an eMAID for {@link Iso15118Role#CONTRACT}, a PCID for
     *           {@link Iso15118Role#OEM_PROVISIONING}, the SECCID for {@link Iso15118Role#SECC}
     * @param o  organization, or null
     * @param c  two-letter country code, or null
     * @throws IllegalArgumentException if the CN breaks the role's rule, a value is empty or longer
     *                                  than 64 characters, or C is not two letters
     */
    public static X500Name subjectFor(Iso15118Role role, String cn, String o, String c) {
        Objects.requireNonNull(role, "role");
        checkValue("CN", cn);
        checkCommonName(role, cn);
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        b.addRDN(BCStyle.CN, cn);
        if (o != null) {
            checkValue("O", o);
            b.addRDN(BCStyle.O, o);
        }
        if (c != null) {
            if (!COUNTRY.matcher(c).matches()) {
                throw new IllegalArgumentException("C must be two letters");
            }
            b.addRDN(BCStyle.C, c.toUpperCase(Locale.ROOT));
        }
        b.addRDN(BCStyle.DC, role.domainComponent());
        return b.build();
    }

    /**
     * A {@link ContentSigner} for {@code key}, with the algorithm of its key type
     * (SHA256withECDSA on secp256r1, SHA512withECDSA on secp521r1, Ed448), Bouncy Castle provider.
     * For keys held outside the JVM (HSM, Vault) the caller supplies its own ContentSigner.
     */
    public static ContentSigner signer(PrivateKey key, KeyType type) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(type, "type");
        try {
            return new JcaContentSignerBuilder(type.signatureAlgorithm()).setProvider(Iso15118Crypto.provider()).build(key);
        } catch (OperatorCreationException e) {
            throw new IllegalArgumentException("cannot sign with this key as " + type, e);
        }
    }

    /** The SubjectPublicKeyInfo of a public key. */
    public static SubjectPublicKeyInfo subjectPublicKeyInfo(PublicKey key) {
        Objects.requireNonNull(key, "key");
        return SubjectPublicKeyInfo.getInstance(key.getEncoded());
    }

    /** The first CN of a name, or null. */
    static String commonName(X500Name name) {
        RDN[] rdns = name.getRDNs(BCStyle.CN);
        if (rdns.length == 0 || rdns[0].getFirst() == null) {
            return null;
        }
        return IETFUtils.valueToString(rdns[0].getFirst().getValue());
    }

    private static void checkSubject(Iso15118Role role, X500Name subject) {
        String cn = commonName(subject);
        if (cn == null) {
            throw new IllegalArgumentException("subject has no CN");
        }
        checkCommonName(role, cn);
    }

    private static void checkCommonName(Iso15118Role role, String cn) {
        if (role == Iso15118Role.CONTRACT && !Emaid.isValid(cn)) {
            throw new IllegalArgumentException("a contract certificate's CN must be an eMAID");
        }
        if (role == Iso15118Role.OEM_PROVISIONING && !Pcid.isValid(cn)) {
            throw new IllegalArgumentException("an OEM provisioning certificate's CN must be a PCID");
        }
    }

    private static void checkValue(String attr, String v) {
        if (v == null || v.isBlank() || v.length() > MAX_NAME_VALUE) {
            throw new IllegalArgumentException(attr + " must be 1.." + MAX_NAME_VALUE + " characters");
        }
    }

    private static void checkIssuer(X509CertificateHolder issuer) {
        Extension bc = issuer.getExtension(Extension.basicConstraints);
        if (bc == null || !BasicConstraints.getInstance(bc.getParsedValue()).isCA()) {
            throw new IllegalArgumentException("issuer certificate is not a CA");
        }
        Extension ku = issuer.getExtension(Extension.keyUsage);
        if (ku != null && !KeyUsage.getInstance(ku.getParsedValue()).hasUsages(KeyUsage.keyCertSign)) {
            throw new IllegalArgumentException("issuer certificate lacks keyCertSign");
        }
    }

    static X509CertificateHolder holder(X509Certificate cert) {
        try {
            return new JcaX509CertificateHolder(cert);
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }
}
