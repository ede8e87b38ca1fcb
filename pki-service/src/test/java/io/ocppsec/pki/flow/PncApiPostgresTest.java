package io.ocppsec.pki.flow;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Plug & Charge on a real PostgreSQL (127.0.0.1:5432, database {@code test}, user
 * postgres), in a schema of its own that is dropped afterwards. Skips with a message when no
 * PostgreSQL answers (CI starts one).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class PncApiPostgresTest extends PncApiContract {
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @TempDir
    static Path dir;

    @BeforeAll
    static void requirePostgres() {
        Assumptions.assumeTrue(PostgresSchema.reachable(), "PostgreSQL not reachable at " + PostgresSchema.URL + ": PostgreSQL Plug & Charge test skipped");
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        SCHEMA.register(r, dir);
        r.add("ocppsec.revocation.poll-interval", () -> "200ms");
    }

    @AfterAll
    static void dropSchema() throws Exception {
        SCHEMA.drop();
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
