package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketClientCompressionHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.net.URI;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** permessage-deflate (RFC 7692), which OCPP-J requires a CSMS to support, with Netty's client as the peer. */
class CompressionTest {
    @TempDir
    Path dir;

    @Test
    void permessageDeflateIsNegotiatedAndWorks() throws Exception {
        try (Harness h = new Harness(dir, Map.of())) {
            h.standIn.station("CP2", "SN-2", 2, "secret-password-2");
            EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
            try {
                SslContext tls = SslContextBuilder.forClient().trustManager(h.pki.root).build();
                DefaultHttpHeaders headers = new DefaultHttpHeaders();
                headers.set("Authorization", "Basic " + Base64.getEncoder().encodeToString("CP2:secret-password-2".getBytes()));
                URI uri = h.wss("CP2");
                WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(uri, WebSocketVersion.V13,
                        "ocpp2.0.1", true, headers, 65536);
                CompletableFuture<FullHttpResponse> upgraded = new CompletableFuture<>();
                BlockingQueue<String> got = new LinkedBlockingQueue<>();
                Channel ch = new Bootstrap().group(group).channel(NioSocketChannel.class).handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(tls.newHandler(c.alloc(), "localhost", uri.getPort()), new HttpClientCodec(),
                                new HttpObjectAggregator(8192), WebSocketClientCompressionHandler.INSTANCE,
                                new SimpleChannelInboundHandler<Object>() {
                                    @Override
                                    public void channelActive(ChannelHandlerContext ctx) {
                                        hs.handshake(ctx.channel());
                                    }

                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
                                        if (!hs.isHandshakeComplete()) {
                                            FullHttpResponse r = (FullHttpResponse) msg;
                                            upgraded.complete(r.retainedDuplicate());
                                            hs.finishHandshake(ctx.channel(), r);
                                        } else if (msg instanceof TextWebSocketFrame t) {
                                            got.add(t.text());
                                        }
                                    }
                                });
                    }
                }).connect("localhost", uri.getPort()).sync().channel();
                FullHttpResponse response = upgraded.get(10, TimeUnit.SECONDS);
                assertThat(response.headers().get("Sec-WebSocket-Extensions")).startsWith("permessage-deflate");
                response.release();
                String boot = ProfileEnforcementTest.boot("SN-2" + "x".repeat(0));
                ch.writeAndFlush(new TextWebSocketFrame(boot));
                assertThat(got.poll(10, TimeUnit.SECONDS)).startsWith("[3,\"b1\",").contains("Accepted");
                ch.close().sync();
            } finally {
                group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
            }
        }
    }
}
