package io.ocppsec.pki.terminator;

import io.ocppsec.pki.store.AuditEntry;
import io.ocppsec.pki.store.Details;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.Refusal;
import io.ocppsec.pki.store.SecurityEventStore;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The security events terminators report: their own refusals (a TLS handshake, a client
 * certificate, a password, a profile downgrade; {@code source} terminator) and the
 * SecurityEventNotifications stations send (source station). A batch is checked whole before
 * anything is stored: one malformed event refuses the batch (400) and stores nothing.
 */
public final class SecurityEvents {
    public static final int MAX_BATCH = 500;
    public static final int MAX_TECH_INFO = 255;
    private static final Set<String> FIELDS = Set.of("occurredAt", "station", "remoteAddress", "type", "reason",
            "requirement", "techInfo", "source");
    private static final Set<String> SOURCES = Set.of("terminator", "station");

    private final SecurityEventStore store;
    private final Ledger ledger;

    public SecurityEvents(SecurityEventStore store, Ledger ledger) {
        this.store = store;
        this.ledger = ledger;
    }

    /** Checks and stores a batch (a JSON array); returns how many events were stored. */
    public int report(JsonNode batch, String actor) {
        List<SecurityEventStore.Event> events;
        try {
            events = read(batch, actor);
        } catch (Refusal r) {
            Ledger.join(ledger.audit(AuditEntry.refused(actor, "security-events.report", null, r.reason(), null)));
            throw r;
        }
        if (events.isEmpty()) {
            return 0;
        }
        return ledger.write(c -> SecurityEventStore.insert(c, events),
                List.of(AuditEntry.ok(actor, "security-events.report", null, Details.of("count", events.size()))),
                AuditEntry.refused(actor, "security-events.report", null, null, null));
    }

    /** Events in id order, newest last: after {@code afterId}, or else the newest {@code limit}. */
    public List<SecurityEventStore.Event> list(String station, Long afterId, int limit) {
        String key = null;
        if (station != null) {
            key = TerminatorService.identity(station).canonicalKey();
        }
        if (afterId != null && afterId < 0) {
            throw Refusal.badRequest("BAD_AFTER", "after must be an event id (0 or more)");
        }
        return store.list(key, afterId, Math.max(1, Math.min(limit, 1000)));
    }

    private static List<SecurityEventStore.Event> read(JsonNode batch, String actor) {
        if (batch == null || !batch.isArray()) {
            throw Refusal.badRequest("BAD_EVENTS", "the body must be a JSON array of security events");
        }
        if (batch.size() > MAX_BATCH) {
            throw Refusal.badRequest("TOO_MANY_EVENTS", "at most " + MAX_BATCH + " events per request; got " + batch.size());
        }
        Instant received = TerminatorService.now();
        List<SecurityEventStore.Event> out = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            JsonNode e = batch.get(i);
            String at = "event " + i + ": ";
            if (!e.isObject()) {
                throw Refusal.badRequest("BAD_EVENTS", at + "not a JSON object");
            }
            for (String name : e.propertyNames()) {
                if (!FIELDS.contains(name)) {
                    throw Refusal.badRequest("BAD_EVENTS", at + "unknown field " + cut(name, 40) + " (known: " + FIELDS + ")");
                }
            }
            Instant occurred = instant(e.get("occurredAt"), at);
            String station = optional(e, "station", 48, at);
            String stationKey = null;
            if (station != null) {
                if (!(StationIdentity.parse(station) instanceof IdentityCheck.Valid valid)) {
                    throw Refusal.badRequest("BAD_EVENTS", at + "station must be a valid OCPP identity or null (put an "
                            + "invalid one the station presented into techInfo)");
                }
                stationKey = valid.identity().canonicalKey();
            }
            String type = optional(e, "type", 50, at);
            if (type == null) {
                throw Refusal.badRequest("BAD_EVENTS", at + "type is required (an OCPP security event type such as "
                        + "InvalidChargingStationCertificate, or the terminator's refusal kind), 1 to 50 characters");
            }
            String source = optional(e, "source", 16, at);
            if (source == null || !SOURCES.contains(source)) {
                throw Refusal.badRequest("BAD_EVENTS", at + "source must be terminator or station");
            }
            out.add(new SecurityEventStore.Event(0, occurred, received, stationKey, station,
                    optional(e, "remoteAddress", 128, at), type, optional(e, "reason", 64, at),
                    optional(e, "requirement", 32, at), techInfo(e.get("techInfo"), at), source,
                    actor.length() <= 128 ? actor : actor.substring(0, 128)));
        }
        return out;
    }

    private static Instant instant(JsonNode n, String at) {
        if (n == null || !n.isString()) {
            throw Refusal.badRequest("BAD_EVENTS", at + "occurredAt is required: an RFC 3339 date-time such as 2026-11-21T19:32:06Z");
        }
        try {
            return OffsetDateTime.parse(n.stringValue()).toInstant();
        } catch (DateTimeParseException ex) {
            throw Refusal.badRequest("BAD_EVENTS", at + "occurredAt is not an RFC 3339 date-time such as 2026-11-21T19:32:06Z");
        }
    }

    /** A string field of at most {@code max} printable characters, or null when absent or null. */
    private static String optional(JsonNode e, String field, int max, String at) {
        JsonNode n = e.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString() || !TerminatorService.printable(n.stringValue(), max)) {
            throw Refusal.badRequest("BAD_EVENTS", at + field + " must be a string of 1 to " + max
                    + " characters without control characters, or null");
        }
        return n.stringValue();
    }

    /** techInfo: at most 255 characters (as OCPP's techInfo); control characters become spaces. */
    private static String techInfo(JsonNode n, String at) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString() || n.stringValue().length() > MAX_TECH_INFO) {
            throw Refusal.badRequest("BAD_EVENTS", at + "techInfo must be a string of at most " + MAX_TECH_INFO
                    + " characters, or null");
        }
        StringBuilder b = new StringBuilder(n.stringValue().length());
        n.stringValue().chars().forEach(ch -> b.append(ch < 0x20 || ch == 0x7f ? ' ' : (char) ch));
        return b.toString();
    }

    private static String cut(String s, int max) {
        String clean = s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= max ? clean : clean.substring(0, max) + "...";
    }
}
