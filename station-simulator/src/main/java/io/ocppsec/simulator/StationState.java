package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.type.InstallCertificateUse;
import io.ocppsec.security.cert.PemCertificates;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a station remembers across connections and restarts: its enrolled key and certificate
 * chain, a Basic-auth password the CSMS set, and the root certificates the CSMS installed. Either
 * in memory or in a directory:
 *
 * <pre>
 *   key.pem              the private key, PKCS#8 PEM, mode 0600
 *   chain.pem            its certificate chain, leaf first
 *   password             the password set with SetVariables, UTF-8, mode 0600
 *   installed/TYPE-HASH.pem  installed root certificates (TYPE = InstallCertificateUseEnumType)
 * </pre>
 *
 * Every file is written to a temporary file first and moved into place, so a crash never leaves a
 * half-written one; key.pem is written before chain.pem, and a key that does not match the chain
 * is refused when the directory is opened. Thread-safe.
 */
public final class StationState {
    static final String KEY_FILE = "key.pem";
    static final String CHAIN_FILE = "chain.pem";
    static final String PASSWORD_FILE = "password";
    static final String INSTALLED_DIR = "installed";
    /** Most certificates kept per installation type (M05.FR.06: beyond it, InstallCertificate is Rejected). */
    public static final int MAX_INSTALLED_PER_TYPE = 10;
    private static final int MAX_FILE_BYTES = 64 * 1024;
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private final Path directory;
    private StationCredentials credentials;
    private char[] password;
    private final List<InstalledCertificate> installed = new ArrayList<>();

    private StationState(Path directory) {
        this.directory = directory;
    }

    /** State that lives as long as the object (load generators, tests). */
    public static StationState inMemory() {
        return new StationState(null);
    }

    /**
     * State kept in {@code directory}, created (mode 0700) when first written. What it already holds
     * is read now.
     *
     * @throws IllegalStateException when the directory holds files that cannot be read, or a key
     *                               that does not belong to the chain
     */
    public static StationState inDirectory(Path directory) {
        StationState s = new StationState(directory.toAbsolutePath().normalize());
        s.load();
        return s;
    }

    /** The directory, when the state is kept in one. */
    public Optional<Path> directory() {
        return Optional.ofNullable(directory);
    }

    /** The enrolled (or seeded) key and chain. */
    public synchronized Optional<StationCredentials> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** Keeps a key and chain: key.pem (0600) first, then chain.pem. */
    public synchronized void storeCredentials(StationCredentials c) {
        if (directory != null) {
            writePrivate(directory.resolve(KEY_FILE), StationKeys.privateKeyPem(c.key()).getBytes(StandardCharsets.US_ASCII));
            writePublic(directory.resolve(CHAIN_FILE), StationKeys.certificatesPem(c.chain()).getBytes(StandardCharsets.US_ASCII));
        }
        credentials = c;
    }

    /** A copy of the password the CSMS set, if it set one. */
    public synchronized Optional<char[]> password() {
        return Optional.ofNullable(password).map(char[]::clone);
    }

    /** Keeps a new Basic-auth password (the caller clears its own copy). */
    public synchronized void storePassword(char[] newPassword) {
        char[] copy = newPassword.clone();
        if (directory != null) {
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(copy));
            byte[] b = new byte[bytes.remaining()];
            bytes.get(b);
            try {
                writePrivate(directory.resolve(PASSWORD_FILE), b);
            } finally {
                Arrays.fill(b, (byte) 0);
                if (bytes.hasArray()) {
                    Arrays.fill(bytes.array(), (byte) 0);
                }
            }
        }
        if (password != null) {
            Arrays.fill(password, '\0');
        }
        password = copy;
    }

    /** The installed root certificates, in installation order. */
    public synchronized List<InstalledCertificate> installed() {
        return List.copyOf(installed);
    }

    /**
     * Installs a root certificate; the same certificate of the same type again replaces it
     * (M05.FR.17).
     *
     * @return false when {@link #MAX_INSTALLED_PER_TYPE} of that type are installed already
     */
    public synchronized boolean install(InstallCertificateUse type, X509Certificate certificate) {
        InstalledCertificate entry = new InstalledCertificate(type, certificate, false);
        boolean present = installed.stream().anyMatch(i -> i.type() == type && i.certificate().equals(certificate));
        if (!present && installed.stream().filter(i -> i.type() == type).count() >= MAX_INSTALLED_PER_TYPE) {
            return false;
        }
        if (directory != null) {
            writePublic(installedFile(entry), StationKeys.certificatesPem(List.of(certificate)).getBytes(StandardCharsets.US_ASCII));
        }
        if (!present) {
            installed.add(entry);
        }
        return true;
    }

    /** Removes an installed certificate; false when it was not installed. */
    public synchronized boolean remove(InstalledCertificate entry) {
        if (!installed.remove(entry)) {
            return false;
        }
        if (directory != null) {
            try {
                Files.deleteIfExists(installedFile(entry));
            } catch (IOException e) {
                installed.add(entry);
                throw new UncheckedIOException("cannot delete " + installedFile(entry), e);
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ files

    private void load() {
        Path key = directory.resolve(KEY_FILE);
        Path chain = directory.resolve(CHAIN_FILE);
        if (Files.isRegularFile(chain)) {
            if (!Files.isRegularFile(key)) {
                throw new IllegalStateException(chain + " exists without " + KEY_FILE + "; move it away to enroll again");
            }
            PrivateKey k;
            List<X509Certificate> c;
            try {
                k = StationKeys.readPrivateKey(readText(key));
                c = PemCertificates.read(readText(chain));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cannot read the station certificate in " + directory + ": " + e.getMessage());
            }
            if (!StationKeys.matches(k, c.get(0).getPublicKey())) {
                throw new IllegalStateException(KEY_FILE + " does not belong to the certificate in " + chain
                        + "; move both away to enroll again");
            }
            credentials = new StationCredentials(k, c);
        }
        Path pw = directory.resolve(PASSWORD_FILE);
        if (Files.isRegularFile(pw)) {
            byte[] b = readBytes(pw);
            try {
                CharBuffer chars = StandardCharsets.UTF_8.decode(ByteBuffer.wrap(b));
                password = new char[chars.remaining()];
                chars.get(password);
                if (chars.hasArray()) {
                    Arrays.fill(chars.array(), '\0');
                }
            } finally {
                Arrays.fill(b, (byte) 0);
            }
        }
        Path dir = directory.resolve(INSTALLED_DIR);
        if (Files.isDirectory(dir)) {
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*.pem")) {
                List<Path> sorted = new ArrayList<>();
                files.forEach(sorted::add);
                sorted.sort(null);
                for (Path f : sorted) {
                    String name = f.getFileName().toString();
                    int dash = name.indexOf('-');
                    InstallCertificateUse type;
                    try {
                        type = InstallCertificateUse.valueOf(dash < 0 ? "" : name.substring(0, dash));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException(f + " is not named TYPE-HASH.pem with a certificate type");
                    }
                    try {
                        installed.add(new InstalledCertificate(type, PemCertificates.read(readText(f)).get(0), false));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalStateException("cannot read " + f + ": " + e.getMessage());
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot list " + dir, e);
            }
        }
    }

    private Path installedFile(InstalledCertificate entry) {
        try {
            byte[] hash = MessageDigest.getInstance("SHA-256").digest(entry.certificate().getEncoded());
            return directory.resolve(INSTALLED_DIR).resolve(entry.type().name() + "-"
                    + HexFormat.of().formatHex(hash, 0, 8) + ".pem");
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String readText(Path f) {
        return new String(readBytes(f), StandardCharsets.US_ASCII);
    }

    private static byte[] readBytes(Path f) {
        try {
            if (Files.size(f) > MAX_FILE_BYTES) {
                throw new IllegalStateException(f + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Files.readAllBytes(f);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    private static void writePrivate(Path target, byte[] content) {
        write(target, content, "rw-------");
    }

    private static void writePublic(Path target, byte[] content) {
        write(target, content, "rw-r--r--");
    }

    /** Writes a file through a temporary one (created with its final mode), forced to disk, then moved into place. */
    private static void write(Path target, byte[] content, String mode) {
        Path dir = target.getParent();
        Path tmp = dir.resolve("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            createDirectories(dir);
            FileAttribute<?>[] attrs = POSIX
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString(mode))}
                    : new FileAttribute<?>[0];
            Files.createFile(tmp, attrs);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE);
                 OutputStream out = java.nio.channels.Channels.newOutputStream(ch)) {
                out.write(content);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        } finally {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // the move succeeded or the write failed already; nothing more to do
            }
        }
    }

    private static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.getParent();
        if (parent != null) {
            createDirectories(parent);
        }
        if (POSIX) {
            Set<PosixFilePermission> owner = PosixFilePermissions.fromString("rwx------");
            try {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(owner));
            } catch (java.nio.file.FileAlreadyExistsException e) {
                // made concurrently
            }
        } else {
            Files.createDirectories(dir);
        }
    }
}
