package io.ocppsec.iso15118.pki;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERUTF8String;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectAltPublicKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The X448 "Alternate Subject Public Key" of an Ed448 -20 OEM provisioning certificate [V2G20-2534], read as
 * subjectAltPublicKeyInfo (2.5.29.72, our reading): issued, read back, accepted by the -20 OEM provisioning
 * profile when non-critical, refused when critical (as every critical extension the profile does not process),
 * and not listed on other roles or in -2.
 */
class AlternatePublicKeyTest {
    static final Edition E = Edition.ISO_15118_20;
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1));
    static final String PCID = "WMI0000000000X4480";

    static TestPki.Chain oem;

    @BeforeAll
    static void pki() {
        oem = TestPki.chain(Iso15118Role.OEM_PROVISIONING, E, PCID, T0, Urls.NONE);
    }

    Iso15118ChainValidator validator(Leniency l) {
        return new Iso15118ChainValidator(TrustAnchors.none().withOemRoot(oem.root().cert()), l);
    }

    ChainValidation validate(X509Certificate leaf, Leniency l) {
        return validator(l).validate(List.of(leaf, oem.subCa2().cert(), oem.subCa1().cert()), Iso15118Role.OEM_PROVISIONING, E,
                Instant.now());
    }

    /** An Ed448 OEM provisioning certificate under the -20 OEM Sub-CA 2, crafted with {@code tweak}. */
    static TestPki.Node crafted(Consumer<Craft.Spec> tweak) {
        return Craft.node(Iso15118Role.OEM_PROVISIONING, PCID, oem.subCa2(), T0, s -> {
            s.keys = KeyType.ED448.generate();
            s.signatureAlgorithm = "SHA512withECDSA"; // the P-521 Sub-CA 2 signs
            s.put(Extension.subjectKeyIdentifier, false, new BcX509ExtensionUtils().createTruncatedSubjectKeyIdentifier(
                    SubjectPublicKeyInfo.getInstance(s.keys.getPublic().getEncoded())));
            tweak.accept(s);
        });
    }

    static SubjectPublicKeyInfo spki(KeyPair k) {
        return SubjectPublicKeyInfo.getInstance(k.getPublic().getEncoded());
    }

    @Test
    void anEd448OemCertificateCarriesItsX448KeyAndPassesTheMinus20ProfileStrictly_V2G20_2534() throws Exception {
        KeyPair x448 = TestPki.x448();
        TestPki.Node car = TestPki.oemProvisioningWithX448(PCID, oem.subCa2(), T0, x448);
        assertThat(KeyType.of(Iso15118Certificates.subjectPublicKeyInfo(car.cert().getPublicKey()))).contains(KeyType.ED448);
        assertThat(car.cert().getNonCriticalExtensionOIDs()).contains("2.5.29.72");
        AlternatePublicKey.X448Lookup found = AlternatePublicKey.x448(car.cert());
        assertThat(found).isInstanceOf(AlternatePublicKey.Found.class);
        assertThat(((AlternatePublicKey.Found) found).key().getEncoded()).isEqualTo(x448.getPublic().getEncoded());
        ChainValidation v = validate(car.cert(), Leniency.strict());
        assertThat(v.isValid()).as(v.toString()).isTrue();
        // keyAgreement stays on the OEM provisioning certificate [V2G20-822]
        assertThat(car.cert().getKeyUsage()[4]).isTrue();
    }

    @Test
    void withoutTheExtensionTheLookupIsAbsent() {
        assertThat(AlternatePublicKey.x448(oem.leaf().cert())).isInstanceOf(AlternatePublicKey.Absent.class);
    }

    @Test
    void anythingButA56ByteX448KeyIsUnusable() {
        // an Ed448 key, a P-521 key, 55 bytes, parameters on id-X448, a low-order point (u = 1), not a SubjectPublicKeyInfo
        byte[] one = new byte[56];
        one[0] = 1;
        List<Consumer<Craft.Spec>> holders = List.of(
                s -> s.put(AlternatePublicKey.OID, false, new SubjectAltPublicKeyInfo(spki(KeyType.ED448.generate()))),
                s -> s.put(AlternatePublicKey.OID, false, new SubjectAltPublicKeyInfo(spki(KeyType.SECP521R1.generate()))),
                s -> s.put(AlternatePublicKey.OID, false, new SubjectAltPublicKeyInfo(new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(EdECObjectIdentifiers.id_X448), new byte[55]))),
                s -> s.put(AlternatePublicKey.OID, false, new SubjectAltPublicKeyInfo(new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(EdECObjectIdentifiers.id_X448, DERNull.INSTANCE), spki(TestPki.x448()).getPublicKeyData().getOctets()))),
                s -> s.put(AlternatePublicKey.OID, false, new SubjectAltPublicKeyInfo(new SubjectPublicKeyInfo(
                        new AlgorithmIdentifier(EdECObjectIdentifiers.id_X448), one))),
                s -> s.put(AlternatePublicKey.OID, false, new DEROctetString(new byte[] {1, 2, 3})),
                s -> s.put(AlternatePublicKey.OID, false, new DERUTF8String("X448")));
        for (Consumer<Craft.Spec> h : holders) {
            TestPki.Node car = crafted(h);
            AlternatePublicKey.X448Lookup l = AlternatePublicKey.x448(car.cert());
            assertThat(l).isInstanceOf(AlternatePublicKey.Unusable.class);
            assertThat(((AlternatePublicKey.Unusable) l).reason()).contains("2.5.29.72");
        }
    }

    @Test
    void theExtensionMarkedCriticalIsRefusedByTheProfileLikeEveryUnprocessedCriticalExtension() {
        KeyPair x448 = TestPki.x448();
        TestPki.Node nonCritical = crafted(s -> s.put(AlternatePublicKey.OID, false, new SubjectAltPublicKeyInfo(spki(x448))));
        assertThat(validate(nonCritical.cert(), Leniency.strict()).isValid()).isTrue();
        TestPki.Node critical = crafted(s -> s.put(AlternatePublicKey.OID, true, new SubjectAltPublicKeyInfo(spki(x448))));
        for (Leniency l : List.of(Leniency.strict(), Leniency.knownDeviations())) {
            ChainValidation v = validate(critical.cert(), l);
            assertThat(v).isInstanceOf(ChainValidation.Invalid.class);
            ChainValidation.Invalid inv = (ChainValidation.Invalid) v;
            assertThat(inv.kind()).isEqualTo(ChainValidation.Kind.PROFILE_VIOLATION);
            assertThat(Iso15118ChainValidatorTest.rules(inv)).containsOnly(ProfileViolation.Rule.CRITICAL_EXTENSION);
            assertThat(inv.reason()).contains("2.5.29.72");
        }
    }

    @Test
    void theExtensionIsListedOnlyForMinus20OemProvisioningCertificates() {
        // on a -20 contract certificate it is an unexpected extension (strict)
        Extension ext = AlternatePublicKey.x448Extension(spki(TestPki.x448()));
        TestPki.Chain mo = TestPki.chain(Iso15118Role.CONTRACT, E, "DEABCC123ABC56", T0, Urls.ocsp("http://ocsp.example.com/"));
        TestPki.Node contract = Craft.node(Iso15118Role.CONTRACT, "DEABCC123ABC57", mo.subCa2(), T0, s -> {
            s.keys = KeyType.SECP521R1.generate();
            s.signatureAlgorithm = "SHA512withECDSA";
            s.extensions.put(ext.getExtnId(), ext);
            s.put(Extension.authorityInfoAccess, false, new org.bouncycastle.asn1.x509.AuthorityInformationAccess(
                    new org.bouncycastle.asn1.x509.AccessDescription(org.bouncycastle.asn1.x509.AccessDescription.id_ad_ocsp,
                            new org.bouncycastle.asn1.x509.GeneralName(6, "http://ocsp.example.com/"))));
        });
        ChainValidation v = new Iso15118ChainValidator(TrustAnchors.none().withMoRoot(mo.root().cert()), Leniency.strict())
                .validate(List.of(contract.cert(), mo.subCa2().cert(), mo.subCa1().cert()), Iso15118Role.CONTRACT, E, Instant.now());
        assertThat(v).isInstanceOf(ChainValidation.Invalid.class);
        assertThat(Iso15118ChainValidatorTest.rules((ChainValidation.Invalid) v)).containsOnly(ProfileViolation.Rule.UNEXPECTED_EXTENSION);
    }

    @Test
    void issuingRefusesAnythingButEd448WithX448() {
        var subject = Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, PCID, "Test", "DE");
        Issuer issuer = Issuer.ca(oem.subCa2().cert(), Iso15118Certificates.signer(oem.subCa2().keys().getPrivate(), KeyType.SECP521R1));
        assertThatThrownBy(() -> Iso15118Certificates.issueOemProvisioningWithX448(subject, spki(KeyType.SECP521R1.generate()),
                spki(TestPki.x448()), issuer, BigInteger.TEN, T0, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Ed448");
        assertThatThrownBy(() -> Iso15118Certificates.issueOemProvisioningWithX448(subject, spki(KeyType.ED448.generate()),
                spki(KeyType.ED448.generate()), issuer, BigInteger.TEN, T0, Urls.NONE))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("X448");
    }
}
