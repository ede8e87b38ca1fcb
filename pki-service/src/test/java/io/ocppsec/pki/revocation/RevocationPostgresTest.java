package io.ocppsec.pki.revocation;

import io.ocppsec.pki.flow.Api;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Revocation, CRLs and OCSP on a real PostgreSQL (127.0.0.1:5432, database {@code test}, user
 * postgres) in a throw-away schema; skips with a message when no PostgreSQL answers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class RevocationPostgresTest extends RevocationContract {
    static final String URL = System.getProperty("ocppsec.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");
    static final String SCHEMA = "ocppsec_rv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);

    @TempDir
    static Path dir;

    static boolean reachable() {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    @BeforeAll
    static void requirePostgres() {
        Assumptions.assumeTrue(reachable(), "PostgreSQL not reachable at " + URL + ": PostgreSQL revocation flow skipped");
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.database.url", () -> URL + "?currentSchema=" + SCHEMA);
        r.add("ocppsec.database.username", () -> "postgres");
        r.add("spring.flyway.schemas", () -> SCHEMA);
        r.add("ocppsec.revocation.poll-interval", () -> "1s");
    }

    @AfterAll
    static void dropSchema() throws Exception {
        if (reachable()) {
            try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
                c.createStatement().execute("drop schema if exists " + SCHEMA + " cascade");
            }
        }
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
