package io.ocppsec.iso15118.exi;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;

/**
 * The read-only shared reference folder ({@code ocppsec.shared.dir}, set by surefire). Tests using it skip
 * (JUnit assumption) when it is absent; nothing from it is copied into the project.
 */
public final class Vectors {
    private Vectors() {
    }

    public static Path shared() {
        String prop = System.getProperty("ocppsec.shared.dir");
        Path p = prop == null || prop.isBlank() ? Path.of("../../shared") : Path.of(prop);
        assumeTrue(Files.isDirectory(p.resolve("iso15118")),
                "shared reference folder with iso15118/ not found (ocppsec.shared.dir=" + prop + "); skipping");
        return p;
    }

    public static Path iso(String relative) {
        Path p = shared().resolve("iso15118").resolve(relative);
        assumeTrue(Files.exists(p), p + " not present; skipping");
        return p;
    }

    public static byte[] hex(String relative) throws IOException {
        return HexFormat.of().parseHex(Files.readString(iso(relative)).strip());
    }
}
