package io.ocppsec.pki.pnc;

import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Profile;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.ProfileViolation;
import io.ocppsec.pki.ca.AnchorChecks;
import io.ocppsec.pki.ca.AnchorChecks.AnchorKeys;
import io.ocppsec.pki.ca.CaRecords;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CaCertificateRecord;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.cert.CertificateFingerprint;
import io.ocppsec.security.cert.PemCertificates;
import java.security.PublicKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * The Plug & Charge trust anchors: V2G roots and MO roots (ours from the development PKI, or
 * imported from a PKI operator / eMSP) and trusted OEM roots with their sub-CAs. Imported ones are
 * kept in {@code ca_certificate} without a key. Every change is audited and refreshes the
 * {@link IssuerRegistry}.
 *
 * <p>Checks on import: one certificate that is a self-signed CA (subject = issuer, its signature
 * verifies with its own key, basicConstraints cA:true, keyCertSign when keyUsage is present), not
 * expired, with a key type the CA engine knows (EC P-256/P-384/P-521, RSA 2048-4096) or Ed448
 * ({@link AnchorKeys#PLUG_AND_CHARGE}: ISO 15118-20 [V2G20-2319], recorded as
 * {@link io.ocppsec.pki.custody.KeyAlgorithm#ED448}, never a key we hold or sign with). OEM sub-CAs
 * given with an OEM root must be CAs signed by the certificate before them in the chain. Then the
 * ISO 15118 profile of its role (iso15118-certs {@link Iso15118Profile}: root, Sub-CA 1, Sub-CA 2;
 * the edition from the key: secp256r1 → ISO 15118-2, secp521r1 or Ed448 → -20) with the configured
 * {@link Leniency} ({@code ocppsec.pnc.profile-checks}); violations are refused as
 * {@code ISO_PROFILE_VIOLATION} naming the rules.
 */
public final class PncTrust {
    /** Which kind of root an import is. */
    public enum RootType { V2G, MO }

    /** A trusted root or sub-CA as the API shows it. */
    public record Anchor(String id, String type, String role, String subject, String sha256Fingerprint, boolean developmentKey,
                         Instant notBefore, Instant notAfter, String certificate) {
    }

    private final CaStore store;
    private final IssuerRegistry registry;
    private final Ledger ledger;
    private final Leniency leniency;

    public PncTrust(CaStore store, IssuerRegistry registry, Ledger ledger, Leniency leniency) {
        this.store = store;
        this.registry = registry;
        this.ledger = ledger;
        this.leniency = leniency;
    }

    /** The active V2G roots. */
    public List<X509Certificate> v2gRoots() {
        return certificates(CaRole.V2G_ROOT);
    }

    /** The active MO roots. */
    public List<X509Certificate> moRoots() {
        return certificates(CaRole.MO_ROOT);
    }

    /** The trusted OEM roots. */
    public List<X509Certificate> oemRoots() {
        return certificates(CaRole.OEM_ROOT);
    }

    /** The OEM sub-CAs given with trusted OEM roots. */
    public List<X509Certificate> oemSubCas() {
        return certificates(CaRole.OEM_SUB_CA);
    }

    /** V2G then MO roots, for {@code GET /api/v1/pnc/roots}. */
    public List<Anchor> roots() {
        List<Anchor> out = new ArrayList<>();
        active(CaRole.V2G_ROOT).forEach(i -> out.add(anchor(i, "V2G")));
        active(CaRole.MO_ROOT).forEach(i -> out.add(anchor(i, "MO")));
        // ISO 15118-20 (secp521r1) after the -2 ones; role says which edition
        active(CaRole.V2G_ROOT_20).forEach(i -> out.add(anchor(i, "V2G")));
        active(CaRole.MO_ROOT_20).forEach(i -> out.add(anchor(i, "MO")));
        return out;
    }

    /** OEM roots, each followed by its sub-CAs. */
    public List<Anchor> oemAnchors() {
        List<Anchor> out = new ArrayList<>();
        List<Issuer> subs = active(CaRole.OEM_SUB_CA);
        for (Issuer root : active(CaRole.OEM_ROOT)) {
            out.add(anchor(root, "OEM"));
            addChildren(out, root, subs, 0);
        }
        return out;
    }

    private void addChildren(List<Anchor> out, Issuer parent, List<Issuer> subs, int depth) {
        if (depth > 4) {
            return;
        }
        for (Issuer s : subs) {
            if (parent.id().equals(s.record().parentId())) {
                out.add(anchor(s, "OEM"));
                addChildren(out, s, subs, depth + 1);
            }
        }
    }

    /** Imports a V2G or MO root; {@code type} may be null when the root's DC says V2G or MO. */
    public Anchor importRoot(String pem, String type, String actor) {
        String action = "pnc.root.import";
        try {
            List<X509Certificate> certs = read(pem);
            if (certs.size() != 1) {
                throw Refusal.badRequest("ONE_CERTIFICATE", "give exactly one root certificate");
            }
            X509Certificate root = certs.get(0);
            AnchorChecks.checkSelfSignedCa(root, AnchorKeys.PLUG_AND_CHARGE);
            RootType t = rootType(root, type);
            // the key says the edition: a secp521r1 or Ed448 root anchors ISO 15118-20 chains, a P-256 one -2 chains
            boolean minus20 = editionOf(root) == Edition.ISO_15118_20;
            CaRole role = t == RootType.V2G ? (minus20 ? CaRole.V2G_ROOT_20 : CaRole.V2G_ROOT)
                    : (minus20 ? CaRole.MO_ROOT_20 : CaRole.MO_ROOT);
            checkProfile(root, t == RootType.V2G ? Iso15118Role.V2G_ROOT : Iso15118Role.MO_ROOT);
            CaCertificateRecord record = record(role, root, null);
            insert(List.of(record), actor, action);
            return anchor(registry.byId(record.id()).orElseThrow(), t.name());
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, action, "pnc-root", r.reason(), null)));
            throw r;
        }
    }

    /** Trusts an OEM root, and the OEM sub-CAs given after it (each issued by the one before). */
    public List<Anchor> addOemRoot(String pem, String actor) {
        String action = "pnc.oem-root.add";
        try {
            List<X509Certificate> certs = read(pem);
            if (certs.isEmpty() || certs.size() > 3) {
                throw Refusal.badRequest("BAD_CHAIN", "give the OEM root, optionally followed by up to two OEM sub-CAs");
            }
            // Accept root-last order too.
            if (!isSelfIssued(certs.get(0)) && isSelfIssued(certs.get(certs.size() - 1))) {
                certs = new ArrayList<>(certs);
                java.util.Collections.reverse(certs);
            }
            X509Certificate root = certs.get(0);
            AnchorChecks.checkSelfSignedCa(root, AnchorKeys.PLUG_AND_CHARGE);
            checkProfile(root, Iso15118Role.OEM_ROOT);
            List<CaCertificateRecord> records = new ArrayList<>();
            CaCertificateRecord parent = record(CaRole.OEM_ROOT, root, null);
            records.add(parent);
            for (int i = 1; i < certs.size(); i++) {
                X509Certificate sub = certs.get(i);
                checkIssuedBy(sub, certs.get(i - 1));
                // A lone sub-CA is a Sub-CA 2 (it issues the leaves); of two, the first is Sub-CA 1.
                checkProfile(sub, certs.size() == 3 && i == 1 ? Iso15118Role.OEM_SUB_CA_1 : Iso15118Role.OEM_SUB_CA_2);
                CaCertificateRecord r = record(CaRole.OEM_SUB_CA, sub, parent.id());
                records.add(r);
                parent = r;
            }
            insert(records, actor, action);
            List<Anchor> out = new ArrayList<>();
            for (CaCertificateRecord r : records) {
                out.add(anchor(registry.byId(r.id()).orElseThrow(), "OEM"));
            }
            return out;
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, action, "pnc-oem-root", r.reason(), null)));
            throw r;
        }
    }

    /** Stops trusting an OEM root (by its SHA-256 fingerprint, hex, ':' optional) and its sub-CAs. */
    public void removeOemRoot(String fingerprint, String actor) {
        String fp = fingerprint == null ? "" : fingerprint.replace(":", "").toLowerCase(Locale.ROOT);
        Optional<Issuer> root = active(CaRole.OEM_ROOT).stream()
                .filter(i -> i.record().sha256().equalsIgnoreCase(fp)).findFirst();
        if (root.isEmpty()) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, "pnc.oem-root.remove", "pnc-oem-root", "OEM_ROOT_UNKNOWN",
                    Details.of("sha256", fp.length() > 64 ? fp.substring(0, 64) : fp))));
            throw Refusal.notFound("OEM_ROOT_UNKNOWN", "no trusted OEM root with this SHA-256 fingerprint");
        }
        List<String> ids = new ArrayList<>();
        ids.add(root.get().id());
        for (int round = 0; round < 4; round++) {
            for (Issuer s : registry.all()) {
                if (s.record().role() == CaRole.OEM_SUB_CA && ids.contains(s.record().parentId()) && !ids.contains(s.id())) {
                    ids.add(s.id());
                }
            }
        }
        List<AuditEntry> audit = ids.stream().map(id -> AuditEntry.ok(actor, "pnc.oem-root.remove", "ca:" + id,
                Details.of("sha256", registry.byId(id).map(i -> i.record().sha256()).orElse(null)))).toList();
        ledger.write(c -> {
            // Children first (parent_id is not a foreign key, but keep the order natural).
            for (int i = ids.size() - 1; i >= 0; i--) {
                try (var ps = c.prepareStatement("delete from ca_certificate where id = ? and role in ('OEM_ROOT', 'OEM_SUB_CA')")) {
                    ps.setString(1, ids.get(i));
                    ps.executeUpdate();
                }
            }
            return null;
        }, audit, null);
        registry.refresh();
    }

    private void insert(List<CaCertificateRecord> records, String actor, String action) {
        ledger.write(c -> {
            for (CaCertificateRecord r : records) {
                CaStore.insert(c, r);
            }
            return null;
        }, records.stream().map(r -> AuditEntry.ok(actor, action, "ca:" + r.id(),
                Details.of("role", r.role().name(), "subject", r.subject(), "sha256", r.sha256()))).toList(), null);
        registry.refresh();
    }

    private List<Issuer> active(CaRole role) {
        return registry.all().stream().filter(i -> i.record().role() == role && i.record().status() == CaStatus.ACTIVE).toList();
    }

    private List<X509Certificate> certificates(CaRole role) {
        Instant now = Instant.now();
        return active(role).stream().filter(i -> i.notAfter().isAfter(now)).map(Issuer::certificate).toList();
    }

    static Anchor anchor(Issuer i, String type) {
        CaCertificateRecord r = i.record();
        return new Anchor(r.id(), type, r.role().name(), r.subject(), fingerprint(i.certificate()), r.key() != null,
                r.notBefore(), r.notAfter(), r.certificatePem());
    }

    private static String fingerprint(X509Certificate c) {
        try {
            return CertificateFingerprint.sha256(c.getEncoded());
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<X509Certificate> read(String pem) {
        if (pem == null || pem.isBlank()) {
            throw Refusal.badRequest("MISSING_FIELD", "certificate (PEM) is required");
        }
        try {
            return PemCertificates.read(pem);
        } catch (RuntimeException e) {
            throw Refusal.badRequest("BAD_CERTIFICATE", "certificate must be PEM X.509 certificates");
        }
    }

    private static boolean isSelfIssued(X509Certificate c) {
        return c.getSubjectX500Principal().equals(c.getIssuerX500Principal());
    }

    private static void checkIssuedBy(X509Certificate sub, X509Certificate issuer) {
        if (!sub.getIssuerX500Principal().equals(issuer.getSubjectX500Principal())) {
            throw Refusal.policy("CHAIN_BROKEN", "each OEM sub-CA must be issued by the certificate before it");
        }
        try {
            sub.verify(issuer.getPublicKey());
        } catch (Exception e) {
            throw Refusal.policy("CHAIN_BROKEN", "an OEM sub-CA's signature does not verify with its issuer's key");
        }
        AnchorChecks.checkCa(sub, AnchorKeys.PLUG_AND_CHARGE);
    }

    /** ISO 15118-20 for a secp521r1 or Ed448 key (the -20 algorithms [V2G20-2674] / [V2G20-2319]), else -2. */
    static Edition editionOf(X509Certificate c) {
        PublicKey key = c.getPublicKey();
        if (key instanceof ECPublicKey ec) {
            return ec.getParams().getCurve().getField().getFieldSize() == 521 ? Edition.ISO_15118_20 : Edition.ISO_15118_2;
        }
        try {
            return org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_Ed448.equals(
                    org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(key.getEncoded()).getAlgorithm().getAlgorithm())
                    ? Edition.ISO_15118_20 : Edition.ISO_15118_2;
        } catch (RuntimeException notReadable) {
            return Edition.ISO_15118_2; // the -2 profile check then names what is wrong with the key
        }
    }

    private void checkProfile(X509Certificate c, Iso15118Role role) {
        Edition edition = editionOf(c);
        List<ProfileViolation> violations = Iso15118Profile.check(c, role, edition, leniency);
        if (!violations.isEmpty()) {
            StringBuilder b = new StringBuilder("the certificate breaks the " + edition + " profile of " + role + ": ");
            for (int i = 0; i < violations.size() && i < 5; i++) {
                b.append(i == 0 ? "" : "; ").append(violations.get(i).rule()).append(" (").append(violations.get(i).detail()).append(')');
            }
            throw Refusal.policy("ISO_PROFILE_VIOLATION", b.length() > 900 ? b.substring(0, 900) : b.toString());
        }
    }

    private static RootType rootType(X509Certificate root, String type) {
        if (type != null && !type.isBlank()) {
            try {
                return RootType.valueOf(type.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw Refusal.badRequest("BAD_ROOT_TYPE", "type must be V2G or MO");
            }
        }
        X500Name name = X500Name.getInstance(root.getSubjectX500Principal().getEncoded());
        for (RDN rdn : name.getRDNs(BCStyle.DC)) {
            String dc = IETFUtils.valueToString(rdn.getFirst().getValue());
            if (dc.equalsIgnoreCase("V2G")) {
                return RootType.V2G;
            }
            if (dc.equalsIgnoreCase("MO")) {
                return RootType.MO;
            }
        }
        throw Refusal.badRequest("ROOT_TYPE_REQUIRED", "the root's subject has no DC=V2G or DC=MO: say type V2G or MO");
    }

    private static CaCertificateRecord record(CaRole role, X509Certificate c, String parentId) {
        try {
            X509CertificateHolder h = new X509CertificateHolder(c.getEncoded());
            String sha = CaRecords.sha256Hex(c.getEncoded());
            String id = role.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-" + sha.substring(0, 16);
            return CaRecords.record(id, role, h, parentId, null, AnchorChecks.keyAlgorithm(c.getPublicKey(), AnchorKeys.PLUG_AND_CHARGE),
                    Instant.now().truncatedTo(ChronoUnit.MICROS));
        } catch (java.io.IOException | CertificateEncodingException e) {
            throw Refusal.badRequest("BAD_CERTIFICATE", "the certificate cannot be encoded");
        }
    }

    /** For audit details and logs. */
    static Map<String, Object> describe(X509Certificate c) {
        return Map.of("subject", c.getSubjectX500Principal().getName(), "sha256", fingerprint(c));
    }
}
