package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;

import java.math.BigInteger;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Checks one certificate against the ISO 15118 profile of a role (ISO 15118-2 Annex F, -20
 * Annex B; reference iso15118.md §1.2/§1.4), with the given {@link Leniency}. Signatures and
 * validity are the chain's business ({@link Iso15118ChainValidator}); this checks the content.
 *
 * <p>KeyUsage: the bits of the role's profile row are the <em>allowed</em> set; the
 * <em>required</em> ones are keyCertSign + cRLSign on CAs (the MO Sub-CA 2's SalesTariff bits are
 * optional), digitalSignature on every leaf, plus keyAgreement on SECC and OEM provisioning
 * certificates (ECDH [V2G2-822]) and on -2 contract certificates (the old contract key is the
 * receiver of a CertificateUpdate [V2G2-821]).
 *
 * <p>Extensions: BasicConstraints, KeyUsage, SKI, AKI, CRLDistributionPoints and AIA; -20 also
 * certificatePolicies and SIA, and on OEM provisioning certificates the X448 "Alternate Subject Public Key"
 * (subjectAltPublicKeyInfo, 2.5.29.72, our reading: {@link AlternatePublicKey}) [V2G20-2534]. Whether that
 * holds a usable X448 key is the contract installation's question, not the profile's. A critical extension
 * other than BasicConstraints and KeyUsage is refused (CRITICAL_EXTENSION, "not processed"), that one
 * included: the only option is {@link Leniency#criticalKeyIdAndRevocationExtensions()} for SKI, AKI, CRLDP
 * and AIA.
 */
public final class Iso15118Profile {

    private static final Set<ASN1ObjectIdentifier> LISTED = Set.of(
            Extension.basicConstraints, Extension.keyUsage, Extension.subjectKeyIdentifier,
            Extension.authorityKeyIdentifier, Extension.cRLDistributionPoints, Extension.authorityInfoAccess);
    private static final Set<ASN1ObjectIdentifier> LISTED_20 = Set.of(
            Extension.certificatePolicies, Extension.subjectInfoAccess);
    private static final Set<ASN1ObjectIdentifier> NEVER_CRITICAL = Set.of(
            Extension.subjectKeyIdentifier, Extension.authorityKeyIdentifier,
            Extension.cRLDistributionPoints, Extension.authorityInfoAccess);

    private static final int[] KU_BITS = {KeyUsage.digitalSignature, KeyUsage.nonRepudiation, KeyUsage.keyEncipherment,
        KeyUsage.dataEncipherment, KeyUsage.keyAgreement, KeyUsage.keyCertSign, KeyUsage.cRLSign,
        KeyUsage.encipherOnly, KeyUsage.decipherOnly};
    private static final String[] KU_NAMES = {"digitalSignature", "nonRepudiation", "keyEncipherment",
        "dataEncipherment", "keyAgreement", "keyCertSign", "cRLSign", "encipherOnly", "decipherOnly"};

    private Iso15118Profile() {
    }

    /** The violations of {@code cert} as a {@code role} certificate of {@code edition}; empty when it conforms. Total. */
    public static List<ProfileViolation> check(X509Certificate cert, Iso15118Role role, Edition edition, Leniency leniency) {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(leniency, "leniency");
        List<ProfileViolation> out = new ArrayList<>();
        byte[] der;
        X509CertificateHolder h;
        try {
            der = cert.getEncoded();
            h = new X509CertificateHolder(der);
        } catch (CertificateEncodingException | java.io.IOException | RuntimeException e) {
            out.add(new ProfileViolation(role, ProfileViolation.Rule.VERSION, "certificate cannot be decoded"));
            return out;
        }
        try {
            checkAll(h, der.length, role, edition, leniency, out);
        } catch (RuntimeException e) {
            // a malformed extension value: BC throws while parsing it
            out.add(new ProfileViolation(role, ProfileViolation.Rule.CRITICAL_EXTENSION,
                    "an extension cannot be parsed"));
        }
        return out;
    }

    private static void checkAll(X509CertificateHolder h, int derLength, Iso15118Role role, Edition edition,
                                 Leniency len, List<ProfileViolation> out) {
        if (h.getVersionNumber() != 3) {
            add(out, role, ProfileViolation.Rule.VERSION, "version " + h.getVersionNumber());
        }
        if (derLength > edition.maxCertificateDerLength()) {
            add(out, role, ProfileViolation.Rule.DER_SIZE,
                    derLength + " bytes DER, more than " + edition.maxCertificateDerLength());
        }
        ASN1ObjectIdentifier sigAlg = h.getSignatureAlgorithm().getAlgorithm();
        if (!edition.allowsSignatureAlgorithm(sigAlg)) {
            add(out, role, ProfileViolation.Rule.SIGNATURE_ALGORITHM, "signature algorithm " + sigAlg + " not allowed in " + edition);
        }
        KeyType kt = KeyType.of(h.getSubjectPublicKeyInfo()).orElse(null);
        if (kt == null || !edition.allows(kt)) {
            add(out, role, ProfileViolation.Rule.PUBLIC_KEY, "public key " + (kt == null ? "of an unsupported type/curve" : kt)
                    + " not allowed in " + edition);
        }
        if (role.tier() == Iso15118Role.Tier.ROOT && !h.getSubject().equals(h.getIssuer())) {
            add(out, role, ProfileViolation.Rule.NOT_SELF_SIGNED, "root subject differs from issuer");
        }
        Extensions exts = h.getExtensions();
        checkBasicConstraints(exts, role, len, out);
        checkKeyUsage(exts, role, edition, len, out);
        checkExtensions(exts, role, edition, len, out);
        checkSubject(h, role, len, out);
        if (edition == Edition.ISO_15118_20 && role.pki() == Iso15118Role.Pki.MO && role.tier() != Iso15118Role.Tier.ROOT
                && ext(exts, Extension.cRLDistributionPoints) == null && ext(exts, Extension.authorityInfoAccess) == null) {
            add(out, role, ProfileViolation.Rule.REVOCATION_INFO, "neither CRLDistributionPoints nor AuthorityInformationAccess");
        }
    }

    private static void checkBasicConstraints(Extensions exts, Iso15118Role role, Leniency len, List<ProfileViolation> out) {
        Extension e = ext(exts, Extension.basicConstraints);
        if (e == null) {
            if (!(role.isLeaf() && len.leafWithoutBasicConstraints())) {
                add(out, role, ProfileViolation.Rule.BASIC_CONSTRAINTS, "BasicConstraints absent");
            }
            return;
        }
        if (!e.isCritical()) {
            add(out, role, ProfileViolation.Rule.BASIC_CONSTRAINTS, "BasicConstraints not critical");
        }
        BasicConstraints bc = BasicConstraints.getInstance(e.getParsedValue());
        if (bc.isCA() != role.isCa()) {
            add(out, role, ProfileViolation.Rule.BASIC_CONSTRAINTS, "CA:" + bc.isCA() + ", the role needs CA:" + role.isCa());
            return;
        }
        BigInteger pathLen = bc.getPathLenConstraint();
        switch (role.tier()) {
            case ROOT -> {
                if (pathLen != null && pathLen.compareTo(BigInteger.TWO) < 0) {
                    add(out, role, ProfileViolation.Rule.PATH_LENGTH, "root pathLen " + pathLen + " leaves no room for two Sub-CAs");
                }
            }
            case SUB_CA_1 -> {
                if (!BigInteger.ONE.equals(pathLen)) {
                    add(out, role, ProfileViolation.Rule.PATH_LENGTH, "pathLen " + pathLen + ", Sub-CA 1 needs 1");
                }
            }
            case SUB_CA_2 -> {
                boolean ok = BigInteger.ZERO.equals(pathLen) || (len.subCa2PathLenOne() && BigInteger.ONE.equals(pathLen));
                if (!ok) {
                    add(out, role, ProfileViolation.Rule.PATH_LENGTH, "pathLen " + pathLen + ", Sub-CA 2 needs 0");
                }
            }
            case LEAF -> {
                // CA:false carries no pathLen
            }
        }
    }

    private static void checkKeyUsage(Extensions exts, Iso15118Role role, Edition edition, Leniency len,
                                      List<ProfileViolation> out) {
        Extension e = ext(exts, Extension.keyUsage);
        if (e == null) {
            add(out, role, ProfileViolation.Rule.KEY_USAGE, "KeyUsage absent");
            return;
        }
        if (!e.isCritical()) {
            add(out, role, ProfileViolation.Rule.KEY_USAGE, "KeyUsage not critical");
        }
        KeyUsage ku = KeyUsage.getInstance(e.getParsedValue());
        int required = required(role, edition);
        int allowed = role.keyUsage();
        if (role == Iso15118Role.OEM_PROVISIONING && len.oemProvisioningKeyEncipherment()
                && ku.hasUsages(KeyUsage.keyEncipherment) && !ku.hasUsages(KeyUsage.keyAgreement)) {
            required = (required & ~KeyUsage.keyAgreement) | KeyUsage.keyEncipherment;
            allowed = (allowed & ~KeyUsage.keyAgreement) | KeyUsage.keyEncipherment;
        }
        List<String> missing = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        for (int i = 0; i < KU_BITS.length; i++) {
            boolean has = ku.hasUsages(KU_BITS[i]);
            if ((required & KU_BITS[i]) != 0 && !has) {
                missing.add(KU_NAMES[i]);
            }
            if ((allowed & KU_BITS[i]) == 0 && has) {
                extra.add(KU_NAMES[i]);
            }
        }
        if (!missing.isEmpty()) {
            add(out, role, ProfileViolation.Rule.KEY_USAGE, "KeyUsage lacks " + String.join(", ", missing));
        }
        if (!extra.isEmpty()) {
            add(out, role, ProfileViolation.Rule.KEY_USAGE, "KeyUsage has " + String.join(", ", extra));
        }
    }

    /** The KeyUsage bits a role must have (see the class comment). */
    static int required(Iso15118Role role, Edition edition) {
        if (role.isCa()) {
            return KeyUsage.keyCertSign | KeyUsage.cRLSign;
        }
        return switch (role) {
            case SECC, OEM_PROVISIONING -> KeyUsage.digitalSignature | KeyUsage.keyAgreement;
            case CONTRACT -> edition == Edition.ISO_15118_2
                    ? KeyUsage.digitalSignature | KeyUsage.keyAgreement : KeyUsage.digitalSignature;
            default -> KeyUsage.digitalSignature;
        };
    }

    private static void checkExtensions(Extensions exts, Iso15118Role role, Edition edition, Leniency len,
                                        List<ProfileViolation> out) {
        if (ext(exts, Extension.subjectKeyIdentifier) == null) {
            add(out, role, ProfileViolation.Rule.SUBJECT_KEY_IDENTIFIER, "SubjectKeyIdentifier absent");
        }
        if (exts == null) {
            return;
        }
        for (ASN1ObjectIdentifier oid : exts.getExtensionOIDs()) {
            Extension e = exts.getExtension(oid);
            if (Extension.extendedKeyUsage.equals(oid)) {
                if (!(role.tier() == Iso15118Role.Tier.ROOT && len.rootExtendedKeyUsage())) {
                    add(out, role, ProfileViolation.Rule.EXTENDED_KEY_USAGE, "ExtendedKeyUsage present");
                }
                if (e.isCritical()) {
                    add(out, role, ProfileViolation.Rule.CRITICAL_EXTENSION, "ExtendedKeyUsage critical");
                }
                continue;
            }
            boolean listed = LISTED.contains(oid) || (edition == Edition.ISO_15118_20 && LISTED_20.contains(oid))
                    || (edition == Edition.ISO_15118_20 && role == Iso15118Role.OEM_PROVISIONING && AlternatePublicKey.OID.equals(oid));
            if (e.isCritical()) {
                if (NEVER_CRITICAL.contains(oid)) {
                    if (!len.criticalKeyIdAndRevocationExtensions()) {
                        add(out, role, ProfileViolation.Rule.CRITICAL_EXTENSION, oid + " marked critical");
                    }
                } else if (!Extension.basicConstraints.equals(oid) && !Extension.keyUsage.equals(oid)) {
                    add(out, role, ProfileViolation.Rule.CRITICAL_EXTENSION, "critical extension " + oid + " not processed");
                }
            } else if (!listed && !len.unlistedNonCriticalExtensions()) {
                add(out, role, ProfileViolation.Rule.UNEXPECTED_EXTENSION, "extension " + oid + " not in the profile");
            }
        }
    }

    private static void checkSubject(X509CertificateHolder h, Iso15118Role role, Leniency len, List<ProfileViolation> out) {
        String cn = Iso15118Certificates.commonName(h.getSubject());
        if (cn == null || cn.isEmpty()) {
            add(out, role, ProfileViolation.Rule.COMMON_NAME, "subject has no CN");
        } else if (role == Iso15118Role.CONTRACT && !Emaid.isValid(cn)) {
            add(out, role, ProfileViolation.Rule.COMMON_NAME, "CN is not an eMAID");
        } else if (role == Iso15118Role.OEM_PROVISIONING && !Pcid.isValid(cn)) {
            add(out, role, ProfileViolation.Rule.COMMON_NAME, "CN is not a PCID [V2G2-933]");
        }
        List<String> dcs = new ArrayList<>();
        for (RDN rdn : h.getSubject().getRDNs()) {
            for (AttributeTypeAndValue atv : rdn.getTypesAndValues()) {
                if (BCStyle.DC.equals(atv.getType())) {
                    dcs.add(IETFUtils.valueToString(atv.getValue()));
                }
            }
        }
        if (dcs.isEmpty()) {
            if (!len.missingDomainComponent()) {
                add(out, role, ProfileViolation.Rule.DOMAIN_COMPONENT, "no DC, the role needs DC=" + role.domainComponent());
            }
        } else if (dcs.size() != 1 || !dcs.get(0).equals(role.domainComponent())) {
            add(out, role, ProfileViolation.Rule.DOMAIN_COMPONENT, "DC=" + String.join(",", dcs)
                    + ", the role needs DC=" + role.domainComponent());
        }
    }

    private static Extension ext(Extensions exts, ASN1ObjectIdentifier oid) {
        return exts == null ? null : exts.getExtension(oid);
    }

    private static void add(List<ProfileViolation> out, Iso15118Role role, ProfileViolation.Rule rule, String detail) {
        out.add(new ProfileViolation(role, rule, detail));
    }
}
