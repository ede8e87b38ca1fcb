package io.ocppsec.security.firmware;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Test-only manufacturer PKI built with Bouncy Castle: real keys and signatures, every extension a
 * firmware path cares about under the test's control (basicConstraints and pathLen, keyUsage,
 * extendedKeyUsage, validity, SKI/AKI).
 */
final class FirmwarePki {
    private static final AtomicLong SERIAL = new AtomicLong(1000);

    private FirmwarePki() {
    }

    /** One certificate to make; defaults are a firmware signing leaf valid from 90 days ago for a year. */
    static final class Spec {
        String subject;
        PublicKey key;
        X509Certificate issuer;
        String issuerSubject;
        PrivateKey issuerKey;
        boolean ca;
        Integer pathLen;
        Integer keyUsage = KeyUsage.digitalSignature;
        KeyPurposeId[] eku = {KeyPurposeId.id_kp_codeSigning};
        Instant notBefore = Instant.now().minus(Duration.ofDays(90));
        Instant notAfter = Instant.now().plus(Duration.ofDays(365));
        boolean keyIds = true;
        org.bouncycastle.asn1.ASN1ObjectIdentifier criticalExtra;

        Spec(String subject, PublicKey key) {
            this.subject = subject;
            this.key = key;
        }

        Spec issuedBy(X509Certificate issuer, PrivateKey issuerKey) {
            this.issuer = issuer;
            this.issuerKey = issuerKey;
            return this;
        }

        /** Issued by a name and key that need no certificate (to make loops). */
        Spec issuedBy(String issuerSubject, PrivateKey issuerKey) {
            this.issuerSubject = issuerSubject;
            this.issuerKey = issuerKey;
            return this;
        }

        Spec ca(Integer pathLen) {
            this.ca = true;
            this.pathLen = pathLen;
            this.keyUsage = KeyUsage.keyCertSign | KeyUsage.cRLSign;
            this.eku = null;
            return this;
        }

        Spec keyUsage(Integer bits) {
            this.keyUsage = bits;
            return this;
        }

        Spec eku(KeyPurposeId... purposes) {
            this.eku = purposes;
            return this;
        }

        Spec validity(Instant notBefore, Instant notAfter) {
            this.notBefore = notBefore;
            this.notAfter = notAfter;
            return this;
        }

        /** Adds a critical extension of this type (empty content: only its criticality matters). */
        Spec critical(org.bouncycastle.asn1.ASN1ObjectIdentifier oid) {
            this.criticalExtra = oid;
            return this;
        }

        Spec noKeyIds() {
            this.keyIds = false;
            return this;
        }

        X509Certificate build() {
            try {
                X500Name subjectName = new X500Name(subject);
                X500Name issuerName = issuer != null ? X500Name.getInstance(issuer.getSubjectX500Principal().getEncoded())
                        : new X500Name(issuerSubject != null ? issuerSubject : subject);
                X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuerName,
                        BigInteger.valueOf(SERIAL.incrementAndGet()), java.util.Date.from(notBefore),
                        java.util.Date.from(notAfter), subjectName, key);
                b.addExtension(Extension.basicConstraints, true,
                        ca ? (pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen)) : new BasicConstraints(false));
                if (keyUsage != null) {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(keyUsage));
                }
                if (eku != null) {
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
                }
                if (criticalExtra != null) {
                    b.addExtension(criticalExtra, true, new org.bouncycastle.asn1.DERSequence());
                }
                if (keyIds) {
                    JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
                    b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(key));
                    if (issuer != null) {
                        b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(issuer.getPublicKey()));
                    }
                }
                PrivateKey signingKey = issuerKey;
                String alg = signingKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
                return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signingKey)));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    static Spec cert(String subject, PublicKey key) {
        return new Spec(subject, key);
    }

    /** A self-signed manufacturer root (CA, keyCertSign). */
    static X509Certificate root(String subject, KeyPair keys) {
        Spec s = new Spec(subject, keys.getPublic()).ca(null);
        s.issuerKey = keys.getPrivate();
        return s.build();
    }

    /** PEM of one or more certificates, in order, with 64-character lines. */
    static String pem(X509Certificate... certs) {
        StringBuilder b = new StringBuilder();
        Base64.Encoder enc = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (X509Certificate c : certs) {
            try {
                b.append("-----BEGIN CERTIFICATE-----\n").append(enc.encodeToString(c.getEncoded()))
                        .append("\n-----END CERTIFICATE-----\n");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
        return b.toString();
    }
}
