package io.ocppsec.bench.terminator;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * A minimal upstream CSMS for the proxy latency run: a Netty WebSocket server that answers every
 * CALL {@code [2,"id",...]} with {@code [3,"id",{}]} at once, on the event loop that read it. It
 * accepts any path under {@code /ocpp}, negotiates {@code ocpp2.0.1} (or {@code ocpp2.1}), ignores
 * the terminator's identity headers and offers no permessage-deflate.
 *
 * <p>Two listeners: plain {@code ws} ({@code --ws-port}: what the terminator proxies to) and,
 * with {@code --wss-port}, {@code wss} with the same OpenSSL (BoringSSL) provider and client
 * certificates required and checked against {@code station-ca.pem} (the direct path
 * "station -> CSMS (wss)", the fair comparison for "station -> terminator (wss) -> CSMS (ws)").
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ocppsec.bench.terminator.EchoCsms --dir=DIR \
 *     --ws-port=9100 [--wss-port=9443] [--threads=1]</pre>
 *
 * Writes the bound ports to {@code DIR/csms.ports} ("ws wss").
 */
public final class EchoCsms {
    private static final byte[] RESULT_HEAD = "[3,\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RESULT_TAIL = "\",{}]".getBytes(StandardCharsets.US_ASCII);

    private final LongAdder answered = new LongAdder();

    public static void main(String[] args) throws Exception {
        Map<String, String> o = StationLoad.options(args);
        Path dir = Path.of(o.getOrDefault("dir", "target/bench-pki"));
        int threads = Integer.parseInt(o.getOrDefault("threads", "1"));
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        EchoCsms csms = new EchoCsms();
        int ws = csms.bind(group, Integer.parseInt(o.getOrDefault("ws-port", "0")), null);
        int wss = -1;
        if (o.containsKey("wss-port")) {
            SslContext tls = SslContextBuilder.forServer(dir.resolve("server-ec.pem").toFile(), dir.resolve("server-ec.key").toFile())
                    .sslProvider(SslProvider.OPENSSL)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(dir.resolve("station-ca.pem").toFile())
                    .build();
            wss = csms.bind(group, Integer.parseInt(o.get("wss-port")), tls);
        }
        Files.writeString(dir.resolve("csms.ports"), ws + " " + wss + "\n");
        System.out.println("EchoCsms listening: ws on " + ws + (wss > 0 ? ", wss on " + wss : "") + ", " + threads + " thread(s)");
        Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("EchoCsms answered " + csms.answered.sum() + " calls")));
        Thread.currentThread().join();
    }

    int bind(EventLoopGroup group, int port, SslContext tls) throws InterruptedException {
        Echo echo = new Echo();
        Channel ch = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(65536),
                                new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                                        .websocketPath("/ocpp").checkStartsWith(true).subprotocols("ocpp2.0.1,ocpp2.1")
                                        .handleCloseFrames(true).build()),
                                echo);
                    }
                }).bind(new InetSocketAddress("127.0.0.1", port)).sync().channel();
        return ((InetSocketAddress) ch.localAddress()).getPort();
    }

    @ChannelHandler.Sharable
    private final class Echo extends SimpleChannelInboundHandler<TextWebSocketFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TextWebSocketFrame frame) {
            ByteBuf in = frame.content();
            // [2,"<id>",... : the id is between the first two quotes; a frame that is not a CALL is dropped
            int start = in.readerIndex();
            int end = in.writerIndex();
            int q1 = in.indexOf(start, end, (byte) '"');
            if (q1 < 0 || in.indexOf(start, q1, (byte) '2') < 0) {
                return;
            }
            int q2 = in.indexOf(q1 + 1, end, (byte) '"');
            if (q2 < 0) {
                return;
            }
            ByteBuf out = ctx.alloc().buffer(q2 - q1 + 8);
            out.writeBytes(RESULT_HEAD);
            out.writeBytes(in, q1 + 1, q2 - q1 - 1);
            out.writeBytes(RESULT_TAIL);
            answered.increment();
            ctx.writeAndFlush(new TextWebSocketFrame(out));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
