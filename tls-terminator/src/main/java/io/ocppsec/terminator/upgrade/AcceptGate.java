package io.ocppsec.terminator.upgrade;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.ocppsec.terminator.Metrics;
import io.ocppsec.terminator.SecurityEvents;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * The first handler of every accepted connection, before any TLS work, and the pacing of the
 * listeners themselves:
 * <ul>
 *   <li>an IP in back-off (too many refusals) is closed at once;</li>
 *   <li>an IP with {@code maxPendingPerIp} connections that have not upgraded yet is closed at once,
 *       so 10,000 idle sockets from one address cost no TLS state and disturb nobody else;</li>
 *   <li>accept pacing: when {@code maxInProgress} connections are in their handshake or upgrade, or
 *       the accept rate is used up, the listeners stop accepting for a moment. The count is kept by
 *       the listener itself ({@link #listenerSide()}), as it accepts, not by the connection once its
 *       event loop gets to it: under a storm those loops are busy with handshakes, and counting there
 *       let the listener accept twice the cap before it paused (1,113 in progress against 512).
 *       At most one read's batch of accepts (16) passes the cap. New connections then
 *       wait in the kernel's accept queue (and, beyond it, their SYNs are retried by the client's TCP
 *       with its own back-off) instead of being accepted and left to time out: under a reconnect
 *       storm every accepted handshake is served, and nobody is made to retry early. Pauses are
 *       counted ({@code acceptPauses} in /health).</li>
 * </ul>
 * Shared by all channels of all listeners.
 */
@ChannelHandler.Sharable
public final class AcceptGate extends ChannelInboundHandlerAdapter {
    private final Map<String, AtomicInteger> pendingByIp = new ConcurrentHashMap<>();
    private final List<Channel> listeners = new CopyOnWriteArrayList<>();
    private final int maxPendingPerIp;
    private final int maxInProgress;
    private final FailureLimiter ipFailures;
    private final Metrics metrics;
    private final SecurityEvents events;
    private final double ratePerNano;
    private final double burst;
    private double tokens;
    private long refilledAt = System.nanoTime();
    private boolean pausedForLoad;
    private boolean pausedForRate;
    private final LongAdder pauses = new LongAdder();

    public AcceptGate(int maxPendingPerIp, int maxInProgress, int ratePerSecond, FailureLimiter ipFailures, Metrics metrics,
                      SecurityEvents events) {
        this.maxPendingPerIp = maxPendingPerIp;
        this.maxInProgress = Math.max(1, maxInProgress);
        this.ipFailures = ipFailures;
        this.metrics = metrics;
        this.events = events;
        this.ratePerNano = ratePerSecond <= 0 ? 0 : ratePerSecond / 1e9;
        this.burst = Math.max(1, ratePerSecond / 10.0);
        this.tokens = burst;
    }

    /** A listener whose accepting this gate may pause. */
    public void addListener(Channel serverChannel) {
        listeners.add(serverChannel);
    }

    public static String ip(Channel ch) {
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
        ctx.channel().attr(Attributes.PENDING_IP).set(ip);
        ctx.fireChannelActive();
    }

    /**
     * The handler of the listeners' own channels: it sees every accepted connection on the listener's
     * thread, before the connection is handed to its event loop, counts it as in progress and pauses
     * accepting at the cap or when the accept rate is used up.
     */
    public ChannelHandler listenerSide() {
        return listenerSide;
    }

    private final ChannelHandler listenerSide = new ListenerSide();

    @ChannelHandler.Sharable
    private final class ListenerSide extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof Channel child) {
                accepted(child, ctx);
            }
            ctx.fireChannelRead(msg);
        }
    }

    private void accepted(Channel child, ChannelHandlerContext listener) {
        child.attr(Attributes.IN_PROGRESS).set(Boolean.TRUE);
        // released once, however the connection ends (also when it never becomes active)
        child.closeFuture().addListener(f -> released(child));
        int inProgress = metrics.pendingUp();
        long waitNanos = takeToken();
        synchronized (this) {
            if (inProgress >= maxInProgress && !pausedForLoad) {
                pausedForLoad = true;
                pause();
            }
            if (waitNanos > 0 && !pausedForRate) {
                pausedForRate = true;
                pause();
                listener.executor().schedule(this::rateResumed, waitNanos, TimeUnit.NANOSECONDS);
            }
        }
    }

    /** Takes one accept from the bucket; returns how long until the next one is there (0 = now). */
    private synchronized long takeToken() {
        if (ratePerNano == 0) {
            return 0;
        }
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - refilledAt) * ratePerNano);
        refilledAt = now;
        tokens -= 1;
        return tokens >= 0 ? 0 : (long) (-tokens / ratePerNano) + 1;
    }

    private void rateResumed() {
        synchronized (this) {
            pausedForRate = false;
            if (!pausedForLoad) {
                resume();
            }
        }
    }

    private void pause() {
        pauses.increment();
        for (Channel l : listeners) {
            l.config().setAutoRead(false);
        }
    }

    private void resume() {
        for (Channel l : listeners) {
            l.config().setAutoRead(true);
        }
    }

    /** Times the listeners stopped accepting for a while (load or rate). */
    public long acceptPauses() {
        return pauses.sum();
    }

    /** Pauses accepting after an accept error such as running out of file descriptors. */
    public void acceptFailed(Channel listener) {
        synchronized (this) {
            if (!pausedForRate) {
                pausedForRate = true;
                pause();
                listener.eventLoop().schedule(this::rateResumed, 1, TimeUnit.SECONDS);
            }
        }
    }

    /** The connection upgraded or closed: it no longer counts as pending for its IP or as in progress. */
    public void released(Channel ch) {
        String ip = ch.attr(Attributes.PENDING_IP).getAndSet(null);
        if (ip != null) {
            pendingByIp.computeIfPresent(ip, (k, v) -> v.decrementAndGet() <= 0 ? null : v);
        }
        if (ch.attr(Attributes.IN_PROGRESS).getAndSet(null) == null) {
            return;
        }
        int inProgress = metrics.pending().decrementAndGet();
        if (inProgress <= maxInProgress * 3 / 4) {
            synchronized (this) {
                if (pausedForLoad) {
                    pausedForLoad = false;
                    if (!pausedForRate) {
                        resume();
                    }
                }
            }
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        released(ctx.channel());
        ctx.fireChannelInactive();
    }
}
