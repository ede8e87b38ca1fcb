package io.ocppsec.pki.custody;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.math.BigInteger;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.function.UnaryOperator;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * The self-signed certificate a new key is stored with until the CA attaches its real chain:
 * keystores (PKCS#12, PKCS#11) only hold private keys together with a certificate. It is signed
 * by the new key itself (proving the key signs), is not a CA certificate ({@code cA=false},
 * critical) and says in its subject that it is a placeholder; nothing should ever trust it.
 */
public final class PlaceholderCertificates {
    private static final DefaultSignatureAlgorithmIdentifierFinder ALGORITHMS = new DefaultSignatureAlgorithmIdentifierFinder();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** RFC 5280 4.1.2.5: no well-defined expiration date. */
    private static final Date NO_EXPIRY = Date.from(Instant.parse("9999-12-31T23:59:59Z"));

    private PlaceholderCertificates() {}

    /**
     * Builds the placeholder for {@code label}.
     *
     * @param publicKey the new key's public key
     * @param algorithm how to sign (should fit the key)
     * @param sign      signs the to-be-signed bytes with the new private key, returning the
     *                  signature in X.509 form
     */
    public static X509Certificate create(String label, PublicKey publicKey, SigningAlgorithm algorithm, UnaryOperator<byte[]> sign) {
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE)
                .addRDN(BCStyle.O, "ocppsec key custody")
                .addRDN(BCStyle.OU, "placeholder until a certificate is attached")
                .addRDN(BCStyle.CN, label)
                .build();
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        byte[] serial = new byte[16];
        RANDOM.nextBytes(serial);
        X509v3CertificateBuilder builder = new X509v3CertificateBuilder(
                name, new BigInteger(1, serial), Date.from(now.minus(1, ChronoUnit.MINUTES)), NO_EXPIRY, name,
                SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()));
        try {
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            X509CertificateHolder holder = builder.build(contentSigner(algorithm, sign));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (CertIOException | CertificateException e) {
            throw new CustodyException("cannot build the placeholder certificate for key " + label, e);
        }
    }

    /**
     * A Bouncy Castle {@link ContentSigner} that hands the bytes to sign to {@code sign}: how every
     * certificate, CRL and OCSP response is signed with a key the custody backend holds.
     */
    public static ContentSigner contentSigner(SigningAlgorithm algorithm, UnaryOperator<byte[]> sign) {
        AlgorithmIdentifier id = ALGORITHMS.find(algorithm.jcaName());
        return new ContentSigner() {
            private final ByteArrayOutputStream tbs = new ByteArrayOutputStream(1024);

            @Override
            public AlgorithmIdentifier getAlgorithmIdentifier() {
                return id;
            }

            @Override
            public OutputStream getOutputStream() {
                return tbs;
            }

            @Override
            public byte[] getSignature() {
                return sign.apply(tbs.toByteArray());
            }
        };
    }
}
