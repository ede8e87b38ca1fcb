package io.ocppsec.pki.flow;

import io.ocppsec.pki.custody.pkcs11.SoftHsmToken;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Firmware signing with the keys generated in and used from a SoftHSM2 token over PKCS#11.
 * Skips with the reason when SoftHSM2 is not installed (CI installs it).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirmwarePkcs11Test extends FirmwareCustodyContract {
    @TempDir
    static Path dir;

    /**
     * Before Spring loads the context: a skip thrown while the context loads (from the property
     * source below) would be reported as an error, not a skip.
     */
    @BeforeAll
    static void requireSoftHsm() {
        SoftHsmToken.slot(); // prepares the token, or skips the class with the reason
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        long slot = SoftHsmToken.slot();
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.custody.backend", () -> "pkcs11");
        r.add("ocppsec.custody.pkcs11.library", () -> SoftHsmToken.LIBRARY.toString());
        r.add("ocppsec.custody.pkcs11.slot", () -> Long.toString(slot));
        r.add("ocppsec.custody.pkcs11.pin", () -> SoftHsmToken.PIN);
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
        return "pkcs11";
    }
}
