package io.ocppsec.pki.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every write of pki-service goes through here, with its audit records, in group commits: one
 * writer thread takes whatever units of work are waiting, runs them in one transaction (each in
 * its own savepoint, so one refusal does not undo the others), appends their audit records to the
 * hash chain under the chain head's row lock, commits, and only then completes the callers. So a
 * certificate is never handed out before it is durably stored together with its audit record, and
 * many pki-service instances on one PostgreSQL still form one chain.
 *
 * <p>A unit that throws a {@link Refusal} is rolled back to its savepoint, its refusal is audited
 * (outcome REFUSED with the reason) in the same transaction, and its caller gets the refusal.
 */
public final class Ledger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Ledger.class);
    private static final int MAX_BATCH = 512;

    /**
     * A piece of write work, run inside the ledger's transaction. It may run more than once (a
     * batch that meets a failing unit is redone), so it must touch nothing but the database.
     */
    @FunctionalInterface
    public interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    private record Unit<T>(Work<T> work, List<AuditEntry> audit, AuditEntry onRefusal, CompletableFuture<T> done) {
    }

    private final DataSource dataSource;
    private final BlockingQueue<Unit<?>> queue = new LinkedBlockingQueue<>(65_536);
    private final Thread writer;
    private volatile boolean running = true;

    public Ledger(DataSource dataSource) {
        this.dataSource = dataSource;
        this.writer = new Thread(this::loop, "ocppsec-ledger");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Runs {@code work} and records {@code audit} atomically with it. When the work throws a
     * {@link Refusal}, {@code onRefusal} with the refusal's reason is recorded instead.
     */
    public <T> CompletableFuture<T> submit(Work<T> work, List<AuditEntry> audit, AuditEntry onRefusal) {
        CompletableFuture<T> done = new CompletableFuture<>();
        if (!running) {
            done.completeExceptionally(new IllegalStateException("ledger is closed"));
            return done;
        }
        if (!queue.offer(new Unit<>(work, List.copyOf(audit), onRefusal, done))) {
            done.completeExceptionally(new Refusal("BUSY", 503, "too many writes waiting; try again"));
        }
        return done;
    }

    /** Records audit entries on their own (refusals decided before any write). */
    public CompletableFuture<Void> audit(AuditEntry... entries) {
        return submit(c -> null, List.of(entries), null);
    }

    /** {@link #submit} and wait; a refusal is rethrown as itself. */
    public <T> T write(Work<T> work, List<AuditEntry> audit, AuditEntry onRefusal) {
        return join(submit(work, audit, onRefusal));
    }

    /** Waits for a submitted unit; refusals and failures are rethrown unwrapped. */
    public static <T> T join(CompletableFuture<T> future) {
        try {
            return future.get(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger", e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new Refusal("BUSY", 503, "the database did not commit in time");
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException("write failed", cause);
        }
    }

    private void loop() {
        List<Unit<?>> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                Unit<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                commit(batch);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException e) {
                log.error("ledger batch failed", e);
                for (Unit<?> u : batch) {
                    u.done().completeExceptionally(e);
                }
            } finally {
                batch.clear();
            }
        }
    }

    private void commit(List<Unit<?>> batch) {
        // Optimistic first: no savepoints (each costs a round trip on PostgreSQL). If any unit
        // fails, the whole transaction is rolled back and the batch redone with one savepoint per
        // unit, so that only the failing units fail.
        Outcome outcome = attempt(batch, false);
        if (outcome == RETRY) {
            outcome = attempt(batch, true);
        }
        if (outcome == null) {
            return;
        }
        for (int i = 0; i < batch.size(); i++) {
            complete(batch.get(i), outcome.results().get(i), outcome.failures().get(i));
        }
    }

    private record Outcome(List<Object> results, List<Throwable> failures) {
    }

    /** The optimistic pass hit a failing unit and rolled back: redo the batch carefully. */
    private static final Outcome RETRY = new Outcome(List.of(), List.of());

    /**
     * One try at the batch: the outcome per unit, {@link #RETRY} when the optimistic pass met a
     * failing unit, or null when the transaction itself failed (the callers were failed already).
     */
    private Outcome attempt(List<Unit<?>> batch, boolean careful) {
        List<Object> results = new ArrayList<>(batch.size());
        List<Throwable> failures = new ArrayList<>(batch.size());
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                long seq;
                String hash;
                try (PreparedStatement head = c.prepareStatement("select seq, hash from audit_head where id = 1 for update");
                     ResultSet rs = head.executeQuery()) {
                    if (!rs.next()) {
                        throw new SQLException("audit_head row is missing");
                    }
                    seq = rs.getLong(1);
                    hash = rs.getString(2);
                }
                Instant at = Instant.now().truncatedTo(ChronoUnit.MICROS);
                try (PreparedStatement insert = c.prepareStatement(
                        "insert into audit_log (seq, at, actor, action, subject, outcome, reason, details, prev_hash, hash)"
                                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                    for (Unit<?> u : batch) {
                        List<AuditEntry> entries;
                        Savepoint sp = careful ? c.setSavepoint() : null;
                        try {
                            Object result = u.work().run(c);
                            if (sp != null) {
                                c.releaseSavepoint(sp);
                            }
                            results.add(result);
                            failures.add(null);
                            entries = u.audit();
                        } catch (Refusal r) {
                            if (!careful) {
                                c.rollback();
                                return RETRY;
                            }
                            c.rollback(sp);
                            results.add(null);
                            failures.add(r);
                            entries = u.onRefusal() == null ? List.of() : List.of(new AuditEntry(u.onRefusal().actor(),
                                    u.onRefusal().action(), u.onRefusal().subject(), AuditEntry.Outcome.REFUSED,
                                    r.reason(), u.onRefusal().details()));
                        } catch (SQLException | RuntimeException e) {
                            if (!careful) {
                                c.rollback();
                                return RETRY;
                            }
                            c.rollback(sp);
                            results.add(null);
                            failures.add(e instanceof SQLException se ? new StoreException(se) : e);
                            entries = List.of();
                        }
                        for (AuditEntry e : entries) {
                            seq++;
                            String next = AuditHash.of(hash, seq, at, e);
                            insert.setLong(1, seq);
                            insert.setObject(2, at.atOffset(ZoneOffset.UTC));
                            insert.setString(3, e.actor());
                            insert.setString(4, e.action());
                            insert.setString(5, e.subject());
                            insert.setString(6, e.outcome().name());
                            insert.setString(7, e.reason());
                            insert.setString(8, e.details());
                            insert.setString(9, hash);
                            insert.setString(10, next);
                            insert.addBatch();
                            hash = next;
                        }
                    }
                    insert.executeBatch();
                }
                try (PreparedStatement update = c.prepareStatement("update audit_head set seq = ?, hash = ? where id = 1")) {
                    update.setLong(1, seq);
                    update.setString(2, hash);
                    update.executeUpdate();
                }
                c.commit();
                return new Outcome(results, failures);
            } catch (SQLException | RuntimeException e) {
                try {
                    c.rollback();
                } catch (SQLException ignored) {
                    // the connection is broken; the pool will discard it
                }
                throw e;
            }
        } catch (SQLException | RuntimeException e) {
            RuntimeException failure = e instanceof SQLException se ? new StoreException(se) : (RuntimeException) e;
            if (!(e instanceof SQLException)) {
                log.error("ledger batch failed", e);
            }
            for (Unit<?> u : batch) {
                u.done().completeExceptionally(failure);
            }
            return null;
        }
    }

    @SuppressWarnings("unchecked")
    private static <T> void complete(Unit<T> unit, Object result, Throwable failure) {
        if (failure != null) {
            unit.done().completeExceptionally(failure);
        } else {
            unit.done().complete((T) result);
        }
    }

    @Override
    public void close() {
        running = false;
        try {
            writer.join(TimeUnit.SECONDS.toMillis(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
