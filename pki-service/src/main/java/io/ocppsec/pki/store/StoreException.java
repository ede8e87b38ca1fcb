package io.ocppsec.pki.store;

import java.sql.SQLException;

/** The database failed (not a refusal): the API answers 503 and nothing was written. */
public class StoreException extends RuntimeException {
    private final String sqlState;

    public StoreException(SQLException cause) {
        super("database error" + (cause.getSQLState() == null ? "" : " (SQLSTATE " + cause.getSQLState() + ")"), cause);
        this.sqlState = cause.getSQLState();
    }

    /** Whether the failure is a unique-key violation (SQLSTATE 23505 in both H2 and PostgreSQL). */
    public boolean isDuplicateKey() {
        return "23505".equals(sqlState);
    }

    public static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
