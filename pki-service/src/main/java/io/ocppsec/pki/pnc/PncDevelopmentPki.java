package io.ocppsec.pki.pnc;

import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.pki.ca.CaRecords;
import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CustodyContentSigner;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.SerialNumbers;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CaCertificateRecord;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.security.cert.CertificateFingerprint;
import java.security.SecureRandom;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The development Plug & Charge PKI (ISO 15118-2 profiles of iso15118-certs, secp256r1,
 * ecdsa-with-SHA256), keys in the custody backend:
 * <pre>
 * V2G root ─┬─ CPO Sub-CA 1 ── CPO Sub-CA 2          (issues SECC certificates, V2GCertificate)
 *           └─ CPS Sub-CA 1 ── CPS Sub-CA 2 ── CPS leaf (signs CertificateInstallationRes/UpdateRes)
 * MO root  ── MO Sub-CA 1 ── MO Sub-CA 2             (issues contract certificates)
 * OEM root ── OEM Sub-CA (pathLen 0)                 (development only: EV provisioning certificates for demos and tests)
 * </pre>
 * Every subject says "(development)". Created once (idempotent on restart: nothing is made when a
 * V2G root with a key exists), stored and audited in one ledger write like the CSMS development
 * PKI. The CPS leaf lives 90 days: a start finding it within 30 days of expiry issues a new one.
 */
public final class PncDevelopmentPki {
    private static final Logger log = LoggerFactory.getLogger(PncDevelopmentPki.class);
    static final Duration CPS_LEAF_RENEW_BEFORE = Duration.ofDays(30);

    private final KeyCustody custody;
    private final CertificateProfiles profiles;
    private final CaStore store;
    private final IssuerRegistry registry;
    private final Ledger ledger;
    private final SerialNumbers serials = new SerialNumbers();

    public PncDevelopmentPki(KeyCustody custody, CertificateProfiles profiles, CaStore store, IssuerRegistry registry, Ledger ledger) {
        this.custody = custody;
        this.profiles = profiles;
        this.store = store;
        this.registry = registry;
        this.ledger = ledger;
    }

    /** What was created: the two roots' SHA-256 fingerprints. */
    public record Created(String v2gRootFingerprint, String moRootFingerprint, String oemRootFingerprint) {
    }

    /**
     * Creates the development Plug & Charge PKI when {@code setting} says so ({@code auto}: when the
     * development CSMS PKI is in use, i.e. the active CSMS root is marked "(development)"; {@code
     * true}; {@code false}) and no V2G root with a key exists yet.
     */
    public Optional<Created> createIfAbsent(String setting, String organization) {
        if ("false".equals(setting)) {
            return Optional.empty();
        }
        boolean exists = store.all().stream().anyMatch(r -> r.role() == CaRole.V2G_ROOT && r.key() != null);
        if (exists) {
            renewCpsLeafIfDue(organization, CPS_LEAF_RENEW_BEFORE);
            // a data directory from before the -20 edition: add it beside the -2 one (once)
            createMinus20IfAbsent(organization);
            // ... and from before the -20 CPO chain (SECC certificates for V2G20Certificate)
            createCpo20IfAbsent(organization);
            renewCpsLeaf20IfDue(organization, CPS_LEAF_RENEW_BEFORE);
            return Optional.empty();
        }
        if ("auto".equals(setting) && store.active(CaRole.CSMS_ROOT).map(r -> !r.subject().contains("(development)")).orElse(true)) {
            log.info("Plug & Charge: no development PKI (the CSMS CA is not the development one); import V2G and MO roots "
                    + "through /api/v1/pnc/roots, or set ocppsec.pnc.development-pki=true");
            return Optional.empty();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String tag = now.toString().substring(0, 10).replace("-", "") + "-" + HexFormat.of().formatHex(random(3));
        List<Made> made = new ArrayList<>();

        Made v2g = root(CaRole.V2G_ROOT, Iso15118Role.V2G_ROOT, "V2G Root CA (development)", organization, tag, now);
        made.add(v2g);
        Made cpo1 = sub(CaRole.CPO_SUB_CA_1, Iso15118Role.CPO_SUB_CA_1, "CPO Sub-CA 1 (development)", organization, v2g, tag, now);
        made.add(cpo1);
        made.add(sub(CaRole.CPO_SUB_CA_2, Iso15118Role.CPO_SUB_CA_2, "CPO Sub-CA 2 (development)", organization, cpo1, tag, now));
        Made cps1 = sub(CaRole.CPS_SUB_CA_1, Iso15118Role.CPS_SUB_CA_1, "CPS Sub-CA 1 (development)", organization, v2g, tag, now);
        made.add(cps1);
        Made cps2 = sub(CaRole.CPS_SUB_CA_2, Iso15118Role.CPS_SUB_CA_2, "CPS Sub-CA 2 (development)", organization, cps1, tag, now);
        made.add(cps2);
        made.add(sub(CaRole.CPS_LEAF, Iso15118Role.CPS_LEAF, "CPS Leaf (development)", organization, cps2, tag, now));
        Made mo = root(CaRole.MO_ROOT, Iso15118Role.MO_ROOT, "MO Root CA (development)", organization, tag, now);
        made.add(mo);
        Made mo1 = sub(CaRole.MO_SUB_CA_1, Iso15118Role.MO_SUB_CA_1, "MO Sub-CA 1 (development)", organization, mo, tag, now);
        made.add(mo1);
        made.add(sub(CaRole.MO_SUB_CA_2, Iso15118Role.MO_SUB_CA_2, "MO Sub-CA 2 (development)", organization, mo1, tag, now));
        Made oem = root(CaRole.OEM_ROOT, Iso15118Role.OEM_ROOT, "OEM Root CA (development)", "ocppsec development OEM", tag, now);
        made.add(oem);
        made.add(sub(CaRole.OEM_SUB_CA, Iso15118Role.OEM_SUB_CA_2, "OEM Sub-CA (development)", "ocppsec development OEM", oem, tag, now));

        for (Made m : made) {
            custody.attachCertificateChain(m.record().key(), m.chain());
        }
        write(made);
        Created created = new Created(fingerprint(v2g.certificate()), fingerprint(mo.certificate()), fingerprint(oem.certificate()));
        log.info("development Plug & Charge PKI created (ISO 15118-2 profiles, DEVELOPMENT ONLY): V2G root SHA-256 {}, "
                + "MO root SHA-256 {}, development OEM root SHA-256 {}", created.v2gRootFingerprint(), created.moRootFingerprint(),
                created.oemRootFingerprint());
        createMinus20IfAbsent(organization);
        return Optional.of(created);
    }

    /**
     * The ISO 15118-20 edition of the development PKI (secp521r1, ecdsa-with-SHA512), beside the -2 one:
     * <pre>
     * V2G root -20 ─┬─ CPS Sub-CA 1 -20 ── CPS Sub-CA 2 -20 ── CPS leaf -20 (signs -20 CertificateInstallationRes)
     *               └─ CPO Sub-CA 1 -20 ── CPO Sub-CA 2 -20                  (issues -20 SECC certificates, V2G20Certificate)
     * MO root -20  ── MO Sub-CA 1 -20 ── MO Sub-CA 2 -20                    (issues -20 contract certificates)
     * OEM root -20 ── OEM Sub-CA -20                                       (development EVs only)
     * </pre>
     * Made once, when the -2 development PKI exists (its V2G root with a key) and no -20 V2G root with a key
     * does: so a restart of a data directory made before the -20 edition adds it, and later restarts make
     * nothing. A custody backend that cannot make P-521 keys leaves the -2 PKI working (logged). What was
     * created, or empty. Custody key ids end in "-20" (e.g. {@code cps-leaf-20-<tag>}).
     */
    public Optional<Created> createMinus20IfAbsent(String organization) {
        List<CaCertificateRecord> all = store.all();
        if (all.stream().noneMatch(r -> r.role() == CaRole.V2G_ROOT && r.key() != null)
                || all.stream().anyMatch(r -> r.role() == CaRole.V2G_ROOT_20 && r.key() != null)) {
            return Optional.empty();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String tag = now.toString().substring(0, 10).replace("-", "") + "-" + HexFormat.of().formatHex(random(3));
        List<Made> made = new ArrayList<>();
        Edition e = Edition.ISO_15118_20;
        try {
            Made v2g = root(CaRole.V2G_ROOT_20, Iso15118Role.V2G_ROOT, e, "V2G Root CA -20 (development)", organization, tag, now);
            made.add(v2g);
            Made cps1 = sub(CaRole.CPS_SUB_CA_1_20, Iso15118Role.CPS_SUB_CA_1, e, "CPS Sub-CA 1 -20 (development)", organization, v2g, tag, now);
            made.add(cps1);
            Made cps2 = sub(CaRole.CPS_SUB_CA_2_20, Iso15118Role.CPS_SUB_CA_2, e, "CPS Sub-CA 2 -20 (development)", organization, cps1, tag, now);
            made.add(cps2);
            made.add(sub(CaRole.CPS_LEAF_20, Iso15118Role.CPS_LEAF, e, "CPS Leaf -20 (development)", organization, cps2, tag, now));
            Made mo = root(CaRole.MO_ROOT_20, Iso15118Role.MO_ROOT, e, "MO Root CA -20 (development)", organization, tag, now);
            made.add(mo);
            Made mo1 = sub(CaRole.MO_SUB_CA_1_20, Iso15118Role.MO_SUB_CA_1, e, "MO Sub-CA 1 -20 (development)", organization, mo, tag, now);
            made.add(mo1);
            made.add(sub(CaRole.MO_SUB_CA_2_20, Iso15118Role.MO_SUB_CA_2, e, "MO Sub-CA 2 -20 (development)", organization, mo1, tag, now));
            Made oem = root(CaRole.OEM_ROOT_20, Iso15118Role.OEM_ROOT, e, "OEM Root CA -20 (development)", "ocppsec development OEM",
                    tag, now);
            made.add(oem);
            made.add(sub(CaRole.OEM_SUB_CA_20, Iso15118Role.OEM_SUB_CA_2, e, "OEM Sub-CA -20 (development)", "ocppsec development OEM",
                    oem, tag, now));
            Made cpo1 = sub(CaRole.CPO_SUB_CA_1_20, Iso15118Role.CPO_SUB_CA_1, e, "CPO Sub-CA 1 -20 (development)", organization, v2g,
                    tag, now);
            made.add(cpo1);
            made.add(sub(CaRole.CPO_SUB_CA_2_20, Iso15118Role.CPO_SUB_CA_2, e, "CPO Sub-CA 2 -20 (development)", organization, cpo1,
                    tag, now));
            for (Made m : made) {
                custody.attachCertificateChain(m.record().key(), m.chain());
            }
        } catch (RuntimeException ex) {
            log.warn("development Plug & Charge PKI: the ISO 15118-20 edition could not be created ({}); -2 works, -20 local "
                    + "provisioning answers NotConfigured", ex.toString());
            return Optional.empty();
        }
        write(made);
        Created created = new Created(fingerprint(made.get(0).certificate()), fingerprint(made.get(4).certificate()),
                fingerprint(made.get(7).certificate()));
        log.info("development Plug & Charge PKI, ISO 15118-20 edition created (secp521r1, DEVELOPMENT ONLY): V2G root -20 SHA-256 {}, "
                + "MO root -20 SHA-256 {}, development OEM root -20 SHA-256 {}", created.v2gRootFingerprint(), created.moRootFingerprint(),
                created.oemRootFingerprint());
        return Optional.of(created);
    }

    /**
     * The -20 CPO chain (V2G root -20 ── CPO Sub-CA 1 -20 ── CPO Sub-CA 2 -20, which issues ISO 15118-20
     * SECC certificates for V2G20Certificate) for a data directory whose -20 edition was made before
     * it existed: made once, when the -20 V2G root has its key here and no -20 CPO Sub-CA 2 does.
     */
    public boolean createCpo20IfAbsent(String organization) {
        List<CaCertificateRecord> all = store.all();
        if (all.stream().anyMatch(r -> r.role() == CaRole.CPO_SUB_CA_2_20 && r.key() != null)) {
            return false;
        }
        Optional<Issuer> v2g = registry.active(CaRole.V2G_ROOT_20).filter(i -> i.key() != null);
        if (v2g.isEmpty()) {
            return false;
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        String tag = now.toString().substring(0, 10).replace("-", "") + "-" + HexFormat.of().formatHex(random(3));
        Made root = new Made(v2g.get().record(), v2g.get().certificate(), List.of(v2g.get().certificate()));
        List<Made> made = new ArrayList<>();
        try {
            Made cpo1 = sub(CaRole.CPO_SUB_CA_1_20, Iso15118Role.CPO_SUB_CA_1, Edition.ISO_15118_20, "CPO Sub-CA 1 -20 (development)",
                    organization, root, tag, now);
            made.add(cpo1);
            made.add(sub(CaRole.CPO_SUB_CA_2_20, Iso15118Role.CPO_SUB_CA_2, Edition.ISO_15118_20, "CPO Sub-CA 2 -20 (development)",
                    organization, cpo1, tag, now));
            for (Made m : made) {
                custody.attachCertificateChain(m.record().key(), m.chain());
            }
        } catch (RuntimeException ex) {
            log.warn("development Plug & Charge PKI: the ISO 15118-20 CPO chain could not be created ({}); V2G20Certificate stays"
                    + " with the station CA", ex.toString());
            return false;
        }
        write(made);
        log.info("development Plug & Charge PKI: ISO 15118-20 CPO Sub-CA 1 and 2 created (SECC certificates for V2G20Certificate)");
        return true;
    }

    /** {@link #renewCpsLeafIfDue} for the -20 CPS leaf (under CPS Sub-CA 2 -20). */
    public boolean renewCpsLeaf20IfDue(String organization, Duration renewBefore) {
        return renewLeaf(CaRole.CPS_LEAF_20, CaRole.CPS_SUB_CA_2_20, Edition.ISO_15118_20, "CPS Leaf -20 (development)",
                organization, renewBefore);
    }

    /**
     * Issues a new development CPS leaf under the CPS Sub-CA 2 whose key we hold when the active
     * leaf expires within {@code renewBefore} (or is missing); the previous one is RETIRED. True
     * when a new leaf was issued.
     */
    public boolean renewCpsLeafIfDue(String organization, Duration renewBefore) {
        return renewLeaf(CaRole.CPS_LEAF, CaRole.CPS_SUB_CA_2, Edition.ISO_15118_2, "CPS Leaf (development)", organization, renewBefore);
    }

    private boolean renewLeaf(CaRole leafRole, CaRole parentRole, Edition edition, String cn, String organization,
                              Duration renewBefore) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Optional<Issuer> leaf = registry.active(leafRole).filter(i -> i.key() != null);
        if (leaf.isPresent() && leaf.get().notAfter().isAfter(now.plus(renewBefore))) {
            return false;
        }
        Optional<Issuer> cps2 = registry.active(parentRole).filter(i -> i.key() != null && i.notAfter().isAfter(now));
        if (cps2.isEmpty()) {
            return false;
        }
        String tag = now.toString().substring(0, 10).replace("-", "") + "-" + HexFormat.of().formatHex(random(3));
        Made parent = new Made(cps2.get().record(), cps2.get().certificate(), chainOf(cps2.get()));
        Made next = sub(leafRole, Iso15118Role.CPS_LEAF, edition, cn, organization, parent, tag, now);
        custody.attachCertificateChain(next.record().key(), next.chain());
        List<AuditEntry> audit = new ArrayList<>(List.of(AuditEntry.ok("system", "ca.create", "ca:" + next.record().id(),
                Details.of("role", leafRole.name(), "subject", next.record().subject(), "sha256", next.record().sha256(), "dev", true))));
        ledger.write(c -> {
            if (leaf.isPresent()) {
                CaStore.setStatus(c, leaf.get().id(), CaStatus.RETIRED);
            }
            CaStore.insert(c, next.record());
            return null;
        }, audit, null);
        registry.refresh();
        log.info("development CPS leaf renewed: {}", next.record().id());
        return true;
    }

    private record Made(CaCertificateRecord record, X509Certificate certificate, List<X509Certificate> chain) {
    }

    private Made root(CaRole role, Iso15118Role profile, String cn, String organization, String tag, Instant now) {
        return root(role, profile, Edition.ISO_15118_2, cn, organization, tag, now);
    }

    private Made root(CaRole role, Iso15118Role profile, Edition edition, String cn, String organization, String tag, Instant now) {
        KeyHandle key = custody.generate(id(role, tag), keyAlgorithm(edition));
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(custody.publicKey(key).getEncoded());
        X500Name name = Iso15118Certificates.subjectFor(profile, cn, organization, null);
        X509Certificate cert = Iso15118Certificates.issue(profile, edition, name, spki,
                io.ocppsec.iso15118.pki.Issuer.selfSigned(CustodyContentSigner.of(custody, key, signingAlgorithm(edition))),
                serials.next(), now.minus(Duration.ofHours(1)), Urls.NONE);
        return new Made(CaRecords.record(id(role, tag), role, holder(cert), null, key, keyAlgorithm(edition), now), cert, List.of(cert));
    }

    /** The custody key type of an edition: P-256 for -2 [V2G2-007], P-521 for -20 [V2G20-2674]. */
    static KeyAlgorithm keyAlgorithm(Edition edition) {
        return edition == Edition.ISO_15118_20 ? KeyAlgorithm.EC_P521 : KeyAlgorithm.EC_P256;
    }

    /** The certificate signature of an edition: ecdsa-with-SHA256 for -2 [V2G2-006], ecdsa-with-SHA512 for -20. */
    static SigningAlgorithm signingAlgorithm(Edition edition) {
        return edition == Edition.ISO_15118_20 ? SigningAlgorithm.SHA512_WITH_ECDSA : SigningAlgorithm.SHA256_WITH_ECDSA;
    }

    private Made sub(CaRole role, Iso15118Role profile, String cn, String organization, Made parent, String tag, Instant now) {
        return sub(role, profile, Edition.ISO_15118_2, cn, organization, parent, tag, now);
    }

    private Made sub(CaRole role, Iso15118Role profile, Edition edition, String cn, String organization, Made parent, String tag,
                     Instant now) {
        KeyHandle key = custody.generate(id(role, tag), keyAlgorithm(edition));
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(custody.publicKey(key).getEncoded());
        // The CPS and MO chains travel inside every CertificateInstallationRes/UpdateRes, and OCPP
        // 2.0.1 carries at most 5600 Base64 characters of it (4200 bytes for six certificates, the
        // signature and the rest): their certificates name our OCSP responder only (no CRL
        // distribution point; -2 requires neither, -20 one of them) and carry no O (optional in the
        // Annex F CA profiles). The CPO chain (SECC certificates, stapled in TLS) keeps both.
        boolean inExi = isExiChain(role);
        X500Name name = Iso15118Certificates.subjectFor(profile, cn, inExi ? null : organization, null);
        Instant notBefore = now.minus(Duration.ofHours(1));
        Instant notAfter = notBefore.plus(profile.defaultValidity());
        if (notAfter.isAfter(parent.certificate().getNotAfter().toInstant())) {
            notAfter = parent.certificate().getNotAfter().toInstant();
        }
        Urls urls = inExi ? Urls.ocsp(profiles.ocspUrl()) : new Urls(profiles.crlUrl(parent.record().id()), profiles.ocspUrl());
        X509Certificate cert = Iso15118Certificates.issue(profile, edition, name, spki,
                io.ocppsec.iso15118.pki.Issuer.ca(parent.certificate(),
                        CustodyContentSigner.of(custody, parent.record().key(), signingAlgorithm(edition))),
                serials.next(), notBefore, notAfter, urls);
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert);
        chain.addAll(parent.chain());
        return new Made(CaRecords.record(id(role, tag), role, holder(cert), parent.record().id(), key, keyAlgorithm(edition), now),
                cert, chain);
    }

    private void write(List<Made> made) {
        ledger.write(c -> {
            for (Made m : made) {
                CaStore.insert(c, m.record());
            }
            return null;
        }, made.stream().map(m -> AuditEntry.ok("system", "ca.create", "ca:" + m.record().id(), Details.of("role", m.record().role().name(),
                "subject", m.record().subject(), "sha256", m.record().sha256(), "dev", true))).toList(), null);
        registry.refresh();
    }

    private static List<X509Certificate> chainOf(Issuer i) {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(i.certificate());
        if (!i.chainWithoutRoot().isEmpty()) {
            i.chainWithoutRoot().stream()
                    .filter(c -> !c.equals(i.certificate())).forEach(chain::add);
        }
        if (i.root() != null) {
            chain.add(i.root());
        }
        return chain;
    }

    /** Whether certificates of this role are sent to the EV inside the ISO 15118 certificate messages. */
    static boolean isExiChain(CaRole role) {
        return switch (role) {
            case CPS_SUB_CA_1, CPS_SUB_CA_2, CPS_LEAF, MO_SUB_CA_1, MO_SUB_CA_2,
                 CPS_SUB_CA_1_20, CPS_SUB_CA_2_20, CPS_LEAF_20, MO_SUB_CA_1_20, MO_SUB_CA_2_20 -> true;
            default -> false;
        };
    }

    private static String id(CaRole role, String tag) {
        return role.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-') + "-" + tag;
    }

    private static X509CertificateHolder holder(X509Certificate c) {
        try {
            return new X509CertificateHolder(c.getEncoded());
        } catch (java.io.IOException | CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String fingerprint(X509Certificate c) {
        try {
            return CertificateFingerprint.sha256(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
