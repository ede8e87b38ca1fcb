package io.ocppsec.terminator;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/** A small PKI for the terminator's tests, made with Bouncy Castle: CSMS root, station CA, server and client certificates. */
public final class TestPki {
    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    public record Issued(X509Certificate certificate, PrivateKey key, X509Certificate[] chain) {
    }

    public final KeyPair rootKey = ec();
    public final X509Certificate root;
    public final KeyPair stationCaKey = ec();
    public final X509Certificate stationCa;
    public final String organization = "Test CPO";

    public TestPki() {
        Instant now = Instant.now();
        root = ca(name("Test CSMS Root"), rootKey, name("Test CSMS Root"), rootKey.getPrivate(), now, 1);
        stationCa = ca(name("Test Station CA"), stationCaKey, name("Test CSMS Root"), rootKey.getPrivate(), now, 0);
    }

    public static KeyPair ec() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static X500Name name(String cn) {
        return new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Test CPO").addRDN(BCStyle.CN, cn).build();
    }

    public static X500Name name(String o, String cn) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        if (o != null) {
            b.addRDN(BCStyle.O, o);
        }
        return b.addRDN(BCStyle.CN, cn).build();
    }

    private X509Certificate ca(X500Name subject, KeyPair kp, X500Name issuer, PrivateKey signer, Instant now, int pathLen) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                    Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(3650))), subject, kp.getPublic());
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(pathLen));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
            return sign(b, signer);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer) throws Exception {
        String alg = signer.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(alg).build(signer)));
    }

    /** A station client certificate under {@code issuer}. */
    public Issued client(X500Name subject, Instant notBefore, Instant notAfter, X509Certificate issuer, PrivateKey issuerKey) {
        try {
            KeyPair kp = ec();
            X509Certificate c = leaf(subject, kp.getPublic(), notBefore, notAfter, issuer, issuerKey, KeyPurposeId.id_kp_clientAuth, null);
            return new Issued(c, kp.getPrivate(), new X509Certificate[] {c, issuer});
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A valid station certificate (CN = serial, O = organization) under the station CA. */
    public Issued station(String serial) {
        Instant now = Instant.now();
        return client(name(organization, serial), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(365)), stationCa,
                stationCaKey.getPrivate());
    }

    /** Signs a CSR as the station CA would: CN = serial, O = organization. */
    public X509Certificate signCsr(PKCS10CertificationRequest csr, String serial) throws Exception {
        PublicKey pub = new org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest(csr).getPublicKey();
        Instant now = Instant.now();
        return leaf(name(organization, serial), pub, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(365)),
                stationCa, stationCaKey.getPrivate(), KeyPurposeId.id_kp_clientAuth, null);
    }

    public static X509Certificate leaf(X500Name subject, PublicKey pub, Instant notBefore, Instant notAfter, X509Certificate issuer,
                                PrivateKey issuerKey, KeyPurposeId purpose, GeneralNames san) throws Exception {
        X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(SERIAL.incrementAndGet()),
                Date.from(notBefore), Date.from(notAfter), subject, pub);
        b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature | KeyUsage.keyAgreement
                | (pub.getAlgorithm().equals("RSA") ? KeyUsage.keyEncipherment : 0)));
        b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(purpose));
        if (san != null) {
            b.addExtension(Extension.subjectAlternativeName, false, san);
        }
        return sign(b, issuerKey);
    }

    /** Writes server-ec and server-rsa (for localhost and 127.0.0.1, issued by the root) into {@code dir}. */
    public void writeServerCertificates(Path dir, String cnSuffix) throws Exception {
        Files.createDirectories(dir);
        GeneralNames san = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        Instant now = Instant.now();
        for (String kind : new String[] {"ec", "rsa"}) {
            KeyPair kp = kind.equals("ec") ? ec() : rsa();
            X509Certificate c = leaf(name("localhost " + kind + cnSuffix), kp.getPublic(), now.minus(Duration.ofHours(1)),
                    now.plus(Duration.ofDays(30)), root, rootKey.getPrivate(), KeyPurposeId.id_kp_serverAuth, san);
            Files.writeString(dir.resolve("server-" + kind + ".pem"), pem(c));
            Files.writeString(dir.resolve("server-" + kind + ".key"), pkcs8(kp.getPrivate()));
        }
    }

    /** A server certificate for a terminator's CSR, with the names it asks for (or localhost and 127.0.0.1). */
    public X509Certificate serverCertificate(PKCS10CertificationRequest csr, Duration validity) throws Exception {
        GeneralNames san = null;
        for (org.bouncycastle.asn1.pkcs.Attribute a : csr.getAttributes(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            san = GeneralNames.fromExtensions(org.bouncycastle.asn1.x509.Extensions.getInstance(a.getAttrValues().getObjectAt(0)),
                    Extension.subjectAlternativeName);
        }
        if (san == null) {
            san = new GeneralNames(new GeneralName[] {new GeneralName(GeneralName.dNSName, "localhost"),
                    new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        }
        PublicKey pub = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(csr.getSubjectPublicKeyInfo());
        Instant now = Instant.now();
        return leaf(name("localhost from CSR"), pub, now.minusSeconds(1), now.plus(validity), root, rootKey.getPrivate(),
                KeyPurposeId.id_kp_serverAuth, san);
    }

    /** The subjectAltName a CSR asks for, as text (empty when none). */
    public static String requestedNames(PKCS10CertificationRequest csr) {
        StringBuilder out = new StringBuilder();
        for (org.bouncycastle.asn1.pkcs.Attribute a : csr.getAttributes(org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            GeneralNames gns = GeneralNames.fromExtensions(org.bouncycastle.asn1.x509.Extensions.getInstance(a.getAttrValues().getObjectAt(0)),
                    Extension.subjectAlternativeName);
            if (gns != null) {
                for (GeneralName g : gns.getNames()) {
                    out.append(g.getTagNo() == GeneralName.iPAddress ? "IP:" : "DNS:");
                    out.append(g.getTagNo() == GeneralName.iPAddress
                            ? ipText(org.bouncycastle.asn1.DEROctetString.getInstance(g.getName()).getOctets()) : g.getName().toString());
                    out.append(',');
                }
            }
        }
        return out.toString();
    }

    private static String ipText(byte[] a) {
        try {
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    public static String pkcs8(PrivateKey k) {
        return "-----BEGIN PRIVATE KEY-----\n" + java.util.Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(k.getEncoded())
                + "\n-----END PRIVATE KEY-----\n";
    }

    public static String pem(Object o) throws IOException {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o);
        }
        return w.toString();
    }

    /** A JDK client SSLContext trusting the root, with {@code client} as the client certificate (may be null). */
    public SSLContext clientContext(Issued client, String... protocols) {
        try {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("root", root);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            KeyManagerFactory kmf = null;
            if (client != null) {
                KeyStore ks = KeyStore.getInstance("PKCS12");
                ks.load(null, null);
                ks.setKeyEntry("client", client.key(), new char[0], client.chain());
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(ks, new char[0]);
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
