package io.ocppsec.pki.store;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/** Reads and verifies the hash-chained audit log. */
public final class AuditLog {

    /** One audit record as stored. */
    public record Record(long seq, Instant at, AuditEntry entry, String prevHash, String hash) {
    }

    /**
     * The outcome of a verification: how many records were checked and, when the chain is
     * broken, the first record whose link does not hold and why.
     */
    public record Verification(long records, boolean intact, Long firstBrokenSeq, String problem, String headHash) {
    }

    private final JdbcClient jdbc;

    public AuditLog(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The newest records, newest first. */
    public List<Record> latest(int limit) {
        return jdbc.sql("select seq, at, actor, action, subject, outcome, reason, details, prev_hash, hash from audit_log "
                + "order by seq desc limit ?").param(limit).query((rs, n) -> map(rs)).list();
    }

    /**
     * Walks the whole chain in order, recomputing every hash: a record whose prev_hash is not
     * its predecessor's hash, whose own hash does not match its content, or a gap in the
     * sequence, breaks the chain; the head must point at the last record.
     */
    public Verification verify() {
        final long[] count = {0};
        final String[] prev = {AuditHash.GENESIS};
        final long[] expectedSeq = {1};
        final Long[] broken = {null};
        final String[] problem = {null};
        jdbc.sql("select seq, at, actor, action, subject, outcome, reason, details, prev_hash, hash from audit_log order by seq")
                .query(rs -> {
                    if (broken[0] != null) {
                        return;
                    }
                    Record r = map(rs);
                    count[0]++;
                    if (r.seq() != expectedSeq[0]) {
                        broken[0] = r.seq();
                        problem[0] = "sequence gap: expected " + expectedSeq[0];
                    } else if (!r.prevHash().equals(prev[0])) {
                        broken[0] = r.seq();
                        problem[0] = "prev_hash does not match the previous record's hash";
                    } else if (!AuditHash.of(r.prevHash(), r.seq(), r.at(), r.entry()).equals(r.hash())) {
                        broken[0] = r.seq();
                        problem[0] = "hash does not match the record's content";
                    }
                    prev[0] = r.hash();
                    expectedSeq[0] = r.seq() + 1;
                });
        record Head(long seq, String hash) {
        }
        Head head = jdbc.sql("select seq, hash from audit_head where id = 1").query((rs, n) -> new Head(rs.getLong(1), rs.getString(2))).single();
        if (broken[0] == null && (head.seq() != expectedSeq[0] - 1 || !head.hash().equals(prev[0]))) {
            broken[0] = head.seq();
            problem[0] = "the chain head does not point at the last record";
        }
        return new Verification(count[0], broken[0] == null, broken[0], problem[0], head.hash());
    }

    private static Record map(ResultSet rs) throws SQLException {
        AuditEntry e = new AuditEntry(rs.getString("actor"), rs.getString("action"), rs.getString("subject"),
                AuditEntry.Outcome.valueOf(rs.getString("outcome")), rs.getString("reason"), rs.getString("details"));
        return new Record(rs.getLong("seq"), Sql.instant(rs, "at"), e, rs.getString("prev_hash"), rs.getString("hash"));
    }
}
