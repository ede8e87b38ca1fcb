package io.ocppsec.pki.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * The service's data directory and the API token kept in it. The directory is created with
 * owner-only permissions; the token file is written once, atomically, readable by the owner only.
 * The token itself is never logged.
 */
@Component
public class DataDirectory {
    private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
    static final String TOKEN_FILE = "api-token";

    private final Path root;
    private final String apiToken;
    private final Path tokenFile;

    public DataDirectory(OcppsecProperties properties) {
        this.root = properties.dataDir().toAbsolutePath().normalize();
        createPrivateDirectory(root);
        this.tokenFile = root.resolve(TOKEN_FILE);
        if (properties.apiToken() != null) {
            this.apiToken = properties.apiToken();
            log.info("API token taken from configuration (ocppsec.api-token)");
        } else {
            this.apiToken = loadOrCreateToken(tokenFile);
            log.info("API token in {}", tokenFile);
        }
    }

    public Path root() {
        return root;
    }

    /** Where the generated API token is kept. */
    public Path tokenFile() {
        return tokenFile;
    }

    String apiToken() {
        return apiToken;
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                if (supportsPosix(dir.getParent() == null ? dir : dir.getParent())) {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } else {
                    Files.createDirectories(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }

    private static String loadOrCreateToken(Path file) {
        try {
            if (Files.exists(file)) {
                String token = Files.readString(file, StandardCharsets.US_ASCII).trim();
                if (token.length() < 24) {
                    throw new IllegalStateException(file + " holds no usable API token; delete it to get a new one");
                }
                return token;
            }
            byte[] raw = new byte[32];
            new SecureRandom().nextBytes(raw);
            String token = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(tmp);
            if (supportsPosix(file.getParent())) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, token + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
            try {
                Files.move(tmp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                Files.deleteIfExists(tmp);
                return loadOrCreateToken(file);
            }
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create " + file, e);
        }
    }

    private static boolean supportsPosix(Path p) {
        return p != null && p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
