package io.ocppsec.pki.pnc;

import java.io.StringWriter;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** Small certificates for the Plug & Charge tests, made with Bouncy Castle. */
public final class PncTestCerts {
    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final SecureRandom RANDOM = new SecureRandom();

    private PncTestCerts() {
    }

    /** A certificate and its key. */
    public record Cert(X509Certificate certificate, KeyPair keys) {
        public String pem() {
            return PncTestCerts.pem(certificate);
        }
    }

    public static KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A self-signed CA (cA:true, keyCertSign+cRLSign, ecdsa-with-SHA256). */
    public static Cert root(String subject) {
        KeyPair k = p256();
        return new Cert(build(new X500Name(subject), new X500Name(subject), k, k, true, Duration.ofDays(3650), null), k);
    }

    /** A self-signed CA signed with {@code signatureAlgorithm} (e.g. SHA512withECDSA, outside the -2 profile). */
    public static Cert root(String subject, String signatureAlgorithm) {
        KeyPair k = p256();
        return new Cert(build(new X500Name(subject), new X500Name(subject), k, k, true, Duration.ofDays(3650), null,
                signatureAlgorithm), k);
    }

    /** A sub-CA (pathLen 0) issued by {@code issuer}. */
    public static Cert subCa(Cert issuer, String subject) {
        KeyPair k = p256();
        return new Cert(build(X500Name.getInstance(issuer.certificate().getSubjectX500Principal().getEncoded()), new X500Name(subject),
                k, issuer.keys(), true, Duration.ofDays(1460), null), k);
    }

    /** A self-signed end-entity certificate (not a CA). */
    public static Cert selfSignedLeaf(String subject) {
        KeyPair k = p256();
        return new Cert(build(new X500Name(subject), new X500Name(subject), k, k, false, Duration.ofDays(30), null), k);
    }

    /** A TLS server certificate for 127.0.0.1, issued by {@code ca}. */
    public static Cert server(Cert ca) {
        KeyPair k = p256();
        return new Cert(build(X500Name.getInstance(ca.certificate().getSubjectX500Principal().getEncoded()), new X500Name("CN=localhost"),
                k, ca.keys(), false, Duration.ofDays(30), new GeneralNames(new GeneralName[] {
                        new GeneralName(GeneralName.iPAddress, "127.0.0.1"), new GeneralName(GeneralName.dNSName, "localhost")})), k);
    }

    private static X509Certificate build(X500Name issuer, X500Name subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca,
                                         Duration validity, GeneralNames san) {
        return build(issuer, subject, subjectKeys, issuerKeys, ca, validity, san, "SHA256withECDSA");
    }

    private static X509Certificate build(X500Name issuer, X500Name subject, KeyPair subjectKeys, KeyPair issuerKeys, boolean ca,
                                         Duration validity, GeneralNames san, String signatureAlgorithm) {
        try {
            org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils ids = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject, subjectKeys.getPublic());
            boolean selfSigned = issuer.equals(subject);
            b.addExtension(Extension.basicConstraints, true, ca && !selfSigned ? new BasicConstraints(0) : new BasicConstraints(ca));
            b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            if (!selfSigned) {
                b.addExtension(Extension.authorityKeyIdentifier, false, ids.createAuthorityKeyIdentifier(issuerKeys.getPublic()));
            }
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            if (san != null) {
                b.addExtension(Extension.subjectAlternativeName, false, san);
            }
            return new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                    b.build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BC).build(issuerKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A fresh key pair: {@code Ed448}, {@code Ed25519}, or an EC named curve such as {@code secp384r1}. */
    public static KeyPair keys(String algorithm) {
        try {
            if (algorithm.startsWith("Ed")) {
                return KeyPairGenerator.getInstance(algorithm, BC).generateKeyPair();
            }
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", BC);
            g.initialize(new ECGenParameterSpec(algorithm), RANDOM);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A CA certificate made to order, for refusals: {@code subjectKeys}' certificate named {@code subject}, issued under
     * the name {@code issuer} and signed by {@code issuerKeys} with {@code signatureAlgorithm} (Ed448, SHA384withECDSA,
     * ...); critical BasicConstraints cA:true with {@code pathLen} (null: none), critical keyCertSign + cRLSign, SKI.
     */
    public static Cert ca(String issuer, String subject, KeyPair subjectKeys, KeyPair issuerKeys, String signatureAlgorithm,
                          Integer pathLen) {
        try {
            org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils ids = new org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils();
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(new X500Name(issuer), new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))), new X500Name(subject),
                    org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(subjectKeys.getPublic().getEncoded()));
            b.addExtension(Extension.basicConstraints, true, pathLen == null ? new BasicConstraints(true) : new BasicConstraints(pathLen));
            b.addExtension(Extension.subjectKeyIdentifier, false, ids.createSubjectKeyIdentifier(subjectKeys.getPublic()));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return new Cert(new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                    b.build(new JcaContentSignerBuilder(signatureAlgorithm).setProvider(BC).build(issuerKeys.getPrivate()))), subjectKeys);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * PEM of a self-signed P-256 CA whose SubjectPublicKeyInfo spells the curve out (explicit ECParameters) instead of
     * naming it; RFC 5480 and ISO 15118 want the named curve.
     */
    public static String explicitCurveRootPem(String subject) {
        try {
            KeyPair k = p256();
            org.bouncycastle.asn1.x509.SubjectPublicKeyInfo named =
                    org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(k.getPublic().getEncoded());
            org.bouncycastle.asn1.x509.SubjectPublicKeyInfo explicit = new org.bouncycastle.asn1.x509.SubjectPublicKeyInfo(
                    new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.x9.X9ObjectIdentifiers.id_ecPublicKey,
                            new org.bouncycastle.asn1.x9.X962Parameters(org.bouncycastle.asn1.x9.ECNamedCurveTable.getByName("secp256r1"))),
                    named.getPublicKeyData().getBytes());
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(new X500Name(subject), BigInteger.TEN,
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(365))), new X500Name(subject), explicit);
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return pem(b.build(new JcaContentSignerBuilder("SHA256withECDSA").setProvider(BC).build(k.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return w.toString();
    }
}
