package io.ocppsec.pki.revocation;

import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.IssuedCertificateRecord;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StationStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Revokes issued certificates by serial or by station. Idempotent: revoking a revoked certificate
 * changes nothing and answers with the existing record (its first time and reason stay). Every
 * revocation is written with its audit record through the {@link Ledger}; after the commit the
 * listeners (CRLs, the OCSP cache) learn of it at once, other instances through the revision poll.
 */
public final class RevocationService {
    private static final int STATION_LIMIT = 10_000;

    private final CertificateStore certificates;
    private final StationStore stations;
    private final Ledger ledger;
    private final List<Consumer<List<IssuedCertificateRecord>>> listeners = new CopyOnWriteArrayList<>();

    public RevocationService(CertificateStore certificates, StationStore stations, Ledger ledger) {
        this.certificates = certificates;
        this.stations = stations;
        this.ledger = ledger;
    }

    /** The outcome for one certificate: its record now, and whether this call revoked it. */
    public record Outcome(IssuedCertificateRecord certificate, boolean revokedNow) {
    }

    /** Called after the commit with the certificates this instance just revoked. */
    public void onRevoked(Consumer<List<IssuedCertificateRecord>> listener) {
        listeners.add(listener);
    }

    /** Revokes one certificate; 404 CERTIFICATE_UNKNOWN when no certificate has this serial. */
    public Outcome revoke(String serial, RevocationReason reason, String actor) {
        IssuedCertificateRecord existing = certificates.bySerial(serial)
                .orElseThrow(() -> Refusal.notFound("CERTIFICATE_UNKNOWN", "no certificate with this serial number"));
        if (IssuedCertificateRecord.REVOKED.equals(existing.status())) {
            return new Outcome(existing, false);
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        boolean changed = ledger.write(c -> RevocationStore.revoke(c, serial, at, reason),
                List.of(AuditEntry.ok(actor, "certificate.revoke", serial,
                        "{\"reason\":\"" + reason.name() + "\",\"station\":" + json(existing.station()) + "}")),
                null);
        IssuedCertificateRecord now = certificates.bySerial(serial).orElseThrow();
        if (changed) {
            notify(List.of(now));
        }
        return new Outcome(now, changed);
    }

    /**
     * Revokes every valid certificate of a station in one transaction and one audit record per
     * certificate; 404 STATION_UNKNOWN for a station that is not registered.
     */
    public List<Outcome> revokeStation(String stationKey, RevocationReason reason, String actor) {
        stations.find(stationKey).orElseThrow(() -> Refusal.notFound("STATION_UNKNOWN", "no station with this identity"));
        List<IssuedCertificateRecord> valid = certificates.search(
                new CertificateStore.Query(stationKey, null, null, IssuedCertificateRecord.VALID, null), 0, STATION_LIMIT);
        if (valid.isEmpty()) {
            return List.of();
        }
        Instant at = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        List<AuditEntry> audit = new ArrayList<>();
        for (IssuedCertificateRecord r : valid) {
            audit.add(AuditEntry.ok(actor, "certificate.revoke", r.serial(),
                    "{\"reason\":\"" + reason.name() + "\",\"station\":" + json(r.station()) + ",\"byStation\":true}"));
        }
        List<Boolean> changed = ledger.write(c -> {
            List<Boolean> out = new ArrayList<>();
            for (IssuedCertificateRecord r : valid) {
                out.add(RevocationStore.revoke(c, r.serial(), at, reason));
            }
            return out;
        }, audit, null);
        List<Outcome> outcomes = new ArrayList<>();
        List<IssuedCertificateRecord> revoked = new ArrayList<>();
        for (int i = 0; i < valid.size(); i++) {
            IssuedCertificateRecord now = certificates.bySerial(valid.get(i).serial()).orElseThrow();
            outcomes.add(new Outcome(now, changed.get(i)));
            if (changed.get(i)) {
                revoked.add(now);
            }
        }
        notify(revoked);
        return outcomes;
    }

    private void notify(List<IssuedCertificateRecord> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        for (Consumer<List<IssuedCertificateRecord>> l : listeners) {
            try {
                l.accept(revoked);
            } catch (RuntimeException e) {
                // a listener failing (e.g. a CRL that cannot be signed now) must not undo the
                // committed revocation; the periodic refresh retries it
                org.slf4j.LoggerFactory.getLogger(RevocationService.class).warn("revocation listener failed", e);
            }
        }
    }

    private static String json(String s) {
        if (s == null) {
            return "null";
        }
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
