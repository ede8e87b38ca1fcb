package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.bc.BcX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Test helper: builds certificates by hand, independently of {@link Iso15118Certificates}, starting
 * from the profile-conformant extensions of a role and letting a test break one thing.
 */
public final class Craft {

    /** What a test may change before the certificate is signed. */
    public static final class Spec {
        public X500Name subject;
        public KeyPair keys;
        public String signatureAlgorithm = "SHA256withECDSA";
        public PrivateKey signingKey;
        public X500Name issuer;
        public Instant notBefore;
        public Instant notAfter;
        public final Map<ASN1ObjectIdentifier, Extension> extensions = new LinkedHashMap<>();

        public void put(ASN1ObjectIdentifier oid, boolean critical, ASN1Encodable value) {
            try {
                extensions.put(oid, new Extension(oid, critical, value.toASN1Primitive().getEncoded()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Craft() {
    }

    /** A {@code role} certificate issued by {@code issuer} (null: self-signed), after {@code tweak}. */
    public static TestPki.Node node(Iso15118Role role, String cn, TestPki.Node issuer, Instant notBefore,
                                    Consumer<Spec> tweak) {
        try {
            Spec s = new Spec();
            s.keys = KeyType.SECP256R1.generate();
            s.subject = Iso15118Certificates.subjectFor(role, cn, "Crafted", "DE");
            s.notBefore = notBefore;
            s.notAfter = notBefore.plus(Duration.ofDays(365));
            s.issuer = issuer == null ? s.subject : new JcaX509CertificateHolder(issuer.cert()).getSubject();
            s.signingKey = issuer == null ? s.keys.getPrivate() : issuer.keys().getPrivate();
            BasicConstraints bc = switch (role.tier()) {
                case ROOT -> new BasicConstraints(true);
                case SUB_CA_1, SUB_CA_2 -> new BasicConstraints(role.pathLength());
                case LEAF -> new BasicConstraints(false);
            };
            s.put(Extension.basicConstraints, true, bc);
            s.put(Extension.keyUsage, true, new KeyUsage(role.keyUsage()));
            BcX509ExtensionUtils u = new BcX509ExtensionUtils();
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(s.keys.getPublic().getEncoded());
            s.put(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(spki));
            if (issuer != null) {
                X509CertificateHolder ih = new JcaX509CertificateHolder(issuer.cert());
                s.put(Extension.authorityKeyIdentifier, false, new AuthorityKeyIdentifier(SubjectKeyIdentifier
                        .getInstance(ih.getExtension(Extension.subjectKeyIdentifier).getParsedValue()).getKeyIdentifier()));
            }
            tweak.accept(s);
            SubjectPublicKeyInfo finalSpki = SubjectPublicKeyInfo.getInstance(s.keys.getPublic().getEncoded());
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(s.issuer, TestPki.nextSerial(),
                    Date.from(s.notBefore), Date.from(s.notAfter), s.subject, finalSpki);
            for (Extension e : s.extensions.values()) {
                b.addExtension(e);
            }
            X509CertificateHolder h = b.build(new JcaContentSignerBuilder(s.signatureAlgorithm)
                    .setProvider(Iso15118Crypto.provider()).build(s.signingKey));
            X509Certificate c = new JcaX509CertificateConverter().getCertificate(h);
            return new TestPki.Node(role, c, s.keys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** No change. */
    public static Consumer<Spec> asIs() {
        return s -> { };
    }
}
