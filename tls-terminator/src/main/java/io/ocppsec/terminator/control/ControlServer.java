package io.ocppsec.terminator.control;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.OcppCodec;
import io.ocppsec.ocpp.schema.Violation;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import io.ocppsec.terminator.Metrics;
import io.ocppsec.terminator.session.CallOutcome;
import io.ocppsec.terminator.session.Sessions;
import io.ocppsec.terminator.session.StationSession;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The terminator's own small HTTP API, on the loopback interface by default:
 * <ul>
 *   <li>{@code POST /control/v1/stations/{id}/calls} (Bearer control token): pki-service's
 *       server-initiated calls, injected into the station's connection; the answer is the station's
 *       CALLRESULT or CALLERROR, 404 when the station is not held here, 504 on timeout;</li>
 *   <li>{@code GET /control/v1/stations} (Bearer control token): the stations held here;</li>
 *   <li>{@code GET /health} and {@code GET /metrics} (Prometheus text), without a token.</li>
 * </ul>
 */
public final class ControlServer {
    /** The calls pki-service may inject. */
    public static final Set<String> INJECTABLE = Set.of("CertificateSigned", "TriggerMessage", "InstallCertificate",
            "GetInstalledCertificateIds", "DeleteCertificate", "SetVariables");
    private static final int MAX_BODY = 256 * 1024;

    private final Sessions sessions;
    private final Metrics metrics;
    private final byte[] token;
    private final Supplier<ObjectNode> health;
    private final JsonMapper json;
    private Channel channel;

    public ControlServer(Sessions sessions, Metrics metrics, String token, Supplier<ObjectNode> health, JsonMapper json) {
        this.sessions = sessions;
        this.metrics = metrics;
        this.token = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
        this.health = health;
        this.json = json;
    }

    public int start(EventLoopGroup boss, EventLoopGroup workers, String host, int port) throws InterruptedException {
        channel = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192), new HttpObjectAggregator(MAX_BODY),
                                new Handler());
                    }
                }).bind(host, port).sync().channel();
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    public void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
        }
    }

    private final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            String path = new QueryStringDecoder(req.uri()).path();
            boolean keepAlive = HttpUtil.isKeepAlive(req);
            if (path.equals("/health") && req.method().equals(HttpMethod.GET)) {
                send(ctx, keepAlive, 200, "application/json", json.writeValueAsString(health.get()));
                return;
            }
            if (path.equals("/metrics") && req.method().equals(HttpMethod.GET)) {
                send(ctx, keepAlive, 200, "text/plain; version=0.0.4", metrics.prometheus());
                return;
            }
            if (!path.startsWith("/control/v1/")) {
                problem(ctx, keepAlive, 404, "NOT_FOUND", "no such endpoint");
                return;
            }
            String auth = req.headers().get(HttpHeaderNames.AUTHORIZATION, "");
            if (!MessageDigest.isEqual(token, auth.getBytes(StandardCharsets.UTF_8))) {
                problem(ctx, keepAlive, 401, "UNAUTHORIZED", "a valid control token is required");
                return;
            }
            if (path.equals("/control/v1/stations") && req.method().equals(HttpMethod.GET)) {
                var list = json.createArrayNode();
                for (StationSession s : sessions.all()) {
                    list.addObject().put("identity", s.identity().value()).put("securityProfile", s.admission().profile())
                            .put("subprotocol", s.version().subprotocol()).put("remoteAddress", s.remote())
                            .put("connectedAt", java.time.Instant.ofEpochMilli(s.connectedAt()).toString());
                }
                send(ctx, keepAlive, 200, "application/json", json.writeValueAsString(list));
                return;
            }
            String[] parts = path.split("/");
            // "", "control", "v1", "stations", "{id}", "calls"
            if (parts.length == 6 && parts[3].equals("stations") && parts[5].equals("calls")
                    && req.method().equals(HttpMethod.POST)) {
                call(ctx, keepAlive, parts[4], req);
                return;
            }
            problem(ctx, keepAlive, 404, "NOT_FOUND", "no such endpoint");
        }

        private void call(ChannelHandlerContext ctx, boolean keepAlive, String rawId, FullHttpRequest req) {
            IdentityCheck check = StationIdentity.fromUrlPathSegment(rawId);
            if (!(check instanceof IdentityCheck.Valid valid)) {
                problem(ctx, keepAlive, 400, "INVALID_IDENTITY", "not a valid station identity");
                return;
            }
            JsonNode body;
            try {
                body = json.readTree(req.content().toString(StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                problem(ctx, keepAlive, 400, "NOT_JSON", "the body is not JSON");
                return;
            }
            String action = body.path("action").asString(null);
            JsonNode payload = body.get("payload");
            int timeout = body.path("timeoutSeconds").asInt(30);
            if (action == null || !INJECTABLE.contains(action)) {
                problem(ctx, keepAlive, 400, "ACTION_NOT_ALLOWED", "action must be one of " + INJECTABLE);
                return;
            }
            if (!(payload instanceof ObjectNode p)) {
                problem(ctx, keepAlive, 400, "MISSING_PAYLOAD", "payload must be a JSON object");
                return;
            }
            if (timeout < 1 || timeout > 300) {
                problem(ctx, keepAlive, 400, "BAD_TIMEOUT", "timeoutSeconds must be between 1 and 300");
                return;
            }
            Optional<StationSession> session = sessions.get(valid.identity());
            if (session.isEmpty()) {
                problem(ctx, keepAlive, 404, "STATION_NOT_HERE", "the station is not connected to this terminator");
                return;
            }
            StationSession s = session.get();
            if (!s.version().hasTypedMessages()) {
                problem(ctx, keepAlive, 409, "VERSION_NOT_SUPPORTED", "the station speaks " + s.version().subprotocol());
                return;
            }
            Action a = Action.fromWire(action).orElseThrow();
            Optional<Violation> v = OcppCodec.of(s.version()).validate(a, OcppCodec.Kind.REQUEST, p);
            if (v.isPresent()) {
                problem(ctx, keepAlive, 400, "PAYLOAD_INVALID", v.get().describe());
                return;
            }
            s.inject(action, p, Duration.ofSeconds(timeout)).whenComplete((outcome, err) -> {
                if (err != null) {
                    Throwable c = err.getCause() != null ? err.getCause() : err;
                    if (c instanceof TimeoutException) {
                        problem(ctx, keepAlive, 504, "STATION_TIMEOUT", "the station did not answer in time");
                    } else {
                        problem(ctx, keepAlive, 404, "STATION_NOT_HERE", c.getMessage());
                    }
                    return;
                }
                ObjectNode out = json.createObjectNode().put("messageId", outcome.messageId());
                if (outcome instanceof CallOutcome.Result r) {
                    out.put("result", "CALLRESULT").set("payload", r.payload());
                } else {
                    CallOutcome.Error e = (CallOutcome.Error) outcome;
                    out.put("result", "CALLERROR").put("errorCode", e.errorCode()).put("errorDescription", e.errorDescription());
                    out.set("errorDetails", e.errorDetails());
                }
                send(ctx, keepAlive, 200, "application/json", json.writeValueAsString(out));
            });
        }

        private void problem(ChannelHandlerContext ctx, boolean keepAlive, int status, String code, String detail) {
            ObjectNode p = json.createObjectNode().put("type", "about:blank")
                    .put("title", HttpResponseStatus.valueOf(status).reasonPhrase()).put("status", status)
                    .put("code", code).put("detail", detail);
            send(ctx, keepAlive, status, "application/problem+json", json.writeValueAsString(p));
        }

        private void send(ChannelHandlerContext ctx, boolean keepAlive, int status, String type, String body) {
            FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                    Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
            res.headers().set(HttpHeaderNames.CONTENT_TYPE, type);
            res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
            if (keepAlive) {
                ctx.writeAndFlush(res);
            } else {
                ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
            }
        }
    }
}
