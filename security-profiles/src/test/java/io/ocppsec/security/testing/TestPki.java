package io.ocppsec.security.testing;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;

/** Test-only certificate factory built on Bouncy Castle (real keys, real signatures; no mocks). */
public final class TestPki {

    private TestPki() {
    }

    /** A fresh EC key pair on the named curve (e.g. secp256r1, secp384r1, secp521r1). */
    public static KeyPair ecKeyPair(String curve) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(curve));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh RSA key pair. */
    public static KeyPair rsaKeyPair(int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA certificate. */
    public static X509Certificate selfSigned(String subject, KeyPair keys, BigInteger serial) {
        return build(new X500Name(subject), keys.getPublic(), new X500Name(subject), keys.getPrivate(), serial, true, null);
    }

    /** A certificate for {@code subject} issued by {@code issuer}. */
    public static X509Certificate issue(X500Name subject, PublicKey subjectKey, X509Certificate issuer,
                                        PrivateKey issuerKey, BigInteger serial, String ocspUrl) {
        X500Name issuerName = X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded());
        return build(subject, subjectKey, issuerName, issuerKey, serial, false, ocspUrl);
    }

    /** A certificate with a subject given as an {@link X500Name} (to control string types and RDN structure). */
    public static X509Certificate issue(X500Name subject, PublicKey subjectKey, X509Certificate issuer,
                                        PrivateKey issuerKey, BigInteger serial) {
        return issue(subject, subjectKey, issuer, issuerKey, serial, null);
    }

    private static X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey issuerKey,
                                         BigInteger serial, boolean ca, String ocspUrl) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial,
                    Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(30))),
                    subject, subjectKey);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            if (ocspUrl != null) {
                b.addExtension(Extension.authorityInfoAccess, false, new AuthorityInformationAccess(
                        new AccessDescription(AccessDescription.id_ad_ocsp,
                                new GeneralName(GeneralName.uniformResourceIdentifier, ocspUrl))));
            }
            String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
