package io.ocppsec.terminator.pki;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.AttributeKey;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;

/**
 * The HTTP/1.1 client under {@link PkiClient}: a pool of keep-alive connections to pki-service on one
 * Netty event loop of its own.
 *
 * <p>Why not the JDK's {@code java.net.http.HttpClient}: in a reconnect storm the terminator asks
 * pki-service about every station, and the JDK client spent about a fifth of the terminator's CPU on
 * its selector thread, its executor hand-offs and CompletableFuture stages, and a quarter of the JIT's
 * compile time on its own code (docs/benchmarks.md, "Reconnect storm"). Here a request costs one
 * hand-off to the pool's loop, an encode and a decode.
 *
 * <ul>
 *   <li>At most {@code maxConnections} connections (so a storm of thousands of stations opens a
 *       bounded number to pki-service); requests beyond that wait in order, up to {@code maxWaiting},
 *       and beyond that fail at once.</li>
 *   <li>Each request has {@code timeout} from the moment it is written to a connection (waiting for a
 *       free connection is not counted, as with the JDK client's request timeout); a request that runs
 *       out closes its connection.</li>
 *   <li>Answers larger than {@code maxBody} bytes fail (and close the connection) without being kept.</li>
 *   <li>A connection pki-service closed while it sat idle is noticed on reuse: a GET, PUT or DELETE that
 *       got no answer byte on a reused connection is sent once more on a new one (a POST is not: it may
 *       have been processed). Idle connections are closed after {@code idleTimeout}.</li>
 *   <li>{@code https} base URLs are verified against the JDK's trust store, host name included.</li>
 * </ul>
 * Every failure is a {@link PkiClient.PkiException} with status 0 and a message that names no secret.
 */
final class PkiHttp implements AutoCloseable {

    /** A complete answer: status and body (UTF-8). */
    record Response(int status, String body) {
    }

    private static final AttributeKey<Exchange> CURRENT = AttributeKey.valueOf("ocppsec.pki.exchange");
    private static final AttributeKey<Long> IDLE_SINCE = AttributeKey.valueOf("ocppsec.pki.idleSince");
    private static final AttributeKey<Integer> SERVED = AttributeKey.valueOf("ocppsec.pki.served");

    private final URI base;
    private final String hostHeader;
    private final int maxConnections;
    private final int maxWaiting;
    private final int maxBody;
    private final long timeoutMillis;
    private final long idleTimeoutMillis;
    private final EventLoopGroup group;
    private final EventLoop loop;
    private final Bootstrap bootstrap;

    // loop-confined state
    private final ArrayDeque<Channel> idle = new ArrayDeque<>();
    private final ArrayDeque<Exchange> queue = new ArrayDeque<>();
    /** Every connection open or connecting: at most {@code maxConnections}. */
    private final java.util.Set<Channel> all = new java.util.HashSet<>();
    private boolean closed;

    /** Requests accepted and not finished (in flight or waiting): the bound of {@code maxConnections + maxWaiting}. */
    private final AtomicInteger outstanding = new AtomicInteger();

    /** One request and its answer; loop-confined once dispatched. */
    private static final class Exchange {
        final FullHttpRequest request;
        final boolean idempotent;
        final CompletableFuture<Response> result = new CompletableFuture<>();
        boolean retried;
        boolean released;
        ScheduledFuture<?> timer;

        Exchange(FullHttpRequest request) {
            this.request = request;
            HttpMethod m = request.method();
            this.idempotent = m.equals(HttpMethod.GET) || m.equals(HttpMethod.PUT) || m.equals(HttpMethod.DELETE);
        }

        /** Drops our own reference to the request (a write in progress holds its own). */
        void releaseRequest() {
            if (!released) {
                released = true;
                request.release();
            }
        }
    }

    PkiHttp(URI base, int maxConnections, int maxWaiting, int maxBody, Duration connectTimeout, Duration timeout,
            Duration idleTimeout) {
        this(base, maxConnections, maxWaiting, maxBody, connectTimeout, timeout, idleTimeout, null);
    }

    /** {@code tls}: the client TLS context for an https base URL; null for the JDK's trust store. */
    PkiHttp(URI base, int maxConnections, int maxWaiting, int maxBody, Duration connectTimeout, Duration timeout,
            Duration idleTimeout, SslContext tls) {
        String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException("the pki-service URL must be http:// or https://");
        }
        if (base.getHost() == null) {
            throw new IllegalArgumentException("the pki-service URL has no host");
        }
        boolean https = scheme.equals("https");
        this.base = base;
        String host = base.getHost();
        int port = base.getPort() > 0 ? base.getPort() : https ? 443 : 80;
        this.hostHeader = base.getPort() > 0 ? host + ":" + base.getPort() : host;
        this.maxConnections = maxConnections;
        this.maxWaiting = maxWaiting;
        this.maxBody = maxBody;
        this.timeoutMillis = timeout.toMillis();
        this.idleTimeoutMillis = idleTimeout.toMillis();
        SslContext ssl = null;
        if (https) {
            try {
                ssl = tls != null ? tls : SslContextBuilder.forClient().build();
            } catch (SSLException e) {
                throw new IllegalStateException("cannot set up TLS to pki-service: " + e.getMessage(), e);
            }
        }
        final SslContext sslContext = ssl;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("terminator-pki", true),
                NioIoHandler.newFactory());
        this.loop = group.next();
        String sniHost = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        this.bootstrap = new Bootstrap().group(loop).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, connectTimeout.toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .remoteAddress(sniHost, port)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (sslContext != null) {
                            SslHandler h = sslContext.newHandler(ch.alloc(), sniHost, port);
                            SSLEngine engine = h.engine();
                            SSLParameters p = engine.getSSLParameters();
                            p.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(p);
                            ch.pipeline().addLast(h);
                        }
                        ch.pipeline().addLast(new HttpClientCodec(4096, 16 * 1024, 16 * 1024),
                                new BoundedAggregator(maxBody), new AnswerHandler());
                    }
                });
        long sweep = Math.max(100, Math.min(5_000, idleTimeoutMillis / 2));
        loop.scheduleAtFixedRate(this::closeIdle, sweep, sweep, TimeUnit.MILLISECONDS);
    }

    /**
     * Sends a request: {@code target} is the path and query as they go on the request line (already
     * encoded); {@code body} null for none. Completes on the pool's event loop.
     */
    CompletableFuture<Response> send(HttpMethod method, String target, String authorization, String accept,
                                     String contentType, byte[] body) {
        if (outstanding.incrementAndGet() > maxConnections + maxWaiting) {
            outstanding.decrementAndGet();
            return CompletableFuture.failedFuture(new PkiClient.PkiException(0, null, "too many requests to pki-service waiting"));
        }
        FullHttpRequest req = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, method, target,
                body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(body));
        req.headers().set(HttpHeaderNames.HOST, hostHeader)
                .set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE)
                .set(HttpHeaderNames.CONTENT_LENGTH, body == null ? 0 : body.length);
        if (authorization != null) {
            req.headers().set(HttpHeaderNames.AUTHORIZATION, authorization);
        }
        if (accept != null) {
            req.headers().set(HttpHeaderNames.ACCEPT, accept);
        }
        if (contentType != null && body != null) {
            req.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        }
        Exchange x = new Exchange(req);
        x.result.whenComplete((r, e) -> outstanding.decrementAndGet());
        try {
            loop.execute(() -> dispatch(x));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            fail(x, "the pki-service client is closed");
        }
        return x.result;
    }

    /** Requests accepted and not yet answered (for tests and health). */
    int outstanding() {
        return outstanding.get();
    }

    // --- on the loop ------------------------------------------------------------------------------

    private void dispatch(Exchange x) {
        if (x.result.isDone()) {
            return;
        }
        if (closed) {
            fail(x, "the pki-service client is closed");
            return;
        }
        Channel ch;
        while ((ch = idle.pollFirst()) != null) {
            if (ch.isActive()) {
                write(ch, x);
                return;
            }
        }
        if (all.size() < maxConnections) {
            ChannelFuture f = bootstrap.connect();
            Channel fresh = f.channel();
            fresh.attr(SERVED).set(0);
            all.add(fresh);
            fresh.closeFuture().addListener(c -> connectionGone(fresh));
            f.addListener(c -> {
                if (c.isSuccess()) {
                    write(fresh, x);
                } else {
                    fail(x, "pki-service unreachable at " + base + ": " + simpleName(c.cause()));
                }
            });
            return;
        }
        queue.addLast(x);
    }

    private void write(Channel ch, Exchange x) {
        if (x.result.isDone()) {
            release(ch);
            return;
        }
        ch.attr(CURRENT).set(x);
        x.timer = loop.schedule(() -> {
            if (ch.attr(CURRENT).compareAndSet(x, null)) {
                fail(x, "pki-service did not answer within " + timeoutMillis + " ms");
                ch.close();
            }
        }, timeoutMillis, TimeUnit.MILLISECONDS);
        // retained: a retry on another connection sends the same request again
        ch.writeAndFlush(x.request.retainedDuplicate()).addListener(w -> {
            if (!w.isSuccess() && ch.attr(CURRENT).compareAndSet(x, null)) {
                lost(ch, x, w.cause());
            }
        });
    }

    /** An answer came: complete the exchange, keep or close the connection, serve the next one. */
    private void answered(Channel ch, FullHttpResponse resp) {
        Exchange x = ch.attr(CURRENT).getAndSet(null);
        boolean keep = HttpUtil.isKeepAlive(resp);
        if (x != null) {
            cancelTimer(x);
            x.releaseRequest();
            x.result.complete(new Response(resp.status().code(), resp.content().toString(StandardCharsets.UTF_8)));
        }
        ch.attr(SERVED).set(ch.attr(SERVED).get() + 1);
        if (keep) {
            release(ch);
        } else {
            ch.close();
        }
    }

    private void release(Channel ch) {
        if (!ch.isActive()) {
            return;
        }
        Exchange next;
        while ((next = queue.pollFirst()) != null) {
            if (!next.result.isDone()) {
                write(ch, next);
                return;
            }
        }
        ch.attr(IDLE_SINCE).set(System.nanoTime());
        idle.addFirst(ch); // most recently used first: the others age out
    }

    /** The connection failed or closed while {@code x} was on it. */
    private void lost(Channel ch, Exchange x, Throwable cause) {
        cancelTimer(x);
        Integer served = ch.attr(SERVED).get();
        if (x.idempotent && !x.retried && served != null && served > 0 && !(cause instanceof TooLongFrameException)) {
            x.retried = true; // pki-service closed an idle connection as we reused it: once more on a new one
            ch.close();
            dispatch(x);
            return;
        }
        ch.close();
        if (cause instanceof TooLongFrameException) {
            fail(x, "pki-service answer larger than " + maxBody + " bytes");
        } else {
            fail(x, "pki-service closed the connection before answering" + (cause == null ? "" : " (" + simpleName(cause) + ")"));
        }
    }

    private void connectionGone(Channel ch) {
        all.remove(ch);
        idle.remove(ch);
        Exchange x = ch.attr(CURRENT).getAndSet(null);
        if (x != null) {
            lost(ch, x, null);
        }
        // a slot is free: the first waiting request gets a new connection
        Exchange next;
        while (all.size() < maxConnections && (next = queue.pollFirst()) != null) {
            if (!next.result.isDone()) {
                dispatch(next);
                return;
            }
        }
    }

    private void closeIdle() {
        long now = System.nanoTime();
        for (java.util.Iterator<Channel> it = idle.descendingIterator(); it.hasNext(); ) {
            Channel ch = it.next();
            Long since = ch.attr(IDLE_SINCE).get();
            if (!ch.isActive() || since == null || now - since >= TimeUnit.MILLISECONDS.toNanos(idleTimeoutMillis)) {
                it.remove();
                ch.close();
            }
        }
    }

    private static void cancelTimer(Exchange x) {
        if (x.timer != null) {
            x.timer.cancel(false);
        }
    }

    private void fail(Exchange x, String message) {
        cancelTimer(x);
        x.releaseRequest();
        x.result.completeExceptionally(new PkiClient.PkiException(0, null, message));
    }

    private static String simpleName(Throwable t) {
        return t == null ? "closed" : t.getClass().getSimpleName();
    }

    /**
     * Netty's aggregator closes the connection before it reports an oversized answer, which would read
     * as "closed before answering"; this one reports it first (the connection is closed after).
     */
    private static final class BoundedAggregator extends HttpObjectAggregator {
        BoundedAggregator(int maxBody) {
            super(maxBody);
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, io.netty.handler.codec.http.HttpMessage oversized) {
            throw new TooLongFrameException("answer too large");
        }
    }

    private final class AnswerHandler extends SimpleChannelInboundHandler<FullHttpResponse> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpResponse resp) {
            if (!resp.decoderResult().isSuccess()) {
                exceptionCaught(ctx, resp.decoderResult().cause());
                return;
            }
            answered(ctx.channel(), resp);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Exchange x = ctx.channel().attr(CURRENT).getAndSet(null);
            if (x != null) {
                lost(ctx.channel(), x, cause);
            } else {
                ctx.close();
            }
        }
    }

    /**
     * Waits up to {@code grace} for the calls already made (a drain's session-closed notices, the last
     * security events), then closes every connection and fails what is left; returns once the loop has
     * stopped.
     */
    void close(Duration grace) {
        long deadline = System.nanoTime() + grace.toNanos();
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /** Closes every connection and fails what is waiting; returns once the loop has stopped. */
    @Override
    public void close() {
        try {
            loop.submit(() -> {
                closed = true;
                Exchange x;
                while ((x = queue.pollFirst()) != null) {
                    fail(x, "the pki-service client is closed");
                }
                for (Channel ch : idle) {
                    ch.close();
                }
                idle.clear();
                // in flight: closing their connections fails them (connectionGone), rather than never
                for (Channel ch : new java.util.ArrayList<>(all)) {
                    ch.close();
                }
            }).syncUninterruptibly();
        } catch (RuntimeException e) {
            // the loop is already gone
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}
