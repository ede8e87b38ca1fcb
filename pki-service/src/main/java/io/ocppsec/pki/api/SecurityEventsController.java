package io.ocppsec.pki.api;

import io.ocppsec.pki.auth.RequiresRole;
import io.ocppsec.pki.auth.Role;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.security.SpecEdition;
import io.ocppsec.security.event.SecurityEventType;
import io.ocppsec.pki.store.SecurityEventStore;
import io.ocppsec.pki.terminator.SecurityEvents;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * {@code GET /api/v1/security-events/types?ocppVersion=2.1}: the security event types of an OCPP
 * version (appendix security_events.csv) with their criticality, for CSMS dashboards and alerting.
 * {@code GET /api/v1/security-events?station=&after=&limit=}: the events terminators reported
 * (their refusals and the stations' SecurityEventNotifications), newest last, paged by id.
 */
@RestController
@RequiresRole(Role.CSMS)
@RequestMapping("/api/v1/security-events")
public class SecurityEventsController {
    private final SecurityEvents events;

    public SecurityEventsController(SecurityEvents events) {
        this.events = events;
    }

    /** A reported security event; {@code critical} is the OCPP criticality of a known type, else null. */
    public record EventView(long id, Instant occurredAt, Instant receivedAt, String station, String remoteAddress,
                            String type, Boolean critical, String reason, String requirement, String techInfo,
                            String source, String reportedBy) {
        static EventView of(SecurityEventStore.Event e) {
            return new EventView(e.id(), e.occurredAt(), e.receivedAt(), e.station(), e.remoteAddress(), e.type(),
                    SecurityEventType.fromWire(e.type()).map(SecurityEventType::critical).orElse(null), e.reason(),
                    e.requirement(), e.techInfo(), e.source(), e.reporter());
        }
    }

    /**
     * Without {@code after}: the newest {@code limit} events; with it, the events after that id
     * (to follow new ones). Newest last either way.
     */
    @GetMapping
    public List<EventView> list(@RequestParam(name = "station", required = false) String station,
                                @RequestParam(name = "after", required = false) Long after,
                                @RequestParam(name = "limit", defaultValue = "100") int limit) {
        return events.list(station, after, limit).stream().map(EventView::of).toList();
    }

    @GetMapping("/types")
    public Map<String, Object> types(@RequestParam(name = "ocppVersion", defaultValue = "2.1") String version) {
        OcppVersion v = ApiInputs.ocppVersion(JsonNodeFactory.instance.stringNode(version));
        if (!v.hasTypedMessages()) {
            throw new BadRequestException("unsupported-version", "ocppVersion must be 2.0.1 or 2.1");
        }
        SpecEdition edition = SpecEdition.latest(v);
        List<Map<String, Object>> types = SecurityEventType.definedFor(edition).stream().map(t -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("type", t.wireName());
            m.put("critical", t.critical());
            m.put("description", t.description());
            m.put("introducedIn", t.introducedIn().name());
            return m;
        }).toList();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ocppVersion", v.subprotocol());
        out.put("edition", edition.name());
        out.put("types", types);
        return out;
    }
}
