package io.ocppsec.bench.terminator;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakeException;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshaker;
import io.netty.handler.codec.http.websocketx.WebSocketClientHandshakerFactory;
import io.netty.handler.codec.http.websocketx.WebSocketVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * Load generator for the TLS terminator: security-profile-3 charging stations over
 * {@code wss://HOST:PORT/ocpp/CS<n>}, each with its own client certificate (CN = CS&lt;n&gt;,
 * {@link StationCerts}), offering {@code ocpp2.0.1}, sending a BootNotification once upgraded and
 * counting the answers. Netty NIO with one shared event-loop group, TLS through the OpenSSL
 * (BoringSSL) provider of netty-tcnative with ONE client {@code SslContext} whose key manager picks
 * the station's certificate per connection. The client does not verify the server certificate
 * (the bench's own, on loopback): that saves the client a Java signature check per handshake on
 * shared cores; the terminator's side is untouched. No session resumption (a restarted terminator
 * could not resume anyway). Connections are bound to source addresses {@code --src} (default
 * 127.0.0.2), {@code --src+1}, ..., {@code --per-ip} stations each, against ephemeral-port exhaustion.
 *
 * <p>Modes:
 * <ul>
 *   <li>{@code idle N}: opens N stations at {@code --rate} per second (at most {@code --inflight}
 *       unfinished at once), waits until all are booted, then, with {@code --pid} (the terminator's
 *       process), reports its memory per connection: VmRSS from /proc and heap used after a full
 *       GC ({@code jcmd PID GC.run}, {@code GC.heap_info}) before the first connection and with N;
 *       holds them {@code --hold} seconds (pings answered) and measures again.</li>
 *   <li>{@code storm N}: all N stations start within {@code --spread} ms (default 1000); a refused
 *       or closed attempt retries after a back-off ({@code --backoff-min} doubling to
 *       {@code --backoff-max}, plus up to {@code --jitter} ms, at least the server's Retry-After);
 *       reports the time until all are booted, the retries and why, the terminator's CPU time,
 *       its pacing figures and refusals; progress every second with the /health latency.</li>
 *   <li>{@code proxy}: {@code --stations} stations on each path, CALLs (a 120-byte
 *       StatusNotification) at an aggregate {@code --rate} per second, at most one outstanding per
 *       station (OCPP-J), round-trip times in an HdrHistogram; paths alternate for
 *       {@code --rounds} rounds of {@code --warmup} + {@code --duration} seconds: {@code via}
 *       (station -> terminator wss -> EchoCsms ws), {@code direct-wss} (station -> EchoCsms wss,
 *       same client, same TLS provider, client certificate required), and {@code direct-ws}
 *       (plain, for reference).</li>
 * </ul>
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ocppsec.bench.terminator.StationLoad idle 19000 \
 *     --dir=DIR --port=8443 --control-port=8081 --pid=PID [--rate=300] [--hold=60]
 * ... StationLoad storm 19000 --dir=DIR --port=8443 --control-port=8081 --pid=PID [--per-ip=100]
 * ... StationLoad proxy --dir=DIR --port=8443 --csms-wss-port=9443 --csms-ws-port=9100 \
 *     [--stations=50] [--rate=5000] [--warmup=10] [--duration=30] [--rounds=3]</pre>
 *
 * Output: progress lines, then lines starting with {@code RESULT} ({@code key=value}).
 */
public final class StationLoad {
    private static final byte[] BOOT_ANSWER = "[3,\"b\"".getBytes(StandardCharsets.US_ASCII);
    private static final String STATUS = "\",\"StatusNotification\",{\"timestamp\":\"2026-11-21T10:00:00.000Z\","
            + "\"connectorStatus\":\"Available\",\"evseId\":1,\"connectorId\":1}]";

    /** Where connections go. */
    record Target(String name, String host, int port, boolean tls) {
        URI uri(String id) {
            return URI.create((tls ? "wss" : "ws") + "://" + host + ":" + port + "/ocpp/" + id);
        }
    }

    enum Phase { CONNECTING, TLS, UPGRADING, BOOTING, BOOTED }

    /** One simulated station (one connection per target in proxy mode). */
    static final class Station {
        final int number;
        final String id;
        final InetSocketAddress local;
        final Target target;
        volatile Channel channel;
        volatile boolean booted;
        volatile long bootedAtNanos;
        int failures;
        // proxy mode, touched only on the channel's event loop
        long seq;
        long sentAt;
        boolean outstanding;
        boolean tickPending;
        ScheduledFuture<?> ticker;

        Station(int number, InetSocketAddress local, Target target) {
            this.number = number;
            this.id = "CS" + number;
            this.local = local;
            this.target = target;
        }
    }

    /** What a mode does with connection events (called on event loops). */
    interface Events {
        void booted(Station s);

        /** An attempt failed before the station was booted. */
        void failed(Station s, String reason, long retryAfterMillis);

        /** A booted station's connection went away. */
        void lost(Station s, String reason);

        default void text(Station s, ByteBuf content, long nowNanos) {
        }
    }

    private final Map<String, String> o;
    private final EventLoopGroup group;
    private final SslContext tls;
    private final StationCerts certs;
    private final long tlsTimeoutMillis;
    private final long attemptTimeoutMillis;
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Map<String, LongAdder> reasons = new ConcurrentHashMap<>();

    StationLoad(Map<String, String> o, StationCerts certs) throws IOException {
        this.o = o;
        this.certs = certs;
        int threads = integer(o, "threads", Runtime.getRuntime().availableProcessors());
        this.group = new MultiThreadIoEventLoopGroup(threads, NioIoHandler.newFactory());
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("netty-tcnative (BoringSSL) is not available", OpenSsl.unavailabilityCause());
        }
        this.tls = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .protocols("TLSv1.3", "TLSv1.2")
                .keyManager(certs.keyManager())
                .trustManager(InsecureTrustManagerFactory.INSTANCE)
                .build();
        ((OpenSslSessionContext) tls.sessionContext()).setSessionCacheEnabled(false);
        this.tlsTimeoutMillis = integer(o, "tls-timeout", 30) * 1000L;
        this.attemptTimeoutMillis = integer(o, "attempt-timeout", 45) * 1000L;
        System.out.printf(Locale.ROOT, "StationLoad: %d event-loop thread(s), TLS %s, %d CPUs visible%n", threads,
                OpenSsl.versionString(), Runtime.getRuntime().availableProcessors());
    }

    // ---------------------------------------------------------------------------------------------

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String mode = o.getOrDefault("_0", "");
        switch (mode) {
            case "idle", "storm" -> reconnecting(mode, o);
            case "proxy" -> proxy(o);
            default -> {
                System.err.println("usage: StationLoad idle N | storm N | proxy  [--name=value ...] (see the class comment)");
                System.exit(2);
            }
        }
        System.exit(0);
    }

    /** {@code --name=value} options (a bare {@code --flag} is "true"); positional arguments as _0, _1, ... */
    static Map<String, String> options(String[] args) {
        Map<String, String> m = new LinkedHashMap<>();
        int pos = 0;
        for (String a : args) {
            if (a.startsWith("--")) {
                int eq = a.indexOf('=');
                if (eq > 0) {
                    m.put(a.substring(2, eq), a.substring(eq + 1));
                } else {
                    m.put(a.substring(2), "true");
                }
            } else {
                m.put("_" + pos++, a);
            }
        }
        return m;
    }

    static int integer(Map<String, String> o, String name, int dflt) {
        return o.containsKey(name) ? Integer.parseInt(o.get(name)) : dflt;
    }

    private static InetSocketAddress source(String base, int index, int perIp) {
        try {
            byte[] b = InetAddress.getByName(base).getAddress();
            int ip = ((b[0] & 0xff) << 24 | (b[1] & 0xff) << 16 | (b[2] & 0xff) << 8 | (b[3] & 0xff)) + index / perIp;
            return new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) (ip >>> 24), (byte) (ip >>> 16),
                (byte) (ip >>> 8), (byte) ip}), 0);
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private void reason(String r) {
        reasons.computeIfAbsent(r, k -> new LongAdder()).increment();
    }

    private String reasons() {
        Map<String, Long> m = new TreeMap<>();
        reasons.forEach((k, v) -> m.put(k, v.sum()));
        return m.toString();
    }

    // --- one connection attempt --------------------------------------------------------------------

    void attempt(Station s, Events events) {
        Target t = s.target;
        inFlight.incrementAndGet();
        new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) attemptTimeoutMillis)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (t.tls()) {
                            SslHandler ssl = tls.newHandler(ch.alloc(), "localhost", t.port());
                            ssl.setHandshakeTimeoutMillis(tlsTimeoutMillis);
                            certs.register(ssl.engine(), s.number);
                            ch.pipeline().addLast("tls", ssl);
                        }
                        DefaultHttpHeaders headers = new DefaultHttpHeaders();
                        WebSocketClientHandshaker hs = WebSocketClientHandshakerFactory.newHandshaker(t.uri(s.id),
                                WebSocketVersion.V13, "ocpp2.0.1", false, headers, 65536);
                        ch.pipeline().addLast(new HttpClientCodec(4096, 8192, 8192), new HttpObjectAggregator(8192),
                                new Conn(s, hs, events, t.tls()));
                    }
                })
                .connect(new InetSocketAddress(t.host(), t.port()), s.local)
                .addListener((ChannelFutureListener) f -> {
                    if (!f.isSuccess()) {
                        inFlight.decrementAndGet();
                        String r = "connect:" + f.cause().getClass().getSimpleName();
                        reason(r);
                        events.failed(s, r, 0);
                    }
                });
    }

    private final class Conn extends SimpleChannelInboundHandler<Object> {
        private final Station s;
        private final WebSocketClientHandshaker hs;
        private final Events events;
        private Phase phase = Phase.CONNECTING;
        private String failure;
        private long retryAfter;
        private ScheduledFuture<?> timeout;

        Conn(Station s, WebSocketClientHandshaker hs, Events events, boolean tls) {
            this.s = s;
            this.hs = hs;
            this.events = events;
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            open.incrementAndGet();
            s.channel = ctx.channel();
            phase = ctx.pipeline().get(SslHandler.class) != null ? Phase.TLS : Phase.UPGRADING;
            timeout = ctx.executor().schedule(() -> {
                if (phase != Phase.BOOTED) {
                    failure = "timeout-in-" + phase;
                    ctx.close();
                }
            }, attemptTimeoutMillis, TimeUnit.MILLISECONDS);
            hs.handshake(ctx.channel()); // written once TLS is up
            ctx.fireChannelActive();
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof SslHandshakeCompletionEvent done) {
                certs.unregister(ctx.pipeline().get(SslHandler.class).engine());
                if (done.isSuccess()) {
                    phase = Phase.UPGRADING;
                } else if (failure == null) {
                    String c = done.cause() == null ? "?" : done.cause().getClass().getSimpleName();
                    failure = "tls:" + c;
                }
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (!hs.isHandshakeComplete()) {
                try {
                    hs.finishHandshake(ctx.channel(), (FullHttpResponse) msg);
                } catch (WebSocketClientHandshakeException e) {
                    FullHttpResponse r = (FullHttpResponse) msg;
                    failure = "http-" + r.status().code();
                    String ra = r.headers().get(HttpHeaderNames.RETRY_AFTER);
                    if (ra != null && ra.matches("[0-9]{1,4}")) {
                        retryAfter = Long.parseLong(ra) * 1000;
                    }
                    ctx.close();
                    return;
                }
                phase = Phase.BOOTING;
                ctx.writeAndFlush(new TextWebSocketFrame("[2,\"b\",\"BootNotification\",{\"chargingStation\":{\"model\":\"M\","
                        + "\"vendorName\":\"V\",\"serialNumber\":\"" + s.id + "\"},\"reason\":\"PowerUp\"}]"));
                return;
            }
            if (msg instanceof TextWebSocketFrame text) {
                ByteBuf c = text.content();
                long now = System.nanoTime();
                if (phase == Phase.BOOTING && startsWith(c, BOOT_ANSWER)) {
                    phase = Phase.BOOTED;
                    timeout.cancel(false);
                    inFlight.decrementAndGet();
                    events.booted(s);
                    return;
                }
                if (c.readableBytes() > 3 && c.getByte(c.readerIndex() + 1) == '2') {
                    // a CALL from the CSMS side: acknowledge it
                    String in = c.toString(StandardCharsets.UTF_8);
                    int q1 = in.indexOf('"');
                    int q2 = in.indexOf('"', q1 + 1);
                    if (q1 > 0 && q2 > q1) {
                        ctx.writeAndFlush(new TextWebSocketFrame("[3,\"" + in.substring(q1 + 1, q2) + "\",{}]"));
                    }
                    return;
                }
                events.text(s, c, now);
            } else if (msg instanceof PingWebSocketFrame ping) {
                ctx.writeAndFlush(new PongWebSocketFrame(ping.content().retain()));
            } else if (msg instanceof CloseWebSocketFrame close) {
                if (failure == null) {
                    failure = "ws-close-" + close.statusCode() + "-in-" + phase;
                }
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            open.decrementAndGet();
            if (timeout != null) {
                timeout.cancel(false);
            }
            SslHandler ssl = ctx.pipeline().get(SslHandler.class);
            if (ssl != null) {
                certs.unregister(ssl.engine());
            }
            String r = failure != null ? failure : "closed-in-" + phase;
            reason(r);
            if (phase == Phase.BOOTED) {
                events.lost(s, r);
            } else {
                inFlight.decrementAndGet();
                events.failed(s, r, retryAfter);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (failure == null) {
                failure = "error-in-" + phase + ":" + cause.getClass().getSimpleName();
            }
            ctx.close();
        }
    }

    private static boolean startsWith(ByteBuf b, byte[] prefix) {
        if (b.readableBytes() < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b.getByte(b.readerIndex() + i) != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    // --- idle and storm ----------------------------------------------------------------------------

    /**
     * Asks BenchPki (its port and token from {@code dir}) to sign the stations' OCSP responses now,
     * before the clock starts, as pki-service's responder has them pre-signed long before a storm. Skipped
     * with a note when BenchPki is not there.
     */
    private static void presign(Path dir, StationCerts certs) {
        Path portFile = dir.resolve("pki.port");
        if (!java.nio.file.Files.exists(portFile)) {
            System.out.println("no BenchPki port file: OCSP responses are signed on first use");
            return;
        }
        try {
            long t0 = System.nanoTime();
            String port = java.nio.file.Files.readString(portFile).trim();
            String token = java.nio.file.Files.readString(dir.resolve("terminator-token")).trim();
            var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + port + "/bench/presign"))
                    .header("Authorization", "Bearer " + token)
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(String.join("\n", certs.serialsHex()))).build();
            var resp = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
            System.out.printf(Locale.ROOT, "BenchPki pre-signed %s OCSP responses in %.1f s (HTTP %d)%n", resp.body().trim(),
                    (System.nanoTime() - t0) / 1e9, resp.statusCode());
        } catch (Exception e) {
            System.out.println("OCSP pre-signing failed (" + e + "): responses are signed on first use");
        }
    }

    private static void reconnecting(String mode, Map<String, String> o) throws Exception {
        int n = Integer.parseInt(o.getOrDefault("_1", "1000"));
        int first = integer(o, "first", 1);
        Path dir = Path.of(o.getOrDefault("dir", "target/bench-pki"));
        String host = o.getOrDefault("host", "127.0.0.1");
        int port = integer(o, "port", 8443);
        int perIp = integer(o, "per-ip", mode.equals("storm") ? 100 : 1000);
        String src = o.getOrDefault("src", "127.0.0.2");
        long pid = Long.parseLong(o.getOrDefault("pid", "0"));
        int controlPort = integer(o, "control-port", 0);
        Terminal term = new Terminal(pid, controlPort);

        long t0 = System.nanoTime();
        StationCerts certs = new StationCerts(dir, first, n, Math.max(1, Runtime.getRuntime().availableProcessors()));
        System.out.printf(Locale.ROOT, "issued %d client certificates in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
        presign(dir, certs);
        StationLoad load = new StationLoad(o, certs);
        Target target = new Target("terminator", host, port, true);
        Station[] stations = new Station[n];
        for (int i = 0; i < n; i++) {
            stations[i] = new Station(first + i, source(src, i, perIp), target);
        }
        System.out.printf(Locale.ROOT, "%d stations CS%d..CS%d, source addresses %s.. (%d per address), target %s:%d%n",
                n, first, first + n - 1, src, perIp, host, port);

        Memory before = null;
        Memory mid = null;
        Map<String, long[]> histoBefore = null;
        if (mode.equals("idle") && pid > 0) {
            before = term.memory();
            System.out.println("terminator before: " + before);
            if (o.containsKey("histogram")) {
                histoBefore = term.classHistogram();
            }
        }

        long backoffMin = integer(o, "backoff-min", 1000);
        long backoffMax = integer(o, "backoff-max", 30_000);
        long jitter = integer(o, "jitter", 1000);
        CountDownLatch all = new CountDownLatch(n);
        AtomicLong retries = new AtomicLong();
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger bootedCount = new AtomicInteger();
        long[] bootTimes = new long[n];
        java.util.concurrent.Semaphore window = new java.util.concurrent.Semaphore(integer(o, "inflight", 200));
        boolean idle = mode.equals("idle");
        long start = System.nanoTime();
        double cpu0 = term.cpuSeconds();
        double selfCpu0 = Terminal.cpuSeconds(ProcessHandle.current().pid());
        Events events = new Events() {
            @Override
            public void booted(Station s) {
                if (!s.booted) {
                    s.booted = true;
                    s.bootedAtNanos = System.nanoTime();
                    bootTimes[s.number - first] = s.bootedAtNanos - start;
                    bootedCount.incrementAndGet();
                    if (idle) {
                        window.release();
                    }
                    all.countDown();
                }
            }

            @Override
            public void failed(Station s, String reason, long retryAfterMillis) {
                retries.incrementAndGet();
                s.failures++;
                long d = Math.min(backoffMax, backoffMin << Math.min(20, s.failures - 1));
                d = Math.max(d, retryAfterMillis) + ThreadLocalRandom.current().nextLong(jitter + 1);
                load.group.schedule(() -> load.attempt(s, this), d, TimeUnit.MILLISECONDS);
            }

            @Override
            public void lost(Station s, String reason) {
                lost.incrementAndGet();
            }
        };

        // progress, once a second for a storm, every 5 s when opening idle connections
        long every = idle ? 5000 : 1000;
        Thread progress = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(every);
                    long asked = System.nanoTime();
                    Map<String, String> h = term.health();
                    long healthMillis = (System.nanoTime() - asked) / 1_000_000;
                    System.out.printf(Locale.ROOT, "t=%6.1fs booted=%d open=%d inflight=%d retries=%d lost=%d | terminator: "
                                    + "/health %d ms, connections=%s %s pending=%s fds=%s rss=%s%n",
                            (asked - start) / 1e9, bootedCount.get(), load.open.get(), load.inFlight.get(),
                            retries.get(), lost.get(), healthMillis, h.get("connections"), pacing(h),
                            term.metric("ocppsec_terminator_pending_connections"), term.fds(),
                            term.rssKb() < 0 ? "?" : term.rssKb() / 1024 + "MiB");
                }
            } catch (InterruptedException e) {
                // done
            }
        }, "progress");
        progress.setDaemon(true);
        progress.start();

        if (idle) {
            int rate = integer(o, "rate", 300);
            long gap = 1_000_000_000L / Math.max(1, rate);
            int checkpoint = integer(o, "checkpoint", 0);
            long next = System.nanoTime();
            for (Station s : stations) {
                if (before != null && checkpoint > 0 && s.number - first == checkpoint) {
                    while (bootedCount.get() < checkpoint) {
                        Thread.sleep(100);
                    }
                    Thread.sleep(integer(o, "settle", 5) * 1000L);
                    mid = term.memory();
                    report("with " + checkpoint + " connections (checkpoint)", before, mid, checkpoint, term);
                    next = System.nanoTime();
                }
                window.acquire();
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    TimeUnit.NANOSECONDS.sleep(wait);
                }
                next += gap;
                load.attempt(s, events);
            }
        } else {
            long spread = TimeUnit.MILLISECONDS.toNanos(integer(o, "spread", 1000));
            for (int i = 0; i < n; i++) {
                Station s = stations[i];
                load.group.schedule(() -> load.attempt(s, events), spread * i / n, TimeUnit.NANOSECONDS);
            }
        }
        long deadline = integer(o, "deadline", 600);
        boolean done = all.await(deadline, TimeUnit.SECONDS);
        double elapsed = (System.nanoTime() - start) / 1e9;
        double cpu = term.cpuSeconds() - cpu0;
        double selfCpu = Terminal.cpuSeconds(ProcessHandle.current().pid()) - selfCpu0;
        long[] sorted = Arrays.copyOf(bootTimes, n);
        Arrays.sort(sorted);
        Map<String, String> h = term.health();
        System.out.printf(Locale.ROOT, "%s: %d of %d booted in %.1f s, retries %d, lost after boot %d, attempt outcomes %s%n",
                mode, bootedCount.get(), n, elapsed, retries.get(), lost.get(), load.reasons());
        System.out.printf(Locale.ROOT, "RESULT mode=%s n=%d booted=%d all_booted=%s seconds_to_all=%.1f boot_p50_s=%.1f boot_p90_s=%.1f "
                        + "boot_p99_s=%.1f retries=%d lost=%d %s terminator_connections=%s terminator_alive=%s%n",
                mode, n, bootedCount.get(), done, elapsed, sorted[n / 2] / 1e9, sorted[(int) (n * 0.9)] / 1e9,
                sorted[Math.min(n - 1, (int) (n * 0.99))] / 1e9, retries.get(), lost.get(), pacing(h),
                h.get("connections"), term.alive());
        System.out.printf(Locale.ROOT, "RESULT cpu terminator_cpu_s=%.1f terminator_cpu_ms_per_booted=%.2f load_generator_cpu_s=%.1f "
                        + "(from the first attempt until all booted; user+system, /proc/PID/stat)%n",
                cpu, cpu * 1000 / Math.max(1, bootedCount.get()), selfCpu);
        System.out.println("terminator health: " + h);
        System.out.println("terminator refusals: " + term.metrics("ocppsec_terminator_refusals_total"));
        System.out.println("terminator handshakes: " + term.metrics("ocppsec_terminator_tls_handshakes_total"));

        if (idle && before != null) {
            Thread.sleep(integer(o, "settle", 5) * 1000L);
            Memory with = term.memory();
            report("with " + bootedCount.get() + " connections", before, with, bootedCount.get(), term);
            if (histoBefore != null) {
                System.out.print(Terminal.histogramDelta(histoBefore, term.classHistogram(), bootedCount.get(),
                        integer(o, "histogram-top", 25)));
            }
            if (mid != null) {
                int more = bootedCount.get() - integer(o, "checkpoint", 0);
                System.out.printf(Locale.ROOT, "RESULT memory=marginal_from_checkpoint n=%d rss_per_conn_kib=%.2f heap_per_conn_kib=%.2f "
                                + "total_per_conn_kib=%.2f (the slope between the checkpoint and all: one-time costs excluded)%n",
                        more, (with.rssKb - mid.rssKb) / (double) more, (with.heapUsedKb - mid.heapUsedKb) / (double) more,
                        (with.rssKb - mid.rssKb + with.heapUsedKb - mid.heapUsedKb) / (double) more);
            }
            int hold = integer(o, "hold", 0);
            if (hold > 0) {
                System.out.printf(Locale.ROOT, "holding %d s (the terminator pings silent stations; they answer)%n", hold);
                Thread.sleep(hold * 1000L);
                Memory later = term.memory();
                System.out.printf(Locale.ROOT, "after holding %d s: open=%d lost=%d terminator connections=%s%n", hold,
                        load.open.get(), lost.get(), term.metric("ocppsec_terminator_connections{profile=\"3\"}"));
                report("after holding " + hold + " s", before, later, load.open.get(), term);
            }
        }
        progress.interrupt();
    }

    /** The terminator's pacing figures in /health, whichever version it is (acceptsPaced before 5eec645, acceptPauses after). */
    static String pacing(Map<String, String> h) {
        StringBuilder sb = new StringBuilder();
        for (String k : List.of("acceptsPaced", "acceptPauses", "handshakesInProgress")) {
            if (h.containsKey(k)) {
                sb.append(sb.length() == 0 ? "" : " ").append(k).append('=').append(h.get(k));
            }
        }
        return sb.length() == 0 ? "pacing=?" : sb.toString();
    }

    private static void report(String label, Memory before, Memory with, int n, Terminal term) {
        System.out.println("terminator " + label + ": " + with);
        double rss = (with.rssKb - before.rssKb) * 1024.0 / n;
        double heap = (with.heapUsedKb - before.heapUsedKb) * 1024.0 / n;
        System.out.printf(Locale.ROOT, "RESULT memory=%s n=%d rss_delta_mib=%.1f rss_per_conn_kib=%.2f heap_live_delta_mib=%.1f "
                        + "heap_per_conn_kib=%.2f total_per_conn_kib=%.2f "
                        + "(rss already holds the pre-touched heap: total = rss delta + live-heap delta)%n",
                label.replace(' ', '_'), n, (with.rssKb - before.rssKb) / 1024.0, rss / 1024, (with.heapUsedKb - before.heapUsedKb) / 1024.0,
                heap / 1024, (rss + heap) / 1024);
    }

    // --- the terminator process, seen from outside --------------------------------------------------

    record Memory(long rssKb, long heapUsedKb, long heapCommittedKb, long tcpMemPages, String gc) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "VmRSS %.1f MiB, heap used after full GC %.1f MiB (of %.0f MiB, %s), machine-wide kernel TCP memory %d pages",
                    rssKb / 1024.0, heapUsedKb / 1024.0, heapCommittedKb / 1024.0, gc, tcpMemPages);
        }
    }

    static final class Terminal {
        private static final Pattern HEAP = Pattern.compile("(?m)^\\s*(\\S.*?)\\s+total (\\d+)K, used (\\d+)K");
        private final long pid;
        private final int controlPort;
        private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

        Terminal(long pid, int controlPort) {
            this.pid = pid;
            this.controlPort = controlPort;
        }

        boolean alive() {
            return pid <= 0 || Files.exists(Path.of("/proc/" + pid));
        }

        /** CPU seconds (user + system) the process has used, from /proc/PID/stat; -1 if unknown. */
        static double cpuSeconds(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / 100.0; // utime, stime in USER_HZ (100)
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        double cpuSeconds() {
            return pid <= 0 ? -1 : cpuSeconds(pid);
        }

        /** Open file descriptors of the process, or -1. */
        long fds() {
            String[] l = pid <= 0 ? null : new java.io.File("/proc/" + pid + "/fd").list();
            return l == null ? -1 : l.length;
        }

        long rssKb() {
            if (pid <= 0) {
                return -1;
            }
            try {
                for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
                    if (l.startsWith("VmRSS:")) {
                        return Long.parseLong(l.replaceAll("[^0-9]", ""));
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return -1;
        }

        static long tcpMemPages() {
            try {
                for (String l : Files.readAllLines(Path.of("/proc/net/sockstat"))) {
                    Matcher m = Pattern.compile("^TCP:.* mem (\\d+)").matcher(l);
                    if (m.find()) {
                        return Long.parseLong(m.group(1));
                    }
                }
            } catch (IOException e) {
                return -1;
            }
            return -1;
        }

        String jcmd(String command) {
            try {
                Process p = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                p.waitFor(60, TimeUnit.SECONDS);
                return out;
            } catch (IOException | InterruptedException e) {
                return "";
            }
        }

        /** Live objects by class ({@code jcmd PID GC.class_histogram}, itself a full GC): class -> {instances, bytes}. */
        Map<String, long[]> classHistogram() {
            Map<String, long[]> m = new LinkedHashMap<>();
            Matcher x = Pattern.compile("(?m)^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)").matcher(jcmd("GC.class_histogram"));
            while (x.find()) {
                m.put(x.group(3), new long[] {Long.parseLong(x.group(1)), Long.parseLong(x.group(2))});
            }
            return m;
        }

        /** The classes whose live bytes grew most between two histograms, per connection. */
        static String histogramDelta(Map<String, long[]> before, Map<String, long[]> after, int n, int top) {
            List<Map.Entry<String, long[]>> d = new ArrayList<>();
            long all = 0;
            for (Map.Entry<String, long[]> e : after.entrySet()) {
                long[] b = before.getOrDefault(e.getKey(), new long[2]);
                long[] v = {e.getValue()[0] - b[0], e.getValue()[1] - b[1]};
                all += v[1];
                d.add(Map.entry(e.getKey(), v));
            }
            d.sort((x, y) -> Long.compare(y.getValue()[1], x.getValue()[1]));
            StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                    "live heap growth by class, per connection (all classes: %.0f bytes):%n", all / (double) n));
            for (int i = 0; i < Math.min(top, d.size()); i++) {
                long[] v = d.get(i).getValue();
                sb.append(String.format(Locale.ROOT, "  %8.0f bytes %6.2f objects  %s%n", v[1] / (double) n, v[0] / (double) n,
                        d.get(i).getKey()));
            }
            return sb.toString();
        }

        /** Two full GCs, then the heap in use, the RSS and the kernel's TCP memory. */
        Memory memory() throws InterruptedException {
            jcmd("GC.run");
            jcmd("GC.run");
            Thread.sleep(1000);
            String info = jcmd("GC.heap_info");
            long used = 0;
            long total = 0;
            List<String> spaces = new ArrayList<>();
            Matcher m = HEAP.matcher(info);
            while (m.find()) {
                if (m.group(1).startsWith("Metaspace") || m.group(1).startsWith("class space")) {
                    continue;
                }
                spaces.add(m.group(1).trim());
                total += Long.parseLong(m.group(2));
                used += Long.parseLong(m.group(3));
            }
            return new Memory(rssKb(), used, total, tcpMemPages(), String.join(" + ", spaces));
        }

        String get(String path) {
            if (controlPort <= 0) {
                return "";
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controlPort + path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                return r.body();
            } catch (IOException | InterruptedException e) {
                return "";
            }
        }

        Map<String, String> health() {
            Map<String, String> h = new LinkedHashMap<>();
            Matcher m = Pattern.compile("\"(\\w+)\":(\"[^\"]*\"|[^,}]+)").matcher(get("/health"));
            while (m.find()) {
                h.put(m.group(1), m.group(2).replace("\"", ""));
            }
            if (h.isEmpty()) {
                h.put("status", "NO ANSWER");
            }
            return h;
        }

        /** The value of one metric line (name with labels), or "?". */
        String metric(String nameWithLabels) {
            for (String l : get("/metrics").split("\n")) {
                if (l.startsWith(nameWithLabels + " ")) {
                    return l.substring(nameWithLabels.length() + 1).trim();
                }
            }
            return "?";
        }

        /** All lines of a metric family, compacted. */
        String metrics(String family) {
            StringBuilder sb = new StringBuilder();
            for (String l : get("/metrics").split("\n")) {
                if (l.startsWith(family)) {
                    sb.append(l.substring(family.length())).append(' ');
                }
            }
            return sb.toString().trim();
        }
    }

    // --- proxy ------------------------------------------------------------------------------------

    private static void proxy(Map<String, String> o) throws Exception {
        int k = integer(o, "stations", 50);
        int rate = integer(o, "rate", 5000);
        int warmup = integer(o, "warmup", 10);
        int duration = integer(o, "duration", 30);
        int rounds = integer(o, "rounds", 3);
        int first = integer(o, "first", 1);
        Path dir = Path.of(o.getOrDefault("dir", "target/bench-pki"));
        String host = o.getOrDefault("host", "127.0.0.1");
        List<String> pathNames = List.of(o.getOrDefault("paths", "direct-wss,via,direct-ws").split(","));
        Map<String, Target> targets = new LinkedHashMap<>();
        for (String p : pathNames) {
            switch (p) {
                case "via" -> targets.put(p, new Target(p, host, integer(o, "port", 8443), true));
                case "direct-wss" -> targets.put(p, new Target(p, host, integer(o, "csms-wss-port", 9443), true));
                case "direct-ws" -> targets.put(p, new Target(p, host, integer(o, "csms-ws-port", 9100), false));
                default -> throw new IllegalArgumentException("unknown path " + p);
            }
        }
        StationCerts certs = new StationCerts(dir, first, k, 1);
        StationLoad load = new StationLoad(o, certs);
        long intervalNanos = 1_000_000_000L * k / rate;
        System.out.printf(Locale.ROOT, "proxy: %d stations per path, %d CALLs/s in all (each station one CALL every %.2f ms, "
                + "at most one outstanding), paths %s, %d round(s) of %d s warm-up + %d s measured%n",
                k, rate, intervalNanos / 1e6, targets.keySet(), rounds, warmup, duration);

        Map<String, Station[]> byPath = new LinkedHashMap<>();
        CountDownLatch booted = new CountDownLatch(k * targets.size());
        AtomicInteger lostCount = new AtomicInteger();
        // recording state, switched by the main thread
        Recorder[] recorder = new Recorder[1];
        LongAdder late = new LongAdder();
        LongAdder sent = new LongAdder();
        Events events = new Events() {
            @Override
            public void booted(Station s) {
                s.booted = true;
                booted.countDown();
            }

            @Override
            public void failed(Station s, String reason, long retryAfterMillis) {
                System.out.println("station " + s.id + " via " + s.target.name() + " failed: " + reason + "; retrying in 1 s");
                load.group.schedule(() -> load.attempt(s, this), 1, TimeUnit.SECONDS);
            }

            @Override
            public void lost(Station s, String reason) {
                lostCount.incrementAndGet();
                System.out.println("station " + s.id + " via " + s.target.name() + " lost: " + reason);
            }

            @Override
            public void text(Station s, ByteBuf c, long now) {
                if (!s.outstanding || c.readableBytes() < 4 || c.getByte(c.readerIndex() + 1) != '3') {
                    return;
                }
                s.outstanding = false;
                Recorder r = recorder[0];
                if (r != null) {
                    r.recordValue(Math.min(now - s.sentAt, 60_000_000_000L));
                }
                if (s.tickPending) {
                    s.tickPending = false;
                    send(s);
                }
            }
        };
        int index = 0;
        for (Target t : targets.values()) {
            Station[] ss = new Station[k];
            for (int i = 0; i < k; i++) {
                ss[i] = new Station(first + i, source(o.getOrDefault("src", "127.0.0.2"), index++, 1000), t);
                load.attempt(ss[i], events);
            }
            byPath.put(t.name(), ss);
        }
        if (!booted.await(120, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not all stations booted: " + booted.getCount() + " missing; " + load.reasons());
        }
        System.out.println("all " + k * targets.size() + " stations booted");

        // our own processes (this one, and with --pid / --csms-pid / --pki-pid the terminator, EchoCsms and BenchPki):
        // the CPU the rest of the machine used during a measured window is the machine's busy time minus theirs
        List<Long> pids = new ArrayList<>(List.of(ProcessHandle.current().pid()));
        for (String name : List.of("pid", "csms-pid", "pki-pid")) {
            if (o.containsKey(name)) {
                pids.add(Long.parseLong(o.get(name)));
            }
        }
        System.out.println("other_cpu_s = machine busy CPU-seconds in the measured window minus those of pids " + pids
                + ", out of " + machineCpus() + " CPUs x " + duration + " s = " + machineCpus() * duration + " CPU-s");
        Map<String, Histogram> total = new LinkedHashMap<>();
        for (int round = 1; round <= rounds; round++) {
            for (Map.Entry<String, Station[]> e : byPath.entrySet()) {
                Station[] ss = e.getValue();
                late.reset();
                sent.reset();
                for (Station s : ss) {
                    long phase = ThreadLocalRandom.current().nextLong(intervalNanos);
                    s.channel.eventLoop().execute(() -> s.ticker = s.channel.eventLoop().scheduleAtFixedRate(() -> {
                        if (s.outstanding) {
                            if (!s.tickPending) {
                                s.tickPending = true;
                                late.increment();
                            }
                        } else {
                            send(s);
                        }
                        sent.increment();
                    }, phase, intervalNanos, TimeUnit.NANOSECONDS));
                }
                Thread.sleep(warmup * 1000L);
                String loadavg = Files.readString(Path.of("/proc/loadavg")).trim().split(" ")[0];
                double busy0 = machineBusySeconds();
                double own0 = ownCpu(pids);
                Recorder r = new Recorder(3);
                recorder[0] = r;
                long lateBefore = late.sum();
                long t0 = System.nanoTime();
                Thread.sleep(duration * 1000L);
                recorder[0] = null;
                double secs = (System.nanoTime() - t0) / 1e9;
                double other = machineBusySeconds() - busy0 - (ownCpu(pids) - own0);
                long lateInWindow = late.sum() - lateBefore;
                CountDownLatch stopped = new CountDownLatch(ss.length);
                for (Station s : ss) {
                    s.channel.eventLoop().execute(() -> {
                        s.ticker.cancel(false);
                        s.tickPending = false;
                        stopped.countDown();
                    });
                }
                stopped.await(5, TimeUnit.SECONDS);
                Thread.sleep(500); // outstanding answers drain
                Histogram h = r.getIntervalHistogram();
                total.computeIfAbsent(e.getKey(), x -> new Histogram(3)).add(h);
                System.out.printf(Locale.ROOT, "RESULT round=%d path=%s calls=%d rate_per_s=%.0f late_ticks=%d %s loadavg=%s other_cpu_s=%.1f%n",
                        round, e.getKey(), h.getTotalCount(), h.getTotalCount() / secs, lateInWindow, percentiles(h), loadavg, other);
            }
        }
        for (Map.Entry<String, Histogram> e : total.entrySet()) {
            System.out.printf(Locale.ROOT, "RESULT all_rounds path=%s calls=%d %s%n", e.getKey(), e.getValue().getTotalCount(),
                    percentiles(e.getValue()));
        }
        Histogram via = total.get("via");
        Histogram direct = total.get("direct-wss");
        if (via != null && direct != null) {
            System.out.printf(Locale.ROOT, "RESULT added_by_terminator (via - direct-wss) p50_us=%.1f p99_us=%.1f p999_us=%.1f%n",
                    (via.getValueAtPercentile(50) - direct.getValueAtPercentile(50)) / 1e3,
                    (via.getValueAtPercentile(99) - direct.getValueAtPercentile(99)) / 1e3,
                    (via.getValueAtPercentile(99.9) - direct.getValueAtPercentile(99.9)) / 1e3);
        }
        System.out.println("lost connections during the run: " + lostCount.get() + "; attempt outcomes " + load.reasons());
    }

    /** Busy CPU-seconds of the whole machine so far (/proc/stat: all but idle and iowait). */
    static double machineBusySeconds() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long busy = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                if (i != 4 && i != 5) {
                    busy += Long.parseLong(f[i]);
                }
            }
            return busy / 100.0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    static long machineCpus() {
        try {
            return Files.readAllLines(Path.of("/proc/stat")).stream().filter(l -> l.matches("cpu[0-9]+ .*")).count();
        } catch (IOException e) {
            return -1;
        }
    }

    private static double ownCpu(List<Long> pids) {
        double sum = 0;
        for (long p : pids) {
            double c = Terminal.cpuSeconds(p);
            sum += Math.max(0, c);
        }
        return sum;
    }

    private static void send(Station s) {
        s.outstanding = true;
        s.sentAt = System.nanoTime();
        s.channel.writeAndFlush(new TextWebSocketFrame("[2,\"" + (++s.seq) + STATUS));
    }

    private static String percentiles(Histogram h) {
        return String.format(Locale.ROOT, "p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3, h.getValueAtPercentile(99) / 1e3,
                h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3);
    }
}
