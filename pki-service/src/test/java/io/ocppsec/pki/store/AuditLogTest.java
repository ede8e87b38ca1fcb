package io.ocppsec.pki.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The hash-chained audit log and the group-commit ledger on a migrated H2 database. */
class AuditLogTest {
    private DataSource ds;
    private Ledger ledger;
    private AuditLog log;

    @BeforeEach
    void setUp() {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:audit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        ds = h2;
        Flyway.configure().dataSource(ds).locations("classpath:db/migration/common", "classpath:db/migration/h2").load().migrate();
        ledger = new Ledger(ds);
        log = new AuditLog(ds);
    }

    @AfterEach
    void tearDown() {
        ledger.close();
    }

    private void append(int n) {
        for (int i = 0; i < n; i++) {
            Ledger.join(ledger.audit(AuditEntry.ok("test", "thing.do", "thing:" + i, Details.of("i", i))));
        }
    }

    private void exec(String sql) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.createStatement().execute(sql);
        }
    }

    @Test
    void anIntactChainVerifies() {
        append(20);
        AuditLog.Verification v = log.verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.records()).isEqualTo(20);
        assertThat(v.firstBrokenSeq()).isNull();
    }

    @Test
    void theDatabaseRefusesUpdatesAndDeletesOfTheAuditLog() {
        append(3);
        assertThatThrownBy(() -> exec("update audit_log set actor = 'mallory' where seq = 2")).hasMessageContaining("append-only");
        assertThatThrownBy(() -> exec("delete from audit_log where seq = 2")).hasMessageContaining("append-only");
    }

    @Test
    void aChangedRecordIsNamedAsTheFirstBrokenLink() throws SQLException {
        append(12);
        exec("drop trigger audit_log_no_update"); // someone with raw database access
        exec("update audit_log set details = '{\"i\":999}' where seq = 7");
        AuditLog.Verification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(7);
        assertThat(v.problem()).contains("hash does not match");
    }

    @Test
    void aRemovedRecordIsNamedAsTheFirstBrokenLink() throws SQLException {
        append(12);
        exec("drop trigger audit_log_no_delete");
        exec("delete from audit_log where seq = 5");
        AuditLog.Verification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.firstBrokenSeq()).isEqualTo(6);
        assertThat(v.problem()).contains("sequence gap");
    }

    @Test
    void aTruncatedTailIsCaughtByTheHead() throws SQLException {
        append(5);
        exec("drop trigger audit_log_no_delete");
        exec("delete from audit_log where seq = 5");
        AuditLog.Verification v = log.verify();
        assertThat(v.intact()).isFalse();
        assertThat(v.problem()).contains("head");
    }

    @Test
    void concurrentWritersFormOneUnbrokenChain() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<CompletableFuture<Void>> all = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int thread = t;
            all.add(CompletableFuture.runAsync(() -> {
                for (int i = 0; i < 250; i++) {
                    Ledger.join(ledger.audit(AuditEntry.ok("t" + thread, "write", "x:" + i, null)));
                }
            }, pool));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get();
        pool.shutdown();
        AuditLog.Verification v = log.verify();
        assertThat(v.intact()).isTrue();
        assertThat(v.records()).isEqualTo(2000);
    }

    @Test
    void aRefusedUnitIsRolledBackAndAuditedWhileTheOthersInItsBatchCommit() {
        List<CompletableFuture<Object>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            futures.add(ledger.submit(c -> {
                if (n == 17) {
                    c.createStatement().execute("insert into api_token (id, name, role, token_sha256, created_at) values "
                            + "('half', 'x', 'CSMS', '" + "f".repeat(64) + "', current_timestamp)");
                    throw Refusal.conflict("NOPE", "refused after writing");
                }
                return n;
            }, List.of(AuditEntry.ok("t", "ok", "n:" + n, null)), AuditEntry.refused("t", "ok", "n:" + n, null, null)));
        }
        int ok = 0;
        int refused = 0;
        for (CompletableFuture<Object> f : futures) {
            try {
                Ledger.join(f);
                ok++;
            } catch (Refusal r) {
                assertThat(r.reason()).isEqualTo("NOPE");
                refused++;
            }
        }
        assertThat(ok).isEqualTo(49);
        assertThat(refused).isEqualTo(1);
        assertThat(new TokenStore(ds).count()).as("the refused unit's write was rolled back").isZero();
        assertThat(log.verify().records()).isEqualTo(50);
        assertThat(log.latest(100).stream().filter(r -> r.entry().outcome() == AuditEntry.Outcome.REFUSED).count()).isEqualTo(1);
    }
}
