package io.ocppsec.terminator.upgrade;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.Utf8FrameValidator;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketDecoderConfig;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import io.netty.handler.timeout.IdleStateHandler;
import io.ocppsec.ocpp.rpc.Subprotocols;
import io.ocppsec.security.auth.IdentityCheck;
import io.ocppsec.security.auth.StationIdentity;
import io.ocppsec.terminator.proxy.UpstreamConnector;
import io.ocppsec.terminator.session.SessionContext;
import io.ocppsec.terminator.session.StationSession;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * The HTTP side of a station connection: only {@code GET /ocpp/{stationId}} with a WebSocket
 * upgrade is served. The identity is percent-decoded and validated; then {@link StationAdmission}
 * decides; a refusal is an HTTP answer with the right status (400, 401, 403, 404, 405, 426, 429,
 * 503), a security event with its reason, and a failure for the IP's and the station's back-off;
 * an admission upgrades the connection with the negotiated subprotocol (none when the station
 * offered none we allow: then the handshake completes without one and the connection is closed,
 * as OCPP-J §3.3 says) and hands it to a {@link StationSession}.
 */
public final class UpgradeHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final String PREFIX = "/ocpp/";

    private final boolean tlsListener;
    private final StationAdmission admission;
    private final FailureLimiter ipFailures;
    private final FailureLimiter stationFailures;
    private final AcceptGate gate;
    private final SessionContext sessions;
    private final UpstreamConnector upstream;

    public UpgradeHandler(boolean tlsListener, StationAdmission admission, FailureLimiter ipFailures,
                          FailureLimiter stationFailures, AcceptGate gate, SessionContext sessions, UpstreamConnector upstream) {
        this.tlsListener = tlsListener;
        this.admission = admission;
        this.ipFailures = ipFailures;
        this.stationFailures = stationFailures;
        this.gate = gate;
        this.sessions = sessions;
        this.upstream = upstream;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
        String ip = AcceptGate.ip(ctx.channel());
        if (!req.decoderResult().isSuccess()) {
            refuse(ctx, null, ip, 400, "BAD_HTTP_REQUEST", null, "InvalidMessages", "the HTTP request is malformed", 0, true);
            return;
        }
        String path = new QueryStringDecoder(req.uri()).rawPath();
        if (!path.startsWith(PREFIX) || path.indexOf('/', PREFIX.length()) >= 0 || path.length() == PREFIX.length()) {
            refuse(ctx, null, ip, 404, "NOT_AN_OCPP_PATH", null, "InvalidMessages", "only /ocpp/{stationId} is served", 0, true);
            return;
        }
        if (!HttpMethod.GET.equals(req.method())) {
            refuse(ctx, null, ip, 405, "METHOD_NOT_ALLOWED", null, "InvalidMessages", "only GET with a WebSocket upgrade", 0, true);
            return;
        }
        IdentityCheck check = StationIdentity.fromUrlPathSegment(path.substring(PREFIX.length()));
        if (check instanceof IdentityCheck.Invalid invalid) {
            refuse(ctx, null, ip, 400, "INVALID_IDENTITY", "A00.FR.003", "InvalidMessages",
                    "the station identity in the URL is not valid: " + invalid.detail(), 0, true);
            return;
        }
        StationIdentity identity = ((IdentityCheck.Valid) check).identity();
        if (!req.headers().containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)
                || !req.headers().containsValue(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE, true)) {
            refuse(ctx, identity, ip, 426, "NOT_A_WEBSOCKET_UPGRADE", null, "InvalidMessages",
                    "a WebSocket upgrade is required", 0, true);
            return;
        }
        long blocked = stationFailures.blockedFor(identity.canonicalKey());
        if (blocked > 0) {
            refuse(ctx, identity, ip, 429, "STATION_BACKOFF", null, "RateLimited",
                    "too many failed connections for this station", (blocked + 999) / 1000, false);
            return;
        }
        if (upstream != null && !upstream.available()) {
            refuse(ctx, identity, ip, 503, "UPSTREAM_DOWN", null, "UpstreamUnavailable",
                    "the CSMS is not reachable", upstream.retryAfterSeconds(), false);
            return;
        }
        boolean tls = tlsListener && Boolean.TRUE.equals(ctx.channel().attr(Attributes.TLS_OK).get());
        StationAdmission.Request request = new StationAdmission.Request(identity, tls,
                tls ? ctx.channel().attr(Attributes.CLIENT_CHAIN).get() : null,
                req.headers().get(HttpHeaderNames.AUTHORIZATION),
                Subprotocols.parse(req.headers().getAll(HttpHeaderNames.SEC_WEBSOCKET_PROTOCOL)));
        ctx.channel().config().setAutoRead(false);
        req.retain();
        admission.decide(request).whenComplete((decision, err) -> ctx.executor().execute(() -> {
            try {
                if (!ctx.channel().isActive()) {
                    return;
                }
                if (err != null) {
                    refuse(ctx, identity, ip, 500, "INTERNAL_ERROR", null, "TerminatorOverloaded", "internal error", 0, false);
                } else if (decision instanceof Decision.Refuse r) {
                    refuse(ctx, identity, ip, r.httpStatus(), r.reason(), r.requirement(), r.eventType(), r.detail(),
                            r.retryAfterSeconds(), r.countsAsFailure());
                } else {
                    upgrade(ctx, req, identity, ip, (Decision.Admit) decision);
                }
            } finally {
                req.release();
            }
        }));
    }

    private void upgrade(ChannelHandlerContext ctx, FullHttpRequest req, StationIdentity identity, String ip, Decision.Admit admit) {
        int max = sessions.config().maxFrameBytes();
        String scheme = tlsListener ? "wss" : "ws";
        WebSocketServerHandshakerFactory factory = new WebSocketServerHandshakerFactory(
                scheme + "://" + req.headers().get(HttpHeaderNames.HOST, "localhost") + req.uri(),
                admit.version() == null ? null : admit.version().subprotocol(),
                WebSocketDecoderConfig.newBuilder().maxFramePayloadLength(max).allowExtensions(true)
                        .allowMaskMismatch(false).closeOnProtocolViolation(true).withUTF8Validator(true).build());
        WebSocketServerHandshaker handshaker = factory.newHandshaker(req);
        if (handshaker == null) {
            WebSocketServerHandshakerFactory.sendUnsupportedVersionResponse(ctx.channel()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ChannelPipeline p = ctx.pipeline();
        handshaker.handshake(ctx.channel(), req).addListener(f -> {
            if (!f.isSuccess()) {
                ctx.close();
                return;
            }
            gate.released(ctx.channel());
            ctx.channel().attr(Attributes.CLIENT_CHAIN).set(null); // the session keeps what it needs
            if (admit.version() == null) {
                refused(identity, ip, "NO_COMMON_SUBPROTOCOL", null, "InvalidMessages",
                        "the station offered no OCPP version its record allows", false);
                ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR.code(),
                        "no supported OCPP version offered")).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            ipFailures.succeeded(ip);
            stationFailures.succeeded(identity.canonicalKey());
            if (admit.expiredAccepted()) {
                sessions.events().terminator(identity.value(), ip, "InvalidChargingStationCertificate",
                        "EXPIRED_CERTIFICATE_ACCEPTED", "A00.FR.429",
                        "accepted with an expired client certificate (per-station exception); renewal follows");
            }
            long ping = sessions.config().pingInterval().toMillis();
            p.replace(this, "idle", new IdleStateHandler(ping, 0, 0, TimeUnit.MILLISECONDS));
            p.addAfter("idle", "utf8", new Utf8FrameValidator(true));
            p.addAfter("utf8", "ws-aggregator", new WebSocketFrameAggregator(max));
            p.addAfter("ws-aggregator", "session", new StationSession(sessions, identity, admit, ip + ":"
                    + ((java.net.InetSocketAddress) ctx.channel().remoteAddress()).getPort()));
            if (!sessions.config().proxied()) {
                ctx.channel().config().setAutoRead(true); // a proxied session reads once the CSMS side is open
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A failed TLS handshake (already reported by the TLS observer), a reset, a broken request: close.
        ctx.close();
    }

    private void refuse(ChannelHandlerContext ctx, StationIdentity identity, String ip, int status, String reason,
                        String requirement, String eventType, String detail, long retryAfter, boolean counts) {
        refused(identity, ip, reason, requirement, eventType, detail, counts);
        FullHttpResponse res = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.copiedBuffer(reason + ": " + detail + "\n", StandardCharsets.UTF_8));
        res.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        res.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
        res.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        if (status == 401) {
            res.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Basic realm=\"OCPP\", charset=\"UTF-8\"");
        }
        if (status == 426) {
            res.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
        }
        if (retryAfter > 0) {
            res.headers().set(HttpHeaderNames.RETRY_AFTER, Long.toString(retryAfter));
        }
        ctx.writeAndFlush(res).addListener(ChannelFutureListener.CLOSE);
    }

    private void refused(StationIdentity identity, String ip, String reason, String requirement, String eventType,
                         String detail, boolean counts) {
        sessions.metrics().refused(reason);
        sessions.events().terminator(identity == null ? null : identity.value(), ip, eventType, reason, requirement, detail);
        if (counts) {
            ipFailures.failed(ip);
            if (identity != null) {
                stationFailures.failed(identity.canonicalKey());
            }
        }
    }
}
