package io.ocppsec.security.cert;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * Reads PEM certificates (A00.FR.507: certificates travel PEM-encoded), one or a chain in order,
 * with bounds checked before decoding: at most {@value #MAX_PEM_CHARS} characters and
 * {@value #MAX_CERTIFICATES} certificates.
 */
public final class PemCertificates {
    /** Largest PEM text read (OCPP's largest certificate field, InstallCertificate in 2.1, is 10,000). */
    public static final int MAX_PEM_CHARS = 64 * 1024;
    /** Most certificates in one PEM text. */
    public static final int MAX_CERTIFICATES = 10;

    private PemCertificates() {
    }

    /**
     * The certificates in {@code pem}, in the order given.
     *
     * @throws IllegalArgumentException with a reason (never the input) when the text is too large,
     *                                  holds no certificate, too many, or one that cannot be parsed
     */
    public static List<X509Certificate> read(String pem) {
        if (pem == null || pem.isBlank()) {
            throw new IllegalArgumentException("no PEM certificate given");
        }
        if (pem.length() > MAX_PEM_CHARS) {
            throw new IllegalArgumentException("PEM text longer than " + MAX_PEM_CHARS + " characters");
        }
        int blocks = count(pem, "-----BEGIN CERTIFICATE-----");
        if (blocks == 0) {
            throw new IllegalArgumentException("no '-----BEGIN CERTIFICATE-----' block found");
        }
        if (blocks > MAX_CERTIFICATES) {
            throw new IllegalArgumentException("more than " + MAX_CERTIFICATES + " certificates");
        }
        List<X509Certificate> out = new ArrayList<>();
        try {
            Collection<? extends Certificate> parsed = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            for (Certificate c : parsed) {
                out.add((X509Certificate) c);
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid X.509 certificate in PEM form");
        }
        if (out.size() != blocks) {
            throw new IllegalArgumentException("a certificate block could not be parsed");
        }
        return out;
    }

    private static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + needle.length())) {
            n++;
        }
        return n;
    }
}
