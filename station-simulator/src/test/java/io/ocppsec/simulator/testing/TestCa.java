package io.ocppsec.simulator.testing;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * A test PKI made with Bouncy Castle: a root, a station sub-CA under it, server certificates for
 * the stand-in CSMS and station certificates from CSRs. Real keys and signatures, no mocks.
 */
public final class TestCa {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final KeyPair rootKeys;
    private final X509Certificate root;
    private final KeyPair stationCaKeys;
    private final X509Certificate stationCa;

    private TestCa(String name) {
        rootKeys = keyPair();
        X500Name rootName = new X500Name("CN=" + name + " Root,O=ocppsec tests");
        root = build(rootName, rootKeys.getPublic(), rootName, rootKeys.getPrivate(), true, null, validFromNow(), null);
        stationCaKeys = keyPair();
        stationCa = build(new X500Name("CN=" + name + " Station CA,O=ocppsec tests"), stationCaKeys.getPublic(), rootName,
                rootKeys.getPrivate(), true, null, validFromNow(), null);
    }

    public static TestCa create(String name) {
        return new TestCa(name);
    }

    public static KeyPair keyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public X509Certificate root() {
        return root;
    }

    public X509Certificate stationCa() {
        return stationCa;
    }

    /** Writes the root as PEM (the file a station gets as its CSMS trust anchor). */
    public Path writeRoot(Path file) {
        try {
            Files.writeString(file, pem(List.of(root)), StandardCharsets.US_ASCII);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A key and certificate (issued by the root) for a server named {@code localhost} and {@code 127.0.0.1}. */
    public Issued serverCertificate() {
        KeyPair keys = keyPair();
        GeneralNames san = new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1")});
        X509Certificate cert = build(new X500Name("CN=localhost,O=ocppsec tests"), keys.getPublic(),
                name(root), rootKeys.getPrivate(), false, san, validFromNow(), KeyPurposeId.id_kp_serverAuth);
        return new Issued(keys.getPrivate(), List.of(cert));
    }

    /**
     * Signs a PEM CSR: the subject as requested, issued by the station sub-CA; the chain returned is
     * leaf then sub-CA (OCPP's CertificateSigned carries no root).
     */
    public List<X509Certificate> signCsr(String csrPem) {
        PKCS10CertificationRequest csr = readCsr(csrPem);
        try {
            PublicKey key = KeyFactory.getInstance("EC").generatePublic(
                    new X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded()));
            ContentVerifierProvider verifier = new JcaContentVerifierProviderBuilder().build(key);
            if (!csr.isSignatureValid(verifier)) {
                throw new IllegalArgumentException("the CSR signature does not verify");
            }
            return issueStation(csr.getSubject(), key);
        } catch (Exception e) {
            throw new IllegalArgumentException("cannot sign the CSR: " + e.getMessage(), e);
        }
    }

    /** A station certificate for any key and subject, issued by the sub-CA; chain leaf then sub-CA. */
    public List<X509Certificate> issueStation(X500Name subject, PublicKey key) {
        X509Certificate leaf = build(subject, key, name(stationCa), stationCaKeys.getPrivate(), false, null,
                validFromNow(), KeyPurposeId.id_kp_clientAuth);
        return List.of(leaf, stationCa);
    }

    /** A station certificate that expired yesterday. */
    public List<X509Certificate> issueExpiredStation(X500Name subject, PublicKey key) {
        Instant from = Instant.now().minus(Duration.ofDays(10));
        X509Certificate leaf = build(subject, key, name(stationCa), stationCaKeys.getPrivate(), false, null,
                new Instant[] {from, Instant.now().minus(Duration.ofDays(1))}, KeyPurposeId.id_kp_clientAuth);
        return List.of(leaf, stationCa);
    }

    /** A self-signed CA certificate of another PKI (for InstallCertificate). */
    public static X509Certificate otherRoot(String cn) {
        KeyPair k = keyPair();
        X500Name n = new X500Name("CN=" + cn);
        return build(n, k.getPublic(), n, k.getPrivate(), true, null, validFromNow(), null);
    }

    /** The subject of the CSR, as the CA reads it. */
    public static X500Name csrSubject(String csrPem) {
        return readCsr(csrPem).getSubject();
    }

    public static String pem(List<X509Certificate> chain) {
        return io.ocppsec.simulator.StationKeys.certificatesPem(chain);
    }

    private static PKCS10CertificationRequest readCsr(String pem) {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            Object o = p.readObject();
            if (!(o instanceof PKCS10CertificationRequest csr)) {
                throw new IllegalArgumentException("not a PEM certificate request");
            }
            return csr;
        } catch (IOException e) {
            throw new IllegalArgumentException("not a PEM certificate request", e);
        }
    }

    private static X500Name name(X509Certificate c) {
        return X500Name.getInstance(c.getSubjectX500Principal().getEncoded());
    }

    private static Instant[] validFromNow() {
        Instant now = Instant.now();
        return new Instant[] {now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(30))};
    }

    private static X509Certificate build(X500Name subject, PublicKey subjectKey, X500Name issuer, PrivateKey issuerKey,
                                         boolean ca, GeneralNames san, Instant[] validity, KeyPurposeId eku) {
        try {
            X509v3CertificateBuilder b = new JcaX509v3CertificateBuilder(issuer, new BigInteger(64, RANDOM).add(BigInteger.ONE),
                    Date.from(validity[0]), Date.from(validity[1]), subject, subjectKey);
            JcaX509ExtensionUtils utils = new JcaX509ExtensionUtils();
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(ca));
            b.addExtension(Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(subjectKey));
            b.addExtension(Extension.keyUsage, true, new KeyUsage(ca ? KeyUsage.keyCertSign | KeyUsage.cRLSign
                    : KeyUsage.digitalSignature | KeyUsage.keyAgreement));
            if (san != null) {
                b.addExtension(Extension.subjectAlternativeName, false, san);
            }
            if (eku != null) {
                b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(eku));
            }
            return new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** A key and its certificate chain, leaf first. */
    public record Issued(PrivateKey key, List<X509Certificate> chain) {
        public Issued {
            chain = List.copyOf(chain);
        }
    }
}
