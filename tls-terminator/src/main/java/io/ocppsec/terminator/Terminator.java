package io.ocppsec.terminator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.terminator.actions.ActionHandler;
import io.ocppsec.terminator.actions.DelegatedHandler;
import io.ocppsec.terminator.actions.SecurityActions;
import io.ocppsec.terminator.actions.SecurityEventNotificationHandler;
import io.ocppsec.terminator.actions.SignCertificateHandler;
import io.ocppsec.terminator.control.ControlServer;
import io.ocppsec.terminator.pki.PkiClient;
import io.ocppsec.terminator.proxy.IdentityAssertion;
import io.ocppsec.terminator.proxy.UpstreamConnector;
import io.ocppsec.terminator.session.SessionContext;
import io.ocppsec.terminator.session.Sessions;
import io.ocppsec.terminator.session.StationSession;
import io.ocppsec.terminator.standalone.StandaloneCsms;
import io.ocppsec.terminator.tls.PemFiles;
import io.ocppsec.terminator.tls.ServerCertificateRenewer;
import io.ocppsec.terminator.tls.ServerTls;
import io.ocppsec.terminator.tls.StationTrust;
import io.ocppsec.terminator.upgrade.AcceptGate;
import io.ocppsec.terminator.upgrade.FailureLimiter;
import io.ocppsec.terminator.upgrade.StationAdmission;
import io.ocppsec.terminator.upgrade.StationChannelInitializer;
import io.ocppsec.terminator.upgrade.TlsObserver;
import io.ocppsec.terminator.upgrade.UpgradeHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The TLS terminator: wires the listeners, the station sessions, the upstream (a CSMS or standalone
 * mode), the security actions and the control API, and runs the periodic work (certificate and
 * trust-anchor reload, security-event delivery). {@link #stop()} drains: it stops accepting,
 * closes every station with 1001 (Going Away) and waits up to {@code drain-timeout} for them to go.
 */
public final class Terminator implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Terminator.class);

    private final TerminatorConfig config;
    private final Metrics metrics = new Metrics();
    private final SecurityEvents events = new SecurityEvents(metrics);
    private final Sessions sessions = new Sessions();
    private final JsonMapper json = OcppJson.standard().mapper();
    private final StationTrust trust = new StationTrust();
    private final EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final EventLoopGroup workers = new MultiThreadIoEventLoopGroup(0, NioIoHandler.newFactory());
    /**
     * The control API, health and metrics on their own thread: under a reconnect storm the station
     * event loops are busy with handshakes, and /health took seconds to answer on them.
     */
    private final EventLoopGroup controlLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private volatile ServerCertificateRenewer renewer;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "terminator-scheduler"));
    private final ThreadPoolExecutor hashing = new ThreadPoolExecutor(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
            Math.max(1, Runtime.getRuntime().availableProcessors() / 2), 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(256),
            r -> daemon(r, "terminator-argon2"));
    private final List<Channel> listeners = new ArrayList<>();
    private final String controlToken;
    private final Registry registry = new Registry();
    private PkiClient pki;
    private ServerTls tls;
    private AcceptGate gate;
    private ControlServer control;
    private UpstreamConnector upstream;
    private StationAdmission admission;
    private int wssPort = -1;
    private int wsPort = -1;
    private int controlPort = -1;
    private volatile boolean registered;
    private volatile boolean trustLoaded;
    private volatile boolean stopping;

    public Terminator(TerminatorConfig config) {
        this.config = config;
        byte[] t = new byte[32];
        new SecureRandom().nextBytes(t);
        this.controlToken = Base64.getUrlEncoder().withoutPadding().encodeToString(t);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    /** Starts listening; returns once the listeners are bound (pki-service may come later). */
    public Terminator start() throws InterruptedException {
        pki = new PkiClient(config.pkiUrl(), PkiClient.readToken(config.pkiTokenFile()));
        if (config.serverCertificatesFromPki()) {
            renewer = new ServerCertificateRenewer(config.tlsDirectory(), pki, config.serverNames());
            renewer.atStart(java.time.Duration.ofSeconds(30));
        }
        tls = new ServerTls(config.tlsDirectory(), trust, config.forwardSecrecyOnly(), config.tlsProvider());
        if (config.stationCaFile() != null) {
            trust.setAnchors(PemFiles.certificates(config.stationCaFile()));
        }
        FailureLimiter ipFailures = new FailureLimiter(config.failureThreshold() * 10, config.backoffMax().toMillis(), 100_000);
        FailureLimiter stationFailures = new FailureLimiter(config.failureThreshold(), config.backoffMax().toMillis(), 100_000);
        gate = new AcceptGate(config.maxPendingPerIp(), config.maxHandshakes(), config.acceptRate(), ipFailures, metrics, events);
        admission = new StationAdmission(pki, hashing, config.allowOcpp16(), trust::issuerOf);
        List<ActionHandler> handlers = List.of(
                new SignCertificateHandler(pki),
                new SecurityEventNotificationHandler(events, config.forwardSecurityEvents()),
                new DelegatedHandler("GetCertificateStatus", "/api/v1/ocsp/certificate-status", pki, DelegatedHandler::certificateStatusFailed),
                new DelegatedHandler("GetCertificateChainStatus", "/api/v1/ocsp/chain-status", pki, DelegatedHandler::chainStatusFailed),
                new DelegatedHandler("Get15118EVCertificate", "/api/v1/pnc/ev-certificate", pki, DelegatedHandler::evCertificateFailed));
        SecurityActions actions = new SecurityActions(handlers, config.interceptSecurity(), metrics);
        SessionContext.UpstreamFactory upstreams;
        if (config.proxied()) {
            upstream = new UpstreamConnector(config, new IdentityAssertion(identityKey(config.identityKeyFile())), metrics);
            upstreams = upstream;
        } else {
            int interval = (int) Math.max(1, config.heartbeatInterval().toSeconds());
            upstreams = session -> new StandaloneCsms(session, interval);
        }
        SessionContext context = new SessionContext(config, metrics, events, sessions, actions, upstreams, registry, json);

        StationChannelInitializer.TlsObserverFactory observers = () -> new TlsObserver(tls.policy(), metrics, events, ipFailures);
        long hs = config.handshakeTimeout().toMillis();
        wssPort = bind(config.wssHost(), config.wssPort(), new StationChannelInitializer(tls, observers, gate,
                () -> new UpgradeHandler(true, admission, ipFailures, stationFailures, gate, context, upstream), hs, config.maxFrameBytes()));
        if (config.wsPort() >= 0) {
            wsPort = bind(config.wssHost(), config.wsPort(), new StationChannelInitializer(null, observers, gate,
                    () -> new UpgradeHandler(false, admission, ipFailures, stationFailures, gate, context, upstream), hs, config.maxFrameBytes()));
            log.warn("the plain ws listener for security profile 1 is open on port {}: passwords cross the network unencrypted", wsPort);
        }
        control = new ControlServer(sessions, metrics, controlToken, this::health, json);
        controlPort = control.start(controlLoop, controlLoop, config.controlHost(), config.controlPort());

        scheduler.scheduleWithFixedDelay(this::refresh, 0, Math.max(1, config.reloadInterval().toMillis()), TimeUnit.MILLISECONDS);
        scheduler.scheduleWithFixedDelay(() -> events.flush(pki), 1, 1, TimeUnit.SECONDS);
        if (renewer != null) {
            // The same thread as refresh(): a reload never sees a new key beside an old certificate.
            long every = Math.max(1, Math.min(60_000, config.reloadInterval().toMillis()));
            scheduler.scheduleWithFixedDelay(() -> {
                if (renewer.renewDue()) {
                    tls.reloadIfChanged();
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
        log.info("terminator {} listening: wss on {}{}, control on {}:{}, {} (TLS: {})", config.terminatorId(), wssPort,
                wsPort >= 0 ? ", ws on " + wsPort : "", config.controlHost(), controlPort,
                config.proxied() ? "proxying to " + config.upstreamUrl() : "standalone (no CSMS configured)", tls.provider());
        return this;
    }

    private int bind(String host, int port, StationChannelInitializer init) throws InterruptedException {
        Channel ch = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, config.acceptBacklog())
                .handler(new io.netty.channel.ChannelInitializer<io.netty.channel.Channel>() {
                    @Override
                    protected void initChannel(io.netty.channel.Channel listener) {
                        listener.pipeline().addLast(gate.listenerSide(), new AcceptErrors());
                    }
                })
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(init).bind(host, port).sync().channel();
        listeners.add(ch);
        gate.addListener(ch);
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    /** An accept that fails (typically: no file descriptors left) pauses accepting for a second; logged at most every 10 s. */
    @io.netty.channel.ChannelHandler.Sharable
    private final class AcceptErrors extends io.netty.channel.ChannelInboundHandlerAdapter {
        private volatile long lastLog;

        @Override
        public void exceptionCaught(io.netty.channel.ChannelHandlerContext ctx, Throwable cause) {
            metrics.refused("ACCEPT_FAILED");
            gate.acceptFailed(ctx.channel());
            long now = System.currentTimeMillis();
            if (now - lastLog > 10_000) {
                lastLog = now;
                log.warn("accepting connections failed ({}); pausing accepts for a second", cause.getMessage());
            }
        }
    }

    /** Reloads server certificates and trust anchors; registers with pki-service until it has worked. */
    private void refresh() {
        try {
            tls.reloadIfChanged();
            pki.stationCas().thenAccept(cas -> {
                List<X509Certificate> all = new ArrayList<>(cas);
                if (config.stationCaFile() != null) {
                    all.addAll(PemFiles.certificates(config.stationCaFile()));
                }
                if (!all.equals(trust.anchors())) {
                    trust.setAnchors(all);
                    tls.rebuild();
                    log.info("client-certificate trust anchors: {} station CA(s)", all.size());
                }
                trustLoaded = true;
            }).exceptionally(e -> {
                if (!trustLoaded) {
                    log.warn("station CAs not loaded from pki-service yet ({}); profile-3 stations cannot connect until they are",
                            e.getMessage());
                } else {
                    log.debug("station CAs not refreshed: {}", e.getMessage());
                }
                return null;
            });
            if (!registered) {
                String url = "http://" + (config.controlHost().equals("0.0.0.0") ? "127.0.0.1" : config.controlHost()) + ":" + controlPort;
                pki.registerInstance(config.terminatorId(), url, controlToken).thenRun(() -> {
                    registered = true;
                    log.info("registered with pki-service at {} as {}", config.pkiUrl(), config.terminatorId());
                    for (StationSession s : sessions.all()) {
                        registry.opened(s); // the stations that came before the registration
                    }
                }).exceptionally(e -> {
                    log.info("not registered with pki-service yet: {}", e.getMessage());
                    return null;
                });
            }
        } catch (RuntimeException e) {
            log.warn("refresh failed: {}", e.getMessage());
        }
    }

    /** Tells pki-service which stations are held here (best effort; re-sent after registration). */
    private final class Registry implements SessionContext.StationRegistry {
        @Override
        public void opened(StationSession s) {
            if (!registered) {
                return;
            }
            pki.sessionOpened(s.identity().value(), config.terminatorId(), s.admission().profile(), s.version().subprotocol(),
                    s.admission().clientCertificateSha256(), s.remote()).exceptionally(e -> {
                        log.warn("station {}: session not registered with pki-service: {}", s.identity().value(), e.getMessage());
                        return null;
                    });
        }

        @Override
        public void closed(StationSession s) {
            if (!registered || stopping) {
                return;
            }
            pki.sessionClosed(s.identity().value(), config.terminatorId()).exceptionally(e -> null);
        }
    }

    /** The event loops stations are served on (tests block them to stand in for loops busy with handshakes). */
    EventLoopGroup stationLoops() {
        return workers;
    }

    private ObjectNode health() {
        ObjectNode h = json.createObjectNode();
        boolean up = !stopping && trustLoaded;
        h.put("status", stopping ? "DRAINING" : up ? "UP" : "STARTING");
        h.put("terminatorId", config.terminatorId());
        h.put("mode", config.proxied() ? "proxy" : "standalone");
        h.put("tls", tls.provider().name());
        h.put("connections", metrics.connections());
        h.put("registeredWithPki", registered);
        h.put("stationCas", trust.anchors().size());
        h.put("securityEventsQueued", events.queued());
        h.put("acceptPauses", gate.acceptPauses());
        h.put("handshakesInProgress", metrics.pending().get());
        h.put("handshakesInProgressPeak", metrics.pendingPeak());
        if (upstream != null) {
            h.put("upstream", upstream.available() ? "up" : "down");
        }
        if (renewer != null && renewer.earliestNotAfter() != null) {
            h.put("serverCertificateNotAfter", renewer.earliestNotAfter().toString());
        }
        return h;
    }

    /** Reads the shared identity key, creating one (32 random bytes, base64, mode 0600) when absent. */
    static byte[] identityKey(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                Files.createDirectories(file.toAbsolutePath().getParent());
                Files.writeString(file, Base64.getEncoder().encodeToString(k) + "\n", StandardOpenOption.CREATE_NEW);
                try {
                    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
                } catch (UnsupportedOperationException ignored) {
                    // not a POSIX file system
                }
                log.info("created the upstream identity key {}: give the CSMS the same key to check the identity headers", file);
            }
            return Base64.getDecoder().decode(Files.readString(file).trim());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot read the identity key " + file + " (base64, at least 32 bytes)");
        }
    }

    public int wssPort() {
        return wssPort;
    }

    public int wsPort() {
        return wsPort;
    }

    public int controlPort() {
        return controlPort;
    }

    public String controlToken() {
        return controlToken;
    }

    public Metrics metrics() {
        return metrics;
    }

    public SecurityEvents events() {
        return events;
    }

    public Sessions sessions() {
        return sessions;
    }

    public ServerTls tls() {
        return tls;
    }

    public StationTrust trust() {
        return trust;
    }

    /** Whether the station CAs have been loaded from pki-service. */
    public boolean trustLoaded() {
        return trustLoaded;
    }

    /** Drains and stops. */
    public void stop() {
        if (stopping) {
            return;
        }
        stopping = true;
        for (Channel l : listeners) {
            l.close().syncUninterruptibly();
        }
        for (StationSession s : sessions.all()) {
            s.close(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE.code(), "terminator shutting down");
        }
        long deadline = System.nanoTime() + config.drainTimeout().toNanos();
        while (sessions.size() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        events.flush(pki);
        if (control != null) {
            control.stop();
        }
        scheduler.shutdownNow();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        controlLoop.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        if (pki != null) {
            pki.close();
        }
        hashing.shutdownNow();
        log.info("terminator stopped");
    }

    @Override
    public void close() {
        stop();
    }
}
