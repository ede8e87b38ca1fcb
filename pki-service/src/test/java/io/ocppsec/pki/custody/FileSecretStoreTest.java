package io.ocppsec.pki.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Secrets as files: owner-only, atomic, confined to their directory. */
class FileSecretStoreTest {
    @TempDir
    Path tmp;

    @Test
    void secretRoundTripsAndMissingSecretIsEmpty() {
        FileSecretStore store = new FileSecretStore(tmp.resolve("secrets"));
        assertThat(store.get("pkcs12-password")).isEmpty();
        store.put("pkcs12-password", "päss wörd 1");
        assertThat(store.get("pkcs12-password")).contains("päss wörd 1");
        store.put("pkcs12-password", "replaced");
        assertThat(new FileSecretStore(tmp.resolve("secrets")).get("pkcs12-password")).contains("replaced");
    }

    @Test
    void filesAreOwnerOnlyAndNoTemporaryFileRemains() throws Exception {
        Path dir = tmp.resolve("data").resolve("secrets");
        FileSecretStore store = new FileSecretStore(dir);
        store.put("api", "value");
        store.put("api", "value2");
        assumeThat(dir.getFileSystem().supportedFileAttributeViews()).contains("posix");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("api")))).isEqualTo("rw-------");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("api");
        }
    }

    @Test
    void namesCannotLeaveTheDirectory() {
        FileSecretStore store = new FileSecretStore(tmp.resolve("secrets"));
        List<String> bad = new ArrayList<>(List.of("../escape", "..", ".", "a/b", "/etc/passwd", ".hidden", "", "with space",
                "back\\slash", "nul\0byte", "x".repeat(129)));
        for (String name : bad) {
            assertThatThrownBy(() -> store.put(name, "never-shown-value"), name)
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("invalid secret name")
                    .satisfies(e -> assertThat(CustodyTestSupport.everyMessage(e)).doesNotContain("never-shown-value"));
            assertThatThrownBy(() -> store.get(name)).isInstanceOf(CustodyException.class);
        }
        assertThat(tmp.resolve("escape")).doesNotExist();
    }

    @Test
    void aFileWrittenWithEchoIsReadWithoutItsLineBreak() throws Exception {
        FileSecretStore store = new FileSecretStore(tmp.resolve("secrets"));
        Files.writeString(tmp.resolve("secrets").resolve("pkcs11-pin"), "123456\n", StandardCharsets.UTF_8);
        assertThat(store.get("pkcs11-pin")).contains("123456");
        assertThatThrownBy(() -> store.put("x", "ends with newline\n"))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("line break")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("ends with newline"));
    }

    @Test
    void symbolicLinksAreNotFollowed() throws Exception {
        Path outside = Files.writeString(tmp.resolve("outside"), "not a secret of ours");
        FileSecretStore store = new FileSecretStore(tmp.resolve("secrets"));
        Files.createSymbolicLink(tmp.resolve("secrets").resolve("linked"), outside);
        assertThatThrownBy(() -> store.get("linked")).isInstanceOf(CustodyException.class).hasMessageContaining("cannot read secret linked");
    }
}
