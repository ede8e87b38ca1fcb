package io.ocppsec.pki.flow;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Plug & Charge on the embedded default: H2 in the data directory, PKCS#12 custody. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PncApiH2Test extends PncApiContract {
    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.revocation.poll-interval", () -> "200ms");
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
}
