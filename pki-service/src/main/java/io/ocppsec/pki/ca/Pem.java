package io.ocppsec.pki.ca;

import io.ocppsec.pki.store.Refusal;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** PEM in and out, strictly and with bounds checked before decoding. */
public final class Pem {
    /** Longest CSR PEM accepted (OCPP's SignCertificateRequest.csr is at most 5,500 characters). */
    public static final int MAX_CSR_CHARS = 10_000;
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));

    private Pem() {
    }

    public static String encode(String label, byte[] der) {
        return "-----BEGIN " + label + "-----\n" + MIME.encodeToString(der) + "\n-----END " + label + "-----\n";
    }

    public static String certificate(byte[] der) {
        return encode("CERTIFICATE", der);
    }

    public static String certificate(X509Certificate cert) {
        try {
            return certificate(cert.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException("certificate cannot be encoded", e);
        }
    }

    public static String certificates(List<X509Certificate> chain) {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : chain) {
            sb.append(certificate(c));
        }
        return sb.toString();
    }

    /**
     * The DER of a PEM PKCS#10 request: exactly one {@code CERTIFICATE REQUEST} (or the legacy
     * {@code NEW CERTIFICATE REQUEST}) block, its body base64 with line breaks allowed.
     *
     * @throws Refusal CSR_TOO_LARGE or CSR_MALFORMED
     */
    public static byte[] csrDer(String pem) {
        if (pem == null || pem.isBlank()) {
            throw Refusal.badRequest("CSR_MALFORMED", "no CSR given");
        }
        if (pem.length() > MAX_CSR_CHARS) {
            throw Refusal.badRequest("CSR_TOO_LARGE", "CSR longer than " + MAX_CSR_CHARS + " characters");
        }
        String label = pem.contains("-----BEGIN NEW CERTIFICATE REQUEST-----") ? "NEW CERTIFICATE REQUEST" : "CERTIFICATE REQUEST";
        String begin = "-----BEGIN " + label + "-----";
        String end = "-----END " + label + "-----";
        int b = pem.indexOf(begin);
        int e = pem.indexOf(end);
        if (b < 0 || e < b || pem.indexOf(begin, b + 1) >= 0) {
            throw Refusal.badRequest("CSR_MALFORMED", "expected exactly one PEM '" + label + "' block");
        }
        String body = pem.substring(b + begin.length(), e);
        StringBuilder compact = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c == '\n' || c == '\r' || c == ' ' || c == '\t') {
                continue;
            }
            compact.append(c);
        }
        try {
            byte[] der = Base64.getDecoder().decode(compact.toString());
            if (der.length == 0) {
                throw Refusal.badRequest("CSR_MALFORMED", "empty PEM body");
            }
            return der;
        } catch (IllegalArgumentException ex) {
            throw Refusal.badRequest("CSR_MALFORMED", "the PEM body is not base64");
        }
    }
}
