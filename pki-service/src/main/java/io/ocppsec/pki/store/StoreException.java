package io.ocppsec.pki.store;

import java.sql.SQLException;

/** The database failed (not a refusal): the API answers 503 and nothing was written. */
public class StoreException extends RuntimeException {
    public StoreException(SQLException cause) {
        super("database error" + (cause.getSQLState() == null ? "" : " (SQLSTATE " + cause.getSQLState() + ")"), cause);
    }

    /** Whether the failure is a unique-key violation (SQLSTATE 23505 in both H2 and PostgreSQL). */
    public static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
