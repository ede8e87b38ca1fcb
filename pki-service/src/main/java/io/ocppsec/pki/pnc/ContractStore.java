package io.ocppsec.pki.pnc;

import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The PCID-to-eMAID mapping of local contract provisioning (table {@code pnc_contracts}). Reads go
 * straight to the database; writes are ledger work units ({@link ContractService}). Lookups take
 * any spelling of a valid identifier (case, '-' separators); an invalid one finds nothing.
 */
public final class ContractStore {
    private static final String COLUMNS = "emaid, pcid, status, token_status, created_at, created_by, updated_at, updated_by";

    private final JdbcClient jdbc;

    public ContractStore(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
    }

    /** The contracts of an EV, active first, newest first. */
    public List<ContractRecord> findByPcid(String pcid) {
        if (!PncIdentifiers.isPcid(pcid)) {
            return List.of();
        }
        return jdbc.sql("select " + COLUMNS + " from pnc_contracts where pcid_key = ? order by status, created_at desc, emaid_key")
                .param(PncIdentifiers.pcidKey(pcid)).query((rs, n) -> map(rs)).list();
    }

    /** The active contracts of an EV, newest first. */
    public List<ContractRecord> activeByPcid(String pcid) {
        return findByPcid(pcid).stream().filter(ContractRecord::active).toList();
    }

    public Optional<ContractRecord> findByEmaid(String emaid) {
        if (!PncIdentifiers.isEmaid(emaid)) {
            return Optional.empty();
        }
        return jdbc.sql("select " + COLUMNS + " from pnc_contracts where emaid_key = ?")
                .param(PncIdentifiers.emaidKey(emaid)).query((rs, n) -> map(rs)).optional();
    }

    /** Contracts in eMAID order, a page at a time. */
    public List<ContractRecord> list(String afterEmaid, int limit) {
        String after = afterEmaid == null ? "" : afterEmaid.replace("-", "").toUpperCase(java.util.Locale.ROOT);
        return jdbc.sql("select " + COLUMNS + " from pnc_contracts where emaid_key > ? order by emaid_key limit ?")
                .param(after).param(limit).query((rs, n) -> map(rs)).list();
    }

    static void insert(Connection c, ContractRecord r) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("insert into pnc_contracts (emaid_key, pcid_key, " + COLUMNS
                + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setString(1, PncIdentifiers.emaidKey(r.emaid()));
            ps.setString(2, PncIdentifiers.pcidKey(r.pcid()));
            ps.setString(3, r.emaid());
            ps.setString(4, r.pcid());
            ps.setString(5, r.status().name());
            ps.setString(6, r.tokenStatus());
            ps.setObject(7, r.createdAt().atOffset(ZoneOffset.UTC));
            ps.setString(8, r.createdBy());
            ps.setObject(9, r.updatedAt().atOffset(ZoneOffset.UTC));
            ps.setString(10, r.updatedBy());
            ps.executeUpdate();
        } catch (SQLException e) {
            if (StoreException.isDuplicateKey(e)) {
                throw Refusal.conflict("CONTRACT_EXISTS", "a contract with this eMAID exists already");
            }
            throw e;
        }
    }

    /** Cancels an active contract; a {@link Refusal} when it is unknown or cancelled already. */
    static void cancel(Connection c, String emaid, String tokenStatus, Instant at, String by) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("update pnc_contracts set status = 'CANCELLED', token_status = ?, "
                + "updated_at = ?, updated_by = ? where emaid_key = ? and status = 'ACTIVE'")) {
            ps.setString(1, tokenStatus);
            ps.setObject(2, at.atOffset(ZoneOffset.UTC));
            ps.setString(3, by);
            ps.setString(4, PncIdentifiers.emaidKey(emaid));
            if (ps.executeUpdate() == 1) {
                return;
            }
        }
        try (PreparedStatement ps = c.prepareStatement("select status from pnc_contracts where emaid_key = ?")) {
            ps.setString(1, PncIdentifiers.emaidKey(emaid));
            try (ResultSet rs = ps.executeQuery()) {
                if (rs.next()) {
                    throw Refusal.conflict("CONTRACT_CANCELLED", "this contract is cancelled already");
                }
            }
        }
        throw Refusal.notFound("CONTRACT_UNKNOWN", "no contract with this eMAID");
    }

    private static ContractRecord map(ResultSet rs) throws SQLException {
        return new ContractRecord(rs.getString("emaid"), rs.getString("pcid"), ContractRecord.Status.valueOf(rs.getString("status")),
                rs.getString("token_status"), instant(rs, "created_at"), rs.getString("created_by"),
                instant(rs, "updated_at"), rs.getString("updated_by"));
    }

    private static Instant instant(ResultSet rs, String column) throws SQLException {
        OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
        return t == null ? null : t.toInstant();
    }
}
