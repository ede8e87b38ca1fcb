package io.ocppsec.terminator.tls;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.InvalidAlgorithmParameterException;
import java.security.KeyFactory;
import java.security.Provider;
import java.security.PublicKey;
import java.security.Security;
import java.security.cert.CertPath;
import java.security.cert.CertPathValidator;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Date;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Trust for client certificates at the TLS handshake: the chain must lead to one of the station CAs
 * (A00.FR.407), with valid signatures and CA constraints, and the leaf must be fit for TLS client
 * authentication. A chain that does not is refused in the handshake itself, with a TLS alert.
 *
 * <p>Validity dates are <em>not</em> decided here: the path is validated at a date inside the
 * leaf's validity, and the upgrade then checks the dates against the station record, because
 * A00.FR.429 lets a CSMS accept a specific station with an expired certificate, and which station
 * it is is only known at the upgrade. Revocation is also checked at the upgrade, from a cache.
 *
 * <p>Refusals carry a reason code at the start of their message ({@link Reason}), which the
 * handshake observer turns into a security event. The anchors can be replaced at any time; a
 * handshake uses the set current when it started.
 */
public final class StationTrust extends X509ExtendedTrustManager {

    /** Why a client certificate was refused at the handshake. */
    public enum Reason {
        /** No path to a station CA (an unknown or self-signed certificate). */
        UNTRUSTED_CA,
        /** The leaf is a CA certificate, or not for TLS clients (key usage, extended key usage). */
        NOT_A_CLIENT_CERTIFICATE,
        /** No certificate, or not X.509. */
        NO_CERTIFICATE
    }

    private static final String ANY_EKU = "2.5.29.37.0";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";

    /**
     * Bouncy Castle verifies the signatures in the path: with the anchor's key held as a BC key for
     * the life of the anchor set, BC keeps the CA point's precomputation, and a station certificate
     * verifies about ten times faster than with SunEC on JDK 17 (ClientChainBenchmark in
     * docs/benchmarks.md). Registered last, so it changes no one else's default provider.
     */
    private static final String SIGNATURE_PROVIDER = registerBouncyCastle();

    private volatile Set<TrustAnchor> anchors = Set.of();
    private volatile List<X509Certificate> anchorCertificates = List.of();

    private static String registerBouncyCastle() {
        Provider bc = Security.getProvider(BouncyCastleProvider.PROVIDER_NAME);
        if (bc == null) {
            Security.addProvider(new BouncyCastleProvider());
        }
        return BouncyCastleProvider.PROVIDER_NAME;
    }

    /** Replaces the station CAs. */
    public void setAnchors(List<X509Certificate> stationCas) {
        Set<TrustAnchor> s = new HashSet<>();
        for (X509Certificate c : stationCas) {
            s.add(anchorOf(c));
        }
        anchorCertificates = List.copyOf(stationCas);
        anchors = Set.copyOf(s);
    }

    /** The CA as a name and a Bouncy Castle key; the certificate itself when BC cannot take its key. */
    private static TrustAnchor anchorOf(X509Certificate ca) {
        PublicKey key = ca.getPublicKey();
        try {
            PublicKey bcKey = KeyFactory.getInstance(key.getAlgorithm(), SIGNATURE_PROVIDER)
                    .generatePublic(new X509EncodedKeySpec(key.getEncoded()));
            return new TrustAnchor(ca.getSubjectX500Principal(), bcKey, null);
        } catch (GeneralSecurityException e) {
            return new TrustAnchor(ca, null);
        }
    }

    /** The trusted station CA whose name is the certificate's issuer and whose key signed it; null when none. */
    public X509Certificate issuerOf(X509Certificate certificate) {
        for (X509Certificate ca : anchorCertificates) {
            if (ca.getSubjectX500Principal().equals(certificate.getIssuerX500Principal())) {
                try {
                    certificate.verify(ca.getPublicKey(), SIGNATURE_PROVIDER);
                    return ca;
                } catch (GeneralSecurityException e) {
                    // the same name, another key (a rotated CA): try the next
                }
            }
        }
        return null;
    }

    /** The station CAs now trusted. */
    public List<X509Certificate> anchors() {
        return anchorCertificates;
    }

    /** Checks a client chain (leaf first); throws with a {@link Reason} prefix when it is not trusted. */
    public void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length == 0) {
            throw refusal(Reason.NO_CERTIFICATE, "no client certificate");
        }
        X509Certificate leaf = chain[0];
        if (leaf.getBasicConstraints() >= 0) {
            throw refusal(Reason.NOT_A_CLIENT_CERTIFICATE, "the client certificate is a CA certificate");
        }
        boolean[] ku = leaf.getKeyUsage();
        if (ku != null && !ku[0]) {
            throw refusal(Reason.NOT_A_CLIENT_CERTIFICATE, "the client certificate's key usage lacks digitalSignature");
        }
        List<String> eku = leaf.getExtendedKeyUsage();
        if (eku != null && !eku.contains(CLIENT_AUTH) && !eku.contains(ANY_EKU)) {
            throw refusal(Reason.NOT_A_CLIENT_CERTIFICATE, "the client certificate is not for TLS client authentication");
        }
        Set<TrustAnchor> trusted = anchors;
        List<X509Certificate> trustedCertificates = anchorCertificates;
        if (trusted.isEmpty()) {
            throw refusal(Reason.UNTRUSTED_CA, "no station CA is configured");
        }
        List<X509Certificate> path = new ArrayList<>();
        for (X509Certificate c : chain) {
            if (trustedCertificates.contains(c)) {
                break; // the path ends at the anchor, which is not part of it
            }
            path.add(c);
        }
        try {
            CertificateFactory cf = CertificateFactory.getInstance("X.509");
            CertPath certPath = cf.generateCertPath(path);
            PKIXParameters params = new PKIXParameters(trusted);
            params.setRevocationEnabled(false);
            params.setSigProvider(SIGNATURE_PROVIDER);
            params.setDate(validationDate(leaf));
            CertPathValidator.getInstance("PKIX").validate(certPath, params);
        } catch (CertPathValidatorException e) {
            throw refusal(Reason.UNTRUSTED_CA, "the client certificate does not chain to a station CA");
        } catch (InvalidAlgorithmParameterException | java.security.NoSuchAlgorithmException e) {
            throw refusal(Reason.UNTRUSTED_CA, "the client certificate chain cannot be validated");
        }
    }

    /** A date inside the leaf's validity: now when it is valid, else the edge it has crossed. */
    static Date validationDate(X509Certificate leaf) {
        long now = System.currentTimeMillis();
        long notBefore = leaf.getNotBefore().getTime();
        long notAfter = leaf.getNotAfter().getTime();
        if (now > notAfter) {
            return new Date(notAfter - 1000);
        }
        if (now < notBefore) {
            return new Date(notBefore + 1000);
        }
        return new Date(now);
    }

    /** The reason at the start of a refusal's message, if it is one of ours. */
    public static Reason reasonOf(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = c.getMessage();
            if (m != null) {
                for (Reason r : Reason.values()) {
                    if (m.contains(r.name() + ":")) {
                        return r;
                    }
                }
            }
        }
        return null;
    }

    private static CertificateException refusal(Reason reason, String text) {
        return new CertificateException(reason.name() + ": " + text);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        throw new CertificateException("not a client-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        throw new CertificateException("not a client-side trust manager");
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        throw new CertificateException("not a client-side trust manager");
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return anchorCertificates.toArray(new X509Certificate[0]);
    }
}
