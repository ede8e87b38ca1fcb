package io.ocppsec.pki.store;

import java.sql.Connection;
import java.sql.SQLException;
import org.h2.api.Trigger;

/** H2 trigger that refuses updates and deletes on the audit log (PostgreSQL has a PL/pgSQL one). */
public final class AppendOnlyTrigger implements Trigger {

    @Override
    public void fire(Connection conn, Object[] oldRow, Object[] newRow) throws SQLException {
        throw new SQLException("audit_log is append-only (" + (newRow == null ? "DELETE" : "UPDATE") + " refused)");
    }
}
