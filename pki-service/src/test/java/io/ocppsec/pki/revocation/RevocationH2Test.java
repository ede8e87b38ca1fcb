package io.ocppsec.pki.revocation;

import io.ocppsec.pki.flow.Api;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Revocation, CRLs and OCSP on the embedded default: H2 in the data directory. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RevocationH2Test extends RevocationContract {
    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.revocation.poll-interval", () -> "1s");
    }

    @LocalServerPort
    int port;

    @Override
    Api api() {
        return new Api(port);
    }

    @Override
    int port() {
        return port;
    }

    @Override
    Path dataDir() {
        return dir.resolve("data");
    }
}
