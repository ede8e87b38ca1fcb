package io.ocppsec.pki.flow;

import io.ocppsec.pki.ca.Csrs;
import io.ocppsec.pki.ca.Pem;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** An operator's existing CA, made in the test: a root and an issuing sub-CA. */
final class ExternalCa {
    static final BouncyCastleProvider BC = new BouncyCastleProvider();
    final KeyPair rootKeys = Csrs.ec("secp384r1");
    final X509Certificate root;
    final KeyPair subKeys = Csrs.ec("secp256r1");
    final X509Certificate sub;

    ExternalCa(String org) {
        root = certificate(new X500Name("CN=" + org + " Production Root,O=" + org), rootKeys.getPublic(),
                new X500Name("CN=" + org + " Production Root,O=" + org), rootKeys.getPrivate(), true, Duration.ofDays(3650), null);
        sub = certificate(new X500Name("CN=" + org + " Station CA,O=" + org), subKeys.getPublic(),
                new X500Name("CN=" + org + " Production Root,O=" + org), rootKeys.getPrivate(), true, Duration.ofDays(1825), root);
    }

    String chainPem() {
        return Pem.certificate(sub) + Pem.certificate(root);
    }

    String subKeyPem() {
        return Pem.encode("PRIVATE KEY", subKeys.getPrivate().getEncoded());
    }

    byte[] pkcs12(char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("ca", subKeys.getPrivate(), password, new Certificate[] {sub, root});
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        ks.store(out, password);
        return out.toByteArray();
    }

    /** The offline root signs a sub-CA request. */
    X509Certificate signSubCa(PKCS10CertificationRequest csr) throws Exception {
        PublicKey key = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr).setProvider(BC).getPublicKey();
        return certificate(csr.getSubject(), key, X500Name.getInstance(root.getSubjectX500Principal().getEncoded()), rootKeys.getPrivate(),
                true, Duration.ofDays(1825), root);
    }

    static X509Certificate certificate(X500Name subject, PublicKey key, X500Name issuer, PrivateKey issuerKey, boolean ca,
                                       Duration validity, X509Certificate issuerCert) {
        try {
            Instant now = Instant.now();
            X509v3CertificateBuilder b = new X509v3CertificateBuilder(issuer, new BigInteger(64, new java.security.SecureRandom()).add(BigInteger.ONE),
                    Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(validity)), subject,
                    org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()));
            JcaX509ExtensionUtils u = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, ca ? new BasicConstraints(issuerCert == null ? 1 : 0) : new BasicConstraints(false));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign : KeyUsage.digitalSignature));
            b.addExtension(Extension.subjectKeyIdentifier, false, u.createSubjectKeyIdentifier(key));
            if (issuerCert != null) {
                b.addExtension(Extension.authorityKeyIdentifier, false, u.createAuthorityKeyIdentifier(issuerCert));
            }
            String alg = issuerKey.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA384withECDSA";
            return new JcaX509CertificateConverter().setProvider(BC).getCertificate(
                    b.build(new JcaContentSignerBuilder(alg).setProvider(BC).build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
