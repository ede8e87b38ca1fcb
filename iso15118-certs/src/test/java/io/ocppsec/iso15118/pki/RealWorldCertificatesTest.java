package io.ocppsec.iso15118.pki;

import io.ocppsec.iso15118.pki.ChainValidation.Kind;
import io.ocppsec.iso15118.pki.ProfileViolation.Rule;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.junit.jupiter.api.Test;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

import static io.ocppsec.iso15118.pki.Iso15118ChainValidatorTest.assertInvalid;
import static io.ocppsec.iso15118.pki.Iso15118ChainValidatorTest.rules;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Certificates from real PKIs and reference implementations (read from the shared vectors folder):
 * which profile rules they break strictly, and which of those {@link Leniency#knownDeviations()}
 * accepts.
 */
class RealWorldCertificatesTest {

    private static final Edition E2 = Edition.ISO_15118_2;

    private static List<Rule> ruleSet(X509Certificate c, Iso15118Role role, Leniency l) {
        return Iso15118Profile.check(c, role, E2, l).stream().map(ProfileViolation::rule).distinct().sorted().toList();
    }

    @Test
    void hubjectV2gRootHasEkuOcspSigningAndCertificatePolicies() {
        X509Certificate root = SharedVectors.cert("hubject-openpnc-test-pki/v2groot.pem");
        assertThat(ruleSet(root, Iso15118Role.V2G_ROOT, Leniency.strict()))
                .containsExactly(Rule.EXTENDED_KEY_USAGE, Rule.UNEXPECTED_EXTENSION);
        assertThat(Iso15118Profile.check(root, Iso15118Role.V2G_ROOT, E2, Leniency.knownDeviations())).isEmpty();
        // the EKU option alone is not enough: certificatePolicies is a second deviation
        assertThat(ruleSet(root, Iso15118Role.V2G_ROOT, Leniency.strict().withRootExtendedKeyUsage(true)))
                .containsExactly(Rule.UNEXPECTED_EXTENSION);
        // its self-signature verifies (it is a genuine root, not a damaged file)
        assertThat(Iso15118ChainValidator.signedBy(root, root)).isTrue();
    }

    @Test
    void hubjectMoSubCa2HasPathLenOneAndNoDc() {
        X509Certificate sub2 = SharedVectors.cert("hubject-openpnc-test-pki/mosub2.pem");
        assertThat(ruleSet(sub2, Iso15118Role.MO_SUB_CA_2, Leniency.strict()))
                .containsExactly(Rule.PATH_LENGTH, Rule.DOMAIN_COMPONENT, Rule.UNEXPECTED_EXTENSION);
        assertThat(Iso15118Profile.check(sub2, Iso15118Role.MO_SUB_CA_2, E2, Leniency.knownDeviations())).isEmpty();
    }

    @Test
    void hubjectOemProvisioningCertificateHasKeyEnciphermentNoDcNoBasicConstraintsAndAnSan() {
        X509Certificate prov = SharedVectors.cert("hubject-openpnc-test-pki/oemprov1.pem");
        assertThat(ruleSet(prov, Iso15118Role.OEM_PROVISIONING, Leniency.strict()))
                .containsExactly(Rule.BASIC_CONSTRAINTS, Rule.KEY_USAGE, Rule.DOMAIN_COMPONENT, Rule.UNEXPECTED_EXTENSION);
        assertThat(Iso15118Profile.check(prov, Iso15118Role.OEM_PROVISIONING, E2, Leniency.knownDeviations())).isEmpty();
        // its CN is a PCID [V2G2-933]
        assertThat(Pcid.isValid("hubjectopenpnc0001")).isTrue();
    }

    /**
     * The Hubject certificates do not form a chain here (their Sub-CA issuers are not in the
     * folder), so the chain-level behaviour is shown on a chain with the same deviations, at an
     * instant inside its validity: strict refuses it, knownDeviations() accepts it.
     */
    @Test
    void aChainWithHubjectsDeviationsIsRefusedStrictlyAndAcceptedByKnownDeviations() {
        Instant t0 = Instant.parse("2018-02-15T10:05:28Z");
        Instant at = Instant.parse("2018-06-01T00:00:00Z");
        TestPki.Node root = Craft.node(Iso15118Role.V2G_ROOT, "V2G Root", null, t0, s -> {
            s.put(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning));
            s.put(Extension.certificatePolicies, false, policy());
        });
        TestPki.Node oemSub2 = Craft.node(Iso15118Role.OEM_SUB_CA_2, "OEM Sub 2 CA", root, t0, s -> {
            s.put(Extension.basicConstraints, true, new BasicConstraints(1));
            s.subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.C, "DE").addRDN(BCStyle.O, "Hubject")
                    .addRDN(BCStyle.CN, "OEM Sub 2 CA").build();
            s.put(Extension.certificatePolicies, false, policy());
        });
        TestPki.Node prov = Craft.node(Iso15118Role.OEM_PROVISIONING, "hubjectopenpnc0001", oemSub2, t0, s -> {
            s.extensions.remove(Extension.basicConstraints);
            s.put(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyEncipherment));
            s.subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Hubject")
                    .addRDN(BCStyle.CN, "hubjectopenpnc0001").build();
            s.put(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName(GeneralName.rfc822Name, "pnc@example.com")));
        });
        TrustAnchors anchors = TrustAnchors.none().withV2gRoot(root.cert());
        List<X509Certificate> wire = List.of(prov.cert(), oemSub2.cert());
        ChainValidation strict = new Iso15118ChainValidator(anchors, Leniency.strict())
                .validate(wire, Iso15118Role.OEM_PROVISIONING, E2, at);
        assertThat(rules(assertInvalid(strict, Kind.PROFILE_VIOLATION, ""))).contains(Rule.EXTENDED_KEY_USAGE,
                Rule.PATH_LENGTH, Rule.DOMAIN_COMPONENT, Rule.KEY_USAGE, Rule.BASIC_CONSTRAINTS, Rule.UNEXPECTED_EXTENSION);
        ChainValidation lenient = new Iso15118ChainValidator(anchors, Leniency.knownDeviations())
                .validate(wire, Iso15118Role.OEM_PROVISIONING, E2, at);
        assertThat(lenient.isValid()).as(String.valueOf(lenient)).isTrue();
    }

    @Test
    void josevSampleContractChainIsValidStrictlyAndItsExpiredLeafIsExpired() {
        X509Certificate root = SharedVectors.cert("josev-sample-certs/moRootCACert.der");
        X509Certificate sub1 = SharedVectors.cert("josev-sample-certs/moSubCA1Cert.der");
        X509Certificate sub2 = SharedVectors.cert("josev-sample-certs/moSubCA2Cert.der");
        X509Certificate leaf = SharedVectors.cert("josev-sample-certs/contractLeafCert.der");
        X509Certificate expired = SharedVectors.cert("josev-sample-certs/contractLeafCert_Expired.der");
        Iso15118ChainValidator v = new Iso15118ChainValidator(TrustAnchors.none().withMoRoot(root), Leniency.strict());
        Instant at = Instant.parse("2026-06-01T00:00:00Z");
        ChainValidation ok = v.validate(List.of(leaf, sub2, sub1), Iso15118Role.CONTRACT, E2, at);
        assertThat(ok.isValid()).as(String.valueOf(ok)).isTrue();
        // Josev's "expired" leaf is not signed by this Sub-CA 2's key (OpenSSL agrees: "certificate
        // signature failure"), and its notBefore is after its notAfter: a signature error comes first
        assertInvalid(v.validate(List.of(expired, sub2, sub1), Iso15118Role.CONTRACT, E2, at), Kind.SIGNATURE_ERROR, "CONTRACT");
        assertThat(expired.getNotBefore()).isAfter(expired.getNotAfter());
        // the valid leaf, checked after the chain's Sub-CAs expire (2029-01-07)
        assertInvalid(v.validate(List.of(leaf, sub2, sub1), Iso15118Role.CONTRACT, E2, Instant.parse("2029-06-01T00:00:00Z")),
                Kind.EXPIRED, "");
        // an MO chain is no SECC chain [V2G2-925]
        assertInvalid(v.validate(List.of(leaf, sub2, sub1), Iso15118Role.SECC, E2, at), Kind.UNKNOWN_ROOT, "V2G2-925");
    }

    @Test
    void riseV2gCpsChainIsEcdsaWithSha1AndStrictRejectsIt_V2G2_006() {
        X509Certificate root = SharedVectors.cert("rise-v2g-signature-testdata/v2gRootCACert.pem");
        X509Certificate sub1 = SharedVectors.cert("rise-v2g-signature-testdata/cpsSubCA1Cert.pem");
        X509Certificate sub2 = SharedVectors.cert("rise-v2g-signature-testdata/cpsSubCA2Cert.pem");
        X509Certificate leaf = SharedVectors.cert("rise-v2g-signature-testdata/cpsLeafCert.pem");
        Instant at = Instant.parse("2018-09-01T00:00:00Z");   // inside every validity of the chain
        for (Leniency l : List.of(Leniency.strict(), Leniency.knownDeviations())) {
            ChainValidation r = new Iso15118ChainValidator(TrustAnchors.none().withV2gRoot(root), l)
                    .validate(List.of(leaf, sub2, sub1), Iso15118Role.CPS_LEAF, E2, at);
            // RISE's generator omitted -sha256 with -CA: every non-root certificate is ecdsa-with-SHA1
            assertThat(rules(assertInvalid(r, Kind.PROFILE_VIOLATION, ""))).containsOnly(Rule.SIGNATURE_ALGORITHM);
        }
        assertThat(leaf.getSigAlgName()).containsIgnoringCase("SHA1");
    }

    private static CertificatePolicies policy() {
        return new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier("1.3.6.1.4.1.41525.1.2.1.0")));
    }
}
