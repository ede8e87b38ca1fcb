package io.ocppsec.simulator.testing;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.ContinuationWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.rpc.FrameReader;
import io.ocppsec.ocpp.rpc.FrameWriter;
import io.ocppsec.ocpp.rpc.MessageIds;
import io.ocppsec.ocpp.rpc.ReadResult;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.security.auth.BasicAuthHeader;
import io.ocppsec.security.auth.BasicAuthResult;
import io.ocppsec.security.auth.BasicCredentials;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import javax.net.ssl.SSLPeerUnverifiedException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A small CSMS stand-in for tests: a Netty WebSocket server on 127.0.0.1 with TLS from a
 * {@link TestCa} (client certificates requested, not required) or plain ws. It accepts the upgrade
 * on {@code /ocpp/{identity}} (or refuses it, see {@link Builder#authenticator}), picks a
 * subprotocol, answers BootNotification, Heartbeat, SecurityEventNotification and SignCertificate
 * (Accepted, and only once that result is written, CertificateSigned with a chain from
 * {@link Builder#issuer}), and records every frame both ways so that tests can look.
 *
 * <p>Every station CALL and every station answer can be checked by a {@link FrameCheck} (the
 * station-simulator tests plug the official OCPP JSON schemas in); problems are collected in
 * {@link #checkProblems()}.
 */
public final class StandInCsms implements AutoCloseable {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Checks a payload the station sent; returns a problem, or empty when it is fine. */
    @FunctionalInterface
    public interface FrameCheck {
        Optional<String> check(OcppVersion version, String action, boolean request, JsonNode payload);
    }

    /** The HTTP upgrade request as the stand-in saw it. */
    public record Upgrade(String path, String identity, HttpHeaders headers, List<X509Certificate> clientChain,
                          String offeredSubprotocols) {
        /** The decoded Basic credentials, if the request carried a valid Authorization header. */
        public Optional<BasicCredentials> basic() {
            String h = headers.get(HttpHeaderNames.AUTHORIZATION);
            return h == null ? Optional.empty() : BasicAuthHeader.parse(h) instanceof BasicCredentials c
                    ? Optional.of(c) : Optional.empty();
        }
    }

    private final Builder config;
    private final EventLoopGroup group;
    private final Channel server;
    private final SslContext ssl;
    private final List<Connection> connections = new CopyOnWriteArrayList<>();
    private final List<Upgrade> upgrades = new CopyOnWriteArrayList<>();
    private final List<String> checkProblems = new CopyOnWriteArrayList<>();

    private StandInCsms(Builder b) throws Exception {
        this.config = b;
        this.group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        if (b.tls) {
            TestCa.Issued server = b.ca.serverCertificate();
            this.ssl = SslContextBuilder.forServer(server.key(), server.chain())
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .trustManager(b.ca.root())
                    .clientAuth(ClientAuth.OPTIONAL)
                    .build();
        } else {
            this.ssl = null;
        }
        this.server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ChannelPipeline p = ch.pipeline();
                        if (ssl != null) {
                            p.addLast("tls", ssl.newHandler(ch.alloc()));
                        }
                        p.addLast("http", new HttpServerCodec());
                        p.addLast("http-aggregator", new HttpObjectAggregator(64 * 1024));
                        if (config.compression) {
                            p.addLast("permessage-deflate", new WebSocketServerCompressionHandler(16 * 1024 * 1024));
                        }
                        p.addLast("upgrade", new UpgradeHandler());
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
    }

    public static Builder builder(TestCa ca) {
        return new Builder(ca);
    }

    public int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** The CSMS URL a station is configured with: {@code wss://localhost:PORT/ocpp} (or ws://). */
    public String url() {
        return (ssl != null ? "wss" : "ws") + "://localhost:" + port() + "/ocpp";
    }

    /** Every upgrade request seen, accepted or refused, in order. */
    public List<Upgrade> upgrades() {
        return List.copyOf(upgrades);
    }

    /** Problems the {@link FrameCheck} found in what stations sent. */
    public List<String> checkProblems() {
        return List.copyOf(checkProblems);
    }

    /** The {@code n}-th accepted WebSocket connection (1 = first), waiting for it. */
    public Connection awaitConnection(int n, Duration timeout) throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (connections) {
            while (connections.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no connection #" + n + " within " + timeout.toMillis() + " ms; upgrades: "
                            + upgrades.size());
                }
                connections.wait(Math.max(1, left / 1_000_000));
            }
            return connections.get(n - 1);
        }
    }

    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    @Override
    public void close() {
        for (Connection c : connections) {
            c.channel.close();
        }
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).withNano(0).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    // ================================================================= upgrade

    private final class UpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close(); // a refused TLS handshake and the like: the station reports it
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = req.uri();
            String prefix = "/ocpp/";
            List<X509Certificate> chain = new ArrayList<>();
            SslHandler tls = ctx.pipeline().get(SslHandler.class);
            if (tls != null) {
                try {
                    for (Certificate c : tls.engine().getSession().getPeerCertificates()) {
                        chain.add((X509Certificate) c);
                    }
                } catch (SSLPeerUnverifiedException e) {
                    // no client certificate
                }
            }
            String identity = null;
            if (path.startsWith(prefix) && StationIdentity.fromUrlPathSegment(path.substring(prefix.length()))
                    instanceof IdentityCheck.Valid v) {
                identity = v.identity().value();
            }
            Upgrade upgrade = new Upgrade(path, identity, req.headers().copy(), List.copyOf(chain),
                    req.headers().get(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL));
            upgrades.add(upgrade);
            HttpResponseStatus status = identity == null ? HttpResponseStatus.NOT_FOUND : config.authenticator.apply(upgrade);
            if (status.code() != 101) {
                DefaultFullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status);
                refusal.headers().set(HttpHeaderNames.CONTENT_LENGTH, 0);
                ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                    "ws://localhost" + path, String.join(",", config.subprotocols),
                    WebSocketDecoderConfig.newBuilder().allowExtensions(config.compression)
                            .maxFramePayloadLength(16 * 1024 * 1024).build());
            WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
            if (handshaker == null) {
                WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel());
                return;
            }
            Connection c = new Connection(ctx.channel(), upgrade, handshaker);
            handshaker.handshake(ctx.channel(), req).addListener((ChannelFutureListener) f -> {
                if (!f.isSuccess()) {
                    ctx.close();
                    return;
                }
                String chosen = handshaker.selectedSubprotocol();
                if (chosen == null) {
                    // OCPP-J §3.3: no acceptable version, handshake completed without one, then close
                    ctx.channel().writeAndFlush(new CloseWebSocketFrame(1002, "no acceptable subprotocol"))
                            .addListener(ChannelFutureListener.CLOSE);
                    return;
                }
                c.version = OcppVersion.fromSubprotocol(chosen).orElseThrow();
                c.reader = new FrameReader(c.version);
                c.writer = new FrameWriter(c.version);
                ctx.pipeline().remove(UpgradeHandler.this);
                ctx.pipeline().addLast("ws-aggregator", new WebSocketFrameAggregator(16 * 1024 * 1024));
                ctx.pipeline().addLast("ocpp", c.handler);
                synchronized (connections) {
                    connections.add(c);
                    connections.notifyAll();
                }
            });
        }
    }

    // ================================================================= one connection

    /** One accepted WebSocket, with everything the station sent on it. */
    public final class Connection {
        private final Channel channel;
        private final Upgrade upgrade;
        private final WebSocketServerHandshaker handshaker;
        private final Handler handler = new Handler();
        private final MessageIds.Generator ids = new MessageIds.Generator();
        private final List<String> received = new ArrayList<>();
        private final List<RpcFrame.Call> calls = new ArrayList<>();
        private final Map<String, Integer> taken = new HashMap<>();
        private final Map<String, RpcFrame> answers = new HashMap<>();
        private final Map<String, String> sentActions = new HashMap<>();
        private final Set<String> unanswered = new LinkedHashSet<>();
        private final Set<String> manual = new HashSet<>();
        private final List<String> certificateSignedIds = new ArrayList<>();
        private final CompletableFuture<int[]> stationClose = new CompletableFuture<>();
        private int maxUnanswered;
        private volatile OcppVersion version;
        private FrameReader reader;
        private FrameWriter writer;
        private String closeReason = "";

        Connection(Channel channel, Upgrade upgrade, WebSocketServerHandshaker handshaker) {
            this.channel = channel;
            this.upgrade = upgrade;
            this.handshaker = handshaker;
            this.manual.addAll(config.manual);
        }

        public Upgrade upgrade() {
            return upgrade;
        }

        public OcppVersion version() {
            return version;
        }

        /** Whether the station offered permessage-deflate on this connection. */
        public boolean compressionOffered() {
            return handshaker != null && config.compression
                    && String.valueOf(upgrade.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)).contains("permessage-deflate");
        }

        /** Every text message the station sent, in order. */
        public synchronized List<String> received() {
            return List.copyOf(received);
        }

        /** All CALLs the station sent. */
        public synchronized List<RpcFrame.Call> calls() {
            return List.copyOf(calls);
        }

        /** The most station CALLs that were unanswered at the same time. */
        public synchronized int maxUnansweredStationCalls() {
            return maxUnanswered;
        }

        /** Stops answering {@code action} automatically; answer with {@link #answer}. */
        public synchronized void answerManually(String action) {
            manual.add(action);
        }

        /** The next CALL of {@code action} not yet returned by this method, waiting for it. */
        public synchronized RpcFrame.Call awaitCall(String action, Duration timeout) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            int want = taken.getOrDefault(action, 0) + 1;
            while (true) {
                int seen = 0;
                for (RpcFrame.Call c : calls) {
                    if (c.action().equals(action) && ++seen == want) {
                        taken.put(action, want);
                        return c;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no " + action + " CALL #" + want + " within " + timeout.toMillis()
                            + " ms; received: " + received);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        /** Sends a CALL to the station; returns its message id. */
        public String sendCall(String action, ObjectNode payload) {
            String id = ids.next();
            synchronized (this) {
                sentActions.put(id, action);
            }
            send(writer().writeString(new RpcFrame.Call(id, action, payload)));
            return id;
        }

        /** Sends any text (a frame of one's own making). */
        public void send(String text) {
            channel.writeAndFlush(new TextWebSocketFrame(text)).syncUninterruptibly();
        }

        /** Sends one text message split into fragments of {@code fragment} characters (ASCII text). */
        public void sendFragmented(String text, int fragment) {
            for (int i = 0; i < text.length(); i += fragment) {
                String part = text.substring(i, Math.min(text.length(), i + fragment));
                boolean last = i + fragment >= text.length();
                WebSocketFrame f = i == 0 ? new TextWebSocketFrame(last, 0, part)
                        : new ContinuationWebSocketFrame(last, 0, part);
                channel.writeAndFlush(f).syncUninterruptibly();
            }
        }

        /** Answers a station CALL with a CALLRESULT. */
        public void answer(String messageId, ObjectNode payload) {
            synchronized (this) {
                unanswered.remove(messageId);
            }
            send(writer().writeString(new RpcFrame.CallResult(messageId, payload)));
        }

        /** The station's answer (CALLRESULT or CALLERROR) to a CALL of ours, waiting for it. */
        public synchronized RpcFrame awaitAnswer(String messageId, Duration timeout) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!answers.containsKey(messageId)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no answer to " + messageId + " within " + timeout.toMillis() + " ms; received: "
                            + received);
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return answers.get(messageId);
        }

        /** The CALLRESULT payload answering a CALL of ours; fails on a CALLERROR. */
        public ObjectNode awaitResult(String messageId, Duration timeout) throws InterruptedException, TimeoutException {
            RpcFrame f = awaitAnswer(messageId, timeout);
            if (f instanceof RpcFrame.CallResult r) {
                return r.payload();
            }
            throw new AssertionError("expected a CALLRESULT, got " + f);
        }

        /** The ids of the CertificateSigned CALLs sent on this connection, waiting for the {@code n}-th. */
        public synchronized String awaitCertificateSignedId(int n, Duration timeout) throws InterruptedException, TimeoutException {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (certificateSignedIds.size() < n) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new TimeoutException("no CertificateSigned #" + n + " sent within " + timeout.toMillis() + " ms");
                }
                wait(Math.max(1, left / 1_000_000));
            }
            return certificateSignedIds.get(n - 1);
        }

        /** Completes with {code, reason} of the close frame the station sent (reason as the second element's length). */
        public CompletableFuture<int[]> stationClose() {
            return stationClose;
        }

        public synchronized String stationCloseReason() {
            return closeReason;
        }

        /** Closes from the CSMS side with a close frame. */
        public void close(int code, String reason) {
            channel.writeAndFlush(new CloseWebSocketFrame(code, reason)).addListener(ChannelFutureListener.CLOSE);
        }

        /** Drops the TCP connection without a close frame. */
        public void drop() {
            channel.close().syncUninterruptibly();
        }

        public CompletableFuture<Void> closed() {
            CompletableFuture<Void> f = new CompletableFuture<>();
            channel.closeFuture().addListener(x -> f.complete(null));
            return f;
        }

        private FrameWriter writer() {
            FrameWriter w = writer;
            if (w == null) {
                throw new IllegalStateException("the WebSocket is not open");
            }
            return w;
        }

        private void onText(String text) {
            ReadResult read = reader.read(text);
            synchronized (this) {
                received.add(text);
                notifyAll();
            }
            if (!(read instanceof ReadResult.Accepted a)) {
                checkProblems.add("unreadable frame from the station: " + ((ReadResult.Rejected) read).reason());
                return;
            }
            RpcFrame frame = a.frame();
            if (frame instanceof RpcFrame.Call call) {
                check(call.action(), true, call.payload());
                boolean auto;
                synchronized (this) {
                    calls.add(call);
                    unanswered.add(call.messageId());
                    maxUnanswered = Math.max(maxUnanswered, unanswered.size());
                    auto = !manual.contains(call.action());
                    notifyAll();
                }
                if (auto) {
                    autoAnswer(call);
                }
            } else if (frame instanceof RpcFrame.CallResult r) {
                String action;
                synchronized (this) {
                    action = sentActions.get(r.messageId());
                }
                if (action != null) {
                    check(action, false, r.payload());
                }
                record(r.messageId(), r);
            } else if (frame instanceof RpcFrame.CallError e) {
                record(e.messageId(), e);
            }
        }

        private synchronized void record(String messageId, RpcFrame answer) {
            answers.put(messageId, answer);
            notifyAll();
        }

        private void check(String action, boolean request, JsonNode payload) {
            if (config.check != null) {
                config.check.check(version, action, request, payload).ifPresent(p -> checkProblems.add(
                        action + (request ? " request" : " response") + ": " + p));
            }
        }

        private void autoAnswer(RpcFrame.Call call) {
            ObjectNode result = NODES.objectNode();
            switch (call.action()) {
                case "BootNotification" -> {
                    result.put("currentTime", now());
                    result.put("interval", config.heartbeatInterval);
                    result.put("status", "Accepted");
                }
                case "Heartbeat" -> result.put("currentTime", now());
                case "SecurityEventNotification", "StatusNotification" -> {
                }
                case "SignCertificate" -> {
                    result.put("status", "Accepted");
                    synchronized (this) {
                        unanswered.remove(call.messageId());
                    }
                    // CertificateSigned only once the Accepted answer is on the wire (A02)
                    channel.writeAndFlush(new TextWebSocketFrame(writer.writeString(new RpcFrame.CallResult(call.messageId(), result))))
                            .addListener(f -> {
                                if (f.isSuccess()) {
                                    sendCertificateSigned(call);
                                }
                            });
                    return;
                }
                default -> {
                    return; // left for the test to answer
                }
            }
            synchronized (this) {
                unanswered.remove(call.messageId());
            }
            channel.writeAndFlush(new TextWebSocketFrame(writer.writeString(new RpcFrame.CallResult(call.messageId(), result))));
        }

        private void sendCertificateSigned(RpcFrame.Call signCertificate) {
            String csr = signCertificate.payload().path("csr").stringValue();
            String chain = config.issuer.apply(csr);
            ObjectNode payload = NODES.objectNode();
            payload.put("certificateChain", chain);
            payload.put("certificateType", "ChargingStationCertificate");
            JsonNode requestId = signCertificate.payload().get("requestId");
            if (requestId != null) {
                payload.set("requestId", requestId);
            }
            String id = ids.next();
            synchronized (this) {
                sentActions.put(id, "CertificateSigned");
                certificateSignedIds.add(id);
                notifyAll();
            }
            channel.writeAndFlush(new TextWebSocketFrame(writer.writeString(new RpcFrame.Call(id, "CertificateSigned", payload))));
        }

        private final class Handler extends SimpleChannelInboundHandler<WebSocketFrame> {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
                if (frame instanceof TextWebSocketFrame t) {
                    onText(t.text());
                } else if (frame instanceof CloseWebSocketFrame c) {
                    synchronized (Connection.this) {
                        closeReason = c.reasonText();
                    }
                    stationClose.complete(new int[] {c.statusCode()});
                    ctx.writeAndFlush(new CloseWebSocketFrame(c.statusCode(), "")).addListener(ChannelFutureListener.CLOSE);
                }
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close();
            }
        }
    }

    /** Configures a {@link StandInCsms}. */
    public static final class Builder {
        private final TestCa ca;
        private boolean tls = true;
        private boolean compression = true;
        private List<String> subprotocols = List.of("ocpp2.0.1", "ocpp2.1");
        private int heartbeatInterval = 300;
        private Function<Upgrade, HttpResponseStatus> authenticator = u -> HttpResponseStatus.SWITCHING_PROTOCOLS;
        private Function<String, String> issuer;
        private FrameCheck check;
        private final Set<String> manual = new HashSet<>();

        private Builder(TestCa ca) {
            this.ca = ca;
            this.issuer = csr -> TestCa.pem(ca.signCsr(csr));
        }

        public Builder tls(boolean v) {
            tls = v;
            return this;
        }

        public Builder compression(boolean v) {
            compression = v;
            return this;
        }

        /** The subprotocols the stand-in supports (it takes the first the station offers among them). */
        public Builder subprotocols(String... v) {
            subprotocols = List.of(v);
            return this;
        }

        public Builder heartbeatInterval(int seconds) {
            heartbeatInterval = seconds;
            return this;
        }

        /** Decides the upgrade: 101 accepts, anything else refuses with that status. */
        public Builder authenticator(Function<Upgrade, HttpResponseStatus> v) {
            authenticator = v;
            return this;
        }

        /**
         * Accepts Basic credentials {@code identity:password} or, without an Authorization header, a
         * client certificate; refuses anything else with 401.
         */
        public Builder requirePassword(String password) {
            authenticator = u -> {
                if (u.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
                    Optional<BasicCredentials> c = u.basic();
                    boolean ok = c.isPresent() && c.get().username().equals(u.identity())
                            && new String(c.get().password()).equals(password);
                    return ok ? HttpResponseStatus.SWITCHING_PROTOCOLS : HttpResponseStatus.UNAUTHORIZED;
                }
                return u.clientChain().isEmpty() ? HttpResponseStatus.UNAUTHORIZED : HttpResponseStatus.SWITCHING_PROTOCOLS;
            };
            return this;
        }

        /** Makes the chain (PEM, leaf first) sent in CertificateSigned from the CSR of a SignCertificate. */
        public Builder issuer(Function<String, String> v) {
            issuer = v;
            return this;
        }

        public Builder check(FrameCheck v) {
            check = v;
            return this;
        }

        /** Station CALLs of these actions are not answered automatically. */
        public Builder answerManually(String... actions) {
            Collections.addAll(manual, actions);
            return this;
        }

        public StandInCsms start() throws Exception {
            return new StandInCsms(this);
        }
    }

    /** The bytes of a text as UTF-8 (frame sizes in tests). */
    public static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }
}
