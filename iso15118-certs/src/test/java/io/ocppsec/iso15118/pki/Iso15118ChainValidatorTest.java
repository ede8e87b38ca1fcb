package io.ocppsec.iso15118.pki;

import io.ocppsec.iso15118.pki.ChainValidation.Invalid;
import io.ocppsec.iso15118.pki.ChainValidation.Kind;
import io.ocppsec.iso15118.pki.ProfileViolation.Rule;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.CertificatePolicies;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.PolicyInformation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class Iso15118ChainValidatorTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant AT = T0.plus(Duration.ofDays(10));
    private static final Edition E2 = Edition.ISO_15118_2;

    // ---------------------------------------------------------------- our issued chains

    @ParameterizedTest
    @EnumSource(value = Iso15118Role.class, names = {"SECC", "CPS_LEAF", "CONTRACT", "OEM_PROVISIONING"})
    void chainsWeIssueAreValidStrictly(Iso15118Role use) {
        TestPki.Chain c = TestPki.chain(use, E2, TestPki.cnFor(use), T0, Urls.NONE);
        ChainValidation r = strict(c.root()).validate(c.wire(), use, E2, AT);
        assertThat(r).isInstanceOf(ChainValidation.Valid.class);
        ChainValidation.Valid v = (ChainValidation.Valid) r;
        assertThat(v.path()).containsExactly(c.leaf().cert(), c.subCa2().cert(), c.subCa1().cert(), c.root().cert());
        assertThat(v.roles()).containsExactly(use, use.subCa2(), use.subCa1(), use.ownRoot());
    }

    @Test
    void subCasInAnyOrderRootIncludedAndSubCa1Optional() {
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, E2, "DEABCC123ABC56", T0, Urls.NONE);
        Iso15118ChainValidator v = strict(c.root());
        assertThat(v.validate(List.of(c.leaf().cert(), c.subCa1().cert(), c.subCa2().cert()), Iso15118Role.CONTRACT, E2, AT).isValid()).isTrue();
        assertThat(v.validate(List.of(c.leaf().cert(), c.subCa2().cert(), c.subCa1().cert(), c.root().cert()),
                Iso15118Role.CONTRACT, E2, AT).isValid()).isTrue();
        TestPki.Chain shortChain = TestPki.chainUnder(c.root(), Iso15118Role.CONTRACT, E2, "DEABCC123ABC57", T0, Urls.NONE, false);
        assertThat(v.validate(shortChain.wire(), Iso15118Role.CONTRACT, E2, AT).isValid()).isTrue();
    }

    @Test
    void v2gRootedContractChainIsAcceptedButAnMoRootNeverAnchorsASeccChain() {
        // [V2G2-925]: contract → MO root or V2G root; SECC → V2G root only
        TestPki.Node v2g = TestPki.root(Iso15118Role.V2G_ROOT, E2, "V2G", T0);
        TestPki.Chain contract = TestPki.chainUnder(v2g, Iso15118Role.CONTRACT, E2, "DEABCC123ABC56", T0, Urls.NONE, true);
        Iso15118ChainValidator v2gOnly = new Iso15118ChainValidator(TrustAnchors.none().withV2gRoot(v2g.cert()), Leniency.strict());
        ChainValidation r = v2gOnly.validate(contract.wire(), Iso15118Role.CONTRACT, E2, AT);
        assertThat(r.isValid()).isTrue();
        assertThat(((ChainValidation.Valid) r).roles()).endsWith(Iso15118Role.V2G_ROOT);

        TestPki.Node mo = TestPki.root(Iso15118Role.MO_ROOT, E2, "MO", T0);
        TestPki.Chain secc = TestPki.chainUnder(mo, Iso15118Role.SECC, E2, "SECC1", T0, Urls.NONE, true);
        Iso15118ChainValidator moTrusted = new Iso15118ChainValidator(TrustAnchors.none().withMoRoot(mo.cert()), Leniency.strict());
        assertInvalid(moTrusted.validate(secc.wire(), Iso15118Role.SECC, E2, AT), Kind.UNKNOWN_ROOT, "V2G2-925");
    }

    @Test
    void unknownRootOrOtherRootIncluded() {
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, E2, "DEABCC123ABC56", T0, Urls.NONE);
        TestPki.Node other = TestPki.root(Iso15118Role.MO_ROOT, E2, "Other", T0);
        assertInvalid(strict(other).validate(c.wire(), Iso15118Role.CONTRACT, E2, AT), Kind.UNKNOWN_ROOT, "no trusted root");
        List<X509Certificate> withRoot = new ArrayList<>(c.wire());
        withRoot.add(c.root().cert());
        assertInvalid(strict(other).validate(withRoot, Iso15118Role.CONTRACT, E2, AT), Kind.UNKNOWN_ROOT, "");
    }

    @Test
    void iso15118_20ChainsNeedP521OrEd448AndRevocationInfoOnContractChains() {
        Urls urls = Urls.ocsp("http://ocsp.example.com/");
        TestPki.Chain c20 = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_20, "DEABCC123ABC56", T0, urls);
        assertThat(strict(c20.root()).validate(c20.wire(), Iso15118Role.CONTRACT, Edition.ISO_15118_20, AT).isValid()).isTrue();
        // the same chain is not an ISO 15118-2 chain [V2G2-006/007]
        Invalid as2 = assertInvalid(strict(c20.root()).validate(c20.wire(), Iso15118Role.CONTRACT, E2, AT), Kind.PROFILE_VIOLATION, "");
        assertThat(rules(as2)).contains(Rule.SIGNATURE_ALGORITHM, Rule.PUBLIC_KEY);
        // and a -2 chain is not a -20 one
        TestPki.Chain c2 = TestPki.chain(Iso15118Role.SECC, E2, "SECC", T0, Urls.NONE);
        Invalid as20 = assertInvalid(strict(c2.root()).validate(c2.wire(), Iso15118Role.SECC, Edition.ISO_15118_20, AT),
                Kind.PROFILE_VIOLATION, "");
        assertThat(rules(as20)).contains(Rule.SIGNATURE_ALGORITHM, Rule.PUBLIC_KEY);
        // [V2G20-2590] a -20 contract chain without CRLDP/AIA
        TestPki.Chain bare = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_20, "DEABCC123ABC56", T0, Urls.NONE);
        Invalid noUrls = assertInvalid(strict(bare.root()).validate(bare.wire(), Iso15118Role.CONTRACT, Edition.ISO_15118_20, AT),
                Kind.PROFILE_VIOLATION, "");
        assertThat(rules(noUrls)).containsOnly(Rule.REVOCATION_INFO);
    }

    @Test
    void iso15118_20Ed448ChainIsValid_andItsEd448SignaturesAreChecked_V2G20_2319() {
        Urls urls = Urls.crl("http://crl.example.com/mo.crl");
        java.security.KeyPair rk = KeyType.ED448.generate();
        X509Certificate root = Iso15118Certificates.issue(Iso15118Role.MO_ROOT, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(Iso15118Role.MO_ROOT, "MO Root", "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(rk.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(rk.getPrivate(), KeyType.ED448)), TestPki.nextSerial(), T0, urls);
        java.security.KeyPair sk = KeyType.ED448.generate();
        X509Certificate sub2 = Iso15118Certificates.issue(Iso15118Role.MO_SUB_CA_2, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(Iso15118Role.MO_SUB_CA_2, "MO Sub 2", "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(sk.getPublic()),
                Issuer.ca(root, Iso15118Certificates.signer(rk.getPrivate(), KeyType.ED448)), TestPki.nextSerial(), T0, urls);
        java.security.KeyPair lk = KeyType.ED448.generate();
        X509Certificate leaf = Iso15118Certificates.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, "DEABCC123ABC56", "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(lk.getPublic()),
                Issuer.ca(sub2, Iso15118Certificates.signer(sk.getPrivate(), KeyType.ED448)), TestPki.nextSerial(), T0, urls);
        Iso15118ChainValidator v = new Iso15118ChainValidator(TrustAnchors.none().withMoRoot(root), Leniency.strict());
        assertThat(v.validate(List.of(leaf, sub2), Iso15118Role.CONTRACT, Edition.ISO_15118_20, AT).isValid()).isTrue();
        assertThat(v.validate(List.of(leaf, sub2), Iso15118Role.CONTRACT, E2, AT).isValid()).isFalse();

        // the Ed448 signatures are really checked (JCA, EcIssuerKeys leaves Ed448 alone) [V2G20-2319]: one bit of
        // the leaf's or the Sub-CA 2's signature changed is a SIGNATURE_ERROR, as is a leaf signed by another Ed448 key
        X509Certificate badLeaf = flipLastByte(leaf);
        assertInvalid(v.validate(List.of(badLeaf, sub2), Iso15118Role.CONTRACT, Edition.ISO_15118_20, AT),
                Kind.SIGNATURE_ERROR, "CONTRACT");
        assertInvalid(v.validate(List.of(leaf, flipLastByte(sub2)), Iso15118Role.CONTRACT, Edition.ISO_15118_20, AT),
                Kind.SIGNATURE_ERROR, "MO_SUB_CA_2");
        java.security.KeyPair other = KeyType.ED448.generate();
        X509Certificate forged = Iso15118Certificates.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, "DEABCC123ABC56", "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(lk.getPublic()),
                Issuer.ca(sub2, Iso15118Certificates.signer(other.getPrivate(), KeyType.ED448)), TestPki.nextSerial(), T0, urls);
        assertInvalid(v.validate(List.of(forged, sub2), Iso15118Role.CONTRACT, Edition.ISO_15118_20, AT),
                Kind.SIGNATURE_ERROR, "CONTRACT");
        // and the root's own: a root sent along with its signature altered is not the trusted one
        assertInvalid(v.validate(List.of(leaf, sub2, flipLastByte(root)), Iso15118Role.CONTRACT, Edition.ISO_15118_20, AT),
                Kind.UNKNOWN_ROOT, "not the trusted one");
    }

    /** The certificate with the last byte of its DER (the last signature byte) changed. */
    private static X509Certificate flipLastByte(X509Certificate c) {
        try {
            byte[] der = c.getEncoded();
            der[der.length - 1] ^= 0x01;
            return (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(new java.io.ByteArrayInputStream(der));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---------------------------------------------------------------- structure

    @Test
    void structuralErrors() {
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, E2, "DEABCC123ABC56", T0, Urls.NONE);
        Iso15118ChainValidator v = strict(c.root());
        assertInvalid(v.validate(List.of(), Iso15118Role.CONTRACT, E2, AT), Kind.CHAIN_ERROR, "no certificate");
        assertInvalid(v.validate(null, Iso15118Role.CONTRACT, E2, AT), Kind.CHAIN_ERROR, "no certificate");
        List<X509Certificate> six = new ArrayList<>(c.wire());
        while (six.size() < 6) {
            six.add(c.subCa1().cert());
        }
        assertInvalid(v.validate(six, Iso15118Role.CONTRACT, E2, AT), Kind.CHAIN_ERROR, "at most 5");
        // Sub-CA 2 missing: the leaf's issuer is not there
        assertInvalid(v.validate(List.of(c.leaf().cert(), c.subCa1().cert()), Iso15118Role.CONTRACT, E2, AT),
                Kind.CHAIN_ERROR, "missing");
        // a surplus certificate
        TestPki.Chain other = TestPki.chain(Iso15118Role.CONTRACT, E2, "DEABCC123ABC57", T0, Urls.NONE);
        List<X509Certificate> surplus = new ArrayList<>(c.wire());
        surplus.add(other.subCa1().cert());
        assertInvalid(v.validate(surplus, Iso15118Role.CONTRACT, E2, AT), Kind.CHAIN_ERROR, "not on the path");
        // the leaf given as the root
        assertInvalid(v.validate(List.of(c.root().cert()), Iso15118Role.CONTRACT, E2, AT), Kind.CHAIN_ERROR, "self-signed");
    }

    @Test
    void aRootNeverIssuesALeaf_V2G2_867() {
        TestPki.Node root = TestPki.root(Iso15118Role.V2G_ROOT, E2, "V2G", T0);
        TestPki.Node leaf = Craft.node(Iso15118Role.SECC, "SECC", root, T0, Craft.asIs());
        assertInvalid(strict(root).validate(List.of(leaf.cert()), Iso15118Role.SECC, E2, AT), Kind.CHAIN_ERROR, "V2G2-867");
    }

    @Test
    void atMostThreeCertificatesBelowTheRoot_V2G2_009() {
        TestPki.Node root = TestPki.root(Iso15118Role.MO_ROOT, E2, "MO", T0);
        TestPki.Node a = Craft.node(Iso15118Role.MO_SUB_CA_1, "A", root, T0, s -> s.put(Extension.basicConstraints, true, new BasicConstraints(2)));
        TestPki.Node b = Craft.node(Iso15118Role.MO_SUB_CA_1, "B", a, T0, Craft.asIs());
        TestPki.Node c = Craft.node(Iso15118Role.MO_SUB_CA_2, "C", b, T0, Craft.asIs());
        TestPki.Node leaf = Craft.node(Iso15118Role.CONTRACT, "DEABCC123ABC56", c, T0, Craft.asIs());
        assertInvalid(strict(root).validate(List.of(leaf.cert(), c.cert(), b.cert(), a.cert()), Iso15118Role.CONTRACT, E2, AT),
                Kind.CHAIN_ERROR, "V2G2-009");
    }

    @Test
    void aForgedSignatureIsASignatureError() {
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, E2, "DEABCC123ABC56", T0, Urls.NONE);
        // names the Sub-CA 2 as issuer (and its SKI as AKI) but is signed by another key
        TestPki.Node forged = Craft.node(Iso15118Role.CONTRACT, "DEABCC123ABC56", c.subCa2(), T0,
                s -> s.signingKey = KeyType.SECP256R1.generate().getPrivate());
        assertInvalid(strict(c.root()).validate(List.of(forged.cert(), c.subCa2().cert(), c.subCa1().cert()),
                Iso15118Role.CONTRACT, E2, AT), Kind.SIGNATURE_ERROR, "CONTRACT");
    }

    @Test
    void validityOfEveryCertificateOfThePath() {
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, E2, "DEABCC123ABC56", T0, Urls.NONE);
        Iso15118ChainValidator v = strict(c.root());
        assertInvalid(v.validate(c.wire(), Iso15118Role.CONTRACT, E2, T0.minusSeconds(1)), Kind.NOT_YET_VALID, "CONTRACT");
        // contract 730 d, MO Sub-CA 1460 d, root 3650 d
        assertInvalid(v.validate(c.wire(), Iso15118Role.CONTRACT, E2, T0.plus(Duration.ofDays(731))), Kind.EXPIRED, "CONTRACT");
        TestPki.Node shortSub2 = Craft.node(Iso15118Role.MO_SUB_CA_2, "Short", c.subCa1(), T0,
                s -> s.notAfter = T0.plus(Duration.ofDays(5)));
        TestPki.Node leaf = Craft.node(Iso15118Role.CONTRACT, "DEABCC123ABC56", shortSub2, T0, Craft.asIs());
        assertInvalid(v.validate(List.of(leaf.cert(), shortSub2.cert(), c.subCa1().cert()), Iso15118Role.CONTRACT, E2, AT),
                Kind.EXPIRED, "MO_SUB_CA_2");
        assertThat(v.validate(c.wire(), Iso15118Role.CONTRACT, E2, T0.plus(Duration.ofDays(729))).isValid()).isTrue();
    }

    // ---------------------------------------------------------------- profile, strict and lenient

    /** position: 0 leaf, 1 Sub-CA 2, 2 Sub-CA 1, 3 root. */
    record Case(String name, int position, Consumer<Craft.Spec> tweak, Rule rule, boolean lenientAccepts) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Arguments> violations() {
        return Stream.of(
                new Case("BasicConstraints not critical", 0, s -> s.put(Extension.basicConstraints, false, new BasicConstraints(false)), Rule.BASIC_CONSTRAINTS, false),
                new Case("leaf CA:true", 0, s -> s.put(Extension.basicConstraints, true, new BasicConstraints(true)), Rule.BASIC_CONSTRAINTS, false),
                new Case("leaf without BasicConstraints", 0, s -> s.extensions.remove(Extension.basicConstraints), Rule.BASIC_CONSTRAINTS, true),
                new Case("KeyUsage not critical", 0, s -> s.put(Extension.keyUsage, false, new KeyUsage(Iso15118Role.CONTRACT.keyUsage())), Rule.KEY_USAGE, false),
                new Case("KeyUsage without keyAgreement", 0, s -> s.put(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.nonRepudiation)), Rule.KEY_USAGE, false),
                new Case("leaf KeyUsage keyCertSign", 0, s -> s.put(Extension.keyUsage, true, new KeyUsage(Iso15118Role.CONTRACT.keyUsage() | KeyUsage.keyCertSign)), Rule.KEY_USAGE, false),
                new Case("Sub-CA 2 without keyCertSign", 1, s -> s.put(Extension.keyUsage, true, new KeyUsage(KeyUsage.cRLSign | KeyUsage.digitalSignature)), Rule.KEY_USAGE, false),
                new Case("Sub-CA 2 pathLen 1", 1, s -> s.put(Extension.basicConstraints, true, new BasicConstraints(1)), Rule.PATH_LENGTH, true),
                new Case("Sub-CA 1 pathLen 2", 2, s -> s.put(Extension.basicConstraints, true, new BasicConstraints(2)), Rule.PATH_LENGTH, false),
                new Case("root pathLen 0", 3, s -> s.put(Extension.basicConstraints, true, new BasicConstraints(0)), Rule.PATH_LENGTH, false),
                new Case("leaf without DC", 0, s -> s.subject = name("DEABCC123ABC56", null), Rule.DOMAIN_COMPONENT, true),
                new Case("leaf with DC=CPO", 0, s -> s.subject = name("DEABCC123ABC56", "CPO"), Rule.DOMAIN_COMPONENT, false),
                new Case("contract CN not an eMAID", 0, s -> s.subject = name("Not an eMAID", "MO"), Rule.COMMON_NAME, false),
                new Case("leaf EKU", 0, s -> s.put(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth)), Rule.EXTENDED_KEY_USAGE, false),
                new Case("root EKU OCSPSigning", 3, s -> s.put(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_OCSPSigning)), Rule.EXTENDED_KEY_USAGE, true),
                new Case("no SubjectKeyIdentifier", 0, s -> s.extensions.remove(Extension.subjectKeyIdentifier), Rule.SUBJECT_KEY_IDENTIFIER, false),
                new Case("certificatePolicies on -2", 1, s -> s.put(Extension.certificatePolicies, false, new CertificatePolicies(new PolicyInformation(new ASN1ObjectIdentifier("1.3.6.1.4.1.41525.1.2.1.0")))), Rule.UNEXPECTED_EXTENSION, true),
                new Case("critical SubjectKeyIdentifier (-20 Annex B)", 0, s -> s.extensions.put(Extension.subjectKeyIdentifier, new Extension(Extension.subjectKeyIdentifier, true, s.extensions.get(Extension.subjectKeyIdentifier).getExtnValue())), Rule.CRITICAL_EXTENSION, true),
                new Case("unknown critical extension", 0, s -> s.put(new ASN1ObjectIdentifier("1.3.6.1.4.1.99999.1"), true, new DERUTF8String("x")), Rule.CRITICAL_EXTENSION, false),
                new Case("ecdsa-with-SHA1 [V2G2-006]", 0, s -> s.signatureAlgorithm = "SHA1withECDSA", Rule.SIGNATURE_ALGORITHM, false),
                new Case("ecdsa-with-SHA384 [V2G2-006]", 1, s -> s.signatureAlgorithm = "SHA384withECDSA", Rule.SIGNATURE_ALGORITHM, false),
                new Case("P-384 key [V2G2-007]", 0, s -> s.keys = p384(), Rule.PUBLIC_KEY, false),
                new Case("DER over 800 bytes [V2G2-010]", 0, s -> s.subject = new X500NameBuilder(BCStyle.INSTANCE)
                        .addRDN(BCStyle.CN, "DEABCC123ABC56").addRDN(BCStyle.O, "O".repeat(600)).addRDN(BCStyle.DC, "MO").build(), Rule.DER_SIZE, false)
        ).map(Arguments::of);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void eachProfileViolationIsCaughtStrictly(Case k) {
        List<TestPki.Node> chain = craftedContractChain(k.position(), k.tweak());
        ChainValidation r = validator(chain, Leniency.strict()).validate(wire(chain), Iso15118Role.CONTRACT, E2, AT);
        Invalid inv = assertInvalid(r, Kind.PROFILE_VIOLATION, "");
        assertThat(rules(inv)).as(inv.reason()).containsOnly(k.rule());
        ChainValidation lenient = validator(chain, Leniency.knownDeviations()).validate(wire(chain), Iso15118Role.CONTRACT, E2, AT);
        assertThat(lenient.isValid()).as("knownDeviations() on %s: %s", k.name(), lenient).isEqualTo(k.lenientAccepts());
    }

    @Test
    void theCraftedBaseChainIsValid() {
        List<TestPki.Node> chain = craftedContractChain(0, Craft.asIs());
        assertThat(validator(chain, Leniency.strict()).validate(wire(chain), Iso15118Role.CONTRACT, E2, AT).isValid()).isTrue();
    }

    @Test
    void eachLeniencyOptionWidensOnlyItsRule() {
        // Sub-CA 2 with pathLen 1: only subCa2PathLenOne accepts it
        List<TestPki.Node> chain = craftedContractChain(1, s -> s.put(Extension.basicConstraints, true, new BasicConstraints(1)));
        Leniency allButOne = Leniency.knownDeviations().withSubCa2PathLenOne(false);
        assertThat(validator(chain, allButOne).validate(wire(chain), Iso15118Role.CONTRACT, E2, AT).isValid()).isFalse();
        assertThat(validator(chain, Leniency.strict().withSubCa2PathLenOne(true)).validate(wire(chain), Iso15118Role.CONTRACT, E2, AT)
                .isValid()).isTrue();
    }

    // ---------------------------------------------------------------- helpers

    private static List<TestPki.Node> craftedContractChain(int position, Consumer<Craft.Spec> tweak) {
        TestPki.Node root = Craft.node(Iso15118Role.MO_ROOT, "MO Root", null, T0, position == 3 ? tweak : Craft.asIs());
        TestPki.Node sub1 = Craft.node(Iso15118Role.MO_SUB_CA_1, "MO Sub 1", root, T0, position == 2 ? tweak : Craft.asIs());
        TestPki.Node sub2 = Craft.node(Iso15118Role.MO_SUB_CA_2, "MO Sub 2", sub1, T0, position == 1 ? tweak : Craft.asIs());
        TestPki.Node leaf = Craft.node(Iso15118Role.CONTRACT, "DEABCC123ABC56", sub2, T0, position == 0 ? tweak : Craft.asIs());
        return List.of(leaf, sub2, sub1, root);
    }

    private static List<X509Certificate> wire(List<TestPki.Node> chain) {
        return List.of(chain.get(0).cert(), chain.get(1).cert(), chain.get(2).cert());
    }

    private static Iso15118ChainValidator validator(List<TestPki.Node> chain, Leniency l) {
        return new Iso15118ChainValidator(TrustAnchors.none().withMoRoot(chain.get(3).cert()), l);
    }

    private static Iso15118ChainValidator strict(TestPki.Node root) {
        TrustAnchors a = switch (root.role()) {
            case V2G_ROOT -> TrustAnchors.none().withV2gRoot(root.cert());
            case MO_ROOT -> TrustAnchors.none().withMoRoot(root.cert());
            default -> TrustAnchors.none().withOemRoot(root.cert());
        };
        return new Iso15118ChainValidator(a, Leniency.strict());
    }

    private static org.bouncycastle.asn1.x500.X500Name name(String cn, String dc) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, cn).addRDN(BCStyle.O, "Crafted");
        if (dc != null) {
            b.addRDN(BCStyle.DC, dc);
        }
        return b.build();
    }

    private static java.security.KeyPair p384() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Iso15118Crypto.provider());
            g.initialize(new ECGenParameterSpec("secp384r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static List<Rule> rules(Invalid inv) {
        return inv.violations().stream().map(ProfileViolation::rule).toList();
    }

    static Invalid assertInvalid(ChainValidation r, Kind kind, String reasonPart) {
        assertThat(r).isInstanceOf(Invalid.class);
        Invalid inv = (Invalid) r;
        assertThat(inv.kind()).as(inv.reason()).isEqualTo(kind);
        assertThat(inv.reason()).contains(reasonPart);
        return inv;
    }
}
