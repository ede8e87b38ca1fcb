package io.ocppsec.iso15118.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.Certificate;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

/**
 * Certificate signatures under an EC issuer are checked with a remembered Bouncy Castle key
 * ({@link EcIssuerKeys}). With that key warm, nothing but a genuine signature by that very key over
 * the very bytes received may pass: each case is also checked against the JCA path
 * ({@code X509Certificate.verify} with Bouncy Castle), which must agree.
 */
class EcIssuerKeysTest {
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1));

    @Test
    void aWarmIssuerKeyRefusesAWrongSignatureAnotherKeyAndABerVariant() throws Exception {
        TestPki.Chain c = TestPki.chain(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, "WMI0123456789ABCD", T0, Urls.NONE);
        X509Certificate leaf = c.leaf().cert();
        X509Certificate sub = c.subCa2().cert();
        // warm: the fast path answers, and yes
        assertThat(fast(leaf, sub)).isTrue();
        assertThat(fast(leaf, sub)).isTrue();
        assertThat(Iso15118ChainValidator.signedBy(leaf, sub)).isTrue();

        // a wrong signature (one bit of s flipped; still well-formed DER)
        byte[] der = leaf.getEncoded();
        der[der.length - 5] ^= 0x01;
        X509Certificate wrongSignature = parse(der);
        assertThat(fast(wrongSignature, sub)).isFalse();
        assertThat(jca(wrongSignature, sub)).isFalse();
        assertThat(Iso15118ChainValidator.signedBy(wrongSignature, sub)).isFalse();

        // another issuer key with the same name (also warm): it signed nothing of this
        TestPki.Node otherSub = TestPki.issue(Iso15118Role.OEM_SUB_CA_2, Edition.ISO_15118_2, Iso15118Role.OEM_SUB_CA_2.name(),
                c.root(), T0, Urls.NONE);
        assertThat(otherSub.cert().getSubjectX500Principal()).isEqualTo(sub.getSubjectX500Principal());
        TestPki.Node otherLeaf = TestPki.issue(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, "WMI0123456789ABCE", otherSub,
                T0, Urls.NONE);
        assertThat(fast(otherLeaf.cert(), otherSub.cert())).isTrue();
        assertThat(fast(leaf, otherSub.cert())).isFalse();
        assertThat(jca(leaf, otherSub.cert())).isFalse();
        assertThat(Iso15118ChainValidator.signedBy(leaf, otherSub.cert())).isFalse();
        assertThat(Iso15118ChainValidator.signedBy(otherLeaf.cert(), sub)).isFalse();

        // the TBS re-written in BER (critical TRUE as 0x7F): same content, other bytes
        String hex = HexFormat.of().formatHex(leaf.getEncoded());
        String basicConstraints = "0603551d130101ff";
        assertThat(hex).contains(basicConstraints);
        X509Certificate ber = parse(HexFormat.of().parseHex(hex.replace(basicConstraints, "0603551d1301017f")));
        assertThat(fast(ber, sub)).isFalse();
        assertThat(Iso15118ChainValidator.signedBy(ber, sub)).isFalse();
        ChainValidation v = new Iso15118ChainValidator(TrustAnchors.none().withOemRoot(c.root().cert()), Leniency.strict())
                .validate(List.of(ber, sub, c.subCa1().cert()), Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, Instant.now());
        assertThat(v).isInstanceOf(ChainValidation.Invalid.class);
        assertThat(((ChainValidation.Invalid) v).kind()).isEqualTo(ChainValidation.Kind.SIGNATURE_ERROR);

        // and the genuine one still passes
        assertThat(fast(leaf, sub)).isTrue();
    }

    @Test
    void aNonCanonicalDerSignatureIsRefusedAsTheJcaPathRefusesIt() throws Exception {
        TestPki.Chain c = TestPki.chain(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, "WMI0123456789ABCD", T0, Urls.NONE);
        X509Certificate leaf = c.leaf().cert();
        X509Certificate sub = c.subCa2().cert();
        assertThat(fast(leaf, sub)).isTrue();
        byte[] sig = leaf.getSignature();
        // the same SEQUENCE with its length in long form (BER, not DER): 30 LL .. -> 30 81 LL ..
        assertThat(sig[0]).isEqualTo((byte) 0x30);
        assertThat(sig[1] & 0xff).isLessThan(0x80);
        byte[] longForm = new byte[sig.length + 1];
        longForm[0] = 0x30;
        longForm[1] = (byte) 0x81;
        System.arraycopy(sig, 1, longForm, 2, sig.length - 1);
        X509Certificate variant = withSignature(leaf, longForm);
        assertThat(fast(variant, sub)).isFalse();
        assertThat(jca(variant, sub)).isFalse();
        assertThat(Iso15118ChainValidator.signedBy(variant, sub)).isFalse();
        // trailing garbage after the signature's SEQUENCE
        byte[] trailing = java.util.Arrays.copyOf(sig, sig.length + 2);
        X509Certificate padded = withSignature(leaf, trailing);
        assertThat(fast(padded, sub)).isFalse();
        assertThat(jca(padded, sub)).isFalse();
        // the genuine bytes, re-wrapped the same way, still verify (the helper changes nothing else)
        assertThat(fast(withSignature(leaf, sig), sub)).isTrue();
    }

    @Test
    void p521WithSha512GoesThroughTheSameCheckAndEd448ThroughJca() throws Exception {
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_20, "DEABCC123ABC56", T0,
                Urls.crl("http://crl.example.com/mo.crl"));
        X509Certificate leaf = c.leaf().cert();
        X509Certificate sub = c.subCa2().cert();
        assertThat(leaf.getSigAlgName()).containsIgnoringCase("SHA512");
        assertThat(fast(leaf, sub)).isTrue();
        assertThat(Iso15118ChainValidator.signedBy(leaf, sub)).isTrue();
        byte[] der = leaf.getEncoded();
        der[der.length - 5] ^= 0x01;
        assertThat(fast(parse(der), sub)).isFalse();
        assertThat(Iso15118ChainValidator.signedBy(parse(der), sub)).isFalse();

        // Ed448 is not ECDSA: left to the JCA path, which still verifies it
        java.security.KeyPair rk = KeyType.ED448.generate();
        X509Certificate root = Iso15118Certificates.issue(Iso15118Role.MO_ROOT, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(Iso15118Role.MO_ROOT, "MO Root", "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(rk.getPublic()),
                Issuer.selfSigned(Iso15118Certificates.signer(rk.getPrivate(), KeyType.ED448)), TestPki.nextSerial(), T0,
                Urls.crl("http://crl.example.com/mo.crl"));
        assertThat(fast(root, root)).isNull();
        assertThat(Iso15118ChainValidator.signedBy(root, root)).isTrue();
        // an ECDSA signature algorithm over an Ed448 issuer key: not taken here either, and refused by JCA
        assertThat(fast(leaf, root)).isNull();
        assertThat(Iso15118ChainValidator.signedBy(leaf, root)).isFalse();
    }

    @Test
    void theKeysRememberedAreBounded() {
        assertThat(EcIssuerKeys.size()).isLessThanOrEqualTo(EcIssuerKeys.MAX_KEYS);
    }

    /** The fast path's answer: TRUE/FALSE, or null when it leaves the case to JCA. */
    private static Boolean fast(X509Certificate cert, X509Certificate issuer) throws Exception {
        X509CertificateHolder h = new X509CertificateHolder(cert.getEncoded());
        return EcIssuerKeys.verify(h.getSignatureAlgorithm(), cert.getTBSCertificate(), cert.getSignature(),
                issuer.getPublicKey().getEncoded());
    }

    private static boolean jca(X509Certificate cert, X509Certificate issuer) {
        try {
            cert.verify(issuer.getPublicKey(), Iso15118Crypto.provider());
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    private static X509Certificate parse(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    /** The certificate with its signature BIT STRING replaced (TBS and algorithm unchanged). */
    private static X509Certificate withSignature(X509Certificate cert, byte[] signature) throws Exception {
        Certificate c = Certificate.getInstance(cert.getEncoded());
        ASN1EncodableVector v = new ASN1EncodableVector();
        v.add(c.getTBSCertificate());
        v.add(AlgorithmIdentifier.getInstance(c.getSignatureAlgorithm()));
        v.add(new DERBitString(signature));
        return parse(new DERSequence(v).getEncoded());
    }
}
