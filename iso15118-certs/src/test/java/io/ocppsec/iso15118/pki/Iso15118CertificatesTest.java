package io.ocppsec.iso15118.pki;

import io.ocppsec.security.cert.CertificateIdentifier;
import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class Iso15118CertificatesTest {

    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @ParameterizedTest
    @EnumSource(value = Iso15118Role.class, names = {"SECC", "CPS_LEAF", "CONTRACT", "OEM_PROVISIONING"})
    void everyCertificateOfAnIso15118_2ChainFollowsTheProfileTable(Iso15118Role leafRole) throws Exception {
        TestPki.Chain chain = TestPki.chain(leafRole, Edition.ISO_15118_2, TestPki.cnFor(leafRole), NOW, Urls.NONE);
        for (TestPki.Node[] pair : pairs(chain)) {
            assertProfile(pair[0], pair[1], Edition.ISO_15118_2);
        }
    }

    @ParameterizedTest
    @EnumSource(value = KeyType.class, names = {"SECP521R1", "ED448"})
    void iso15118_20ChainsUseP521WithSha512OrEd448(KeyType type) throws Exception {
        TestPki.Node root = rootWith(Iso15118Role.MO_ROOT, type);
        TestPki.Node sub2 = issueWith(Iso15118Role.MO_SUB_CA_2, type, "MO Sub 2", root);
        TestPki.Node leaf = issueWith(Iso15118Role.CONTRACT, type, "DEABCC123ABC567", sub2);
        assertProfile(root, root, Edition.ISO_15118_20);
        assertProfile(sub2, root, Edition.ISO_15118_20);
        assertProfile(leaf, sub2, Edition.ISO_15118_20);
        assertThat(leaf.cert().getSigAlgOID()).isEqualTo(type == KeyType.ED448
                ? EdECObjectIdentifiers.id_Ed448.getId() : X9ObjectIdentifiers.ecdsa_with_SHA512.getId());
        // -20: 8-byte SKI, written as 16 hex characters into the envelope AAD [V2G20-2492]
        assertThat(ski(leaf.cert())).hasSize(8);
    }

    @Test
    void urlsAreWrittenNonCriticalAndReadableAsOcspResponder() throws Exception {
        Urls urls = new Urls("http://crl.example.com/mo.crl", "http://ocsp.example.com/");
        TestPki.Chain chain = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_2, "DEABCC123ABC56", NOW, urls);
        X509Certificate leaf = chain.leaf().cert();
        assertThat(leaf.getNonCriticalExtensionOIDs())
                .contains(Extension.cRLDistributionPoints.getId(), Extension.authorityInfoAccess.getId());
        assertThat(CertificateIdentifier.ocspResponderUrl(leaf)).contains("http://ocsp.example.com/");
        assertThat(new String(leaf.getExtensionValue(Extension.cRLDistributionPoints.getId()), "ISO-8859-1"))
                .contains("http://crl.example.com/mo.crl");
        assertThat(chain.root().cert().getExtensionValue(Extension.authorityInfoAccess.getId())).isNull();
    }

    @Test
    void defaultValidityIsTheRolesAndCanBeOverridden() {
        TestPki.Chain chain = TestPki.chain(Iso15118Role.SECC, Edition.ISO_15118_2, "SECC1", NOW, Urls.NONE);
        assertThat(Duration.between(chain.leaf().cert().getNotBefore().toInstant(), chain.leaf().cert().getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(60));
        assertThat(Duration.between(chain.root().cert().getNotBefore().toInstant(), chain.root().cert().getNotAfter().toInstant()))
                .isEqualTo(Duration.ofDays(3650));
        KeyPair kp = KeyType.SECP256R1.generate();
        X509Certificate c = Iso15118Certificates.issue(Iso15118Role.SECC, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.SECC, "SECC2", "CPO", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                Issuer.ca(chain.subCa2().cert(), Iso15118Certificates.signer(chain.subCa2().keys().getPrivate(), KeyType.SECP256R1)),
                BigInteger.TEN, NOW, NOW.plus(Duration.ofDays(90)), Urls.NONE);
        assertThat(c.getNotAfter().toInstant()).isEqualTo(NOW.plus(Duration.ofDays(90)));
    }

    @Test
    void subjectCarriesCnOCAndDcAsIa5String() {
        var name = Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, "DE-ABC-C123ABC56", "Example MO", "de");
        assertThat(name.toString()).isEqualTo("CN=DE-ABC-C123ABC56,O=Example MO,C=DE,DC=MO");
        RDN dc = name.getRDNs(BCStyle.DC)[0];
        assertThat(dc.getFirst().getType().getId()).isEqualTo("0.9.2342.19200300.100.1.25");
        assertThat(dc.getFirst().getValue()).isInstanceOf(ASN1IA5String.class);
    }

    @Test
    void contractCnMustBeAnEmaidAndOemProvisioningCnAPcid() {
        assertThatThrownBy(() -> Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, "not-an-emaid", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eMAID");
        assertThatThrownBy(() -> Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, "short", null, null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("PCID");
        assertThatThrownBy(() -> Iso15118Certificates.subjectFor(Iso15118Role.SECC, "SECC", null, "DEU"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("C must be");
        // the subject passed to issue() is checked too, not only subjectFor's
        TestPki.Chain chain = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_2, "DEABCC123ABC56", NOW, Urls.NONE);
        var badSubject = Iso15118Certificates.subjectFor(Iso15118Role.SECC, "NOT AN EMAID", null, null);
        assertThatThrownBy(() -> TestPki.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_2, badSubject, chain.subCa2(), NOW, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("eMAID");
    }

    @Test
    void keyAndSignatureAlgorithmMustFitTheEdition() {
        // [V2G2-007] a P-521 key in a -2 certificate; [V2G2-006] a SHA-512 signature on a -2 certificate
        TestPki.Node root = TestPki.root(Iso15118Role.V2G_ROOT, Edition.ISO_15118_2, "V2G", NOW);
        KeyPair p521 = KeyType.SECP521R1.generate();
        assertThatThrownBy(() -> Iso15118Certificates.issue(Iso15118Role.CPO_SUB_CA_1, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.CPO_SUB_CA_1, "Sub", null, null),
                Iso15118Certificates.subjectPublicKeyInfo(p521.getPublic()),
                Issuer.ca(root.cert(), Iso15118Certificates.signer(root.keys().getPrivate(), KeyType.SECP256R1)),
                BigInteger.ONE, NOW, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not allowed in ISO_15118_2");
        KeyPair p256 = KeyType.SECP256R1.generate();
        assertThatThrownBy(() -> Iso15118Certificates.issue(Iso15118Role.V2G_ROOT, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.V2G_ROOT, "Root", null, null),
                Iso15118Certificates.subjectPublicKeyInfo(p521.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(p521.getPrivate(), KeyType.SECP521R1)),
                BigInteger.ONE, NOW, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Iso15118Certificates.issue(Iso15118Role.V2G_ROOT, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(Iso15118Role.V2G_ROOT, "Root", null, null),
                Iso15118Certificates.subjectPublicKeyInfo(p256.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(p256.getPrivate(), KeyType.SECP256R1)),
                BigInteger.ONE, NOW, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("SECP256R1 keys are not allowed in ISO_15118_20");
    }

    @Test
    void onlyRootsAreSelfSignedAndOnlyCasIssue() {
        TestPki.Chain chain = TestPki.chain(Iso15118Role.SECC, Edition.ISO_15118_2, "SECC1", NOW, Urls.NONE);
        KeyPair kp = KeyType.SECP256R1.generate();
        var spki = Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic());
        assertThatThrownBy(() -> Iso15118Certificates.issue(Iso15118Role.CPO_SUB_CA_1, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.CPO_SUB_CA_1, "Sub", null, null), spki,
                Issuer.selfSigned(Iso15118Certificates.signer(kp.getPrivate(), KeyType.SECP256R1)), BigInteger.ONE, NOW, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot be self-signed");
        assertThatThrownBy(() -> Iso15118Certificates.issue(Iso15118Role.V2G_ROOT, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.V2G_ROOT, "Root", null, null), spki,
                Issuer.ca(chain.root().cert(), Iso15118Certificates.signer(chain.root().keys().getPrivate(), KeyType.SECP256R1)),
                BigInteger.ONE, NOW, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must be self-signed");
        assertThatThrownBy(() -> Iso15118Certificates.issue(Iso15118Role.SECC, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.SECC, "S", null, null), spki,
                Issuer.ca(chain.leaf().cert(), Iso15118Certificates.signer(chain.leaf().keys().getPrivate(), KeyType.SECP256R1)),
                BigInteger.ONE, NOW, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a CA");
        assertThatThrownBy(() -> Iso15118Certificates.issue(Iso15118Role.V2G_ROOT, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.V2G_ROOT, "Root", null, null), spki,
                Issuer.selfSigned(Iso15118Certificates.signer(kp.getPrivate(), KeyType.SECP256R1)), BigInteger.ZERO, NOW, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("serial");
    }

    // --- helpers

    private static TestPki.Node rootWith(Iso15118Role role, KeyType type) {
        KeyPair kp = type.generate();
        X509Certificate c = Iso15118Certificates.issue(role, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(role, "Root", "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(kp.getPrivate(), type)), TestPki.nextSerial(), NOW,
                Urls.ocsp("http://ocsp.example.com/"));
        return new TestPki.Node(role, c, kp);
    }

    private static TestPki.Node issueWith(Iso15118Role role, KeyType type, String cn, TestPki.Node issuer) {
        KeyPair kp = type.generate();
        X509Certificate c = Iso15118Certificates.issue(role, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(role, cn, "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                Issuer.ca(issuer.cert(), Iso15118Certificates.signer(issuer.keys().getPrivate(), type)), TestPki.nextSerial(), NOW,
                Urls.ocsp("http://ocsp.example.com/"));
        return new TestPki.Node(role, c, kp);
    }

    private static List<TestPki.Node[]> pairs(TestPki.Chain c) {
        List<TestPki.Node[]> l = new ArrayList<>();
        l.add(new TestPki.Node[] {c.root(), c.root()});
        l.add(new TestPki.Node[] {c.subCa1(), c.root()});
        l.add(new TestPki.Node[] {c.subCa2(), c.subCa1()});
        l.add(new TestPki.Node[] {c.leaf(), c.subCa2()});
        return l;
    }

    private static byte[] ski(X509Certificate c) throws Exception {
        return SubjectKeyIdentifier.getInstance(new JcaX509CertificateHolder(c)
                .getExtension(Extension.subjectKeyIdentifier).getParsedValue()).getKeyIdentifier();
    }

    /** Checks one certificate against the profile table row of its role, independently of the code under test. */
    private static void assertProfile(TestPki.Node node, TestPki.Node issuer, Edition edition) throws Exception {
        X509Certificate c = node.cert();
        Iso15118Role role = node.role();
        X509CertificateHolder h = new JcaX509CertificateHolder(c);
        assertThat(c.getVersion()).as("%s version", role).isEqualTo(3);
        assertThat(h.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(Iso15118Crypto.provider())
                .build(issuer.cert()))).as("%s signature", role).isTrue();
        if (edition == Edition.ISO_15118_2) {
            assertThat(c.getSigAlgOID()).as("[V2G2-006] %s", role).isEqualTo("1.2.840.10045.4.3.2");
            assertThat(h.getSubjectPublicKeyInfo().getAlgorithm().getParameters().toString())
                    .as("[V2G2-007] %s", role).isEqualTo("1.2.840.10045.3.1.7");
            assertThat(c.getEncoded().length).as("[V2G2-010] %s", role).isLessThanOrEqualTo(800);
        }
        // BasicConstraints critical, CA flag and pathLen per role
        assertThat(c.getCriticalExtensionOIDs()).as("%s critical", role)
                .containsExactlyInAnyOrder(Extension.basicConstraints.getId(), Extension.keyUsage.getId());
        BasicConstraints bc = BasicConstraints.getInstance(h.getExtension(Extension.basicConstraints).getParsedValue());
        assertThat(bc.isCA()).as("%s CA", role).isEqualTo(role.isCa());
        switch (role.tier()) {
            case ROOT, LEAF -> assertThat(bc.getPathLenConstraint()).as("%s pathLen", role).isNull();
            case SUB_CA_1 -> assertThat(bc.getPathLenConstraint()).as("%s pathLen", role).isEqualTo(BigInteger.ONE);
            case SUB_CA_2 -> assertThat(bc.getPathLenConstraint()).as("%s pathLen", role).isEqualTo(BigInteger.ZERO);
        }
        // KeyUsage bits exactly as the table says (java order: digitalSignature, nonRepudiation,
        // keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, ...)
        boolean[] ku = c.getKeyUsage();
        String bits = expectedKu(role);
        for (int i = 0; i < 9; i++) {
            assertThat(i < ku.length && ku[i]).as("%s KU bit %d", role, i).isEqualTo(bits.charAt(i) == '1');
        }
        assertThat(c.getExtendedKeyUsage()).as("%s has no EKU", role).isNull();
        assertThat(h.getExtension(Extension.subjectKeyIdentifier)).as("%s SKI", role).isNotNull();
        if (role.tier() != Iso15118Role.Tier.ROOT) {
            byte[] aki = AuthorityKeyIdentifier.getInstance(h.getExtension(Extension.authorityKeyIdentifier).getParsedValue())
                    .getKeyIdentifierOctets();
            assertThat(aki).as("%s AKI = issuer SKI", role).isEqualTo(ski(issuer.cert()));
        }
        RDN[] dc = h.getSubject().getRDNs(BCStyle.DC);
        assertThat(dc).as("%s DC", role).hasSize(1);
        assertThat(dc[0].getFirst().getValue().toString()).isEqualTo(switch (role.pki()) {
            case V2G -> role == Iso15118Role.SECC ? "CPO" : "V2G";
            case CPS -> "CPS";
            case MO -> "MO";
            case OEM -> "OEM";
        });
        if (role == Iso15118Role.CONTRACT) {
            assertThat(Emaid.isValid(Iso15118Certificates.commonName(h.getSubject()))).isTrue();
        }
    }

    /** The KeyUsage row of reference iso15118.md §1.2, as 9 bits (digitalSignature first). */
    private static String expectedKu(Iso15118Role role) {
        return switch (role) {
            case SECC, OEM_PROVISIONING -> "100010000";
            case CPS_LEAF -> "100000000";
            case CONTRACT -> "111010000";
            case MO_SUB_CA_2 -> "110001100";
            default -> "000001100";
        };
    }
}
