package io.ocppsec.pki.custody;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The default {@link SecretStore}: one file per secret in a directory (typically
 * {@code <data-dir>/secrets}), the file holding the value in UTF-8.
 *
 * <ul>
 *   <li>The directory is created owner-only (0700); each file is written owner-only (0600) and
 *       atomically (temporary file, then rename), so a crash never leaves half a secret.</li>
 *   <li>Names are 1 to 128 characters from {@code [A-Za-z0-9._-]}, starting with a letter or
 *       digit: no separators, no {@code ..}, no hidden files; a name can only ever be a file
 *       directly inside the directory. Symbolic links are not followed when reading.</li>
 *   <li>One trailing line break in a file is ignored when reading, so an operator can write a
 *       secret with {@code echo}; values stored here therefore cannot end with a line break.</li>
 *   <li>A secret file readable by other users is still read, with a warning (its name only).</li>
 * </ul>
 *
 * <p>Thread-safe. Values never appear in a message or log line.
 */
public final class FileSecretStore implements SecretStore {
    private static final System.Logger LOG = System.getLogger(FileSecretStore.class.getName());
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    private static final int MAX_SIZE = 64 * 1024;

    private final Path dir;

    /** A store in {@code dir}, which is created (0700) if it does not exist. */
    public FileSecretStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
        try {
            PrivateFiles.createPrivateDirectories(this.dir);
        } catch (IOException e) {
            throw new CustodyException("cannot create the secret directory " + this.dir + ": " + e.getMessage(), e);
        }
        if (!Files.isDirectory(this.dir)) {
            throw new CustodyException(this.dir + " is not a directory");
        }
    }

    /** The directory the secrets are kept in. */
    public Path directory() {
        return dir;
    }

    @Override
    public Optional<String> get(String name) {
        Path file = fileFor(name);
        byte[] bytes;
        try (SeekableByteChannel ch = Files.newByteChannel(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS)) {
            if (ch.size() > MAX_SIZE) {
                throw new CustodyException("secret file " + file + " is larger than " + MAX_SIZE + " bytes");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) ch.size());
            while (buf.hasRemaining() && ch.read(buf) >= 0) {
                // read all
            }
            bytes = buf.array();
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new CustodyException("cannot read secret " + name + " from " + file + ": " + e.getClass().getSimpleName(), e);
        }
        try {
            if (PrivateFiles.isReadableByOthers(file)) {
                LOG.log(System.Logger.Level.WARNING, "secret file {0} is accessible to other users; it should be mode 0600", file);
            }
        } catch (IOException ignored) {
            // the read worked; the permission check is advisory
        }
        String value;
        try {
            value = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new CustodyException("secret file " + file + " is not UTF-8 text");
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
        if (value.endsWith("\r\n")) {
            value = value.substring(0, value.length() - 2);
        } else if (value.endsWith("\n")) {
            value = value.substring(0, value.length() - 1);
        }
        return Optional.of(value);
    }

    @Override
    public synchronized void put(String name, String value) {
        Path file = fileFor(name);
        if (value == null) {
            throw new CustodyException("a value is required for secret " + name);
        }
        if (value.endsWith("\n") || value.endsWith("\r")) {
            throw new CustodyException("the value of secret " + name + " ends with a line break, which a file secret cannot keep");
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > MAX_SIZE) {
            throw new CustodyException("the value of secret " + name + " is larger than " + MAX_SIZE + " bytes");
        }
        try {
            PrivateFiles.writeAtomically(file, bytes);
        } catch (IOException e) {
            throw new CustodyException("cannot write secret " + name + " to " + file + ": " + e.getClass().getSimpleName(), e);
        } finally {
            java.util.Arrays.fill(bytes, (byte) 0);
        }
    }

    @Override
    public String toString() {
        return "FileSecretStore[" + dir + "]";
    }

    private Path fileFor(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CustodyException("invalid secret name: use 1 to 128 characters from A-Z a-z 0-9 . _ -,"
                    + " starting with a letter or digit");
        }
        Path file = dir.resolve(name).normalize();
        if (!dir.equals(file.getParent())) {
            throw new CustodyException("invalid secret name");
        }
        return file;
    }
}
