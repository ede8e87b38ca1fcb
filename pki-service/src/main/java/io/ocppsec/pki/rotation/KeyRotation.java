package io.ocppsec.pki.rotation;

import io.ocppsec.pki.ca.CaRecords;
import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CertificateSigner;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.SerialNumbers;
import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CaCertificateRecord;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.security.cert.CertificateFingerprint;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;

/**
 * Rotation of the CA's working keys, each step audited:
 * <ul>
 *   <li>the issuing station sub-CA: a new key in the custody backend, a certificate from the
 *       active root, and a delegated OCSP signer for it; the new CA issues from then on, the
 *       previous one is RETIRED: it no longer issues but stays a trust anchor of the terminator
 *       (GET /api/v1/ca lists it) and keeps its OCSP signer, so what it issued still verifies and
 *       still gets OCSP and CRL answers until its last certificate expires;</li>
 *   <li>the OCSP signer of an issuer: a new delegated signer, the previous one(s) RETIRED.</li>
 * </ul>
 * The CSMS root is rotated in stages by {@link RootRotation}, which uses {@link #newStationCa}.
 */
public final class KeyRotation {
    static final Duration BACKDATE = Duration.ofHours(1);
    static final Duration STATION_CA_LIFE = Duration.ofDays(365L * 10);
    static final Duration OCSP_SIGNER_LIFE = Duration.ofDays(365);
    /** A CA must outlive what it is asked to certify by at least this. */
    static final Duration MIN_ISSUER_LIFE = Duration.ofDays(30);

    private final KeyCustody custody;
    private final CertificateSigner signer;
    private final CertificateProfiles profiles;
    private final IssuerRegistry registry;
    private final Ledger ledger;
    private final SerialNumbers serials = new SerialNumbers();

    public KeyRotation(KeyCustody custody, CertificateSigner signer, CertificateProfiles profiles, IssuerRegistry registry,
                       Ledger ledger) {
        this.custody = custody;
        this.signer = signer;
        this.profiles = profiles;
        this.registry = registry;
        this.ledger = ledger;
    }

    /** What a rotation made: the new certificate, the one(s) it retired, and the new OCSP signer if one came with it. */
    public record Rotated(String id, String role, String subject, String sha256Fingerprint, String parent, String key,
                          Instant notAfter, List<String> retired, String ocspSigner) {
    }

    /** A new station CA and its OCSP signer, made but not stored yet. */
    record NewStationCa(CaCertificateRecord ca, CaCertificateRecord ocspSigner, X509Certificate certificate) {
    }

    /** {@code ca rotate station-ca}: a new issuing CA under the active root; the previous one is retired. */
    public Rotated rotateStationCa(KeyAlgorithm algorithm, String actor) {
        return audited(actor, "ca.rotate.station-ca", () -> {
            Issuer root = registry.active(CaRole.CSMS_ROOT)
                    .orElseThrow(() -> Refusal.conflict("NO_ROOT", "no CSMS root is configured yet"));
            if (root.key() == null) {
                throw Refusal.conflict("ROOT_KEY_NOT_HELD", "the active CSMS root's key is not in this CA's custody (an "
                        + "offline root): request a sub-CA with 'ca request-sub-ca' and install what the root signs");
            }
            Instant now = now();
            List<String> retired = registry.all().stream()
                    .filter(i -> i.record().role() == CaRole.STATION_CA && i.record().status() == CaStatus.ACTIVE)
                    .map(Issuer::id).toList();
            NewStationCa made = newStationCa(root, algorithm, tag(now), now);
            ledger.write(c -> {
                CaStore.retireRole(c, CaRole.STATION_CA);
                CaStore.insert(c, made.ca());
                CaStore.insert(c, made.ocspSigner());
                return null;
            }, List.of(
                    AuditEntry.ok(actor, "ca.rotate.station-ca", "ca:" + made.ca().id(), Details.of("subject", made.ca().subject(),
                            "sha256", made.ca().sha256(), "parent", root.id(), "key", made.ca().key().toString(),
                            "retired", String.join(",", retired), "ocspSigner", made.ocspSigner().id())),
                    AuditEntry.ok(actor, "ca.create", "ca:" + made.ocspSigner().id(), Details.of("role", CaRole.OCSP_SIGNER.name(),
                            "subject", made.ocspSigner().subject(), "sha256", made.ocspSigner().sha256(), "parent", made.ca().id()))),
                    null);
            registry.refresh();
            return rotated(made.ca(), retired, made.ocspSigner().id());
        });
    }

    /** {@code ca rotate ocsp-signer}: a new delegated OCSP signer for an issuer (default: the active station CA). */
    public Rotated rotateOcspSigner(String issuerId, String actor) {
        return audited(actor, "ca.rotate.ocsp-signer", () -> {
            Issuer issuer = issuerId == null
                    ? registry.active(CaRole.STATION_CA).orElseThrow(() -> Refusal.notFound("NO_STATION_CA",
                    "there is no active station CA; name the issuer with issuerId"))
                    : registry.byId(issuerId).orElseThrow(() -> Refusal.notFound("CA_CERTIFICATE_UNKNOWN",
                    "no CA certificate with this id"));
            CaRole role = issuer.record().role();
            if (role != CaRole.STATION_CA && role != CaRole.CSMS_ROOT) {
                throw Refusal.policy("NOT_AN_ISSUER", "an OCSP signer answers for a CA: " + issuer.id() + " is a " + role
                        + " certificate");
            }
            if (issuer.key() == null) {
                throw Refusal.conflict("ISSUER_KEY_NOT_HELD", "the key of " + issuer.id() + " is not in this CA's custody");
            }
            Instant now = now();
            if (issuer.notAfter().isBefore(now.plus(Duration.ofDays(1)))) {
                throw Refusal.policy("ISSUER_EXPIRED", "the issuer " + issuer.id() + " expires within a day; it needs no new OCSP signer");
            }
            List<String> retired = registry.all().stream()
                    .filter(i -> i.record().role() == CaRole.OCSP_SIGNER && i.record().status() == CaStatus.ACTIVE
                            && issuer.id().equals(i.record().parentId()))
                    .map(Issuer::id).toList();
            CaCertificateRecord made = ocspSigner(issuer, tag(now), now);
            ledger.write(c -> {
                for (String id : retired) {
                    CaStore.setStatus(c, id, CaStatus.RETIRED);
                }
                CaStore.insert(c, made);
                return null;
            }, List.of(AuditEntry.ok(actor, "ca.rotate.ocsp-signer", "ca:" + made.id(), Details.of("subject", made.subject(),
                    "sha256", made.sha256(), "parent", issuer.id(), "key", made.key().toString(),
                    "retired", String.join(",", retired)))), null);
            registry.refresh();
            return rotated(made, retired, null);
        });
    }

    /** A new station CA (key in custody) signed by {@code root}, with its OCSP signer; nothing stored. */
    NewStationCa newStationCa(Issuer root, KeyAlgorithm algorithm, String tag, Instant now) {
        if (root.notAfter().isBefore(now.plus(MIN_ISSUER_LIFE))) {
            throw Refusal.policy("ROOT_EXPIRING", "the CSMS root expires within 30 days: rotate the root first");
        }
        String organization = organization(root);
        String id = "station-ca-" + tag;
        KeyHandle key = generate(id, algorithm);
        SubjectPublicKeyInfo spki = spki(key);
        Instant notAfter = min(now.plus(STATION_CA_LIFE), root.notAfter());
        X509CertificateHolder cert = signer.sign(root, serials.next(), now.minus(BACKDATE), notAfter,
                CaRecords.name(organization, organization + " Station CA " + tag), spki, profiles.subCa(spki, root));
        CaCertificateRecord record = CaRecords.record(id, CaRole.STATION_CA, cert, root.id(), key, algorithm, now);
        X509Certificate x509 = CaRecords.x509(cert);
        custody.attachCertificateChain(key, List.of(x509, root.certificate()));
        Issuer ca = CaRecords.issuer(record, x509, List.of(root.certificate()));
        return new NewStationCa(record, ocspSigner(ca, tag, now), x509);
    }

    /** A delegated OCSP signer for {@code issuer} (id-kp-OCSPSigning, ocsp-nocheck), EC P-256; nothing stored. */
    CaCertificateRecord ocspSigner(Issuer issuer, String tag, Instant now) {
        String organization = organization(issuer);
        String id = "ocsp-" + tag;
        KeyHandle key = generate(id, KeyAlgorithm.EC_P256);
        SubjectPublicKeyInfo spki = spki(key);
        X509CertificateHolder cert = signer.sign(issuer, serials.next(), now.minus(BACKDATE),
                min(now.plus(OCSP_SIGNER_LIFE), issuer.notAfter()),
                CaRecords.name(organization, organization + " OCSP Signer " + tag), spki, profiles.ocspSigner(spki, issuer));
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(CaRecords.x509(cert));
        chain.add(issuer.certificate());
        if (issuer.root() != null && !issuer.root().equals(issuer.certificate())) {
            chain.add(issuer.root());
        }
        custody.attachCertificateChain(key, chain);
        return CaRecords.record(id, CaRole.OCSP_SIGNER, cert, issuer.id(), key, KeyAlgorithm.EC_P256, now);
    }

    KeyHandle generate(String label, KeyAlgorithm algorithm) {
        try {
            return custody.generate(label, algorithm);
        } catch (CustodyException e) {
            throw new Refusal("CUSTODY_FAILED", 502, "the " + custody.name() + " backend could not create the key: " + e.getMessage());
        }
    }

    SubjectPublicKeyInfo spki(KeyHandle key) {
        return SubjectPublicKeyInfo.getInstance(custody.publicKey(key).getEncoded());
    }

    /** The organization (O) of a CA certificate, for the names of what it certifies. */
    static String organization(Issuer issuer) {
        var rdns = issuer.subject().getRDNs(BCStyle.O);
        return rdns.length == 0 ? "ocppsec" : rdns[0].getFirst().getValue().toString();
    }

    static String organization(X500Name name) {
        var rdns = name.getRDNs(BCStyle.O);
        return rdns.length == 0 ? "ocppsec" : rdns[0].getFirst().getValue().toString();
    }

    static Rotated rotated(CaCertificateRecord r, List<String> retired, String ocspSigner) {
        String fp = CertificateFingerprint.sha256(io.ocppsec.security.cert.PemCertificates.read(r.certificatePem()).get(0));
        return new Rotated(r.id(), r.role().name(), r.subject(), fp, r.parentId(), r.key() == null ? null : r.key().toString(),
                r.notAfter(), retired, ocspSigner);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** A tag for ids and key labels: the date and 6 random hex digits. */
    static String tag(Instant now) {
        byte[] b = new byte[3];
        new SecureRandom().nextBytes(b);
        return now.toString().substring(0, 10).replace("-", "") + "-" + HexFormat.of().formatHex(b);
    }

    static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    <T> T audited(String actor, String action, Supplier<T> work) {
        try {
            return work.get();
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, action, null, r.reason(), null)));
            throw r;
        }
    }
}
