package io.ocppsec.security.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Locates the read-only {@code shared/} reference folder beside the project: the system property
 * {@code ocppsec.shared.dir} (surefire sets it), else {@code ../../shared} relative to the module
 * directory (or {@code ../shared} from the project root). Tests that need it skip when it is absent.
 */
public final class SharedDir {

    private SharedDir() {
    }

    public static Optional<Path> find() {
        List<Path> candidates = new ArrayList<>();
        String prop = System.getProperty("ocppsec.shared.dir");
        if (prop != null && !prop.isBlank()) {
            candidates.add(Path.of(prop));
        }
        candidates.add(Path.of("../../shared"));
        candidates.add(Path.of("../shared"));
        for (Path p : candidates) {
            if (Files.isDirectory(p.resolve("iso15118"))) {
                return Optional.of(p.toAbsolutePath().normalize());
            }
        }
        return Optional.empty();
    }

    /** A path inside shared/, if shared/ and that path exist. */
    public static Optional<Path> resolve(String relative) {
        return find().map(p -> p.resolve(relative)).filter(Files::exists);
    }
}
