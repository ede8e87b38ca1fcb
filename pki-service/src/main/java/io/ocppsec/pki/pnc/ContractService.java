package io.ocppsec.pki.pnc;

import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/** Adds and cancels Plug & Charge contracts, each change stored with its audit record. */
public final class ContractService {
    private final ContractStore store;
    private final Ledger ledger;

    public ContractService(ContractStore store, Ledger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    public ContractStore store() {
        return store;
    }

    /** Maps {@code pcid} to a new contract {@code emaid}, ACTIVE with token status Accepted. */
    public ContractRecord add(String pcid, String emaid, String actor) {
        String subject = "contract:" + emaid;
        try {
            if (pcid == null || emaid == null) {
                throw Refusal.badRequest("MISSING_FIELD", "pcid and emaid are required");
            }
            PncIdentifiers.pcidKey(pcid);
            PncIdentifiers.emaidKey(emaid);
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, "pnc.contract.add", truncate(subject), r.reason(), null)));
            throw r;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ContractRecord record = new ContractRecord(emaid, pcid, ContractRecord.Status.ACTIVE, "Accepted", now, actor, now, actor);
        return ledger.write(c -> {
            ContractStore.insert(c, record);
            return record;
        }, List.of(AuditEntry.ok(actor, "pnc.contract.add", subject, Details.of("pcid", pcid))),
                AuditEntry.refused(actor, "pnc.contract.add", subject, null, Details.of("pcid", pcid)));
    }

    /**
     * Cancels a contract: Authorize with it then answers ContractCancelled with {@code tokenStatus}
     * (Blocked, Expired or Invalid; Invalid when not given) (C07.FR.13).
     */
    public ContractRecord cancel(String emaid, String tokenStatus, String actor) {
        String status = tokenStatus == null ? "Invalid" : tokenStatus;
        String subject = "contract:" + emaid;
        try {
            PncIdentifiers.emaidKey(emaid);
            if (!ContractRecord.CANCELLED_TOKEN_STATUSES.contains(status)) {
                throw Refusal.badRequest("BAD_TOKEN_STATUS", "tokenStatus must be Blocked, Expired or Invalid");
            }
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, "pnc.contract.cancel", truncate(subject), r.reason(), null)));
            throw r;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        ledger.write(c -> {
            ContractStore.cancel(c, emaid, status, now, actor);
            return null;
        }, List.of(AuditEntry.ok(actor, "pnc.contract.cancel", subject, Details.of("tokenStatus", status))),
                AuditEntry.refused(actor, "pnc.contract.cancel", subject, null, null));
        return store.findByEmaid(emaid).orElseThrow();
    }

    private static String truncate(String s) {
        return s.length() > 64 ? s.substring(0, 64) : s;
    }
}
