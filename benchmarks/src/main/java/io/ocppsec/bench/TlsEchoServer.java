package io.ocppsec.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.ocppsec.security.tls.ClientAuth;
import io.ocppsec.security.tls.TlsPolicy;

import java.io.File;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;

/**
 * The "Netty + BoringSSL alone" baseline for the handshake benchmark, and the stand-in target
 * until the terminator exists: a minimal mutual-TLS echo server with the OpenSSL (BoringSSL)
 * provider, configured exactly as {@link TlsPolicy#standard()} with
 * {@link ClientAuth#REQUIRED}: TLS 1.3 and 1.2 only, the seven allowed suites (the two
 * {@code TLS_RSA} ones cannot be negotiated with an EC server key), client certificate required
 * and verified against the given CA. Server session cache and TLS 1.3 tickets stay at netty's
 * defaults (as in a real server); the load generator never offers a session. No WebSocket, no
 * OCPP: it echoes bytes. Runs until killed; prints handshake counts on exit.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ocppsec.bench.TlsEchoServer \
 *     --listen 127.0.0.1:18444 --cert server.pem --key server.key --ca ca.pem [--workers 2]</pre>
 */
public final class TlsEchoServer {

    private TlsEchoServer() {
    }

    public static void main(String[] args) throws Exception {
        String host = "127.0.0.1";
        int port = 18444;
        File cert = null;
        File key = null;
        File ca = null;
        int workers = Math.max(1, Runtime.getRuntime().availableProcessors());
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                usage("missing value for " + a);
            }
            i++;
            switch (a) {
                case "--listen" -> {
                    int colon = v.lastIndexOf(':');
                    host = v.substring(0, colon);
                    port = Integer.parseInt(v.substring(colon + 1));
                }
                case "--cert" -> cert = new File(v);
                case "--key" -> key = new File(v);
                case "--ca" -> ca = new File(v);
                case "--workers" -> workers = Integer.parseInt(v);
                default -> usage("unknown option " + a);
            }
        }
        if (cert == null || key == null || ca == null) {
            usage("--cert, --key and --ca are required");
        }
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("netty-tcnative not available", OpenSsl.unavailabilityCause());
        }

        TlsPolicy policy = TlsPolicy.standard().withClientAuth(ClientAuth.REQUIRED);
        SslContext ssl = SslContextBuilder.forServer(cert, key)
                .sslProvider(SslProvider.OPENSSL)
                .trustManager(ca)
                .clientAuth(io.netty.handler.ssl.ClientAuth.REQUIRE)
                .protocols(policy.enabledProtocols())
                .ciphers(Arrays.asList(policy.enabledCipherSuites()))
                .build();

        LongAdder handshakes = new LongAdder();
        LongAdder failures = new LongAdder();
        ChannelHandler counter = new Counter(handshakes, failures);
        EventLoopGroup boss = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        EventLoopGroup work = new MultiThreadIoEventLoopGroup(workers, NioIoHandler.newFactory());
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println("TlsEchoServer: " + handshakes.sum() + " handshakes, " + failures.sum() + " failed");
            boss.shutdownGracefully();
            work.shutdownGracefully();
        }));
        new ServerBootstrap()
                .group(boss, work)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(ssl.newHandler(ch.alloc()), counter);
                    }
                })
                .bind(host, port).sync();
        System.out.println("TlsEchoServer listening on " + host + ":" + port + " (" + OpenSsl.versionString()
                + ", workers=" + workers + ", protocols=" + Arrays.toString(policy.enabledProtocols())
                + ", client auth REQUIRE)");
    }

    private static void usage(String why) {
        System.err.println(why);
        System.err.println("usage: TlsEchoServer --listen HOST:PORT --cert SERVER.pem --key SERVER.key --ca CA.pem [--workers N]");
        System.exit(2);
    }

    /** Counts handshakes, echoes application bytes, closes on errors. */
    @ChannelHandler.Sharable
    static final class Counter extends ChannelInboundHandlerAdapter {
        private final LongAdder ok;
        private final LongAdder failed;

        Counter(LongAdder ok, LongAdder failed) {
            this.ok = ok;
            this.failed = failed;
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
            if (evt instanceof SslHandshakeCompletionEvent e) {
                (e.isSuccess() ? ok : failed).increment();
            }
            super.userEventTriggered(ctx, evt);
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.writeAndFlush(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
