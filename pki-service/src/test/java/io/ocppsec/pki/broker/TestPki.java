package io.ocppsec.pki.broker;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A small CA built with Bouncy Castle for the broker tests: a CA, a delegated OCSP signer, leaves. */
final class TestPki {
    static final SecureRandom RANDOM = new SecureRandom();

    record Cert(X509Certificate certificate, KeyPair keys) {
    }

    static KeyPair ecKey() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A positive serial of 8 bytes with an even number of hex digits (as openssl's index writes it). */
    static BigInteger serial() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        b[0] = (byte) (0x10 + (b[0] & 0x3f));
        return new BigInteger(1, b);
    }

    static ContentSigner signer(KeyPair keys) {
        try {
            return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Cert ca(String cn) {
        KeyPair k = ecKey();
        X500Name name = new X500Name("CN=" + cn + ",O=ocppsec test");
        return new Cert(build(name, name, k.getPublic(), signer(k), serial(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(365)), b -> {
                    b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
                }), k);
    }

    /** A delegated OCSP signer issued by {@code ca}; {@code ocspSigning} false leaves out id-kp-OCSPSigning. */
    static Cert ocspSigner(Cert ca, boolean ocspSigning) {
        KeyPair k = ecKey();
        return new Cert(build(name(ca), new X500Name("CN=OCSP signer " + serial().toString(16) + ",O=ocppsec test"),
                k.getPublic(), signer(ca.keys()), serial(), Instant.now().minus(Duration.ofDays(1)),
                Instant.now().plus(Duration.ofDays(30)), b -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                    b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(
                            ocspSigning ? KeyPurposeId.id_kp_OCSPSigning : KeyPurposeId.id_kp_clientAuth));
                }), k);
    }

    static Cert leaf(Cert ca, String cn) {
        KeyPair k = ecKey();
        return new Cert(build(name(ca), new X500Name("CN=" + cn + ",O=ocppsec test"), k.getPublic(), signer(ca.keys()),
                serial(), Instant.now().minus(Duration.ofDays(1)), Instant.now().plus(Duration.ofDays(90)), b -> {
                    b.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
                }), k);
    }

    static X500Name name(Cert c) {
        return X500Name.getInstance(c.certificate().getSubjectX500Principal().getEncoded());
    }

    interface Ext {
        void add(X509v3CertificateBuilder b) throws IOException;
    }

    static X509Certificate build(X500Name issuer, X500Name subject, java.security.PublicKey key, ContentSigner signer,
                                 BigInteger serial, Instant from, Instant to, Ext ext) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, serial, Date.from(from), Date.from(to), subject, key);
            ext.add(b);
            return new JcaX509CertificateConverter().getCertificate(b.build(signer));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String pem(Object o) {
        StringWriter w = new StringWriter();
        try (JcaPEMWriter p = new JcaPEMWriter(w)) {
            p.writeObject(o instanceof java.security.PrivateKey k
                    ? new org.bouncycastle.openssl.jcajce.JcaPKCS8Generator(k, null) : o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return w.toString();
    }

    static Path write(Path dir, String name, Object o) {
        try {
            return Files.writeString(dir.resolve(name), pem(o));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
