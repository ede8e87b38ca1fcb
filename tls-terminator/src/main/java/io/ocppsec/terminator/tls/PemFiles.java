package io.ocppsec.terminator.tls;

import io.ocppsec.security.cert.PemCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;

/** Reads PEM certificates and PKCS#8 private keys from files, with sizes bounded. */
public final class PemFiles {
    private static final long MAX_FILE = 256 * 1024;

    private PemFiles() {
    }

    public static String read(Path file) {
        try {
            if (Files.size(file) > MAX_FILE) {
                throw new IllegalArgumentException(file + " is larger than " + MAX_FILE + " bytes");
            }
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read " + file + ": " + e.getClass().getSimpleName());
        }
    }

    public static List<X509Certificate> certificates(Path file) {
        try {
            return PemCertificates.read(read(file));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " holds no readable PEM certificate: " + e.getMessage());
        }
    }

    /** A PKCS#8 "PRIVATE KEY" (EC or RSA). The message of a failure never shows key material. */
    public static PrivateKey privateKey(Path file) {
        String pem = read(file);
        int begin = pem.indexOf("-----BEGIN PRIVATE KEY-----");
        int end = pem.indexOf("-----END PRIVATE KEY-----");
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException(file + " holds no PKCS#8 PEM private key (BEGIN PRIVATE KEY)");
        }
        byte[] der = Base64.getMimeDecoder().decode(pem.substring(begin + 27, end));
        for (String alg : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (Exception e) {
                // try the next algorithm
            }
        }
        throw new IllegalArgumentException(file + " holds a private key that is neither EC nor RSA");
    }
}
