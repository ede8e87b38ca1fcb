package io.ocppsec.pki.ca;

import io.ocppsec.pki.store.CaCertificateRecord;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.security.cert.PemCertificates;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The CA's own certificates as signing-ready {@link Issuer}s, read from the store and kept in
 * memory; {@link #refresh()} after any change (bootstrap, import, rotation).
 */
public final class IssuerRegistry {
    private final CaStore store;
    private volatile Map<String, Issuer> issuers = Map.of();

    public IssuerRegistry(CaStore store) {
        this.store = store;
    }

    public synchronized void refresh() {
        Map<String, CaCertificateRecord> records = new LinkedHashMap<>();
        for (CaCertificateRecord r : store.all()) {
            records.put(r.id(), r);
        }
        Map<String, X509Certificate> certs = new LinkedHashMap<>();
        for (CaCertificateRecord r : records.values()) {
            certs.put(r.id(), PemCertificates.read(r.certificatePem()).get(0));
        }
        Map<String, Issuer> next = new LinkedHashMap<>();
        for (CaCertificateRecord r : records.values()) {
            X509Certificate cert = certs.get(r.id());
            List<X509Certificate> chain = new ArrayList<>();
            X509Certificate root = null;
            CaCertificateRecord at = r;
            int guard = 0;
            while (at != null && guard++ < 8) {
                X509Certificate c = certs.get(at.id());
                if (at.parentId() == null) {
                    root = c;
                    break;
                }
                chain.add(c);
                at = records.get(at.parentId());
            }
            next.put(r.id(), Issuer.of(r, cert, chain, root));
        }
        issuers = Collections.unmodifiableMap(next);
    }

    /** The newest active CA certificate of a role. */
    public Optional<Issuer> active(CaRole role) {
        Issuer best = null;
        for (Issuer i : issuers.values()) {
            if (i.record().role() == role && i.record().status() == CaStatus.ACTIVE
                    && (best == null || i.record().createdAt().isAfter(best.record().createdAt()))) {
                best = i;
            }
        }
        return Optional.ofNullable(best);
    }

    /**
     * The CA that issues station certificates of a type: the active station CA, or, when an
     * operator imported a single self-signed CA, that root itself. ISO 15118-2 SECC certificates
     * (V2GCertificate) come from the active CPO Sub-CA 2 whose key we hold (V2G root → CPO Sub-CA 1
     * → CPO Sub-CA 2); without one (no Plug & Charge PKI) from the station CA as before. ISO 15118-20
     * SECC certificates (V2G20Certificate) likewise from the -20 CPO Sub-CA 2 (secp521r1).
     */
    public Optional<Issuer> stationIssuer(CertificateType type) {
        if (type == CertificateType.V2GCertificate || type == CertificateType.V2G20Certificate) {
            Instant now = Instant.now();
            CaRole role = type == CertificateType.V2GCertificate ? CaRole.CPO_SUB_CA_2 : CaRole.CPO_SUB_CA_2_20;
            Optional<Issuer> cpo = active(role).filter(i -> i.key() != null && i.notAfter().isAfter(now));
            if (cpo.isPresent()) {
                return cpo;
            }
        }
        Optional<Issuer> ca = active(CaRole.STATION_CA).filter(i -> i.key() != null);
        return ca.isPresent() ? ca : active(CaRole.CSMS_ROOT).filter(i -> i.key() != null);
    }

    public Optional<Issuer> byId(String id) {
        return Optional.ofNullable(issuers.get(id));
    }

    public List<Issuer> all() {
        return List.copyOf(issuers.values());
    }

    /**
     * The roots stations and peers must trust: every active CSMS root that has not expired, then
     * the retired roots that stay trusted for what they issued (those a root rotation replaced).
     */
    public List<X509Certificate> trustedRoots() {
        Instant now = Instant.now();
        List<X509Certificate> out = new ArrayList<>();
        for (Issuer i : issuers.values()) {
            if (i.record().role() == CaRole.CSMS_ROOT && i.record().status() == CaStatus.ACTIVE
                    && i.notAfter().isAfter(now)) {
                out.add(i.certificate());
            }
        }
        java.util.Set<String> retired = stillTrusted.get();
        for (Issuer i : issuers.values()) {
            if (i.record().role() == CaRole.CSMS_ROOT && i.record().status() == CaStatus.RETIRED
                    && retired.contains(i.id()) && i.notAfter().isAfter(now)) {
                out.add(i.certificate());
            }
        }
        return out;
    }

    private volatile java.util.function.Supplier<java.util.Set<String>> stillTrusted = java.util.Set::of;

    /** Names the retired roots that stay trusted (root rotation: the roots it replaced). */
    public void alsoTrust(java.util.function.Supplier<java.util.Set<String>> retiredRootIds) {
        this.stillTrusted = retiredRootIds;
    }

}
