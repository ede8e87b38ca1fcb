package io.ocppsec.pki.station;

import io.ocppsec.pki.ca.CertificateType;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StationRecord;
import io.ocppsec.pki.store.StationStore;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.PasswordCheck;
import io.ocppsec.security.auth.PasswordGenerator;
import io.ocppsec.security.auth.PasswordHasher;
import io.ocppsec.security.auth.PasswordPolicy;
import io.ocppsec.security.auth.StationIdentity;
import io.ocppsec.security.profile.SecurityProfile;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The station registry: who may connect, with which security profile, for which certificates,
 * and with which Basic-auth password (stored only as an Argon2id hash, A01.FR.08).
 *
 * <p>Password rotation follows A01: {@link #rotatePassword} keeps the old password valid and
 * holds the new one as pending; when the station answers the SetVariables with Accepted,
 * {@link #confirmPassword} makes the new one current and the old one stops working (A01.FR.03);
 * any other answer drops the new one (A01.FR.04). A station that connects with the pending
 * password has evidently taken it, so {@link #verifyCredentials} promotes it too.
 */
public final class StationService {
    /** Passwords an operator sets: 16 to 64 characters (BasicAuthPassword maxLimit, errata and 2.1). */
    private static final PasswordPolicy OPERATOR_PASSWORDS = PasswordPolicy.ocpp21(PasswordPolicy.MAX_LIMIT_CEILING);

    private final StationStore store;
    private final Ledger ledger;
    private final PasswordHasher hasher;
    private final PasswordGenerator generator = new PasswordGenerator();
    private final String defaultOrganization;

    public StationService(StationStore store, Ledger ledger, PasswordHasher hasher, String defaultOrganization) {
        this.store = store;
        this.ledger = ledger;
        this.hasher = hasher;
        this.defaultOrganization = defaultOrganization;
    }

    /** What a new station is registered with; null fields take their defaults. */
    public record NewStation(String identity, String serialNumber, Integer securityProfile, String organization,
                             List<String> certificateTypes, List<String> seccIds, String password,
                             List<String> ocppVersions, Boolean allowExpiredClientCertificate) {
        @Override
        public String toString() {
            return "NewStation[identity=" + identity + ", serialNumber=" + serialNumber + ", securityProfile="
                    + securityProfile + ", password=" + (password == null ? "generate" : "<given>") + "]";
        }
    }

    /** A registered station and, when ocppsec made the password, that password (shown this once). */
    public record Registered(StationRecord station, String generatedPassword) {
        @Override
        public String toString() {
            return "Registered[station=" + station + ", generatedPassword=" + (generatedPassword == null ? null : "<redacted>") + "]";
        }
    }

    /** Changes to a station; null fields stay as they are. */
    public record Changes(String serialNumber, Integer securityProfile, String organization,
                          List<String> certificateTypes, List<String> seccIds, Boolean enabled,
                          List<String> ocppVersions, Boolean allowExpiredClientCertificate) {
    }

    /** A new password waiting for the station to accept it. */
    public record Rotation(String identity, String password) {
        @Override
        public String toString() {
            return "Rotation[identity=" + identity + ", password=<redacted>]";
        }
    }

    public Registered add(NewStation n, String actor) {
        StationIdentity identity = identity(n.identity());
        String subject = "station:" + identity.value();
        StationRecord record;
        String generated = null;
        try {
            String serial = serialNumber(n.serialNumber());
            int profile = profile(n.securityProfile() == null ? 2 : n.securityProfile());
            String organization = organization(n.organization() == null ? defaultOrganization : n.organization());
            Set<String> types = certificateTypes(n.certificateTypes());
            List<String> secc = seccIds(n.seccIds());
            List<String> versions = n.ocppVersions() == null ? StationRecord.DEFAULT_OCPP_VERSIONS : ocppVersions(n.ocppVersions());
            String password = n.password();
            if (password == null) {
                char[] p = generator.generate();
                generated = new String(p);
                Arrays.fill(p, '\0');
                password = generated;
            } else if (!(OPERATOR_PASSWORDS.check(password) instanceof PasswordCheck.Acceptable)) {
                throw Refusal.policy("PASSWORD_NOT_ALLOWED",
                        "the password must be 16 to 64 characters without control characters (A00.FR.205)");
            }
            Instant now = Instant.now();
            record = new StationRecord(identity.canonicalKey(), identity.value(), serial, profile, profile,
                    organization, types, secc, versions, Boolean.TRUE.equals(n.allowExpiredClientCertificate()),
                    hasher.hash(password.toCharArray()), null, null, true, now, now, 1);
        } catch (Refusal r) {
            throw audited(actor, subject, "station.add", r);
        }
        StationRecord stored = record;
        ledger.write(c -> StationStore.insert(c, stored),
                List.of(AuditEntry.ok(actor, "station.add", subject, Details.of("serialNumber", stored.serialNumber(),
                        "securityProfile", stored.securityProfile(), "organization", stored.organization(),
                        "certificateTypes", stored.certificateTypes(), "ocppVersions", stored.ocppVersions(),
                        "allowExpiredClientCertificate", stored.allowExpiredClientCertificate()))),
                AuditEntry.refused(actor, "station.add", subject, null, null));
        return new Registered(stored, generated);
    }

    /**
     * Changes a station. Lowering its security profile here is the operator's explicit,
     * out-of-band decision (OCPP itself never lowers it, A00.FR.005): it also lowers the floor
     * below which the station may not connect (A05.FR.07); raising it leaves the floor until the
     * station connects with the new profile.
     */
    public StationRecord update(String identity, Changes changes, String actor) {
        StationRecord current = require(identity);
        String subject = "station:" + current.identity();
        StationRecord next;
        try {
            int profile = changes.securityProfile() == null ? current.securityProfile() : profile(changes.securityProfile());
            next = new StationRecord(current.identityKey(), current.identity(),
                    changes.serialNumber() == null ? current.serialNumber() : serialNumber(changes.serialNumber()),
                    profile, Math.min(current.profileFloor(), profile),
                    changes.organization() == null ? current.organization() : organization(changes.organization()),
                    changes.certificateTypes() == null ? current.certificateTypes() : certificateTypes(changes.certificateTypes()),
                    changes.seccIds() == null ? current.seccIds() : seccIds(changes.seccIds()),
                    changes.ocppVersions() == null ? current.ocppVersions() : ocppVersions(changes.ocppVersions()),
                    changes.allowExpiredClientCertificate() == null ? current.allowExpiredClientCertificate()
                            : changes.allowExpiredClientCertificate(),
                    current.passwordHash(), current.pendingPasswordHash(), current.pendingSince(),
                    changes.enabled() == null ? current.enabled() : changes.enabled(),
                    current.createdAt(), Instant.now(), current.version() + 1);
        } catch (Refusal r) {
            throw audited(actor, subject, "station.update", r);
        }
        return ledger.write(c -> StationStore.update(c, next),
                List.of(AuditEntry.ok(actor, "station.update", subject, Details.of("serialNumber", next.serialNumber(),
                        "securityProfile", next.securityProfile(), "organization", next.organization(),
                        "certificateTypes", next.certificateTypes(), "ocppVersions", next.ocppVersions(),
                        "allowExpiredClientCertificate", next.allowExpiredClientCertificate(), "enabled", next.enabled()))),
                AuditEntry.refused(actor, "station.update", subject, null, null));
    }

    /**
     * The station connected with {@code profile} (reported by the terminator that admitted it). When
     * that is its configured profile and its floor is lower (an upgrade was pending), the floor rises
     * to it: the station has dropped its lower profiles (A05.FR.06) and may not connect with them
     * again (A05.FR.07). Audited as {@code station.profile-floor}; returns whether it rose.
     */
    public boolean connectedWithProfile(String identity, int profile, String actor) {
        Optional<StationRecord> found = find(identity);
        if (found.isEmpty() || found.get().securityProfile() != profile || found.get().profileFloor() >= profile) {
            return false;
        }
        StationRecord current = found.get();
        StationRecord next = new StationRecord(current.identityKey(), current.identity(), current.serialNumber(),
                current.securityProfile(), profile, current.organization(), current.certificateTypes(), current.seccIds(),
                current.ocppVersions(), current.allowExpiredClientCertificate(), current.passwordHash(),
                current.pendingPasswordHash(), current.pendingSince(), current.enabled(), current.createdAt(), Instant.now(),
                current.version() + 1);
        String subject = "station:" + current.identity();
        ledger.write(c -> StationStore.update(c, next),
                List.of(AuditEntry.ok(actor, "station.profile-floor", subject, Details.of("from", current.profileFloor(),
                        "to", profile, "requirement", "A05.FR.07"))),
                AuditEntry.refused(actor, "station.profile-floor", subject, null, null));
        return true;
    }

    public void remove(String identity, String actor) {
        StationIdentity id = identity(identity);
        String subject = "station:" + id.value();
        ledger.write(c -> {
            StationStore.delete(c, id.canonicalKey());
            return null;
        }, List.of(AuditEntry.ok(actor, "station.remove", subject, null)), AuditEntry.refused(actor, "station.remove", subject, null, null));
    }

    public Optional<StationRecord> find(String identity) {
        IdentityCheck check = StationIdentity.parse(identity);
        if (!(check instanceof IdentityCheck.Valid v)) {
            return Optional.empty();
        }
        return store.find(v.identity().canonicalKey());
    }

    /** The station, or a 404 refusal. */
    public StationRecord require(String identity) {
        return find(identity).orElseThrow(() -> Refusal.notFound("STATION_UNKNOWN", "no station with this identity"));
    }

    public List<StationRecord> list(String after, int limit) {
        return store.list(after == null ? null : StationIdentity.parse(after) instanceof IdentityCheck.Valid v
                ? v.identity().canonicalKey() : after, limit);
    }

    /** A01: a new password, pending until the station accepts it; the old one stays valid meanwhile. */
    public Rotation rotatePassword(String identity, String actor) {
        StationRecord current = require(identity);
        char[] p = generator.generate();
        String password = new String(p);
        Arrays.fill(p, '\0');
        String hash = hasher.hash(password.toCharArray());
        Instant now = Instant.now();
        StationRecord next = current.withPasswords(current.passwordHash(), hash, now, now);
        String subject = "station:" + current.identity();
        ledger.write(c -> StationStore.update(c, next), List.of(AuditEntry.ok(actor, "station.password.rotate", subject, null)),
                AuditEntry.refused(actor, "station.password.rotate", subject, null, null));
        return new Rotation(current.identity(), password);
    }

    /**
     * The station's answer to the SetVariables that carried the new password: Accepted makes it
     * current (A01.FR.03); anything else drops it and keeps the old one (A01.FR.04).
     */
    public StationRecord confirmPassword(String identity, boolean accepted, String actor) {
        StationRecord current = require(identity);
        String subject = "station:" + current.identity();
        if (current.pendingPasswordHash() == null) {
            throw audited(actor, subject, "station.password.confirm",
                    Refusal.conflict("NO_PENDING_PASSWORD", "there is no password rotation waiting for this station"));
        }
        Instant now = Instant.now();
        StationRecord next = accepted
                ? current.withPasswords(current.pendingPasswordHash(), null, null, now)
                : current.withPasswords(current.passwordHash(), null, null, now);
        return ledger.write(c -> StationStore.update(c, next),
                List.of(AuditEntry.ok(actor, accepted ? "station.password.accepted" : "station.password.rejected", subject, null)),
                AuditEntry.refused(actor, "station.password.confirm", subject, null, null));
    }

    /**
     * A00.FR.207/324: whether the password is the station's. A pending password that matches is
     * promoted (the station has taken it, A01.FR.03). Constant-time hash comparison.
     */
    public boolean verifyCredentials(String identity, char[] password, String actor) {
        Optional<StationRecord> found = find(identity);
        if (found.isEmpty() || !found.get().enabled()) {
            // Spend the same time as a real check, so that unknown identities are not told apart.
            hasher.verify(password, DUMMY_HASH);
            return false;
        }
        StationRecord s = found.get();
        if (s.passwordHash() != null && hasher.verify(password, s.passwordHash())) {
            return true;
        }
        if (s.pendingPasswordHash() != null && hasher.verify(password, s.pendingPasswordHash())) {
            StationRecord next = s.withPasswords(s.pendingPasswordHash(), null, null, Instant.now());
            ledger.write(c -> StationStore.update(c, next),
                    List.of(AuditEntry.ok(actor, "station.password.accepted", "station:" + s.identity(),
                            Details.of("by", "connection with the new password"))), null);
            return true;
        }
        return false;
    }

    private static final String DUMMY_HASH = new PasswordHasher().hash("ocppsec-dummy-password".toCharArray());

    private static StationIdentity identity(String raw) {
        IdentityCheck check = StationIdentity.parse(raw);
        if (check instanceof IdentityCheck.Valid v) {
            return v.identity();
        }
        IdentityCheck.Invalid invalid = (IdentityCheck.Invalid) check;
        throw Refusal.badRequest("BAD_IDENTITY", "the station identity is not a valid OCPP identity ("
                + invalid.reason() + "): 1 to 48 characters of a-z A-Z 0-9 * - _ = + | @ . (no ':')");
    }

    private static String serialNumber(String serial) {
        if (serial == null) {
            return null;
        }
        if (serial.isEmpty() || serial.length() > 64 || serial.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            throw Refusal.badRequest("BAD_SERIAL_NUMBER", "the serial number must be 1 to 64 characters without control characters");
        }
        return serial;
    }

    private static int profile(int p) {
        if (SecurityProfile.fromNumber(p).isEmpty()) {
            throw Refusal.badRequest("BAD_SECURITY_PROFILE", "securityProfile must be 1, 2 or 3");
        }
        return p;
    }

    private static String organization(String o) {
        if (o.isBlank() || o.length() > 64 || o.chars().anyMatch(ch -> ch < 0x20)) {
            throw Refusal.badRequest("BAD_ORGANIZATION", "the organization must be 1 to 64 characters without control characters");
        }
        return o;
    }

    private static Set<String> certificateTypes(List<String> types) {
        if (types == null || types.isEmpty()) {
            return Set.of(CertificateType.ChargingStationCertificate.name());
        }
        Set<String> out = new LinkedHashSet<>();
        for (String t : types) {
            out.add(CertificateType.parse(t).name());
        }
        return out;
    }

    private static List<String> seccIds(List<String> ids) {
        if (ids == null) {
            return List.of();
        }
        for (String id : ids) {
            if (id == null || id.isEmpty() || id.length() > 64 || id.contains(",") || id.chars().anyMatch(ch -> ch < 0x20)) {
                throw Refusal.badRequest("BAD_SECC_ID", "each SECC id must be 1 to 64 characters without commas or control characters");
            }
        }
        return List.copyOf(ids);
    }

    /** The OCPP-J subprotocols a station may negotiate, in order: known ones, at least one, no repeats. */
    private static List<String> ocppVersions(List<String> versions) {
        if (versions.isEmpty()) {
            throw Refusal.badRequest("BAD_OCPP_VERSIONS", "ocppVersions must name at least one of " + OCPP_VERSIONS);
        }
        List<String> out = new java.util.ArrayList<>();
        for (String v : versions) {
            if (v == null || !OCPP_VERSIONS.contains(v)) {
                throw Refusal.badRequest("BAD_OCPP_VERSIONS", "ocppVersions may only hold " + OCPP_VERSIONS
                        + " (the OCPP-J subprotocol names)");
            }
            if (out.contains(v)) {
                throw Refusal.badRequest("BAD_OCPP_VERSIONS", "ocppVersions names " + v + " twice");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    /** The subprotocols a station may be registered for. */
    public static final List<String> OCPP_VERSIONS = List.of("ocpp2.1", "ocpp2.0.1", "ocpp1.6");

    /** Audits a refusal decided before any write and hands it back to be thrown. */
    private Refusal audited(String actor, String subject, String action, Refusal r) {
        Ledger.join(ledger.audit(AuditEntry.refused(actor, action, subject, r.reason(), null)));
        return r;
    }
}
