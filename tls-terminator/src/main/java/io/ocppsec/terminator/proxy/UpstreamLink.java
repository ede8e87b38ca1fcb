package io.ocppsec.terminator.proxy;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.ocppsec.ocpp.rpc.FrameHeader;
import io.ocppsec.terminator.Metrics;
import io.ocppsec.terminator.session.StationSession;
import io.ocppsec.terminator.session.Upstream;

/**
 * One station's connection to the CSMS. Until the upstream handshake completes the station is not
 * read (its messages wait in its socket); after it, messages flow both ways unchanged, with
 * backpressure; close codes pass through in both directions.
 */
final class UpstreamLink implements Upstream {
    private final StationSession session;
    private final Metrics metrics;
    private final int maxFrameBytes;
    private Channel channel;
    private boolean open;
    private boolean closed;
    /** Messages that arrived in the same read as the upgrade, before the upstream was open (bounded). */
    private final java.util.ArrayDeque<TextWebSocketFrame> early = new java.util.ArrayDeque<>();
    private static final int MAX_EARLY = 16;

    UpstreamLink(StationSession session, Metrics metrics, int maxFrameBytes) {
        this.session = session;
        this.metrics = metrics;
        this.maxFrameBytes = maxFrameBytes;
        session.channel().config().setAutoRead(false);
    }

    Handler handler(WebSocketClientHandshaker handshaker, UpstreamConnector connector) {
        return new Handler(handshaker, connector);
    }

    @Override
    public void fromStation(FrameHeader header, TextWebSocketFrame frame) {
        if (!open) {
            if (closed || early.size() >= MAX_EARLY) {
                frame.release();
            } else {
                early.add(frame);
            }
            return;
        }
        channel.writeAndFlush(frame);
    }

    @Override
    public boolean writable() {
        return channel != null && channel.isWritable();
    }

    @Override
    public void stationClosed(int code, String reason) {
        if (closed) {
            return;
        }
        closed = true;
        if (channel != null && channel.isActive()) {
            int c = code == 1005 || code == 1006 || code == 1015 ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : code;
            channel.writeAndFlush(new CloseWebSocketFrame(c, reason == null ? "" : reason)).addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void setReading(boolean reading) {
        if (channel != null && open) {
            channel.config().setAutoRead(reading);
        }
    }

    void connectFailed(String why) {
        TextWebSocketFrame f;
        while ((f = early.poll()) != null) {
            f.release();
        }
        if (!closed) {
            closed = true;
            session.upstreamClosed(WebSocketCloseStatus.TRY_AGAIN_LATER.code(), why);
        }
    }

    final class Handler extends SimpleChannelInboundHandler<Object> {
        private final WebSocketClientHandshaker handshaker;
        private final UpstreamConnector connector;

        Handler(WebSocketClientHandshaker handshaker, UpstreamConnector connector) {
            this.handshaker = handshaker;
            this.connector = connector;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            channel = ctx.channel();
            if (closed) {
                ctx.close();
                return;
            }
            handshaker.handshake(channel);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!handshaker.isHandshakeComplete()) {
                try {
                    handshaker.finishHandshake(channel, (FullHttpResponse) msg);
                } catch (RuntimeException e) {
                    connector.failed();
                    connectFailed("upstream CSMS refused the connection");
                    ctx.close();
                    return;
                }
                ctx.pipeline().addBefore(ctx.name(), "ws-aggregator", new WebSocketFrameAggregator(maxFrameBytes));
                connector.succeeded();
                open = true;
                if (closed) {
                    stationClosed(WebSocketCloseStatus.NORMAL_CLOSURE.code(), "");
                    return;
                }
                TextWebSocketFrame f;
                while ((f = early.poll()) != null) {
                    channel.write(f);
                }
                channel.flush();
                session.channel().config().setAutoRead(true);
                return;
            }
            WebSocketFrame frame = (WebSocketFrame) msg;
            if (frame instanceof TextWebSocketFrame text) {
                session.fromUpstream(text.retain());
            } else if (frame instanceof PingWebSocketFrame) {
                ctx.writeAndFlush(new PongWebSocketFrame(frame.content().retain()));
            } else if (frame instanceof CloseWebSocketFrame close) {
                int code = close.statusCode() < 0 ? WebSocketCloseStatus.NORMAL_CLOSURE.code() : close.statusCode();
                if (!closed) {
                    closed = true;
                    session.upstreamClosed(code, close.reasonText());
                }
                ctx.writeAndFlush(new CloseWebSocketFrame(code, "")).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (ctx.channel().isWritable()) {
                session.upstreamWritable();
            }
            ctx.fireChannelWritabilityChanged();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (!closed) {
                closed = true;
                if (open) {
                    session.upstreamClosed(WebSocketCloseStatus.TRY_AGAIN_LATER.code(), "upstream CSMS connection lost");
                } else {
                    connector.failed();
                    session.upstreamClosed(WebSocketCloseStatus.TRY_AGAIN_LATER.code(), "upstream CSMS unavailable");
                }
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
