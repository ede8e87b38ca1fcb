package io.ocppsec.simulator;

import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

/**
 * The station's key material: a fresh P-256 key, the PKCS#10 request for it, PEM in and out, and
 * the check of a chain the CSMS sends back in CertificateSigned.
 */
public final class StationKeys {
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Longest PEM key text read. */
    private static final int MAX_KEY_PEM = 16 * 1024;

    private StationKeys() {
    }

    /** A new EC key pair on P-256 (secp256r1), the curve OCPP's certificate profile names first. */
    public static KeyPair newKeyPair() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("this JDK cannot generate P-256 keys", e);
        }
    }

    /** The subject the station asks for: {@code O=organization} (when given) and {@code CN=serialNumber}. */
    public static X500Name subject(String serialNumber, String organization) {
        X500NameBuilder b = new X500NameBuilder(BCStyle.INSTANCE);
        if (organization != null) {
            b.addRDN(BCStyle.O, organization);
        }
        b.addRDN(BCStyle.CN, serialNumber);
        return b.build();
    }

    /** A PKCS#10 request for {@code keys} with {@code subject}, signed with SHA256withECDSA (or SHA256withRSA), as PEM. */
    public static String csrPem(KeyPair keys, X500Name subject) {
        String alg = keys.getPrivate().getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        try {
            PKCS10CertificationRequest csr = new JcaPKCS10CertificationRequestBuilder(subject, keys.getPublic())
                    .build(new JcaContentSignerBuilder(alg).build(keys.getPrivate()));
            return pem("CERTIFICATE REQUEST", csr.getEncoded());
        } catch (OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot build the certificate signing request", e);
        }
    }

    /** A private key as PKCS#8 PEM ({@code -----BEGIN PRIVATE KEY-----}). */
    public static String privateKeyPem(PrivateKey key) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter w = new JcaPEMWriter(out)) {
            w.writeObject(new JcaPKCS8Generator(key, null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /**
     * Reads a private key from PEM: PKCS#8 ({@code PRIVATE KEY}), SEC1 ({@code EC PRIVATE KEY}) or
     * PKCS#1 ({@code RSA PRIVATE KEY}); encrypted keys are not read.
     *
     * @throws IllegalArgumentException with a reason (never the input) when no key can be read
     */
    public static PrivateKey readPrivateKey(String pem) {
        if (pem == null || pem.length() > MAX_KEY_PEM) {
            throw new IllegalArgumentException("no PEM private key (missing or larger than " + MAX_KEY_PEM + " characters)");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object o = parser.readObject();
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            if (o instanceof PrivateKeyInfo info) {
                return converter.getPrivateKey(info);
            }
            if (o instanceof PEMKeyPair pair) {
                return converter.getKeyPair(pair).getPrivate();
            }
            throw new IllegalArgumentException("no unencrypted private key in the PEM text");
        } catch (IOException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("the PEM private key cannot be read");
        }
    }

    /** Certificates as concatenated PEM blocks, in the order given. */
    public static String certificatesPem(List<X509Certificate> chain) {
        StringBuilder b = new StringBuilder();
        for (X509Certificate c : chain) {
            try {
                b.append(pem("CERTIFICATE", c.getEncoded()));
            } catch (CertificateEncodingException e) {
                throw new IllegalArgumentException("a certificate cannot be encoded", e);
            }
        }
        return b.toString();
    }

    /** Whether {@code key} is the private half of {@code publicKey}: a fresh challenge signed and verified. */
    public static boolean matches(PrivateKey key, PublicKey publicKey) {
        if (key == null || publicKey == null || !key.getAlgorithm().equals(publicKey.getAlgorithm())) {
            return false;
        }
        String alg = key.getAlgorithm().equals("RSA") ? "SHA256withRSA" : "SHA256withECDSA";
        byte[] challenge = new byte[32];
        RANDOM.nextBytes(challenge);
        try {
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(challenge);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(publicKey);
            v.update(challenge);
            return v.verify(sig);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }

    /**
     * What is wrong with a chain the CSMS sent for the key the station generated (A02.FR.07,
     * errata 2.9): the leaf must carry {@code expectedKey}, every certificate must be valid now,
     * and each must be signed by the next one. The root is not required (OCPP sends the chain
     * without it). Empty when the chain is acceptable.
     */
    public static Optional<String> chainProblem(List<X509Certificate> chain, PublicKey expectedKey, Date now) {
        if (chain.isEmpty()) {
            return Optional.of("the chain holds no certificate");
        }
        X509Certificate leaf = chain.get(0);
        if (!leaf.getPublicKey().equals(expectedKey)) {
            return Optional.of("the certificate is not for the key of the request");
        }
        for (int i = 0; i < chain.size(); i++) {
            X509Certificate c = chain.get(i);
            try {
                c.checkValidity(now);
            } catch (CertificateExpiredException e) {
                return Optional.of("certificate " + (i + 1) + " of the chain has expired");
            } catch (CertificateNotYetValidException e) {
                return Optional.of("certificate " + (i + 1) + " of the chain is not valid yet");
            }
            if (i + 1 < chain.size()) {
                X509Certificate issuer = chain.get(i + 1);
                if (!c.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
                    return Optional.of("certificate " + (i + 1) + " is not issued by the next one in the chain");
                }
                try {
                    c.verify(issuer.getPublicKey());
                } catch (GeneralSecurityException | RuntimeException e) {
                    return Optional.of("the signature of certificate " + (i + 1) + " does not verify with the next one");
                }
            }
        }
        return Optional.empty();
    }

    static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }
}
