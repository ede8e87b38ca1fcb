package io.ocppsec.terminator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketServerHandshakerFactory;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A CSMS for the proxy tests: a plain Netty WebSocket server on ws://127.0.0.1:port/ocpp/{id}. It
 * records the upgrade headers, queues what it receives per station, answers CALLs with an empty
 * CALLRESULT when {@code autoAnswer} is on, and can send to or close a station's connection.
 */
final class TestCsms implements AutoCloseable {
    final Map<String, Map<String, String>> headers = new ConcurrentHashMap<>();
    final Map<String, BlockingQueue<String>> received = new ConcurrentHashMap<>();
    final Map<String, Channel> channels = new ConcurrentHashMap<>();
    volatile boolean autoAnswer = true;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Channel server;

    TestCsms() throws InterruptedException {
        server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536), new Handler());
                    }
                }).bind("127.0.0.1", 0).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    BlockingQueue<String> queue(String station) {
        return received.computeIfAbsent(station, k -> new LinkedBlockingQueue<>());
    }

    void send(String station, String text) {
        channels.get(station).writeAndFlush(new TextWebSocketFrame(text));
    }

    void close(String station, int code, String reason) {
        channels.get(station).writeAndFlush(new CloseWebSocketFrame(code, reason));
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        private WebSocketServerHandshaker handshaker;
        private String station;

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof FullHttpRequest req) {
                station = req.uri().substring(req.uri().lastIndexOf('/') + 1);
                Map<String, String> h = java.util.Collections.synchronizedMap(new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER));
                req.headers().forEach(e -> h.put(e.getKey(), e.getValue()));
                headers.put(station, h);
                handshaker = new WebSocketServerHandshakerFactory("ws://127.0.0.1/ocpp/" + station, "ocpp2.0.1,ocpp2.1", true, 1 << 20)
                        .newHandshaker(req);
                handshaker.handshake(ctx.channel(), req);
                channels.put(station, ctx.channel());
                return;
            }
            WebSocketFrame f = (WebSocketFrame) msg;
            if (f instanceof TextWebSocketFrame t) {
                String text = t.text();
                queue(station).add(text);
                if (autoAnswer && text.startsWith("[2,")) {
                    String id = text.substring(4, text.indexOf('"', 4));
                    ctx.writeAndFlush(new TextWebSocketFrame("[3,\"" + id + "\",{}]"));
                }
            } else if (f instanceof CloseWebSocketFrame c) {
                queue(station).add("CLOSE " + c.statusCode());
                handshaker.close(ctx.channel(), c.retain());
            }
        }
    }

    @Override
    public void close() {
        server.close().syncUninterruptibly();
        group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
    }
}
