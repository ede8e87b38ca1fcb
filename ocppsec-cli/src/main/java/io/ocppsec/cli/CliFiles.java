package io.ocppsec.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Reading operator-given files with a size bound, and writing results without surprises. */
final class CliFiles {
    private CliFiles() {
    }

    /** Writes the content of a file. */
    interface Content {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Bytes of a file (or standard input for "-"), at most {@code max}. */
    static byte[] read(Path file, int max, String what) {
        if (file.toString().equals("-")) {
            try {
                byte[] b = System.in.readNBytes(max + 1);
                if (b.length > max) {
                    throw new CliException(what + " on standard input is larger than " + size(max) + "; refused");
                }
                return b;
            } catch (IOException e) {
                throw new CliException("cannot read standard input: " + Text.oneLine(e.getMessage()));
            }
        }
        if (!Files.isRegularFile(file)) {
            throw new CliException("no such file: " + file);
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw new CliException(file + " is larger than " + size(max) + "; that is not " + what);
            }
            return b;
        } catch (AccessDeniedException e) {
            throw new CliException("cannot read " + file + ": permission denied");
        } catch (IOException e) {
            throw new CliException("cannot read " + file + ": " + Text.oneLine(e.getMessage()));
        }
    }

    /** A size limit as people read it: "4 MiB", "64 KiB" or a number of bytes. */
    static String size(int bytes) {
        if (bytes % (1024 * 1024) == 0) {
            return bytes / (1024 * 1024) + " MiB";
        }
        return bytes % 1024 == 0 ? bytes / 1024 + " KiB" : bytes + " bytes";
    }

    /** Fails with a usage error unless {@code out} may be written: it is new, or {@code force} is given. */
    static void checkWritable(Path out, boolean force) {
        if (!force && Files.exists(out, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw new CliException(out + " exists; give --force to overwrite it");
        }
        if (Files.isDirectory(out)) {
            throw new CliException(out + " is a directory");
        }
        Path parent = out.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new CliException("no such directory: " + (parent == null ? out : parent));
        }
    }

    /** Writes PEM text (certificates, a CSR) as a public file, ending with one line break. */
    static long writePem(Path out, boolean force, String pem) {
        String text = pem.endsWith("\n") ? pem : pem + "\n";
        return writePublic(out, force, os -> os.write(text.getBytes(java.nio.charset.StandardCharsets.US_ASCII)));
    }

    /**
     * Writes a public file (certificates, inventories) with mode 0644: into a temporary file
     * beside it first, then moved into place, so that a failure never leaves half a file and an
     * existing file is only replaced with {@code force}. Returns the bytes written.
     */
    static long writePublic(Path out, boolean force, Content content) {
        checkWritable(out, force);
        Path parent = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(parent, "." + out.getFileName() + ".", ".tmp");
            try (OutputStream os = Files.newOutputStream(tmp)) {
                content.writeTo(os);
            }
            if (Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            }
            long size = Files.size(tmp);
            if (force) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(tmp, out);
            }
            tmp = null;
            return size;
        } catch (FileAlreadyExistsException e) {
            throw new CliException(out + " exists; give --force to overwrite it");
        } catch (AccessDeniedException e) {
            throw new CliException("cannot write " + out + ": permission denied");
        } catch (NoSuchFileException e) {
            throw new CliException("cannot write " + out + ": no such directory");
        } catch (IOException e) {
            throw new CliException("cannot write " + out + ": " + Text.oneLine(String.valueOf(e.getMessage())));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a dot-file remains
                }
            }
        }
    }

    /**
     * Writes a secret (a private key) with mode 0600 from the moment the file exists: into a
     * temporary file created with that mode beside it, then moved into place. Returns the bytes written.
     */
    static long writeSecret(Path out, boolean force, byte[] content) {
        checkWritable(out, force);
        Path parent = out.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            if (parent.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                tmp = Files.createTempFile(parent, "." + out.getFileName() + ".", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                tmp = Files.createTempFile(parent, "." + out.getFileName() + ".", ".tmp");
            }
            Files.write(tmp, content);
            if (force) {
                Files.move(tmp, out, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(tmp, out);
            }
            tmp = null;
            return content.length;
        } catch (FileAlreadyExistsException e) {
            throw new CliException(out + " exists; give --force to overwrite it");
        } catch (AccessDeniedException e) {
            throw new CliException("cannot write " + out + ": permission denied");
        } catch (IOException e) {
            throw new CliException("cannot write " + out + ": " + Text.oneLine(String.valueOf(e.getMessage())));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: a dot-file remains
                }
            }
        }
    }
}
