package io.ocppsec.pki.flow;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * A throw-away schema on the test PostgreSQL (127.0.0.1:5432, database {@code test}, user postgres;
 * {@code -Docppsec.test.postgres.url} to change it) for a Spring Boot test: where to point
 * pki-service, whether PostgreSQL answers, and dropping the schema afterwards.
 */
final class PostgresSchema {
    static final String URL = System.getProperty("ocppsec.test.postgres.url", "jdbc:postgresql://127.0.0.1:5432/test");

    final String name = "ocppsec_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    static boolean reachable() {
        try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
            return c.isValid(2);
        } catch (Exception e) {
            return false;
        }
    }

    /** Points pki-service at this schema, with its data directory under {@code dir}. */
    void register(DynamicPropertyRegistry r, Path dir) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.database.url", () -> URL + "?currentSchema=" + name);
        r.add("ocppsec.database.username", () -> "postgres");
        r.add("spring.flyway.schemas", () -> name);
    }

    void drop() throws Exception {
        if (reachable()) {
            try (Connection c = DriverManager.getConnection(URL, "postgres", "")) {
                c.createStatement().execute("drop schema if exists " + name + " cascade");
            }
        }
    }
}
