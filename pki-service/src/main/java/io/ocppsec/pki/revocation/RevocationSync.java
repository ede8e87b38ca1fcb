package io.ocppsec.pki.revocation;

import io.ocppsec.pki.store.IssuedCertificateRecord;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps CRLs and pre-signed OCSP responses in step with the database: at once for revocations
 * made here, and every {@code interval} for those made by other instances on the same database
 * (the revision poll), CA changes, CRLs due for regeneration and OCSP responses due for re-signing.
 */
public final class RevocationSync implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RevocationSync.class);

    private final RevocationStore store;
    private final RevocationIssuers issuers;
    private final CrlService crls;
    private final OcspResponder ocsp;
    private final Duration interval;
    private final ScheduledExecutorService timer;
    private long seenRevision;

    public RevocationSync(RevocationStore store, RevocationIssuers issuers, CrlService crls, OcspResponder ocsp,
                          Duration interval) {
        this.store = store;
        this.issuers = issuers;
        this.crls = crls;
        this.ocsp = ocsp;
        this.interval = interval;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ocppsec-revocation-sync");
            t.setDaemon(true);
            return t;
        });
    }

    private final java.util.List<java.util.function.BiConsumer<String, String>> revokedListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Also tell {@code listener} (issuer id, serial hex) of every revocation, here or on another
     * instance, when this instance learns of it: the OCSP broker drops its cached answers then.
     */
    public void onRevoked(java.util.function.BiConsumer<String, String> listener) {
        revokedListeners.add(listener);
    }

    private void revoked(String issuerId, String serial) {
        ocsp.evict(issuerId, serial);
        for (var l : revokedListeners) {
            try {
                l.accept(issuerId, serial);
            } catch (RuntimeException e) {
                log.warn("a revocation listener failed: {}", e.toString());
            }
        }
    }

    /** Starts polling; the first tick runs now. */
    public void start() {
        synchronized (this) {
            seenRevision = store.revision();
        }
        timer.scheduleWithFixedDelay(this::tick, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A revocation committed here: evict and regenerate now. */
    public void revokedHere(List<IssuedCertificateRecord> revoked) {
        Set<String> cas = new HashSet<>();
        for (IssuedCertificateRecord r : revoked) {
            revoked(r.issuerId(), r.serial());
            cas.add(r.issuerId());
        }
        for (String ca : cas) {
            if (issuers.byId(ca).isPresent()) {
                crls.regenerate(ca);
            }
        }
    }

    /** One poll: other instances' revocations, CA changes, due CRLs and OCSP responses. */
    public synchronized void tick() {
        try {
            int before = issuers.all().size();
            issuers.refresh();
            if (issuers.all().size() != before) {
                ocsp.evictAll();
            }
            long revision = store.revision();
            if (revision > seenRevision) {
                Set<String> cas = new HashSet<>();
                for (RevocationStore.Change c : store.changesAfter(seenRevision)) {
                    revoked(c.issuerId(), c.serial());
                    cas.add(c.issuerId());
                }
                for (String ca : cas) {
                    if (issuers.byId(ca).isPresent()) {
                        crls.regenerate(ca);
                    }
                }
                seenRevision = revision;
            }
            crls.refreshDue();
            ocsp.refreshDue(interval.multipliedBy(2));
        } catch (RuntimeException e) {
            log.warn("revocation sync failed; retrying in {}: {}", interval, e.toString());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
