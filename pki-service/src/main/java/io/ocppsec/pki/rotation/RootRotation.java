package io.ocppsec.pki.rotation;

import io.ocppsec.pki.ca.CaRecords;
import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CertificateSigner;
import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.pki.ca.SerialNumbers;
import io.ocppsec.pki.config.DataDirectory;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import io.ocppsec.pki.rotation.RotationStore.InstallStatus;
import io.ocppsec.pki.rotation.RotationStore.State;
import io.ocppsec.pki.rotation.RotationStore.StationInstall;
import io.ocppsec.pki.station.StationService;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CaCertificateRecord;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.CaCertificateRecord.CaStatus;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StationRecord;
import io.ocppsec.pki.store.TerminatorStore;
import io.ocppsec.pki.terminator.ControlClient;
import io.ocppsec.pki.terminator.StationCalls;
import io.ocppsec.security.cert.CertificateFingerprint;
import io.ocppsec.security.cert.PemCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Staged rotation of the CSMS root (M05), each stage audited:
 * <ol>
 *   <li><b>prepare</b>: a new root key in the custody backend, a self-signed new root, and a link
 *       certificate (the new root's name and key, signed by the old root), so that a station
 *       that trusts only the old root can still validate a chain to the new one (and a station
 *       with {@code AdditionalRootCertificateCheck} sees the new root signed by the old one);</li>
 *   <li><b>distribute</b>: InstallCertificate(CSMSRootCertificate, the new root) to every enabled
 *       station through the terminator that holds it, with one record per station: ACCEPTED,
 *       REJECTED, FAILED, NOT_DELIVERED or PENDING (not connected). A re-run sends to every
 *       station that has not accepted; the {@code onlyNotYet} run (also done periodically in the
 *       background) only to those never reached, so a station that comes online gets the root;</li>
 *   <li><b>activate</b>, only when every enabled station accepted (or, forced, a given share of
 *       them): the new root becomes the active CSMS root, a new station CA and OCSP signer are
 *       issued under it, the server certificates are reissued under it and served with the link
 *       certificate after the leaf (old stations validate through it), and the old root, old
 *       station CA and old server certificates are RETIRED: what they issued keeps verifying
 *       and keeps its OCSP and CRL answers.</li>
 * </ol>
 * A prepared rotation can be cancelled instead; the new root is then never used.
 */
public final class RootRotation {
    private static final Logger log = LoggerFactory.getLogger(RootRotation.class);
    static final Duration ROOT_LIFE = Duration.ofDays(365L * 20);
    static final Duration MAX_SERVER_LIFE = Duration.ofDays(397);
    static final int MAX_PARALLEL_CALLS = 8;
    static final int MAX_DETAIL = 512;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final KeyRotation keys;
    private final KeyCustody custody;
    private final CertificateSigner signer;
    private final CertificateProfiles profiles;
    private final IssuerRegistry registry;
    private final Ledger ledger;
    private final RotationStore store;
    private final StationService stations;
    private final TerminatorStore sessions;
    private final StationCalls calls;
    private final DataDirectory dataDirectory;
    private final SerialNumbers serials = new SerialNumbers();
    private final AtomicBoolean distributing = new AtomicBoolean();

    public RootRotation(KeyRotation keys, KeyCustody custody, CertificateSigner signer, CertificateProfiles profiles,
                        IssuerRegistry registry, Ledger ledger, RotationStore store, StationService stations,
                        TerminatorStore sessions, StationCalls calls, DataDirectory dataDirectory) {
        this.keys = keys;
        this.custody = custody;
        this.signer = signer;
        this.profiles = profiles;
        this.registry = registry;
        this.ledger = ledger;
        this.store = store;
        this.stations = stations;
        this.sessions = sessions;
        this.calls = calls;
        this.dataDirectory = dataDirectory;
    }

    // ---- views ---------------------------------------------------------------------------------

    /** A CA certificate in a view. */
    public record CaRef(String id, String subject, String sha256Fingerprint, Instant notAfter) {
    }

    /** One station of the fleet: what it answered, and whether a terminator holds it now. */
    public record StationView(String identity, String status, String detail, int attempts, Instant updatedAt, boolean connected) {
    }

    /** How far the fleet is; {@code stations} counts the enabled stations. */
    public record Counts(int stations, int accepted, int rejected, int failed, int notDelivered, int pending) {
    }

    /** {@code ca rotate root --status}. */
    public record Status(String id, String state, CaRef oldRoot, CaRef newRoot, CaRef link, Counts counts, boolean ready,
                         String preparedBy, Instant preparedAt, String finishedBy, Instant finishedAt,
                         List<StationView> stations) {
    }

    /** What a distribution run did, and the status after it. */
    public record Distribution(int sent, int skipped, Map<String, Integer> outcomes, Status status) {
    }

    /** What activation made. */
    public record Activated(Status status, String stationCa, String ocspSigner, List<String> serverCertificates,
                            List<String> retired, boolean forced) {
    }

    // ---- prepare --------------------------------------------------------------------------------

    /** Stage 1: the new root and the link certificate. Refused while another rotation is prepared. */
    public Status prepare(KeyAlgorithm algorithm, String actor) {
        return keys.audited(actor, "ca.rotate.root.prepare", () -> {
            if (store.prepared().isPresent()) {
                throw Refusal.conflict("ROTATION_IN_PROGRESS", "a root rotation is prepared already: activate or cancel it first");
            }
            Issuer old = registry.active(CaRole.CSMS_ROOT)
                    .orElseThrow(() -> Refusal.conflict("NO_ROOT", "no CSMS root is configured yet"));
            if (old.key() == null) {
                throw Refusal.conflict("ROOT_KEY_NOT_HELD", "the active CSMS root's key is not in this CA's custody: the link "
                        + "certificate must be signed by it");
            }
            Instant now = KeyRotation.now();
            if (old.notAfter().isBefore(now.plus(Duration.ofDays(1)))) {
                throw Refusal.policy("ROOT_EXPIRED", "the current root expires within a day: stations cannot chain through a link "
                        + "certificate it signs; install the new root by other means");
            }
            String tag = KeyRotation.tag(now);
            String newRootId = "csms-root-" + tag;
            KeyHandle key = keys.generate(newRootId, algorithm);
            SubjectPublicKeyInfo spki = keys.spki(key);
            String organization = KeyRotation.organization(old);
            X500Name name = CaRecords.name(organization, organization + " CSMS Root CA " + tag);
            X509CertificateHolder root = signer.sign(name, key, SigningAlgorithm.forKey(algorithm), serials.next(),
                    now.minus(KeyRotation.BACKDATE), now.plus(ROOT_LIFE), name, spki, profiles.root(spki));
            X509CertificateHolder link = signer.sign(old, serials.next(), now.minus(KeyRotation.BACKDATE),
                    KeyRotation.min(old.notAfter(), root.getNotAfter().toInstant()), name, spki,
                    CaRecords.linkExtensions(spki, old));
            X509Certificate rootX509 = CaRecords.x509(root);
            custody.attachCertificateChain(key, List.of(rootX509));
            RotationStore.RootRotation r = new RotationStore.RootRotation("root-rotation-" + tag, State.PREPARED, old.id(),
                    newRootId, CaRecords.readable(name), CaRecords.sha256Hex(CaRecords.der(root)), Pem.certificate(rootX509),
                    key, algorithm.name(), CaRecords.sha256Hex(CaRecords.der(link)), Pem.certificate(CaRecords.der(link)),
                    actor, now, null, null);
            ledger.write(c -> {
                if (RotationStore.anyPrepared(c)) {
                    throw Refusal.conflict("ROTATION_IN_PROGRESS", "a root rotation is prepared already: activate or cancel it first");
                }
                RotationStore.insert(c, r);
                return null;
            }, List.of(AuditEntry.ok(actor, "ca.rotate.root.prepare", "rotation:" + r.id(), Details.of("oldRoot", old.id(),
                    "newRoot", newRootId, "subject", r.newRootSubject(), "sha256", r.newRootSha256(), "linkSha256",
                    r.linkSha256(), "key", key.toString()))), null);
            return status(r);
        });
    }

    // ---- status ---------------------------------------------------------------------------------

    /** The newest rotation with the fleet's answers; 404 when no rotation was ever prepared. */
    public Status status() {
        return status(store.latest().orElseThrow(() -> Refusal.notFound("NO_ROTATION", "no root rotation has been prepared")));
    }

    /** The prepared rotation's new root and link certificate, PEM. */
    public RotationStore.RootRotation latest() {
        return store.latest().orElseThrow(() -> Refusal.notFound("NO_ROTATION", "no root rotation has been prepared"));
    }

    Status status(RotationStore.RootRotation r) {
        Map<String, StationInstall> installs = new HashMap<>();
        for (StationInstall s : store.installs(r.id())) {
            installs.put(s.stationKey(), s);
        }
        List<StationView> views = new ArrayList<>();
        int accepted = 0;
        int rejected = 0;
        int failed = 0;
        int notDelivered = 0;
        int pending = 0;
        for (StationRecord s : fleet()) {
            StationInstall i = installs.get(s.identityKey());
            InstallStatus st = i == null ? InstallStatus.PENDING : i.status();
            switch (st) {
                case ACCEPTED -> accepted++;
                case REJECTED -> rejected++;
                case FAILED -> failed++;
                case NOT_DELIVERED -> notDelivered++;
                case PENDING -> pending++;
            }
            views.add(new StationView(s.identity(), st.name(), i == null ? null : i.detail(), i == null ? 0 : i.attempts(),
                    i == null ? null : i.updatedAt(), sessions.session(s.identityKey()).isPresent()));
        }
        Counts counts = new Counts(views.size(), accepted, rejected, failed, notDelivered, pending);
        CaRef oldRoot = registry.byId(r.oldRootId()).map(i -> ref(i.id(), i.certificate())).orElse(null);
        X509Certificate newRoot = PemCertificates.read(r.newRootPem()).get(0);
        X509Certificate link = PemCertificates.read(r.linkPem()).get(0);
        return new Status(r.id(), r.state().name(), oldRoot, ref(r.newRootId(), newRoot), ref(r.id() + "-link", link), counts,
                accepted == views.size(), r.preparedBy(), r.preparedAt(), r.finishedBy(), r.finishedAt(), views);
    }

    private static CaRef ref(String id, X509Certificate c) {
        return new CaRef(id, c.getSubjectX500Principal().getName(), CertificateFingerprint.sha256(c), c.getNotAfter().toInstant());
    }

    /** The enabled stations, every page. */
    private List<StationRecord> fleet() {
        List<StationRecord> all = new ArrayList<>();
        String after = null;
        while (true) {
            List<StationRecord> page = stations.list(after, 1000);
            for (StationRecord s : page) {
                if (s.enabled()) {
                    all.add(s);
                }
            }
            if (page.size() < 1000) {
                return all;
            }
            after = page.get(page.size() - 1).identityKey();
        }
    }

    // ---- distribute -----------------------------------------------------------------------------

    /**
     * Stage 2: InstallCertificate(CSMSRootCertificate) to every enabled station that has not
     * accepted the new root; with {@code onlyNotYet}, only to those never reached (PENDING,
     * NOT_DELIVERED). Stations that are not connected are recorded PENDING without a call.
     */
    public Distribution distribute(boolean onlyNotYet, Integer timeoutSeconds, String actor) {
        return keys.audited(actor, "ca.rotate.root.distribute", () -> {
            RotationStore.RootRotation r = store.prepared().orElseThrow(() -> Refusal.conflict("NO_ROTATION_PREPARED",
                    "no root rotation is prepared: run 'ca rotate root --prepare' first"));
            if (timeoutSeconds != null && (timeoutSeconds < 1 || timeoutSeconds > StationCalls.MAX_TIMEOUT_SECONDS)) {
                throw Refusal.badRequest("BAD_TIMEOUT", "timeoutSeconds must be between 1 and " + StationCalls.MAX_TIMEOUT_SECONDS);
            }
            if (!distributing.compareAndSet(false, true)) {
                throw Refusal.conflict("DISTRIBUTION_RUNNING", "a distribution of the new root is running; wait for it");
            }
            try {
                return run(r, onlyNotYet, timeoutSeconds, actor);
            } finally {
                distributing.set(false);
            }
        });
    }

    private Distribution run(RotationStore.RootRotation r, boolean onlyNotYet, Integer timeoutSeconds, String actor) {
        Map<String, StationInstall> installs = new HashMap<>();
        for (StationInstall s : store.installs(r.id())) {
            installs.put(s.stationKey(), s);
        }
        List<StationRecord> targets = new ArrayList<>();
        int skipped = 0;
        for (StationRecord s : fleet()) {
            StationInstall prior = installs.get(s.identityKey());
            boolean reached = prior != null && prior.status() != InstallStatus.PENDING && prior.status() != InstallStatus.NOT_DELIVERED;
            if (prior != null && prior.status() == InstallStatus.ACCEPTED || onlyNotYet && reached) {
                skipped++;
                continue;
            }
            boolean online = sessions.session(s.identityKey()).isPresent();
            if (!online && prior != null && prior.status() == InstallStatus.PENDING) {
                skipped++; // still offline: nothing new to record
                continue;
            }
            targets.add(s);
        }
        ObjectNode payload = JSON.createObjectNode().put("certificateType", "CSMSRootCertificate").put("certificate", r.newRootPem());
        Map<String, Integer> outcomes = new LinkedHashMap<>();
        int sent = 0;
        if (!targets.isEmpty()) {
            ExecutorService pool = Executors.newFixedThreadPool(Math.min(MAX_PARALLEL_CALLS, targets.size()), run -> {
                Thread t = new Thread(run, "ocppsec-root-distribution");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<Boolean>> done = new ArrayList<>();
                for (StationRecord s : targets) {
                    done.add(pool.submit(() -> install(r, s, payload, timeoutSeconds, actor, outcomes)));
                }
                for (Future<Boolean> f : done) {
                    try {
                        if (f.get()) {
                            sent++;
                        }
                    } catch (java.util.concurrent.ExecutionException e) {
                        log.warn("root distribution to a station failed: {}", e.getCause().toString());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            } finally {
                pool.shutdownNow();
            }
        }
        Status status = status(r);
        int total = sent;
        Ledger.join(ledger.audit(AuditEntry.ok(actor, "ca.rotate.root.distribute", "rotation:" + r.id(), Details.of(
                "onlyNotYet", onlyNotYet, "sent", total, "accepted", status.counts().accepted(), "stations",
                status.counts().stations()))));
        return new Distribution(sent, skipped, Map.copyOf(outcomes), status);
    }

    /** Sends the new root to one station and records its answer; true when a call went out. */
    private boolean install(RotationStore.RootRotation r, StationRecord s, ObjectNode payload, Integer timeoutSeconds,
                            String actor, Map<String, Integer> outcomes) {
        InstallStatus status;
        String detail;
        boolean sent = true;
        try {
            ControlClient.Answered a = calls.call(s.identity(), "InstallCertificate", payload, timeoutSeconds, actor);
            if (!a.callResult()) {
                status = InstallStatus.FAILED;
                detail = "CALLERROR " + a.errorCode();
            } else {
                JsonNode answer = a.json().path("payload");
                String st = answer.path("status").isString() ? answer.path("status").asString() : "";
                String reason = answer.path("statusInfo").path("reasonCode").isString()
                        ? answer.path("statusInfo").path("reasonCode").asString() : null;
                switch (st) {
                    case "Accepted" -> status = InstallStatus.ACCEPTED;
                    case "Rejected" -> status = InstallStatus.REJECTED;
                    case "Failed" -> status = InstallStatus.FAILED;
                    default -> {
                        status = InstallStatus.FAILED;
                        reason = "the station's InstallCertificateResponse has no valid status";
                    }
                }
                detail = reason == null ? "station answered " + st : "station answered " + st + ": " + reason;
            }
        } catch (Refusal refusal) {
            switch (refusal.reason()) {
                case "STATION_OFFLINE" -> {
                    status = InstallStatus.PENDING;
                    detail = "not connected";
                    sent = false;
                }
                case "OCPP_VERSION_NOT_SUPPORTED", "STATION_UNKNOWN", "PAYLOAD_INVALID" -> {
                    status = InstallStatus.NOT_DELIVERED;
                    detail = refusal.reason() + ": " + refusal.getMessage();
                    sent = false;
                }
                default -> {
                    status = InstallStatus.NOT_DELIVERED;
                    detail = refusal.reason() + ": " + refusal.getMessage();
                }
            }
        }
        String clean = clean(detail);
        StationInstall record = new StationInstall(r.id(), s.identityKey(), s.identity(), status, clean, 0, KeyRotation.now());
        boolean counted = sent;
        ledger.write(c -> {
            RotationStore.record(c, record, counted);
            return null;
        }, List.of(AuditEntry.ok(actor, "ca.rotate.root.install", "station:" + s.identity(), Details.of("rotation", r.id(),
                "status", status.name(), "detail", clean))), null);
        synchronized (outcomes) {
            outcomes.merge(status.name(), 1, Integer::sum);
        }
        return sent;
    }

    private static String clean(String s) {
        if (s == null) {
            return null;
        }
        String c = s.replaceAll("\\p{Cntrl}", " ");
        return c.length() <= MAX_DETAIL ? c : c.substring(0, MAX_DETAIL - 3) + "...";
    }

    // ---- activate -------------------------------------------------------------------------------

    /**
     * Stage 3: the new root takes over, only when every enabled station accepted it, or, with
     * {@code force}, when at least {@code minAcceptedPercent} of them did.
     */
    public Activated activate(boolean force, Integer minAcceptedPercent, String actor) {
        return keys.audited(actor, "ca.rotate.root.activate", () -> {
            RotationStore.RootRotation r = store.prepared().orElseThrow(() -> Refusal.conflict("NO_ROTATION_PREPARED",
                    "no root rotation is prepared: run 'ca rotate root --prepare' first"));
            if (minAcceptedPercent != null && (minAcceptedPercent < 0 || minAcceptedPercent > 100)) {
                throw Refusal.badRequest("BAD_THRESHOLD", "minAcceptedPercent must be between 0 and 100");
            }
            if (force && minAcceptedPercent == null) {
                throw Refusal.badRequest("THRESHOLD_REQUIRED", "a forced activation needs minAcceptedPercent: the share of the "
                        + "fleet that must have accepted the new root");
            }
            if (!force && minAcceptedPercent != null) {
                throw Refusal.badRequest("FORCE_REQUIRED", "minAcceptedPercent below 100% of the fleet needs force");
            }
            Status before = status(r);
            Counts n = before.counts();
            if (!before.ready()) {
                boolean enough = force && (long) n.accepted() * 100 >= (long) minAcceptedPercent * n.stations();
                if (!enough) {
                    throw Refusal.conflict("FLEET_NOT_READY", n.accepted() + " of " + n.stations() + " stations accepted the new "
                            + "root (" + n.rejected() + " rejected, " + n.failed() + " failed, " + n.notDelivered()
                            + " not delivered, " + n.pending() + " pending): distribute again, or activate with force and "
                            + "minAcceptedPercent");
                }
            }
            Issuer old = registry.byId(r.oldRootId()).orElseThrow(() -> Refusal.conflict("ROOT_CHANGED",
                    "the root this rotation started from is gone"));
            if (old.record().status() != CaStatus.ACTIVE) {
                throw Refusal.conflict("ROOT_CHANGED", "the root this rotation started from (" + old.id() + ") is no longer the "
                        + "active root (a CA was imported meanwhile): cancel this rotation");
            }
            return activate(r, old, before, force && !before.ready(), actor);
        });
    }

    private record Server(CaCertificateRecord record, String file, String chainPem, String keyPem) {
    }

    private Activated activate(RotationStore.RootRotation r, Issuer old, Status before, boolean forced, String actor) {
        Instant now = KeyRotation.now();
        String tag = KeyRotation.tag(now);
        X509Certificate rootCert = PemCertificates.read(r.newRootPem()).get(0);
        X509Certificate link = PemCertificates.read(r.linkPem()).get(0);
        X509CertificateHolder rootHolder = holder(rootCert);
        CaCertificateRecord rootRecord = CaRecords.record(r.newRootId(), CaRole.CSMS_ROOT, rootHolder, null, r.key(),
                KeyAlgorithm.valueOf(r.keyAlgorithm()), now);
        Issuer root = CaRecords.issuer(rootRecord, rootCert, List.of());
        KeyAlgorithm caAlgorithm = registry.active(CaRole.STATION_CA).map(i -> KeyAlgorithm.valueOf(i.record().keyAlgorithm()))
                .orElse(KeyAlgorithm.EC_P256);
        KeyRotation.NewStationCa ca = keys.newStationCa(root, caAlgorithm, tag, now);

        // The server certificates: the same names and key types as the ones in use, under the new root.
        List<Issuer> oldServers = registry.all().stream()
                .filter(i -> i.record().role() == CaRole.SERVER && i.record().status() == CaStatus.ACTIVE).toList();
        List<Server> servers = new ArrayList<>();
        Map<String, Boolean> files = new HashMap<>();
        for (Issuer s : oldServers) {
            KeyAlgorithm alg = KeyAlgorithm.valueOf(s.record().keyAlgorithm());
            String file = alg.isEc() ? "server-ec" : "server-rsa";
            if (files.put(file, true) != null) {
                continue; // one certificate per file
            }
            servers.add(server(s, alg, file, root, link, tag, now));
        }
        List<String> retired = new ArrayList<>();
        retired.add(old.id());
        registry.all().stream().filter(i -> i.record().status() == CaStatus.ACTIVE
                && (i.record().role() == CaRole.STATION_CA || i.record().role() == CaRole.CSMS_ROOT && !i.id().equals(old.id())))
                .forEach(i -> retired.add(i.id()));
        oldServers.forEach(i -> retired.add(i.id()));

        List<AuditEntry> audit = new ArrayList<>();
        audit.add(AuditEntry.ok(actor, "ca.rotate.root.activate", "rotation:" + r.id(), Details.of("newRoot", r.newRootId(),
                "oldRoot", old.id(), "stationCa", ca.ca().id(), "accepted", before.counts().accepted(), "stations",
                before.counts().stations(), "forced", forced, "retired", String.join(",", retired))));
        List<CaCertificateRecord> created = new ArrayList<>();
        created.add(rootRecord);
        created.add(ca.ca());
        created.add(ca.ocspSigner());
        servers.forEach(s -> created.add(s.record()));
        for (CaCertificateRecord c : created) {
            audit.add(AuditEntry.ok(actor, "ca.create", "ca:" + c.id(), Details.of("role", c.role().name(), "subject", c.subject(),
                    "sha256", c.sha256(), "parent", c.parentId(), "rotation", r.id())));
        }
        ledger.write(c -> {
            if (!RotationStore.finish(c, r.id(), State.ACTIVATED, actor, now)) {
                throw Refusal.conflict("ROTATION_FINISHED", "this rotation was activated or cancelled meanwhile");
            }
            CaStore.retireRole(c, CaRole.CSMS_ROOT);
            CaStore.retireRole(c, CaRole.STATION_CA);
            for (Issuer s : oldServers) {
                CaStore.setStatus(c, s.id(), CaStatus.RETIRED);
            }
            for (CaCertificateRecord rec : created) {
                CaStore.insert(c, rec);
            }
            return null;
        }, audit, null);
        registry.refresh();

        // Only now, with the store committed, do the terminator's files change (it hot-reloads them).
        Path tls = dataDirectory.directory("tls");
        for (Server s : servers) {
            DataDirectory.writePrivate(tls.resolve(s.file() + ".key"), s.keyPem());
            DataDirectory.writePublic(tls.resolve(s.file() + ".pem"), s.chainPem());
        }
        if (!servers.isEmpty() || Files.exists(tls.resolve("csms-root.pem"))) {
            DataDirectory.writePublic(tls.resolve("csms-root.pem"), Pem.certificates(List.of(rootCert, old.certificate())));
        }
        log.info("CSMS root rotated: {} is the active root; {} retired", r.newRootId(), old.id());
        return new Activated(status(store.find(r.id()).orElseThrow()), ca.ca().id(), ca.ocspSigner().id(),
                servers.stream().map(s -> s.record().id()).toList(), retired, forced);
    }

    /** A server certificate like {@code previous} (subject, names, key type), under the new root, served with the link certificate. */
    private Server server(Issuer previous, KeyAlgorithm alg, String file, Issuer root, X509Certificate link, String tag, Instant now) {
        KeyPair kp = generate(alg);
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(kp.getPublic().getEncoded());
        X509Certificate prev = previous.certificate();
        List<GeneralName> names = new ArrayList<>();
        byte[] san = prev.getExtensionValue(Extension.subjectAlternativeName.getId());
        if (san != null) {
            names.addAll(List.of(GeneralNames.getInstance(ASN1OctetString.getInstance(san).getOctets()).getNames()));
        }
        Duration life = Duration.between(prev.getNotBefore().toInstant(), prev.getNotAfter().toInstant());
        if (life.compareTo(MAX_SERVER_LIFE) > 0) {
            life = MAX_SERVER_LIFE;
        }
        Instant notBefore = now.minus(KeyRotation.BACKDATE);
        X509CertificateHolder cert = signer.sign(root, serials.next(), notBefore, KeyRotation.min(notBefore.plus(life), root.notAfter()),
                previous.subject(), spki, profiles.server(spki, !alg.isEc(), root, names));
        CaCertificateRecord record = CaRecords.record(file + "-" + tag, CaRole.SERVER, cert, root.id(), null, alg, now);
        String chain = Pem.certificates(List.of(CaRecords.x509(cert), link));
        return new Server(record, file, chain, Pem.encode("PRIVATE KEY", kp.getPrivate().getEncoded()));
    }

    private static KeyPair generate(KeyAlgorithm alg) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg.family());
            if (alg.isEc()) {
                g.initialize(new ECGenParameterSpec(alg.curve()), new SecureRandom());
            } else {
                g.initialize(alg.bits(), new SecureRandom());
            }
            return g.generateKeyPair();
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509CertificateHolder holder(X509Certificate c) {
        try {
            return new X509CertificateHolder(c.getEncoded());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- cancel ---------------------------------------------------------------------------------

    /** Gives up the prepared rotation: the new root is never used (stations that installed it may delete it, M04). */
    public Status cancel(String actor) {
        return keys.audited(actor, "ca.rotate.root.cancel", () -> {
            RotationStore.RootRotation r = store.prepared().orElseThrow(() -> Refusal.conflict("NO_ROTATION_PREPARED",
                    "no root rotation is prepared"));
            Instant now = KeyRotation.now();
            ledger.write(c -> {
                if (!RotationStore.finish(c, r.id(), State.CANCELLED, actor, now)) {
                    throw Refusal.conflict("ROTATION_FINISHED", "this rotation was activated or cancelled meanwhile");
                }
                return null;
            }, List.of(AuditEntry.ok(actor, "ca.rotate.root.cancel", "rotation:" + r.id(), Details.of("newRoot", r.newRootId()))), null);
            return status(store.find(r.id()).orElseThrow());
        });
    }

    /** The background run: new root to stations never reached, if a rotation is prepared. */
    void distributeToNewcomers() {
        Optional<RotationStore.RootRotation> r = store.prepared();
        if (r.isEmpty() || distributing.get()) {
            return;
        }
        try {
            distribute(true, null, "system");
        } catch (Refusal e) {
            log.debug("background root distribution skipped: {}", e.reason());
        }
    }

}
