package io.ocppsec.pki.revocation;

import io.ocppsec.pki.ca.CustodyContentSigner;
import io.ocppsec.pki.custody.KeyCustody;
import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.x509.CRLNumber;
import org.bouncycastle.asn1.x509.CRLReason;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.cert.X509v2CRLBuilder;

/**
 * One CRL per CA we answer for (RFC 5280 §5): version 2, a persisted monotonic CRL number, AKI,
 * thisUpdate/nextUpdate {@code validity} apart, one entry per revoked unexpired certificate with
 * its reason code (omitted for unspecified, §5.3.1), signed through custody with the CA key. Kept
 * in memory; regenerated on every revocation, when another instance's revocation is seen, and
 * once {@code refreshAfter} of its validity has passed.
 */
public final class CrlService {
    private final RevocationIssuers issuers;
    private final RevocationStore store;
    private final KeyCustody custody;
    private final Duration validity;
    private final Duration refreshAfter;
    private final ConcurrentHashMap<String, Crl> crls = new ConcurrentHashMap<>();

    /** A signed CRL. */
    public record Crl(String issuerId, long number, Instant thisUpdate, Instant nextUpdate, byte[] der) {
    }

    public CrlService(RevocationIssuers issuers, RevocationStore store, KeyCustody custody, Duration validity,
                      Duration refreshAfter) {
        if (refreshAfter.compareTo(validity) >= 0) {
            throw new IllegalArgumentException("the CRL must be regenerated before its nextUpdate: refresh "
                    + refreshAfter + " is not shorter than validity " + validity);
        }
        this.issuers = issuers;
        this.store = store;
        this.custody = custody;
        this.validity = validity;
        this.refreshAfter = refreshAfter;
    }

    /** The current CRL of a CA we run; empty for any other id. */
    public Optional<Crl> current(String issuerId) {
        if (issuers.byId(issuerId).isEmpty()) {
            return Optional.empty();
        }
        Crl c = crls.get(issuerId);
        if (c != null && Instant.now().isBefore(c.thisUpdate().plus(refreshAfter))) {
            return Optional.of(c);
        }
        synchronized (this) {
            // Many first requests at once make one CRL, not one each.
            Crl again = crls.get(issuerId);
            if (again != null && Instant.now().isBefore(again.thisUpdate().plus(refreshAfter))) {
                return Optional.of(again);
            }
            return Optional.of(regenerate(issuerId));
        }
    }

    /** Signs a new CRL for a CA now. */
    public synchronized Crl regenerate(String issuerId) {
        RevocationIssuers.Entry e = issuers.byId(issuerId)
                .orElseThrow(() -> new IllegalArgumentException("not a CA we run: " + issuerId));
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        long number = store.nextCrlNumber(issuerId);
        X509v2CRLBuilder b = new X509v2CRLBuilder(e.ca().subject(), Date.from(now));
        b.setNextUpdate(Date.from(now.plus(validity)));
        try {
            for (RevocationStore.RevokedEntry r : store.revoked(issuerId, now)) {
                BigInteger serial = new BigInteger(r.serial(), 16);
                if (r.reason() == RevocationReason.unspecified) {
                    b.addCRLEntry(serial, Date.from(r.revokedAt()), null);
                } else {
                    ExtensionsGenerator g = new ExtensionsGenerator();
                    g.addExtension(Extension.reasonCode, false, CRLReason.lookup(r.reason().code()));
                    b.addCRLEntry(serial, Date.from(r.revokedAt()), g.generate());
                }
            }
            b.addExtension(Extension.authorityKeyIdentifier, false, e.ca().authorityKeyIdentifier());
            b.addExtension(Extension.cRLNumber, false, new CRLNumber(BigInteger.valueOf(number)));
            byte[] der = b.build(CustodyContentSigner.of(custody, e.ca().key(), e.ca().signingAlgorithm())).getEncoded();
            Crl crl = new Crl(issuerId, number, now, now.plus(validity), der);
            crls.put(issuerId, crl);
            return crl;
        } catch (IOException ex) {
            throw new IllegalStateException("CRL cannot be encoded", ex);
        }
    }

    /** Regenerates every CRL that is due (the periodic tick). */
    public void refreshDue() {
        Instant now = Instant.now();
        for (RevocationIssuers.Entry e : issuers.all()) {
            Crl c = crls.get(e.ca().id());
            if (c == null || !now.isBefore(c.thisUpdate().plus(refreshAfter))) {
                regenerate(e.ca().id());
            }
        }
    }
}
