package io.ocppsec.pki.flow;

import io.ocppsec.pki.custody.vault.VaultStandIn;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Firmware signing with the keys in Vault Transit and the secrets in Vault KV v2 — against
 * the stand-in that follows Vault's documented API (no Vault server can be installed here).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirmwareVaultTest extends FirmwareCustodyContract {
    static final String TOKEN = "hvs.firmware-test-token-0123456789";
    static VaultStandIn vault;

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws Exception {
        vault = new VaultStandIn(TOKEN, null);
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.custody.backend", () -> "vault");
        r.add("ocppsec.custody.secret-store", () -> "vault");
        r.add("ocppsec.custody.vault.address", () -> vault.address().toString());
        r.add("ocppsec.custody.vault.token", () -> TOKEN);
    }

    @AfterAll
    static void stop() {
        if (vault != null) {
            vault.close();
        }
    }

    @LocalServerPort
    int port;

    @Override
    Api api() {
        return new Api(port);
    }

    @Override
    Path dataDir() {
        return dir.resolve("data");
    }

    @Override
    String expectedBackend() {
        return "vault";
    }
}
