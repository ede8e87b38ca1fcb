package io.ocppsec.terminator.proxy;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.OpenSsl;
import io.ocppsec.terminator.Metrics;
import io.ocppsec.terminator.TerminatorConfig;
import io.ocppsec.terminator.session.SessionContext;
import io.ocppsec.terminator.session.StationSession;
import io.ocppsec.terminator.session.Upstream;
import io.ocppsec.terminator.tls.PemFiles;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Opens one upstream WebSocket per station to the operator's CSMS: {@code <upstream>/<stationId>},
 * ws or wss (with its own trust anchors), the station's subprotocol, and its identity asserted in
 * signed headers ({@link IdentityAssertion}). Connections run on the station's event loop, so a
 * proxied message never changes threads. Attempts are paced by a token bucket, and after a failure
 * the upstream counts as down for a back-off period (1 s doubling to 30 s) during which new stations
 * are turned away with 503 rather than admitted and dropped.
 */
public final class UpstreamConnector implements SessionContext.UpstreamFactory {
    private static final long MAX_DOWN_MILLIS = 30_000;

    private final TerminatorConfig config;
    private final IdentityAssertion identity;
    private final Metrics metrics;
    private final SslContext tls;
    private final double ratePerMilli;
    private double tokens;
    private long refilledAt = System.currentTimeMillis();
    private long nextSlot;
    private volatile long downUntil;
    private long downFor = 1000;

    public UpstreamConnector(TerminatorConfig config, IdentityAssertion identity, Metrics metrics) {
        this.config = config;
        this.identity = identity;
        this.metrics = metrics;
        this.ratePerMilli = Math.max(1, config.upstreamConnectRate()) / 1000.0;
        this.tokens = Math.max(1, config.upstreamConnectRate());
        try {
            if ("wss".equalsIgnoreCase(config.upstreamUrl().getScheme())) {
                SslContextBuilder b = SslContextBuilder.forClient()
                        .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
                        .protocols("TLSv1.3", "TLSv1.2");
                if (config.upstreamTrustFile() != null) {
                    b.trustManager(PemFiles.certificates(config.upstreamTrustFile()).toArray(new java.security.cert.X509Certificate[0]));
                }
                tls = b.build();
            } else {
                tls = null;
            }
        } catch (SSLException e) {
            throw new IllegalArgumentException("cannot set up TLS to the upstream: " + e.getMessage(), e);
        }
    }

    /** Whether new stations can be admitted now (the upstream is not known to be down). */
    public boolean available() {
        return System.currentTimeMillis() >= downUntil;
    }

    /** Seconds until the upstream is tried again. */
    public long retryAfterSeconds() {
        return Math.max(1, (downUntil - System.currentTimeMillis() + 999) / 1000);
    }

    @Override
    public Upstream open(StationSession session) {
        UpstreamLink link = new UpstreamLink(session, metrics, config.maxFrameBytes());
        long delay = reserveSlot();
        if (delay <= 0) {
            connect(session, link);
        } else {
            session.channel().eventLoop().schedule(() -> connect(session, link), delay, TimeUnit.MILLISECONDS);
        }
        return link;
    }

    /** Milliseconds to wait before the next attempt may start (token bucket). */
    private synchronized long reserveSlot() {
        long now = System.currentTimeMillis();
        tokens = Math.min(Math.max(1, config.upstreamConnectRate()), tokens + (now - refilledAt) * ratePerMilli);
        refilledAt = now;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        nextSlot = Math.max(nextSlot, now) + (long) Math.ceil(1 / ratePerMilli);
        return nextSlot - now;
    }

    synchronized void failed() {
        metrics.upstreamConnect(false);
        downUntil = System.currentTimeMillis() + downFor;
        downFor = Math.min(MAX_DOWN_MILLIS, downFor * 2);
    }

    synchronized void succeeded() {
        metrics.upstreamConnect(true);
        downFor = 1000;
        downUntil = 0;
    }

    private void connect(StationSession session, UpstreamLink link) {
        if (!session.channel().isActive()) {
            return;
        }
        String station = session.identity().value();
        URI base = config.upstreamUrl();
        String path = base.getRawPath() == null ? "" : base.getRawPath();
        URI target = URI.create(base.getScheme() + "://" + base.getRawAuthority() + (path.endsWith("/") ? path : path + "/")
                + session.identity().toUrlPathSegment());
        HttpHeaders headers = new DefaultHttpHeaders();
        Map<String, String> asserted = identity.headers(station, session.admission().profile(),
                session.admission().clientCertificateSha256(), session.version().subprotocol());
        asserted.forEach(headers::set);
        headers.set("X-Forwarded-For", session.remote().replaceFirst(":\\d+$", ""));
        WebSocketClientHandshaker handshaker = WebSocketClientHandshakerFactory.newHandshaker(target, WebSocketVersion.V13,
                session.version().subprotocol(), true, headers, config.maxFrameBytes());
        int port = target.getPort() > 0 ? target.getPort() : (tls != null ? 443 : 80);
        new Bootstrap().group(session.channel().eventLoop()).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 5000)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc(), target.getHost(), port));
                        }
                        ch.pipeline().addLast(new HttpClientCodec(4096, 8192, 8192),
                                new HttpObjectAggregator(8192),
                                WebSocketClientCompressionHandler.INSTANCE,
                                link.handler(handshaker, UpstreamConnector.this));
                    }
                })
                .connect(target.getHost(), port).addListener(f -> {
                    if (!f.isSuccess()) {
                        failed();
                        link.connectFailed("upstream CSMS unavailable");
                    }
                });
    }
}
