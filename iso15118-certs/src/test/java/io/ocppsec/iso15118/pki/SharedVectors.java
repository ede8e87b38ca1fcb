package io.ocppsec.iso15118.pki;

import org.junit.jupiter.api.Assumptions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * The read-only vectors in {@code <ocppsec.shared.dir>/iso15118/vectors} (third-party material, never
 * copied into the project). Tests that need them are skipped, with a message, when absent.
 */
public final class SharedVectors {

    private SharedVectors() {
    }

    /** The vectors folder, or a skipped test. */
    public static Path dir() {
        String prop = System.getProperty("ocppsec.shared.dir");
        Path p = null;
        for (String cand : new String[] {prop, "../../shared", "../shared"}) {
            if (cand != null && !cand.isBlank() && Files.isDirectory(Path.of(cand, "iso15118", "vectors"))) {
                p = Path.of(cand, "iso15118", "vectors").toAbsolutePath().normalize();
                break;
            }
        }
        Assumptions.assumeTrue(p != null,
                "shared/iso15118/vectors not found (set -Docppsec.shared.dir); skipping a vector test");
        return p;
    }

    /** A file below the vectors folder, or a skipped test when it is absent. */
    public static Path file(String relative) {
        Path f = dir().resolve(relative);
        Assumptions.assumeTrue(Files.isRegularFile(f), "vector " + relative + " not found; skipping");
        return f;
    }

    /** A PEM or DER certificate below the vectors folder. */
    public static X509Certificate cert(String relative) {
        try {
            byte[] b = Files.readAllBytes(file(relative));
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(b));
        } catch (IOException | java.security.cert.CertificateException e) {
            throw new IllegalStateException("cannot read " + relative, e);
        }
    }
}
