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
 * Renewal and the fleet view on a real PostgreSQL (127.0.0.1:5432, database {@code test}), in a
 * schema of its own that is dropped afterwards. Skips with a message when no PostgreSQL answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RenewalPostgresTest extends RenewalContract {
    static final PostgresSchema SCHEMA = new PostgresSchema();

    @TempDir
    static Path dir;

    @BeforeAll
    static void requirePostgres() {
        Assumptions.assumeTrue(PostgresSchema.reachable(), "PostgreSQL not reachable at " + PostgresSchema.URL
                + ": PostgreSQL renewal contract skipped");
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        SCHEMA.register(r, dir);
        r.add("ocppsec.renewal.enabled", () -> "false");
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
