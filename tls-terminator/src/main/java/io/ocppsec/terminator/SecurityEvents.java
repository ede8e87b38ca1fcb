package io.ocppsec.terminator;

import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.terminator.pki.PkiClient;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Security events: every refusal and every event a station reports. Each is logged as one JSON line
 * (logger {@code ocppsec.security}) and queued for pki-service, which stores them; the queue is
 * bounded and a full queue drops (and counts) rather than grows. No event carries a secret.
 */
public final class SecurityEvents {
    private static final Logger log = LoggerFactory.getLogger("ocppsec.security");
    private static final int QUEUE = 10_000;
    private static final int BATCH = 500;
    private static final int MAX_TEXT = 255;

    /** One event. {@code station} and {@code requirement} may be null. */
    public record Event(Instant occurredAt, String station, String remoteAddress, String type, String reason,
                        String requirement, String techInfo, String source) {
    }

    private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Metrics metrics;
    private final JsonMapper json = OcppJson.standard().mapper();
    private final List<Consumer<Event>> listeners = new CopyOnWriteArrayList<>();
    private volatile boolean sending;

    public SecurityEvents(Metrics metrics) {
        this.metrics = metrics;
    }

    /** Also tell {@code listener} about every event (tests, the control API). */
    public void addListener(Consumer<Event> listener) {
        listeners.add(listener);
    }

    /** Records a terminator-side event (a refusal or a security decision). */
    public void terminator(String station, String remote, String type, String reason, String requirement, String techInfo) {
        record(new Event(Instant.now(), station, remote, type, reason, requirement, cut(techInfo), "terminator"));
    }

    /** Records an event a station reported with SecurityEventNotification. */
    public void station(String station, String remote, String type, String techInfo) {
        record(new Event(Instant.now(), station, remote, cut(type), "REPORTED", null, cut(techInfo), "station"));
    }

    private void record(Event e) {
        ObjectNode n = toJson(e);
        log.warn("{}", n);
        if (!queue.offer(e)) {
            metrics.eventDropped();
        }
        for (Consumer<Event> l : listeners) {
            l.accept(e);
        }
    }

    /** Sends what is queued (in batches); called periodically. Events that fail to send are re-queued once. */
    public void flush(PkiClient pki) {
        if (sending || queue.isEmpty()) {
            return;
        }
        List<Event> batch = new ArrayList<>(BATCH);
        queue.drainTo(batch, BATCH);
        if (batch.isEmpty()) {
            return;
        }
        sending = true;
        List<ObjectNode> nodes = new ArrayList<>(batch.size());
        batch.forEach(e -> nodes.add(toJson(e)));
        pki.securityEvents(nodes).whenComplete((ok, err) -> {
            sending = false;
            if (err != null) {
                int requeued = 0;
                for (Event e : batch) {
                    if (queue.offer(e)) {
                        requeued++;
                    } else {
                        metrics.eventDropped();
                    }
                }
                LoggerFactory.getLogger(SecurityEvents.class).warn("security events not delivered to pki-service ({}); {} re-queued",
                        err.getMessage(), requeued);
            }
        });
    }

    /** Events waiting to be sent. */
    public int queued() {
        return queue.size();
    }

    private ObjectNode toJson(Event e) {
        ObjectNode n = json.createObjectNode();
        n.put("occurredAt", e.occurredAt().toString());
        n.put("station", e.station());
        n.put("remoteAddress", e.remoteAddress());
        n.put("type", e.type());
        n.put("reason", e.reason());
        n.put("requirement", e.requirement());
        n.put("techInfo", e.techInfo());
        n.put("source", e.source());
        return n;
    }

    static String cut(String s) {
        if (s == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(Math.min(s.length(), MAX_TEXT));
        for (int i = 0; i < s.length() && sb.length() < MAX_TEXT; i++) {
            char c = s.charAt(i);
            sb.append(c >= 0x20 && c != 0x7f ? c : '?');
        }
        return sb.toString();
    }
}
