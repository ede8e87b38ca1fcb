package io.ocppsec.pki.terminator;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.pki.station.StationService;
import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.IssuedCertificateRecord;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.StationRecord;
import io.ocppsec.pki.store.TerminatorStore;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * What pki-service knows about the TLS terminators: which instances there are (and how to reach
 * their control API), and which of them holds which station. The last terminator to report a
 * station holds it; a terminator that registers again has restarted and holds nothing. A late
 * disconnect from a terminator that no longer holds the station changes nothing.
 */
public final class TerminatorService {
    private static final Pattern TERMINATOR_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
    private static final Pattern SHA256_HEX = Pattern.compile("[0-9a-fA-F]{64}");

    private final TerminatorStore store;
    private final StationService stations;
    private final CertificateStore certificates;
    private final Ledger ledger;

    public TerminatorService(TerminatorStore store, StationService stations, CertificateStore certificates, Ledger ledger) {
        this.store = store;
        this.stations = stations;
        this.certificates = certificates;
        this.ledger = ledger;
    }

    /** A terminator's registration: its control API and the bearer token that API wants. */
    public record Registration(String controlUrl, String controlToken) {
        @Override
        public String toString() {
            return "Registration[controlUrl=" + controlUrl + ", controlToken=<redacted>]";
        }
    }

    /** A terminator's report that it holds a station now. */
    public record SessionReport(String terminatorId, Integer securityProfile, String subprotocol,
                                String clientCertificateSha256, String remoteAddress) {
    }

    /**
     * Registers a terminator (or updates its control API) and forgets the sessions it held.
     * Audited as {@code terminator.register}; the token never reaches the audit log.
     */
    public void register(String terminatorId, Registration r, String actor) {
        String id;
        String url;
        String token = r.controlToken();
        try {
            id = terminatorId(terminatorId);
            url = controlUrl(r.controlUrl());
            if (token == null || token.length() < 32 || token.length() > 256
                    || !token.chars().allMatch(ch -> ch > 0x20 && ch < 0x7f)) {
                throw Refusal.badRequest("BAD_CONTROL_TOKEN", "controlToken must be 32 to 256 printable ASCII characters "
                        + "without spaces (e.g. 32 random bytes, base64url)");
            }
        } catch (Refusal refusal) {
            throw audited(actor, "terminator.register", "terminator:" + terminatorId, refusal);
        }
        TerminatorStore.Instance instance = new TerminatorStore.Instance(id, url, token, now(),
                actor.length() <= 128 ? actor : actor.substring(0, 128));
        ledger.write(c -> TerminatorStore.register(c, instance),
                List.of(AuditEntry.ok(actor, "terminator.register", "terminator:" + id, Details.of("controlUrl", url,
                        "sessions", "cleared"))),
                AuditEntry.refused(actor, "terminator.register", "terminator:" + id, null, null));
    }

    /** Records that a terminator holds the station now (audited as {@code station.session.open}). */
    public TerminatorStore.Session open(String identity, SessionReport report, String actor) {
        StationIdentity station = identity(identity);
        String subject = "station:" + station.value();
        TerminatorStore.Session session;
        try {
            String terminatorId = terminatorId(report.terminatorId());
            if (report.securityProfile() == null || report.securityProfile() < 1 || report.securityProfile() > 3) {
                throw Refusal.badRequest("BAD_SECURITY_PROFILE", "securityProfile must be 1, 2 or 3");
            }
            if (report.subprotocol() == null || !StationService.OCPP_VERSIONS.contains(report.subprotocol())) {
                throw Refusal.badRequest("BAD_SUBPROTOCOL", "subprotocol must be one of " + StationService.OCPP_VERSIONS);
            }
            String fingerprint = report.clientCertificateSha256();
            if (fingerprint != null) {
                if (!SHA256_HEX.matcher(fingerprint).matches()) {
                    throw Refusal.badRequest("BAD_FINGERPRINT", "clientCertificateSha256 must be 64 hexadecimal digits or null");
                }
                fingerprint = fingerprint.toLowerCase(Locale.ROOT);
            }
            String remote = report.remoteAddress();
            if (remote != null && !printable(remote, 128)) {
                throw Refusal.badRequest("BAD_REMOTE_ADDRESS", "remoteAddress must be 1 to 128 printable characters or null");
            }
            session = new TerminatorStore.Session(station.canonicalKey(), station.value(), terminatorId,
                    report.securityProfile(), report.subprotocol(), fingerprint, remote, now());
        } catch (Refusal r) {
            throw audited(actor, "station.session.open", subject, r);
        }
        // The registered spelling of the identity, when the station exists (else the work refuses it).
        TerminatorStore.Session toStore = stations.find(identity).map(s -> withIdentity(session, s)).orElse(session);
        TerminatorStore.Session opened = ledger.write(c -> TerminatorStore.open(c, toStore),
                List.of(AuditEntry.ok(actor, "station.session.open", "station:" + toStore.station(), Details.of(
                        "terminatorId", toStore.terminatorId(), "securityProfile", toStore.securityProfile(),
                        "subprotocol", toStore.subprotocol(), "clientCertificateSha256", toStore.clientCertificateSha256(),
                        "remoteAddress", toStore.remoteAddress()))),
                AuditEntry.refused(actor, "station.session.open", "station:" + toStore.station(),
                        null, Details.of("terminatorId", toStore.terminatorId())));
        stations.connectedWithProfile(toStore.station(), toStore.securityProfile(), actor);
        return opened;
    }

    /**
     * Ends the station's session when {@code terminatorId} holds it; when another terminator holds
     * it (the station moved on and this is a late disconnect), nothing changes. Returns whether a
     * session ended.
     */
    public boolean close(String identity, String terminatorId, String actor) {
        StationIdentity station = identity(identity);
        String id;
        try {
            id = terminatorId(terminatorId);
        } catch (Refusal r) {
            throw audited(actor, "station.session.close", "station:" + station.value(), r);
        }
        String shown = stations.find(identity).map(StationRecord::identity).orElse(station.value());
        return end(station.canonicalKey(), shown, id, null, actor, null);
    }

    /**
     * Ends a session that a terminator said (404 on a call) it no longer holds, if it is still
     * that very session.
     */
    boolean forget(TerminatorStore.Session s, String actor) {
        return end(s.stationKey(), s.station(), s.terminatorId(), s.connectedAt(), actor, "the terminator no longer holds it");
    }

    private boolean end(String stationKey, String station, String terminatorId, Instant connectedAt, String actor, String by) {
        try {
            ledger.write(c -> {
                TerminatorStore.close(c, stationKey, terminatorId, connectedAt);
                return null;
            }, List.of(AuditEntry.ok(actor, "station.session.close", "station:" + station,
                    Details.of("terminatorId", terminatorId, "by", by))), null);
            return true;
        } catch (Refusal notHeld) {
            if ("SESSION_NOT_HELD".equals(notHeld.reason())) {
                return false;
            }
            throw notHeld;
        }
    }

    /**
     * A station's answer to a CertificateSigned (A02/A03): {@code status} Accepted or Rejected,
     * {@code statusInfo} the optional StatusInfoType ({@code reasonCode}, {@code additionalInfo}).
     */
    public record CertificateSignedReport(String station, String serialNumber, String status, JsonNode statusInfo) {
    }

    /**
     * Records the station's CertificateSigned answer as {@code certificate.installed} or
     * {@code certificate.install-rejected}. 404 CERTIFICATE_UNKNOWN when the serial number is not
     * of a certificate issued to that station.
     */
    public void certificateSigned(CertificateSignedReport r, String actor) {
        StationIdentity station = identity(r.station());
        String subject = "station:" + station.value();
        String serial;
        String reasonCode = null;
        String additionalInfo = null;
        try {
            serial = serial(r.serialNumber());
            if (!"Accepted".equals(r.status()) && !"Rejected".equals(r.status())) {
                throw Refusal.badRequest("BAD_STATUS", "status must be Accepted or Rejected (CertificateSignedStatusEnumType)");
            }
            JsonNode info = r.statusInfo();
            if (info != null && !info.isNull()) {
                JsonNode code = info.get("reasonCode");
                JsonNode more = info.get("additionalInfo");
                if (!info.isObject() || code == null || !code.isString() || !printable(code.stringValue(), 20)
                        || more != null && !more.isNull() && (!more.isString() || more.stringValue().length() > 1024)) {
                    throw Refusal.badRequest("BAD_STATUS_INFO", "statusInfo must be null or {\"reasonCode\": 1 to 20 "
                            + "characters, \"additionalInfo\": at most 1024 characters}");
                }
                reasonCode = code.stringValue();
                additionalInfo = more == null || more.isNull() ? null : cut(more.stringValue(), 256);
            }
        } catch (Refusal refusal) {
            throw audited(actor, "certificate.install", subject, refusal);
        }
        IssuedCertificateRecord certificate = certificates.bySerial(serial)
                .filter(c -> station.canonicalKey().equals(c.stationKey()))
                .orElseThrow(() -> audited(actor, "certificate.install", subject, Refusal.notFound("CERTIFICATE_UNKNOWN",
                        "no certificate with this serial number was issued to this station")));
        boolean accepted = "Accepted".equals(r.status());
        Ledger.join(ledger.audit(AuditEntry.ok(actor, accepted ? "certificate.installed" : "certificate.install-rejected",
                "station:" + certificate.station(), Details.of("serialNumber", serial, "certificateType",
                        certificate.certificateType(), "reasonCode", reasonCode, "additionalInfo", additionalInfo))));
    }

    /** Serials as the inventory keeps them: lower-case hex without leading zeroes. */
    private static String serial(String raw) {
        String s = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
        if (s.isEmpty() || s.length() > 40 || !s.matches("[0-9a-f]+")) {
            throw Refusal.badRequest("BAD_SERIAL", "serialNumber must be the certificate's serial number in hexadecimal, "
                    + "at most 40 digits");
        }
        return s.replaceFirst("^0+(?=.)", "");
    }

    private static String cut(String s, int max) {
        String clean = s.replaceAll("\\p{Cntrl}", " ");
        return clean.length() <= max ? clean : clean.substring(0, max) + "...";
    }

    /** The station's current session; empty when no terminator holds it. 404 for an unknown station. */
    public Optional<TerminatorStore.Session> session(String identity) {
        StationRecord s = stations.require(identity);
        return store.session(s.identityKey());
    }

    /** The session of a station known to exist. */
    Optional<TerminatorStore.Session> sessionOf(StationRecord s) {
        return store.session(s.identityKey());
    }

    Optional<TerminatorStore.Instance> instance(String terminatorId) {
        return store.instance(terminatorId);
    }

    /** The OCPP version a session speaks. */
    static OcppVersion version(TerminatorStore.Session s) {
        return OcppVersion.fromSubprotocol(s.subprotocol()).orElseThrow(() ->
                new IllegalStateException("stored subprotocol " + s.subprotocol() + " is unknown"));
    }

    private static TerminatorStore.Session withIdentity(TerminatorStore.Session s, StationRecord station) {
        return new TerminatorStore.Session(s.stationKey(), station.identity(), s.terminatorId(), s.securityProfile(),
                s.subprotocol(), s.clientCertificateSha256(), s.remoteAddress(), s.connectedAt());
    }

    static String terminatorId(String raw) {
        if (raw == null || !TERMINATOR_ID.matcher(raw).matches()) {
            throw Refusal.badRequest("BAD_TERMINATOR_ID", "terminatorId must be 1 to 64 characters of A-Z a-z 0-9 . _ -");
        }
        return raw;
    }

    private static String controlUrl(String raw) {
        if (raw == null || raw.length() > 2048) {
            throw Refusal.badRequest("BAD_CONTROL_URL", "controlUrl is required: an http or https URL with a host, "
                    + "at most 2048 characters");
        }
        try {
            URI u = new URI(raw);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null || u.getHost().isEmpty()) {
                throw Refusal.badRequest("BAD_CONTROL_URL", "controlUrl must be an http or https URL with a host");
            }
            if (u.getRawUserInfo() != null || u.getRawQuery() != null || u.getRawFragment() != null) {
                throw Refusal.badRequest("BAD_CONTROL_URL", "controlUrl must not carry user info, a query or a fragment");
            }
            return raw;
        } catch (URISyntaxException e) {
            throw Refusal.badRequest("BAD_CONTROL_URL", "controlUrl is not a valid URL");
        }
    }

    static StationIdentity identity(String raw) {
        IdentityCheck check = StationIdentity.parse(raw);
        if (check instanceof IdentityCheck.Valid v) {
            return v.identity();
        }
        throw Refusal.badRequest("BAD_IDENTITY", "the station identity is not a valid OCPP identity: 1 to 48 characters "
                + "of a-z A-Z 0-9 * - _ = + | @ . (no ':')");
    }

    static boolean printable(String s, int max) {
        return !s.isEmpty() && s.length() <= max && s.chars().noneMatch(ch -> ch < 0x20 || ch == 0x7f);
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private Refusal audited(String actor, String action, String subject, Refusal r) {
        Ledger.join(ledger.audit(AuditEntry.refused(actor, action, subject, r.reason(), null)));
        return r;
    }
}
