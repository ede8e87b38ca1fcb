package io.ocppsec.simulator;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.WebSocketExtensionDecoder;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.ScheduledFuture;
import io.ocppsec.ocpp.OcppJson;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.BootNotificationRequest;
import io.ocppsec.ocpp.message.BootNotificationResponse;
import io.ocppsec.ocpp.message.CertificateSignedRequest;
import io.ocppsec.ocpp.message.CertificateSignedResponse;
import io.ocppsec.ocpp.message.Decoded;
import io.ocppsec.ocpp.message.InvalidMessageException;
import io.ocppsec.ocpp.message.OcppActions;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.message.OcppResponse;
import io.ocppsec.ocpp.message.SecurityEventNotificationRequest;
import io.ocppsec.ocpp.message.SecurityEventNotificationResponse;
import io.ocppsec.ocpp.message.SignCertificateRequest;
import io.ocppsec.ocpp.message.SignCertificateResponse;
import io.ocppsec.ocpp.message.type.BootReason;
import io.ocppsec.ocpp.message.type.CertificateSignedStatus;
import io.ocppsec.ocpp.message.type.CertificateSigningUse;
import io.ocppsec.ocpp.message.type.ChargingStation;
import io.ocppsec.ocpp.message.type.GenericStatus;
import io.ocppsec.ocpp.message.type.InstallCertificateUse;
import io.ocppsec.ocpp.message.type.RegistrationStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.FrameWriter;
import io.ocppsec.ocpp.rpc.MessageIds;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcErrorCode;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.ocpp.rpc.RpcLimits;
import io.ocppsec.ocpp.schema.OcppDateTime;
import io.ocppsec.ocpp.schema.Violation;
import io.ocppsec.security.cert.PemCertificates;
import io.ocppsec.security.event.SecurityEventType;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A simulated OCPP 2.0.1/2.1 Charging Station over a real WebSocket.
 *
 * <p><b>Two ways to drive it.</b> {@link #start()} runs the whole life of a station: connect with
 * the configured profile, BootNotification, enroll a certificate when the plan says so, reconnect
 * with profile 3 presenting it, boot again, then stay online with heartbeats, reconnecting with
 * back-off when the connection drops. Or drive it step by step, for tests: {@link #connect(int)},
 * {@link #bootNotification(BootReason)}, {@link #heartbeat()}, {@link #enroll()}, {@link #call},
 * {@link #disconnect()}. Do not mix the two on one station.
 *
 * <p><b>Threads.</b> A station is bound to one event loop of the group it is given and does all its
 * work there; there is no thread per station, so thousands share a small group. Every method may
 * be called from any thread and returns at once; the futures complete on the station's loop (so
 * do not block in their callbacks; use the {@code *Async} stages or join from another thread).
 * Events reach the {@link StationListener} on that loop, in order.
 *
 * <p><b>OCPP rules kept.</b> At most one CALL of the station is outstanding at a time (OCPP-J
 * §4.1.1): further CALLs wait in a queue; each has a timeout, after which the next may go. Every
 * CALL and every response the station sends is checked against the schema rules of the
 * negotiated version before it is written. CALLs of the CSMS are answered by one handler per
 * action; the rest gets CALLERROR NotSupported (an OCPP action the simulator does not implement)
 * or NotImplemented (not an OCPP action). Incoming messages are bounded by
 * {@link SimulatorConfig#maxFrameBytes()}, also after permessage-deflate; a larger one closes
 * the connection with 1009.
 */
public final class SimulatedStation implements AutoCloseable {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final int MAX_HTTP_RESPONSE = 64 * 1024;
    private static final Duration DEFAULT_RETRY = Duration.ofSeconds(10);
    private static final String HEARTBEAT = "Heartbeat";
    /** How long a closing connection waits for the CSMS to close the TCP connection. */
    private static final long LINGER_MILLIS = 2000;

    private final SimulatorConfig config;
    private final StationListener listener;
    private final EventLoopGroup group;
    private final boolean ownsGroup;
    private final EventLoop loop;
    private final SslContext sharedTrust;
    private final StationState state;
    /** Thread-safe and shared: random UUIDs, unique across stations and connections. */
    private static final MessageIds.Generator IDS = new MessageIds.Generator();
    /** One Jackson configuration per frame bound, shared by all stations (a mapper is costly to build). */
    private static final java.util.concurrent.ConcurrentHashMap<Integer, OcppJson> JSON_BY_LIMIT =
            new java.util.concurrent.ConcurrentHashMap<>();
    private final OcppJson json;
    private final Context context = new Context();
    private final CompletableFuture<Void> stopped = new CompletableFuture<>();

    // ---- confined to the loop
    private volatile Link link;
    private Enrollment enrollment;
    private int nextRequestId = 1;
    private SslContext profile2Context;
    private List<X509Certificate> profile2Trust;
    private SslContext profile3Context;
    private StationCredentials profile3Credentials;
    private List<X509Certificate> profile3Trust;
    private boolean running;
    private boolean closing;
    private CompletableFuture<Session> online;
    private int planId;
    private boolean planActive;
    private boolean switching;
    private int attempt;
    private ScheduledFuture<?> reconnectTask;

    private SimulatedStation(Builder b) {
        this.config = b.config;
        this.listener = b.listener;
        if (b.group != null) {
            this.group = b.group;
            this.ownsGroup = false;
        } else {
            this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            this.ownsGroup = true;
        }
        this.loop = group.next();
        this.sharedTrust = b.serverTrust;
        this.state = b.state != null ? b.state
                : config.stateDirectory() == null ? StationState.inMemory() : StationState.inDirectory(config.stateDirectory());
        if (state.credentials().isEmpty() && config.clientKey() != null) {
            state.storeCredentials(new StationCredentials(config.clientKey(), config.clientChain()));
        }
        this.json = JSON_BY_LIMIT.computeIfAbsent(config.maxFrameBytes(),
                max -> OcppJson.withLimits(RpcLimits.DEFAULT.withMaxFrameBytes(max)));
    }

    /** A builder for a station with this configuration. */
    public static Builder builder(SimulatorConfig config) {
        return new Builder(config);
    }

    /** A station on its own one-thread event loop group (closed with the station), reporting to {@code listener}. */
    public static SimulatedStation create(SimulatorConfig config, StationListener listener) {
        return builder(config).listener(listener).build();
    }

    public SimulatorConfig config() {
        return config;
    }

    /** Its memory: enrolled key and chain, the password the CSMS set, installed roots. */
    public StationState state() {
        return state;
    }

    /** The event loop the station runs on. */
    public EventLoop eventLoop() {
        return loop;
    }

    /** The open connection, if any (read on the station's loop; from elsewhere a snapshot). */
    public Optional<Session> session() {
        Link l = link;
        return l == null || !l.open ? Optional.empty() : Optional.ofNullable(l.session);
    }

    /** Completes when the station has stopped: {@link #close()}, or {@link #start()} gave up. */
    public CompletableFuture<Void> stopped() {
        return stopped;
    }

    // ==================================================================== the whole life

    /**
     * Runs the station: connects with the configured profile (or with profile 3 right away when the
     * plan is to move there and a certificate is stored), sends BootNotification until Accepted,
     * enrolls when the plan moves to profile 3 and no certificate is stored, reconnects with
     * profile 3, boots there, then stays online with heartbeats until {@link #close()}. With
     * {@link SimulatorConfig#reconnect()} failures and drops are retried with exponential back-off
     * (with jitter); without it the first failure stops the station.
     *
     * @return completes with the session once the station is online on its final profile (booted);
     *         fails when the station stops before that
     */
    public CompletableFuture<Session> start() {
        CompletableFuture<Session> f = new CompletableFuture<>();
        loop.execute(() -> {
            if (closing) {
                f.completeExceptionally(new SimulatorException.NotConnected("the station is closed"));
                return;
            }
            if (!running) {
                running = true;
                online = new CompletableFuture<>();
                runPlan();
            }
            online.whenComplete((s, e) -> complete(f, s, e));
        });
        return f;
    }

    /** The profile the plan connects with now. */
    private int plannedProfile() {
        if (config.securityProfile() == 3 || (config.upgradeToProfile3() && state.credentials().isPresent())) {
            return 3;
        }
        return config.securityProfile();
    }

    private void runPlan() {
        if (!running || closing) {
            return;
        }
        int id = ++planId;
        planActive = true;
        int profile = plannedProfile();
        CompletableFuture<Session> connected = connectNow(profile);
        connected
                .thenCompose(s -> bootUntilAccepted(BootReason.PowerUp))
                .thenCompose(b -> {
                    if (link != null && link.profile < 3 && config.upgradeToProfile3() && state.credentials().isEmpty()) {
                        return enrollNow().thenApply(chain -> b);
                    }
                    return CompletableFuture.completedFuture(b);
                })
                .whenComplete((b, err) -> {
                    if (id != planId) {
                        return; // superseded (the connection closed meanwhile)
                    }
                    planActive = false;
                    if (err != null) {
                        planFailed(unwrap(err));
                        return;
                    }
                    if (plannedProfile() != link.profile) {
                        switching = true;
                        link.close(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "reconnecting with security profile "
                                + plannedProfile());
                        return;
                    }
                    attempt = 0;
                    emit(new StationEvent.Online(link.session));
                    online.complete(link.session);
                });
    }

    private void planFailed(Throwable cause) {
        emit(new StationEvent.Error(describe(cause), cause));
        if (!config.reconnect()) {
            stopWith(cause);
            return;
        }
        if (link != null && link.channel.isActive()) {
            link.close(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "retrying"); // onClosed schedules the retry
        } else {
            scheduleReconnect();
        }
    }

    private void scheduleReconnect() {
        if (!running || closing || (reconnectTask != null && !reconnectTask.isDone())) {
            return;
        }
        long min = config.reconnectMinDelay().toMillis();
        long max = config.reconnectMaxDelay().toMillis();
        long base = min << Math.min(attempt, 20);
        long delay = Math.min(max, base <= 0 ? max : base);
        delay = Math.max(1, delay - ThreadLocalRandom.current().nextLong(delay / 5 + 1)); // up to 20% less: spreads a fleet
        attempt++;
        emit(new StationEvent.Reconnecting(Duration.ofMillis(delay), attempt));
        reconnectTask = loop.schedule(() -> {
            reconnectTask = null;
            runPlan();
        }, delay, TimeUnit.MILLISECONDS);
    }

    private void stopWith(Throwable cause) {
        running = false;
        if (online != null) {
            online.completeExceptionally(cause);
        }
        if (link != null && link.channel.isActive()) {
            link.close(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "stopping");
        }
        finish("failed: " + describe(cause));
    }

    // ==================================================================== steps

    /**
     * Opens a connection with {@code securityProfile}: TCP, TLS for 2 and 3 (with the stored client
     * certificate for 3), the WebSocket upgrade offering the configured subprotocols, Basic auth for
     * 1 and 2 (the stored password, else the configured one).
     *
     * @return the session once the WebSocket is open; fails with {@link SimulatorException.UpgradeRefused}
     *         for an HTTP refusal, or the TLS or socket error
     */
    public CompletableFuture<Session> connect(int securityProfile) {
        return onLoop(() -> connectNow(securityProfile));
    }

    /** Sends BootNotification with {@code reason} (one attempt; {@link #start()} retries Pending and Rejected). */
    public CompletableFuture<BootNotificationResponse> bootNotification(BootReason reason) {
        return onLoop(() -> bootNow(reason));
    }

    /** Sends a Heartbeat; completes with the CSMS's time. */
    public CompletableFuture<OffsetDateTime> heartbeat() {
        return onLoop(this::heartbeatNow);
    }

    /**
     * Enrolls (A02/A03): a new P-256 key, a CSR with CN = serial number (and O = organization when
     * configured), SignCertificate {csr, ChargingStationCertificate} (with a requestId in 2.1); then
     * waits for the CSMS's CertificateSigned, checks the chain (the leaf must carry the new key,
     * every certificate be valid now and signed by the next), answers Accepted or Rejected and
     * stores key and chain in the state.
     *
     * @return the stored chain, leaf first; fails with {@link SimulatorException.EnrollmentFailed}
     *         when the CSR is Rejected, the chain is refused or CertificateSigned does not come in time
     */
    public CompletableFuture<List<X509Certificate>> enroll() {
        return onLoop(this::enrollNow);
    }

    /**
     * Sends any CALL as JSON (for actions without a typed message, or deliberately odd payloads);
     * queued behind an outstanding CALL. The payload is sent as given, without a schema check.
     *
     * @return the CALLRESULT payload; fails with {@link SimulatorException.CallError},
     *         {@link SimulatorException.CallTimeout} or {@link SimulatorException.NotConnected}
     */
    public CompletableFuture<ObjectNode> call(String action, ObjectNode payload) {
        return onLoop(() -> callNow(action, payload));
    }

    /**
     * Sends a typed CALL (encoded and checked against the negotiated version's rules) and reads the
     * answer as {@code responseType} (checked too).
     */
    public <R extends OcppResponse> CompletableFuture<R> call(OcppRequest request, Class<R> responseType) {
        return onLoop(() -> callNow(request, responseType));
    }

    /**
     * Closes the connection with 1000 and ends what {@link #start()} runs (no reconnection follows;
     * call {@link #start()} again to resume).
     */
    public CompletableFuture<Void> disconnect() {
        return onLoop(() -> {
            running = false;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            if (online != null && !online.isDone()) {
                online.completeExceptionally(new SimulatorException.NotConnected("disconnected"));
            }
            Link l = link;
            if (l == null || !l.channel.isActive()) {
                return CompletableFuture.completedFuture(null);
            }
            l.close(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "disconnect");
            return l.closed;
        });
    }

    /**
     * Stops the station: no more reconnection, the connection closed with 1000, timers cancelled,
     * and the event loop group shut down when the station made its own. Waits up to 5 seconds.
     */
    @Override
    public void close() {
        if (loop.isShuttingDown()) {
            return; // closed before (its own group), or the shared group is going away
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Runnable stop = () -> {
            closing = true;
            running = false;
            if (reconnectTask != null) {
                reconnectTask.cancel(false);
            }
            if (online != null && !online.isDone()) {
                online.completeExceptionally(new SimulatorException.NotConnected("the station was closed"));
            }
            if (enrollment != null) {
                enrollment.fail(new SimulatorException.EnrollmentFailed("the station was closed"));
            }
            Link l = link;
            if (l != null && l.channel.isActive()) {
                l.close(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "station stopped");
                l.closed.whenComplete((v, e) -> done.complete(null));
            } else {
                done.complete(null);
            }
        };
        if (loop.inEventLoop()) {
            // called from a listener or a callback: cannot wait for the loop it runs on
            stop.run();
            done.whenComplete((v, e) -> finish("closed"));
            if (ownsGroup) {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
            }
            return;
        }
        loop.execute(stop);
        try {
            done.get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // closed as far as it could be
        }
        loop.execute(() -> finish("closed"));
        if (ownsGroup) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private void finish(String reason) {
        if (!stopped.isDone()) {
            emit(new StationEvent.Stopped(reason));
            stopped.complete(null);
        }
    }

    // ==================================================================== connect

    private CompletableFuture<Session> connectNow(int profile) {
        if (profile < 1 || profile > 3) {
            return failed(new IllegalArgumentException("security profile must be 1, 2 or 3"));
        }
        if (closing) {
            return failed(new SimulatorException.NotConnected("the station is closed"));
        }
        if (link != null && link.channel.isActive()) {
            return failed(new IllegalStateException("already connected; disconnect first"));
        }
        URI url = config.stationUrl();
        boolean tls = url.getScheme().equalsIgnoreCase("wss");
        if ((profile == 1) == tls) {
            return failed(new IllegalArgumentException("security profile " + profile + " cannot use " + url.getScheme()
                    + "://"));
        }
        HttpHeaders headers = new DefaultHttpHeaders();
        SslContext ssl = null;
        try {
            if (profile < 3) {
                headers.set(HttpHeaderNames.AUTHORIZATION, basicAuthorization());
            }
            if (tls) {
                ssl = profile == 3 ? profile3Context() : profile2Context();
            }
        } catch (RuntimeException e) {
            return failed(e);
        }
        emit(new StationEvent.Connecting(profile, url));
        Link l = new Link(profile, url);
        link = l;
        int port = url.getPort() > 0 ? url.getPort() : tls ? 443 : 80;
        SslContext sslContext = ssl;
        WebSocketClientProtocolConfig ws = WebSocketClientProtocolConfig.newBuilder()
                .webSocketUri(url)
                .version(WebSocketVersion.V13)
                .subprotocol(offered())
                .allowExtensions(config.compression())
                .customHeaders(headers)
                .maxFramePayloadLength(config.maxFrameBytes())
                .handleCloseFrames(false)
                .sendCloseFrame(null)
                .dropPongFrames(true)
                .handshakeTimeoutMillis(config.connectTimeout().toMillis())
                .generateOriginHeader(false)
                .absoluteUpgradeUrl(false)
                .build();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (sslContext != null) {
                            SslHandler h = sslContext.newHandler(ch.alloc(), url.getHost(), port);
                            h.setHandshakeTimeoutMillis(config.connectTimeout().toMillis());
                            p.addLast("tls", h);
                        }
                        p.addLast("http", new HttpClientCodec());
                        p.addLast("http-aggregator", new HttpObjectAggregator(MAX_HTTP_RESPONSE));
                        if (config.compression()) {
                            p.addLast("permessage-deflate", new WebSocketClientCompressionHandler(config.maxFrameBytes()));
                        }
                        p.addLast("websocket", new WebSocketClientProtocolHandler(ws));
                        p.addLast("ws-aggregator", new WebSocketFrameAggregator(config.maxFrameBytes()));
                        p.addLast("ocpp", l.handler);
                    }
                });
        io.netty.channel.ChannelFuture connecting = b.connect(url.getHost(), port);
        l.channel = connecting.channel();
        l.channel.closeFuture().addListener(f -> onClosed(l));
        connecting.addListener((ChannelFutureListener) f -> {
            if (!f.isSuccess()) {
                l.connectFailed(f.cause());
            }
        });
        ScheduledFuture<?> deadline = loop.schedule(() -> {
            if (!l.opened.isDone()) {
                l.connectFailed(new SimulatorException.NotConnected("no WebSocket within "
                        + config.connectTimeout().toMillis() + " ms"));
            }
        }, config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS);
        l.opened.whenComplete((s, e) -> deadline.cancel(false));
        return l.opened;
    }

    private String offered() {
        StringJoiner j = new StringJoiner(",");
        for (OcppVersion v : config.subprotocols()) {
            j.add(v.subprotocol());
        }
        return j.toString();
    }

    /** {@code Basic base64(identity:password)} with the password as UTF-8 (A00.FR.205). */
    private String basicAuthorization() {
        char[] password = state.password().orElseGet(config::password);
        if (password == null) {
            throw new IllegalStateException("security profiles 1 and 2 need a Basic-auth password; none is configured");
        }
        char[] userPass = new char[config.identity().length() + 1 + password.length];
        config.identity().getChars(0, config.identity().length(), userPass, 0);
        userPass[config.identity().length()] = ':';
        System.arraycopy(password, 0, userPass, config.identity().length() + 1, password.length);
        ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(userPass));
        byte[] raw = new byte[bytes.remaining()];
        bytes.get(raw);
        try {
            return "Basic " + Base64.getEncoder().encodeToString(raw);
        } finally {
            Arrays.fill(password, '\0');
            Arrays.fill(userPass, '\0');
            Arrays.fill(raw, (byte) 0);
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
        }
    }

    private SslContext profile2Context() {
        List<X509Certificate> trust = trustAnchors();
        if (sharedTrust != null && trust.size() == config.trustAnchors().size()) {
            return sharedTrust;
        }
        if (profile2Context == null || !trust.equals(profile2Trust)) {
            profile2Context = StationTls.sharedClientContext(trust, config.verifyHostname());
            profile2Trust = trust;
        }
        return profile2Context;
    }

    private SslContext profile3Context() {
        StationCredentials c = state.credentials().orElseThrow(() -> new IllegalStateException(
                "security profile 3 needs a client certificate: none is stored in the state or configured"));
        List<X509Certificate> trust = trustAnchors();
        if (profile3Context == null || c != profile3Credentials || !trust.equals(profile3Trust)) {
            profile3Context = StationTls.clientContext(trust, c, config.verifyHostname());
            profile3Credentials = c;
            profile3Trust = trust;
        }
        return profile3Context;
    }

    /** The configured CSMS roots and the ones installed with InstallCertificate. */
    private List<X509Certificate> trustAnchors() {
        List<X509Certificate> trust = new ArrayList<>(config.trustAnchors());
        for (InstalledCertificate i : state.installed()) {
            if (i.type() == InstallCertificateUse.CSMSRootCertificate && !trust.contains(i.certificate())) {
                trust.add(i.certificate());
            }
        }
        return trust;
    }

    private void onOpen(Link l, ChannelHandlerContext ctx) {
        WebSocketClientProtocolHandler ws = ctx.pipeline().get(WebSocketClientProtocolHandler.class);
        String chosen = ws == null ? null : ws.handshaker().actualSubprotocol();
        Optional<OcppVersion> version = OcppVersion.fromSubprotocol(chosen);
        if (version.isEmpty() || !config.subprotocols().contains(version.get())) {
            l.connectFailed(new SimulatorException.NotConnected("the CSMS chose subprotocol '" + chosen
                    + "', which was not offered"));
            return;
        }
        String protocol = null;
        String cipher = null;
        boolean clientCert = false;
        SslHandler ssl = ctx.pipeline().get(SslHandler.class);
        if (ssl != null) {
            SSLSession s = ssl.engine().getSession();
            protocol = s.getProtocol();
            cipher = s.getCipherSuite();
            clientCert = s.getLocalCertificates() != null && s.getLocalCertificates().length > 0;
        }
        boolean compression = false;
        for (var e : ctx.pipeline()) {
            compression |= e.getValue() instanceof WebSocketExtensionDecoder;
        }
        l.version = version.get();
        l.codec = OcppCodec.of(l.version);
        l.reader = new FrameReader(l.version, json);
        l.writer = new FrameWriter(l.version, json);
        l.session = new Session(l.profile, l.version, l.url, protocol, cipher, clientCert, compression);
        l.open = true;
        l.bootAccepted = false;
        emit(new StationEvent.Connected(l.session));
        l.opened.complete(l.session);
    }

    private void onClosed(Link l) {
        if (!l.opened.isDone() && !l.closeDeferred) {
            // let the connect attempt report its own cause (refused, TLS, HTTP) first
            l.closeDeferred = true;
            loop.execute(() -> onClosed(l));
            return;
        }
        l.open = false;
        l.cancelTimers();
        if (!l.opened.isDone()) {
            l.connectFailed(l.failure != null ? l.failure
                    : new SimulatorException.NotConnected("the connection closed before the WebSocket opened"));
        }
        if (l.session != null) {
            emit(new StationEvent.Closed(l.closeCode, l.closeReason, l.closedByStation));
        }
        SimulatorException.NotConnected gone = new SimulatorException.NotConnected("the connection closed ("
                + l.closeCode + (l.closeReason.isEmpty() ? "" : " " + l.closeReason) + ")");
        l.failCalls(gone);
        l.closed.complete(null);
        if (link == l) {
            link = null;
        }
        if (!running || closing) {
            return;
        }
        if (switching) {
            switching = false;
            runPlan();
        } else if (planActive) {
            planActive = false;
            planId++;
            planFailed(l.failure != null ? l.failure : gone);
        } else {
            scheduleReconnect();
        }
    }

    // ==================================================================== calls

    private CompletableFuture<ObjectNode> callNow(String action, ObjectNode payload) {
        Link l = link;
        if (l == null || !l.open) {
            return failed(new SimulatorException.NotConnected("not connected: cannot send " + action));
        }
        PendingCall c = new PendingCall(action, payload == null ? NODES.objectNode() : payload);
        l.queue.add(c);
        l.pump();
        return c.result;
    }

    private <R extends OcppResponse> CompletableFuture<R> callNow(OcppRequest request, Class<R> type) {
        Link l = link;
        if (l == null || !l.open) {
            return failed(new SimulatorException.NotConnected("not connected: cannot send " + request.ocppAction()));
        }
        ObjectNode payload;
        try {
            payload = l.codec.encode(request);
        } catch (InvalidMessageException e) {
            return failed(e);
        }
        String action = request.ocppAction().wireName();
        OcppCodec codec = l.codec;
        return callNow(action, payload).thenApply(answer -> {
            Decoded<R> d = codec.decodeResponse(type, answer);
            if (d instanceof Decoded.Valid<R> v) {
                return v.message();
            }
            throw new SimulatorException.InvalidAnswer(action, ((Decoded.Invalid<R>) d).violation().describe());
        });
    }

    private CompletableFuture<BootNotificationResponse> bootNow(BootReason reason) {
        BootNotificationRequest req = new BootNotificationRequest(new ChargingStation(config.serialNumber(),
                config.model(), null, config.vendorName(), config.firmwareVersion()), reason);
        Link l = link;
        return callNow(req, BootNotificationResponse.class).thenApply(r -> {
            int interval = r.interval() == null ? 0 : r.interval();
            if (l != null) {
                l.bootAccepted = r.status() == RegistrationStatus.Accepted;
                if (l.bootAccepted) {
                    startHeartbeats(l, interval);
                }
            }
            emit(new StationEvent.BootAnswered(r.status(), interval, l == null ? 0 : l.profile));
            return r;
        });
    }

    /** BootNotification until Accepted, waiting the CSMS's interval after Pending and Rejected (B02/B03). */
    private CompletableFuture<BootNotificationResponse> bootUntilAccepted(BootReason reason) {
        CompletableFuture<BootNotificationResponse> result = new CompletableFuture<>();
        Link l = link;
        bootAttempt(l, reason, result);
        return result;
    }

    private void bootAttempt(Link l, BootReason reason, CompletableFuture<BootNotificationResponse> result) {
        if (l != link || !l.open) {
            result.completeExceptionally(new SimulatorException.NotConnected("the connection closed before the boot was accepted"));
            return;
        }
        bootNow(reason).whenComplete((r, e) -> {
            if (e != null) {
                result.completeExceptionally(unwrap(e));
            } else if (r.status() == RegistrationStatus.Accepted) {
                result.complete(r);
            } else {
                long wait = r.interval() != null && r.interval() > 0 ? r.interval() * 1000L : DEFAULT_RETRY.toMillis();
                l.bootRetry = loop.schedule(() -> bootAttempt(l, reason, result), wait, TimeUnit.MILLISECONDS);
            }
        });
    }

    private void startHeartbeats(Link l, int csmsInterval) {
        if (l.heartbeats != null) {
            l.heartbeats.cancel(false);
            l.heartbeats = null;
        }
        long millis = config.heartbeatInterval() != null ? config.heartbeatInterval().toMillis() : csmsInterval * 1000L;
        if (millis <= 0) {
            return; // the CSMS asked for none
        }
        l.heartbeats = loop.scheduleAtFixedRate(() -> {
            if (l.open) {
                heartbeatNow().exceptionally(e -> {
                    emit(new StationEvent.Error("heartbeat: " + describe(unwrap(e)), unwrap(e)));
                    return null;
                });
            }
        }, millis, millis, TimeUnit.MILLISECONDS);
    }

    private CompletableFuture<OffsetDateTime> heartbeatNow() {
        return callNow(HEARTBEAT, NODES.objectNode()).thenApply(answer -> {
            JsonNode t = answer.get("currentTime");
            Optional<OffsetDateTime> time = t != null && t.isString() ? OcppDateTime.parse(t.stringValue()) : Optional.empty();
            if (time.isEmpty()) {
                throw new SimulatorException.InvalidAnswer(HEARTBEAT, "currentTime is missing or not a date-time");
            }
            emit(new StationEvent.HeartbeatAnswered(time.get()));
            return time.get();
        });
    }

    // ==================================================================== enrollment

    /** A SignCertificate in progress: the new key, waiting for its CertificateSigned. */
    private final class Enrollment {
        final KeyPair keys;
        final Integer requestId;
        final String subject;
        final CompletableFuture<List<X509Certificate>> done = new CompletableFuture<>();
        final ScheduledFuture<?> timeout;

        Enrollment(KeyPair keys, Integer requestId, String subject) {
            this.keys = keys;
            this.requestId = requestId;
            this.subject = subject;
            this.timeout = loop.schedule(() -> fail(new SimulatorException.EnrollmentFailed("no CertificateSigned within "
                    + config.enrollmentTimeout().toSeconds() + " s")), config.enrollmentTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        void fail(Throwable cause) {
            timeout.cancel(false);
            if (enrollment == this) {
                enrollment = null;
            }
            done.completeExceptionally(cause);
        }

        void succeed(List<X509Certificate> chain) {
            timeout.cancel(false);
            if (enrollment == this) {
                enrollment = null;
            }
            done.complete(chain);
        }
    }

    private CompletableFuture<List<X509Certificate>> enrollNow() {
        Link l = link;
        if (l == null || !l.open) {
            return failed(new SimulatorException.NotConnected("not connected: cannot enroll"));
        }
        if (enrollment != null) {
            enrollment.fail(new SimulatorException.EnrollmentFailed("superseded by a new certificate request"));
        }
        KeyPair keys = StationKeys.newKeyPair();
        org.bouncycastle.asn1.x500.X500Name subject = StationKeys.subject(config.serialNumber(), config.organization());
        Integer requestId = l.version.atLeast(OcppVersion.OCPP_2_1) ? nextRequestId++ : null;
        Enrollment e = new Enrollment(keys, requestId, subject.toString());
        enrollment = e;
        SignCertificateRequest req = new SignCertificateRequest(StationKeys.csrPem(keys, subject),
                CertificateSigningUse.ChargingStationCertificate, null, requestId);
        callNow(req, SignCertificateResponse.class).whenComplete((r, err) -> {
            if (err != null) {
                e.fail(unwrap(err));
                return;
            }
            emit(new StationEvent.SignCertificateAnswered(r.status(), e.subject));
            if (r.status() != GenericStatus.Accepted) {
                e.fail(new SimulatorException.EnrollmentFailed("the CSMS rejected the certificate request"
                        + reasonOf(r.statusInfo())));
            }
        });
        return e.done;
    }

    private CsmsCallHandler.Reply certificateSigned(CertificateSignedRequest r) {
        Enrollment e = enrollment;
        String problem = null;
        String code = null;
        List<X509Certificate> chain = List.of();
        if (e == null) {
            code = "NoPendingRequest";
            problem = "the station has no certificate request pending";
        } else if (r.certificateType() != null && r.certificateType() != CertificateSigningUse.ChargingStationCertificate) {
            code = "UnexpectedType";
            problem = "the station asked for a ChargingStationCertificate, not " + r.certificateType();
        } else if (e.requestId != null && !e.requestId.equals(r.requestId())) {
            code = "UnknownRequestId";
            problem = "requestId " + r.requestId() + " is not the " + e.requestId + " of the request (A02.FR.26)";
        } else {
            try {
                chain = PemCertificates.read(r.certificateChain());
                problem = StationKeys.chainProblem(chain, e.keys.getPublic(), new Date()).orElse(null);
            } catch (IllegalArgumentException ex) {
                problem = ex.getMessage();
            }
            code = problem == null ? null : "InvalidCertificate";
        }
        if (problem == null) {
            try {
                state.storeCredentials(new StationCredentials(e.keys.getPrivate(), chain));
            } catch (RuntimeException ex) {
                code = "StorageFailed";
                problem = "the station could not store the certificate: " + describe(ex);
            }
        }
        if (problem != null) {
            String why = problem;
            emit(new StationEvent.CertificateSignedAnswered(CertificateSignedStatus.Rejected, why));
            return CsmsCallHandler.Reply.then(new CertificateSignedResponse(CertificateSignedStatus.Rejected,
                    StatusInfo.of(code, truncate(why, 512))), () -> {
                        reportInvalidCertificate(why);
                        if (e != null && enrollment == e) {
                            e.fail(new SimulatorException.EnrollmentFailed("the station refused the certificate: " + why));
                        }
                    });
        }
        List<X509Certificate> stored = chain;
        emit(new StationEvent.CertificateSignedAnswered(CertificateSignedStatus.Accepted, null));
        return CsmsCallHandler.Reply.then(new CertificateSignedResponse(CertificateSignedStatus.Accepted, null), () -> {
            emit(new StationEvent.Enrolled(stored.get(0), stored.size()));
            afterRenewal();
            e.succeed(stored);
        });
    }

    /**
     * After a certificate that was not asked for by the plan (a renewal the CSMS triggered): the
     * station reconnects presenting it (A02.FR.08) when profile 3 is (or becomes) its profile.
     */
    private void afterRenewal() {
        Link l = link;
        if (running && !planActive && l != null && l.open && !l.closeFrameSent && plannedProfile() == 3) {
            switching = true;
            l.close(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "reconnecting with the new certificate");
        }
    }

    /** A02.FR.07: SecurityEventNotification InvalidChargingStationCertificate after refusing a chain. */
    private void reportInvalidCertificate(String why) {
        if (link == null || !link.open) {
            return;
        }
        SecurityEventNotificationRequest event = new SecurityEventNotificationRequest(
                SecurityEventType.INVALID_CHARGING_STATION_CERTIFICATE.wireName(),
                OffsetDateTime.now(ZoneOffset.UTC).withNano(0), truncate(why, 255));
        callNow(event, SecurityEventNotificationResponse.class).exceptionally(ex -> {
            emit(new StationEvent.Error("SecurityEventNotification: " + describe(unwrap(ex)), unwrap(ex)));
            return null;
        });
    }

    // ==================================================================== incoming

    private void onText(Link l, String text) {
        ReadResult read = l.reader.read(text);
        if (read instanceof ReadResult.Rejected rejected) {
            rejected.reply().ifPresent(l::write);
            emit(new StationEvent.Error("unreadable message from the CSMS: " + rejected.reason(), null));
            return;
        }
        RpcFrame frame = ((ReadResult.Accepted) read).frame();
        if (frame instanceof RpcFrame.Call c) {
            answer(l, c);
        } else if (frame instanceof RpcFrame.CallResult r) {
            l.answered(r.messageId(), call -> call.result.complete(r.payload()));
        } else if (frame instanceof RpcFrame.CallError e) {
            l.answered(e.messageId(), call -> call.result.completeExceptionally(
                    new SimulatorException.CallError(call.action, e.errorCode(), e.errorDescription())));
        }
        // CALLRESULTERROR and SEND (2.1) need no answer
    }

    private void answer(Link l, RpcFrame.Call call) {
        Optional<Action> action = Action.fromWire(call.action()).filter(a -> a.existsIn(l.version));
        Optional<CsmsCallHandler> handler = action.flatMap(CsmsCalls::handler);
        if (handler.isEmpty()) {
            RpcErrorCode code = OcppActions.isCallAction(l.version, call.action()) ? RpcErrorCode.NotSupported
                    : RpcErrorCode.NotImplemented;
            l.write(RpcFrame.CallError.of(call.messageId(), code, code == RpcErrorCode.NotSupported
                    ? "the simulated station does not support " + call.action() : "unknown action"));
            emit(new StationEvent.CsmsCallAnswered(call.action(), "CALLERROR " + code));
            return;
        }
        Decoded<OcppRequest> decoded = l.codec.decodeRequest(action.get(), call.payload());
        if (decoded instanceof Decoded.Invalid<OcppRequest> invalid) {
            Violation v = invalid.violation();
            l.write(FrameWriter.callErrorFor(call.messageId(), v));
            emit(new StationEvent.CsmsCallAnswered(call.action(), "CALLERROR " + v.code()));
            return;
        }
        OcppRequest request = ((Decoded.Valid<OcppRequest>) decoded).message();
        CsmsCallHandler.Reply reply;
        ObjectNode payload;
        try {
            reply = handler.get().handle(request, context);
            payload = l.codec.encode(reply.response());
        } catch (RuntimeException e) {
            l.write(RpcFrame.CallError.of(call.messageId(), RpcErrorCode.InternalError, "the simulated station failed"));
            emit(new StationEvent.Error("answering " + call.action() + ": " + describe(e), e));
            return;
        }
        l.write(new RpcFrame.CallResult(call.messageId(), payload)).addListener(f -> {
            if (f.isSuccess() && reply.afterSent() != null) {
                reply.afterSent().run();
            }
        });
        JsonNode status = payload.get("status");
        emit(new StationEvent.CsmsCallAnswered(call.action(), status != null && status.isString() ? status.stringValue() : "answered"));
    }

    // ==================================================================== one connection

    /** A CALL of the station, queued or outstanding. */
    private static final class PendingCall {
        final String action;
        final ObjectNode payload;
        final CompletableFuture<ObjectNode> result = new CompletableFuture<>();
        String messageId;
        ScheduledFuture<?> timeout;

        PendingCall(String action, ObjectNode payload) {
            this.action = action;
            this.payload = payload;
        }
    }

    /** One WebSocket connection and its OCPP-J state. Loop-confined. */
    private final class Link {
        final int profile;
        final URI url;
        final CompletableFuture<Session> opened = new CompletableFuture<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        final ArrayDeque<PendingCall> queue = new ArrayDeque<>();
        final Handler handler = new Handler();
        Channel channel;
        volatile Session session;
        OcppVersion version;
        OcppCodec codec;
        FrameReader reader;
        FrameWriter writer;
        volatile boolean open;
        boolean bootAccepted;
        PendingCall outstanding;
        ScheduledFuture<?> heartbeats;
        ScheduledFuture<?> bootRetry;
        Throwable failure;
        int closeCode = WebSocketCloseStatus.ABNORMAL_CLOSURE.code();
        String closeReason = "";
        boolean closedByStation;
        boolean closeFrameSent;
        boolean closeDeferred;

        Link(int profile, URI url) {
            this.profile = profile;
            this.url = url;
        }

        /** Sends the next queued CALL when none is outstanding (OCPP-J §4.1.1). */
        void pump() {
            if (outstanding != null || !open) {
                return;
            }
            PendingCall c = queue.poll();
            if (c == null) {
                return;
            }
            c.messageId = IDS.next();
            outstanding = c;
            c.timeout = loop.schedule(() -> {
                if (outstanding == c) {
                    outstanding = null;
                    c.result.completeExceptionally(new SimulatorException.CallTimeout(c.action, config.callTimeout()));
                    pump();
                }
            }, config.callTimeout().toMillis(), TimeUnit.MILLISECONDS);
            write(new RpcFrame.Call(c.messageId, c.action, c.payload));
        }

        /** Completes the outstanding CALL if the answer is for it; a late or unknown answer is dropped. */
        void answered(String messageId, java.util.function.Consumer<PendingCall> completion) {
            PendingCall c = outstanding;
            if (c == null || !c.messageId.equals(messageId)) {
                return;
            }
            outstanding = null;
            c.timeout.cancel(false);
            completion.accept(c);
            pump();
        }

        io.netty.channel.ChannelFuture write(RpcFrame frame) {
            return channel.writeAndFlush(new TextWebSocketFrame(writer.writeString(frame)));
        }

        void failCalls(Throwable cause) {
            List<PendingCall> all = new ArrayList<>(queue);
            queue.clear();
            if (outstanding != null) {
                outstanding.timeout.cancel(false);
                all.add(0, outstanding);
                outstanding = null;
            }
            for (PendingCall c : all) {
                c.result.completeExceptionally(cause);
            }
        }

        void cancelTimers() {
            if (heartbeats != null) {
                heartbeats.cancel(false);
            }
            if (bootRetry != null) {
                bootRetry.cancel(false);
            }
        }

        /** Closes with a close frame (once), then the socket. */
        void close(int code, String reason) {
            if (!channel.isActive()) {
                channel.close();
                return;
            }
            if (!closeFrameSent) {
                closeFrameSent = true;
                closedByStation = true;
                closeCode = code;
                closeReason = reason;
                if (open) {
                    // the handler lingers before the socket closes (RFC 6455 §7.1.1)
                    channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
                    return;
                }
            }
            channel.close();
        }

        void connectFailed(Throwable cause) {
            if (opened.isDone()) {
                return;
            }
            failure = asConnectFailure(cause);
            int status = failure instanceof SimulatorException.UpgradeRefused u ? u.httpStatus() : 0;
            emit(new StationEvent.ConnectFailed(profile, describe(failure), status));
            opened.completeExceptionally(failure);
            if (channel != null) {
                channel.close();
            }
        }

        /**
         * Sits right after Netty's frame decoder. A frame that breaks the bounds (or RFC 6455) makes
         * the decoder try to send a close frame itself, from a place in the pipeline where no frame
         * encoder follows, and close the socket. Here the close frame (e.g. 1009) is sent through
         * the whole pipeline instead, the socket lingers (see {@link Handler#close}), and the
         * exception stops: the protocol handler would cut the socket at once.
         */
        private final class ViolationGuard extends ChannelInboundHandlerAdapter {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
                if (cause instanceof CorruptedWebSocketFrameException corrupted && open) {
                    WebSocketCloseStatus s = corrupted.closeStatus();
                    int code = s == null ? WebSocketCloseStatus.PROTOCOL_ERROR.code() : s.code();
                    String reason = code == WebSocketCloseStatus.MESSAGE_TOO_BIG.code()
                            ? "message larger than " + config.maxFrameBytes() + " bytes"
                            : s == null ? "protocol error" : s.reasonText();
                    closeFrameSent = false; // the decoder's own close frame never reached the wire
                    Link.this.close(code, reason);
                    return;
                }
                super.exceptionCaught(ctx, cause);
            }
        }

        /**
         * The last handler of the pipeline: WebSocket events and frames to the station. A close of an
         * open WebSocket lingers (up to {@link #LINGER_MILLIS}) so that the CSMS reads the close frame
         * and closes the TCP connection first (RFC 6455 §7.1.1); meanwhile what still arrives is
         * discarded. Closing a socket with unread data would reset it and lose the close frame.
         */
        private final class Handler extends io.netty.channel.ChannelDuplexHandler {
            private boolean lingering;

            @Override
            public void close(ChannelHandlerContext ctx, io.netty.channel.ChannelPromise promise) {
                if (open && ctx.channel().isActive()) {
                    if (!lingering) {
                        lingering = true;
                        loop.schedule(() -> {
                            ctx.close();
                        }, LINGER_MILLIS, TimeUnit.MILLISECONDS);
                    }
                    ctx.channel().closeFuture().addListener(f -> promise.trySuccess());
                    return;
                }
                ctx.close(promise);
            }

            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
                if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                    if (ctx.pipeline().get("ws-decoder") != null) {
                        ctx.pipeline().addAfter("ws-decoder", "ws-violations", new ViolationGuard());
                    }
                    onOpen(Link.this, ctx);
                } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                    connectFailed(new SimulatorException.NotConnected("the WebSocket upgrade timed out"));
                }
                super.userEventTriggered(ctx, evt);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                try {
                    if (!(msg instanceof WebSocketFrame)) {
                        return;
                    }
                    if (msg instanceof TextWebSocketFrame t) {
                        if (open && !closeFrameSent) {
                            if (t.content().readableBytes() > config.maxFrameBytes()) {
                                tooBig();
                                return;
                            }
                            onText(Link.this, t.text());
                        }
                    } else if (msg instanceof CloseWebSocketFrame c) {
                        int code = c.statusCode() < 0 ? WebSocketCloseStatus.EMPTY.code() : c.statusCode();
                        String reason = c.reasonText() == null ? "" : c.reasonText();
                        if (!closeFrameSent) {
                            closeCode = code;
                            closeReason = reason;
                            closedByStation = false;
                            closeFrameSent = true;
                            // echo the close (RFC 6455 §5.5.1), then close the socket
                            CloseWebSocketFrame echo = code == WebSocketCloseStatus.EMPTY.code()
                                    ? new CloseWebSocketFrame() : new CloseWebSocketFrame(code, "");
                            ctx.writeAndFlush(echo).addListener(ChannelFutureListener.CLOSE);
                        } else {
                            ctx.close(); // the answer to our close frame: done
                        }
                    } else if (msg instanceof BinaryWebSocketFrame) {
                        Link.this.close(WebSocketCloseStatus.INVALID_MESSAGE_TYPE.code(), "OCPP-J uses text frames");
                    }
                } finally {
                    io.netty.util.ReferenceCountUtil.release(msg);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                if (!opened.isDone()) {
                    connectFailed(cause);
                    return;
                }
                if (cause instanceof CorruptedWebSocketFrameException corrupted) {
                    // the frame decoder sent the close frame already
                    closeFrameSent = true;
                    closedByStation = true;
                    WebSocketCloseStatus s = corrupted.closeStatus();
                    closeCode = s == null ? WebSocketCloseStatus.PROTOCOL_ERROR.code() : s.code();
                    closeReason = s == null ? "protocol error" : s.reasonText();
                    ctx.close();
                } else if (cause instanceof TooLongFrameException || cause instanceof DecompressionException) {
                    tooBig();
                } else {
                    failure = cause;
                    emit(new StationEvent.Error(describe(cause), cause));
                    Link.this.close(WebSocketCloseStatus.INTERNAL_SERVER_ERROR.code(), "station error");
                }
            }

            private void tooBig() {
                Link.this.close(WebSocketCloseStatus.MESSAGE_TOO_BIG.code(), "message larger than " + config.maxFrameBytes() + " bytes");
            }
        }
    }

    private Throwable asConnectFailure(Throwable cause) {
        Throwable c = unwrap(cause);
        if (c instanceof WebSocketClientHandshakeException h) {
            if (h.response() != null && h.response().status().code() != 101) {
                int status = h.response().status().code();
                return new SimulatorException.UpgradeRefused(status, "the CSMS refused the WebSocket upgrade: HTTP "
                        + status + " " + h.response().status().reasonPhrase());
            }
            String m = String.valueOf(h.getMessage());
            if (m.startsWith("Invalid subprotocol")) {
                return new SimulatorException.NotConnected("the CSMS accepted none of the offered subprotocols ("
                        + offered() + ")");
            }
            return new SimulatorException.NotConnected("WebSocket upgrade failed: " + m);
        }
        if (c instanceof io.netty.handler.codec.DecoderException && c.getCause() != null) {
            c = c.getCause();
        }
        if (c instanceof java.net.ConnectException || c instanceof io.netty.channel.ConnectTimeoutException
                || c instanceof java.net.UnknownHostException) {
            return new SimulatorException.NotConnected("cannot connect: " + c.getMessage(), c);
        }
        if (c instanceof javax.net.ssl.SSLException) {
            Throwable root = c;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            return new SimulatorException.NotConnected("TLS handshake failed: " + (root.getMessage() == null
                    ? root.getClass().getSimpleName() : root.getMessage()), c);
        }
        return c;
    }

    // ==================================================================== helpers

    private void emit(StationEvent e) {
        try {
            listener.onEvent(e);
        } catch (RuntimeException ignored) {
            // a listener's failure must not break the station
        }
    }

    private <T> CompletableFuture<T> onLoop(java.util.function.Supplier<CompletableFuture<T>> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Runnable r = () -> {
            try {
                work.get().whenComplete((v, e) -> complete(f, v, e));
            } catch (RuntimeException e) {
                f.completeExceptionally(e);
            }
        };
        if (loop.inEventLoop()) {
            r.run();
        } else {
            loop.execute(r);
        }
        return f;
    }

    private static <T> void complete(CompletableFuture<T> f, T value, Throwable error) {
        if (error != null) {
            f.completeExceptionally(unwrap(error));
        } else {
            f.complete(value);
        }
    }

    private static <T> CompletableFuture<T> failed(Throwable t) {
        return CompletableFuture.failedFuture(t);
    }

    static Throwable unwrap(Throwable t) {
        Throwable c = t;
        while ((c instanceof CompletionException || c instanceof java.util.concurrent.ExecutionException) && c.getCause() != null) {
            c = c.getCause();
        }
        return c;
    }

    /** One line about a failure, without stack or payload. */
    static String describe(Throwable t) {
        Throwable c = unwrap(t);
        String m = c.getMessage();
        if (c instanceof SimulatorException) {
            return m;
        }
        String name = c.getClass().getSimpleName();
        if (c instanceof javax.net.ssl.SSLException) {
            return "TLS: " + (m == null ? name : m);
        }
        if (c instanceof java.net.ConnectException || c instanceof io.netty.channel.ConnectTimeoutException) {
            return "cannot connect: " + (m == null ? name : m);
        }
        return m == null ? name : name + ": " + m;
    }

    private static String reasonOf(StatusInfo info) {
        if (info == null) {
            return "";
        }
        return " (" + info.reasonCode() + (info.additionalInfo() == null ? "" : ": " + info.additionalInfo()) + ")";
    }

    private static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }

    /** What the handlers may use. */
    private final class Context implements StationContext {
        @Override
        public SimulatorConfig config() {
            return config;
        }

        @Override
        public StationState state() {
            return state;
        }

        @Override
        public OcppVersion version() {
            return link == null ? config.subprotocols().get(0) : link.version;
        }

        @Override
        public boolean bootAccepted() {
            return link != null && link.bootAccepted;
        }

        @Override
        public List<InstalledCertificate> installedCertificates() {
            List<InstalledCertificate> all = new ArrayList<>();
            for (X509Certificate c : config.trustAnchors()) {
                all.add(new InstalledCertificate(InstallCertificateUse.CSMSRootCertificate, c, true));
            }
            all.addAll(state.installed());
            return all;
        }

        @Override
        public CsmsCallHandler.Reply certificateSigned(CertificateSignedRequest request) {
            return SimulatedStation.this.certificateSigned(request);
        }

        @Override
        public void enrollOnTrigger() {
            enrollNow().exceptionally(e -> {
                emit(new StationEvent.Error("enrollment: " + describe(unwrap(e)), unwrap(e)));
                return null;
            });
        }

        @Override
        public void bootOnTrigger() {
            bootNow(BootReason.Triggered).exceptionally(e -> {
                emit(new StationEvent.Error("boot notification: " + describe(unwrap(e)), unwrap(e)));
                return null;
            });
        }

        @Override
        public void heartbeatOnTrigger() {
            heartbeatNow().exceptionally(e -> {
                emit(new StationEvent.Error("heartbeat: " + describe(unwrap(e)), unwrap(e)));
                return null;
            });
        }

        @Override
        public void changePassword(char[] password) {
            try {
                state.storePassword(password);
            } finally {
                Arrays.fill(password, '\0');
            }
            emit(new StationEvent.PasswordChanged());
        }

        @Override
        public void emit(StationEvent event) {
            SimulatedStation.this.emit(event);
        }
    }

    /** Builds a {@link SimulatedStation}. */
    public static final class Builder {
        private final SimulatorConfig config;
        private EventLoopGroup group;
        private StationListener listener = StationListener.NONE;
        private SslContext serverTrust;
        private StationState state;

        private Builder(SimulatorConfig config) {
            this.config = Objects.requireNonNull(config, "config");
        }

        /**
         * The event loop group to run on, shared with other stations (and not closed by the station).
         * Default: a one-thread group of its own, closed by {@link SimulatedStation#close()}.
         */
        public Builder eventLoopGroup(EventLoopGroup g) {
            group = g;
            return this;
        }

        public Builder listener(StationListener l) {
            listener = Objects.requireNonNull(l, "listener");
            return this;
        }

        /**
         * A shared profile-2 TLS context (see {@link StationTls#clientContext(List, boolean)}), used
         * instead of building one per station; it must trust the configured anchors. Stations with
         * installed CSMS roots build their own.
         */
        public Builder profile2Tls(SslContext shared) {
            serverTrust = shared;
            return this;
        }

        /** State to use instead of the one the configuration names (e.g. one shared with a test). */
        public Builder state(StationState s) {
            state = s;
            return this;
        }

        public SimulatedStation build() {
            return new SimulatedStation(this);
        }
    }
}
