package io.ocppsec.terminator;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** The terminator's counters and gauges, written out in the Prometheus text format. */
public final class Metrics {
    private final AtomicInteger[] connectionsByProfile = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
    private final AtomicInteger pendingConnections = new AtomicInteger();
    private final AtomicInteger pendingPeak = new AtomicInteger();
    final LongAdder tcpAccepted = new LongAdder();
    final LongAdder handshakesOk = new LongAdder();
    final LongAdder handshakesFailed = new LongAdder();
    final LongAdder upgrades = new LongAdder();
    final LongAdder bytesFromStations = new LongAdder();
    final LongAdder bytesToStations = new LongAdder();
    final LongAdder framesFromStations = new LongAdder();
    final LongAdder framesToStations = new LongAdder();
    final LongAdder upstreamConnects = new LongAdder();
    final LongAdder upstreamFailures = new LongAdder();
    final LongAdder injectedCalls = new LongAdder();
    final LongAdder securityActions = new LongAdder();
    final LongAdder eventsDropped = new LongAdder();
    private final Map<String, LongAdder> refusals = new ConcurrentHashMap<>();
    private final long started = System.nanoTime();

    public void tcpAccepted() {
        tcpAccepted.increment();
    }

    public void handshake(boolean ok) {
        (ok ? handshakesOk : handshakesFailed).increment();
    }

    public void refused(String reason) {
        refusals.computeIfAbsent(reason, r -> new LongAdder()).increment();
    }

    public void connected(int profile) {
        upgrades.increment();
        connectionsByProfile[profile].incrementAndGet();
    }

    public void disconnected(int profile) {
        connectionsByProfile[profile].decrementAndGet();
    }

    public AtomicInteger pending() {
        return pendingConnections;
    }

    /** One more connection in its handshake or upgrade; returns how many are now. */
    public int pendingUp() {
        int n = pendingConnections.incrementAndGet();
        pendingPeak.accumulateAndGet(n, Math::max);
        return n;
    }

    /** The most connections that were in their handshake or upgrade at once, since the start. */
    public int pendingPeak() {
        return pendingPeak.get();
    }

    public void fromStation(int bytes) {
        framesFromStations.increment();
        bytesFromStations.add(bytes);
    }

    public void toStation(int bytes) {
        framesToStations.increment();
        bytesToStations.add(bytes);
    }

    public void upstreamConnect(boolean ok) {
        (ok ? upstreamConnects : upstreamFailures).increment();
    }

    public void injected() {
        injectedCalls.increment();
    }

    public void securityAction() {
        securityActions.increment();
    }

    public void eventDropped() {
        eventsDropped.increment();
    }

    /** Connections open now, all profiles. */
    public int connections() {
        int n = 0;
        for (AtomicInteger a : connectionsByProfile) {
            n += a.get();
        }
        return n;
    }

    public long refusals(String reason) {
        LongAdder a = refusals.get(reason);
        return a == null ? 0 : a.sum();
    }

    /** The Prometheus text exposition. */
    public String prometheus() {
        StringBuilder sb = new StringBuilder(2048);
        sb.append("# HELP ocppsec_terminator_connections Station WebSocket connections open now, by security profile.\n");
        sb.append("# TYPE ocppsec_terminator_connections gauge\n");
        for (int p = 1; p <= 3; p++) {
            sb.append("ocppsec_terminator_connections{profile=\"").append(p).append("\"} ").append(connectionsByProfile[p].get()).append('\n');
        }
        gauge(sb, "ocppsec_terminator_pending_connections", "Connections not yet upgraded (TLS or HTTP in progress).", pendingConnections.get());
        counter(sb, "ocppsec_terminator_accepted_total", "TCP connections accepted.", tcpAccepted.sum());
        sb.append("# HELP ocppsec_terminator_tls_handshakes_total TLS handshakes, by outcome.\n");
        sb.append("# TYPE ocppsec_terminator_tls_handshakes_total counter\n");
        sb.append("ocppsec_terminator_tls_handshakes_total{outcome=\"ok\"} ").append(handshakesOk.sum()).append('\n');
        sb.append("ocppsec_terminator_tls_handshakes_total{outcome=\"failed\"} ").append(handshakesFailed.sum()).append('\n');
        counter(sb, "ocppsec_terminator_upgrades_total", "WebSocket upgrades admitted.", upgrades.sum());
        sb.append("# HELP ocppsec_terminator_refusals_total Connections refused, by reason.\n");
        sb.append("# TYPE ocppsec_terminator_refusals_total counter\n");
        new TreeMap<>(refusals).forEach((r, n) -> sb.append("ocppsec_terminator_refusals_total{reason=\"").append(r)
                .append("\"} ").append(n.sum()).append('\n'));
        sb.append("# HELP ocppsec_terminator_bytes_total WebSocket payload bytes, by direction.\n");
        sb.append("# TYPE ocppsec_terminator_bytes_total counter\n");
        sb.append("ocppsec_terminator_bytes_total{direction=\"from_station\"} ").append(bytesFromStations.sum()).append('\n');
        sb.append("ocppsec_terminator_bytes_total{direction=\"to_station\"} ").append(bytesToStations.sum()).append('\n');
        sb.append("# HELP ocppsec_terminator_frames_total WebSocket messages, by direction.\n");
        sb.append("# TYPE ocppsec_terminator_frames_total counter\n");
        sb.append("ocppsec_terminator_frames_total{direction=\"from_station\"} ").append(framesFromStations.sum()).append('\n');
        sb.append("ocppsec_terminator_frames_total{direction=\"to_station\"} ").append(framesToStations.sum()).append('\n');
        sb.append("# HELP ocppsec_terminator_upstream_connects_total Connections to the upstream CSMS, by outcome.\n");
        sb.append("# TYPE ocppsec_terminator_upstream_connects_total counter\n");
        sb.append("ocppsec_terminator_upstream_connects_total{outcome=\"ok\"} ").append(upstreamConnects.sum()).append('\n');
        sb.append("ocppsec_terminator_upstream_connects_total{outcome=\"failed\"} ").append(upstreamFailures.sum()).append('\n');
        counter(sb, "ocppsec_terminator_injected_calls_total", "Server-initiated calls injected for pki-service.", injectedCalls.sum());
        counter(sb, "ocppsec_terminator_security_actions_total", "Security actions answered here.", securityActions.sum());
        counter(sb, "ocppsec_terminator_security_events_dropped_total", "Security events not delivered to pki-service (queue full).", eventsDropped.sum());
        gauge(sb, "ocppsec_terminator_uptime_seconds", "Seconds since start.", (System.nanoTime() - started) / 1_000_000_000L);
        return sb.toString();
    }

    private static void counter(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" counter\n").append(name).append(' ').append(v).append('\n');
    }

    private static void gauge(StringBuilder sb, String name, String help, long v) {
        sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
        sb.append("# TYPE ").append(name).append(" gauge\n").append(name).append(' ').append(v).append('\n');
    }
}
