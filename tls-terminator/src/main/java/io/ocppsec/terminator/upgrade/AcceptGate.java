package io.ocppsec.terminator.upgrade;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.ocppsec.terminator.Metrics;
import io.ocppsec.terminator.SecurityEvents;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The first handler of every accepted connection, before any TLS work:
 * <ul>
 *   <li>an IP in back-off (too many refusals) is closed at once;</li>
 *   <li>an IP with {@code maxPendingPerIp} connections that have not upgraded yet is closed at once,
 *       so 10,000 idle sockets from one address cost no TLS state and disturb nobody else;</li>
 *   <li>accepts are paced to {@code ratePerSecond}: under a reconnect storm, a connection waits for
 *       its slot (without being read) instead of every handshake competing for the CPU at once; a
 *       connection whose slot is more than 30 s away is closed, and the station retries later.</li>
 * </ul>
 * Shared by all channels of a listener.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private static final long MAX_WAIT_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Map<String, AtomicInteger> pendingByIp = new ConcurrentHashMap<>();
    private final int maxPendingPerIp;
    private final FailureLimiter ipFailures;
    private final Metrics metrics;
    private final SecurityEvents events;
    private final long nanosPerAccept;
    private long nextSlot = System.nanoTime();
    private final java.util.concurrent.atomic.LongAdder paced = new java.util.concurrent.atomic.LongAdder();

    public AcceptGate(int maxPendingPerIp, int ratePerSecond, FailureLimiter ipFailures, Metrics metrics, SecurityEvents events) {
        this.maxPendingPerIp = maxPendingPerIp;
        this.ipFailures = ipFailures;
        this.metrics = metrics;
        this.events = events;
        this.nanosPerAccept = ratePerSecond <= 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / ratePerSecond;
    }

    public static String ip(io.netty.channel.Channel ch) {
        return ch.remoteAddress() instanceof InetSocketAddress a ? a.getAddress().getHostAddress() : "unknown";
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        metrics.tcpAccepted();
        String ip = ip(ctx.channel());
        if (ipFailures.blockedFor(ip) > 0) {
            metrics.refused("IP_BACKOFF");
            ctx.close();
            return;
        }
        AtomicInteger pending = pendingByIp.computeIfAbsent(ip, k -> new AtomicInteger());
        if (pending.incrementAndGet() > maxPendingPerIp) {
            pending.decrementAndGet();
            metrics.refused("TOO_MANY_PENDING_FROM_IP");
            if (pending.get() == maxPendingPerIp && ipFailures.failed(ip) > 0) {
                events.terminator(null, ip, "TerminatorOverloaded", "TOO_MANY_PENDING_FROM_IP", null,
                        "more than " + maxPendingPerIp + " connections from one address have not upgraded");
            }
            ctx.close();
            return;
        }
        metrics.pending().incrementAndGet();
        ctx.channel().attr(Attributes.PENDING_IP).set(ip);
        long wait = slot();
        if (wait > MAX_WAIT_NANOS) {
            released(ctx.channel());
            metrics.refused("ACCEPT_QUEUE_FULL");
            ctx.close();
            return;
        }
        if (wait > 0) {
            paced.increment();
            ctx.channel().config().setAutoRead(false);
            ctx.executor().schedule(() -> {
                ctx.fireChannelActive();
                ctx.channel().config().setAutoRead(true);
            }, wait, TimeUnit.NANOSECONDS);
            return;
        }
        ctx.fireChannelActive();
    }

    /** Connections that had to wait for their slot. */
    public long pacedConnections() {
        return paced.sum();
    }

    private synchronized long slot() {
        if (nanosPerAccept == 0) {
            return 0;
        }
        long now = System.nanoTime();
        long start = Math.max(now, nextSlot);
        nextSlot = start + nanosPerAccept;
        return start - now;
    }

    /** The connection upgraded or closed: it no longer counts as pending for its IP. */
    public void released(io.netty.channel.Channel ch) {
        String ip = ch.attr(Attributes.PENDING_IP).getAndSet(null);
        if (ip == null) {
            return;
        }
        metrics.pending().decrementAndGet();
        pendingByIp.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        released(ctx.channel());
        ctx.fireChannelInactive();
    }
}
