package io.ocppsec.pki.config;

import io.ocppsec.pki.custody.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.springframework.stereotype.Component;

/**
 * The service's data directory: created with owner-only permissions; files that hold secrets are
 * written atomically with mode 0600.
 */
@Component
public class DataDirectory {
    private final Path root;

    public DataDirectory(OcppsecProperties properties) {
        this.root = properties.dataDir().toAbsolutePath().normalize();
        createPrivateDirectory(root);
    }

    public Path root() {
        return root;
    }

    /** A directory inside the data directory, created private if missing. */
    public Path directory(String name) {
        Path dir = root.resolve(name);
        createPrivateDirectory(dir);
        return dir;
    }

    /**
     * Writes a file readable by the owner only (0600), atomically and durably: readers never see
     * half of it, a crash never leaves half of it ({@link PrivateFiles#writeAtomically}).
     */
    public static void writePrivate(Path file, String content) {
        try {
            PrivateFiles.writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Writes a public file (a certificate) atomically. */
    public static void writePublic(Path file, String content) {
        try {
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            PrivateFiles.createPrivateDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }
}
