package io.ocppsec.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslSessionContext;
import io.netty.handler.ssl.ReferenceCountedOpenSslEngine;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import io.netty.internal.tcnative.SSL;
import io.netty.util.ReferenceCountUtil;
import io.ocppsec.security.tls.TlsPolicy;

import java.io.File;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSessionContext;

/**
 * Load generator for full mutual-TLS handshakes against any TLS server (HAProxy, {@code openssl
 * s_server}, {@link TlsEchoServer}, the terminator): {@code -c} connections in a closed loop, each
 * connect, full handshake with a client certificate, close, repeat; for {@code -d} seconds after a
 * warm-up of {@code -w} seconds. Netty NIO client with the OpenSSL (BoringSSL) provider.
 *
 * <p>No session resumption: the client context's session cache is switched off (BoringSSL
 * {@code SSL_SESS_CACHE_OFF}, netty's own client cache cleared), so no session or ticket is ever
 * offered. Every completed handshake is checked with BoringSSL's {@code SSL_session_reused} and
 * the count of resumed handshakes is reported; it must be 0 ({@code --allow-resumption} keeps the
 * cache on, only to show that the counter works).
 *
 * <p>Latency is measured from the start of the TCP connect to the completion of the TLS handshake
 * on the client (loopback connect is a few microseconds of it). With {@code --server-pid} the CPU
 * time the server process used during the measured window is read from {@code /proc/PID/stat}
 * and reported as handshakes per server CPU-second: on a shared 2-core machine, where the client
 * competes with the server for the cores, that is the figure that compares servers' efficiency.
 *
 * <pre>java -cp benchmarks/target/benchmarks.jar io.ocppsec.bench.HandshakeLoad \
 *     --connect 127.0.0.1:8443 --cert client.pem --key client.key --ca ca.pem --tls 1.3 \
 *     -c 32 -d 20 -w 5 [--server-name localhost | --any-hostname] [--server-pid PID] \
 *     [--threads 2] [--label haproxy] [--json out.json]</pre>
 *
 * Output: one line of {@code key=value} text on standard output (and the same as one JSON object
 * to {@code --json FILE}, appended, or to standard output with {@code --json -}). Exit code 0 when
 * the run had at least one handshake, no error and nothing resumed, 1 otherwise.
 */
public final class HandshakeLoad {

    /** Command-line options. */
    static final class Options {
        String host;
        int port;
        File cert;
        File key;
        File ca;
        String tls = "1.3";
        int concurrency = 32;
        int durationSeconds = 20;
        int warmupSeconds = 5;
        int threads = Math.max(1, Runtime.getRuntime().availableProcessors());
        String serverName;
        boolean anyHostname;
        boolean allowResumption;
        long serverPid = -1;
        int handshakeTimeoutMillis = 10_000;
        String label = "";
        String json;

        static Options parse(String[] args) {
            Options o = new Options();
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--connect" -> {
                        String v = value(args, ++i, a);
                        int colon = v.lastIndexOf(':');
                        if (colon <= 0) {
                            throw new IllegalArgumentException("--connect wants HOST:PORT, got " + v);
                        }
                        o.host = v.substring(0, colon).replace("[", "").replace("]", "");
                        o.port = Integer.parseInt(v.substring(colon + 1));
                    }
                    case "--cert" -> o.cert = new File(value(args, ++i, a));
                    case "--key" -> o.key = new File(value(args, ++i, a));
                    case "--ca" -> o.ca = new File(value(args, ++i, a));
                    case "--tls" -> o.tls = value(args, ++i, a).replace("TLSv", "");
                    case "-c", "--concurrency" -> o.concurrency = Integer.parseInt(value(args, ++i, a));
                    case "-d", "--duration" -> o.durationSeconds = Integer.parseInt(value(args, ++i, a));
                    case "-w", "--warmup" -> o.warmupSeconds = Integer.parseInt(value(args, ++i, a));
                    case "--threads" -> o.threads = Integer.parseInt(value(args, ++i, a));
                    case "--server-name" -> o.serverName = value(args, ++i, a);
                    case "--any-hostname" -> o.anyHostname = true;
                    case "--allow-resumption" -> o.allowResumption = true;
                    case "--server-pid" -> o.serverPid = Long.parseLong(value(args, ++i, a));
                    case "--handshake-timeout-ms" -> o.handshakeTimeoutMillis = Integer.parseInt(value(args, ++i, a));
                    case "--label" -> o.label = value(args, ++i, a);
                    case "--json" -> o.json = value(args, ++i, a);
                    default -> throw new IllegalArgumentException("unknown option " + a);
                }
            }
            if (o.host == null || o.cert == null || o.key == null || o.ca == null) {
                throw new IllegalArgumentException("--connect, --cert, --key and --ca are required");
            }
            if (!o.tls.equals("1.2") && !o.tls.equals("1.3")) {
                throw new IllegalArgumentException("--tls is 1.2 or 1.3");
            }
            if (o.concurrency < 1 || o.durationSeconds < 1 || o.warmupSeconds < 0 || o.threads < 1) {
                throw new IllegalArgumentException("bad -c/-d/-w/--threads");
            }
            if (o.serverName == null) {
                o.serverName = o.host;
            }
            return o;
        }

        private static String value(String[] args, int i, String name) {
            if (i >= args.length) {
                throw new IllegalArgumentException(name + " needs a value");
            }
            return args[i];
        }
    }

    /** Everything recorded; one lock, a few thousand records per second at most. */
    static final class Recorder {
        private long windowStart = Long.MAX_VALUE;
        private long windowEnd = Long.MAX_VALUE;
        private long[] latencies = new long[1 << 16];
        private int count;
        private long errors;
        private long resumed;
        private long warmupHandshakes;
        private long warmupErrors;
        private long warmupResumed;
        private final Map<String, Long> negotiated = new TreeMap<>();
        private final Map<String, Long> errorKinds = new LinkedHashMap<>();

        synchronized void window(long start, long end) {
            windowStart = start;
            windowEnd = end;
        }

        synchronized void success(long start, long end, boolean wasResumed, String protocolAndSuite) {
            if (end < windowStart) {
                warmupHandshakes++;
                if (wasResumed) {
                    warmupResumed++;
                }
                return;
            }
            if (end >= windowEnd) {
                return;
            }
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = end - start;
            if (wasResumed) {
                resumed++;
            }
            negotiated.merge(protocolAndSuite, 1L, Long::sum);
        }

        synchronized void error(long end, Throwable cause) {
            String kind = describe(cause);
            if (errorKinds.size() < 20 || errorKinds.containsKey(kind)) {
                errorKinds.merge(kind, 1L, Long::sum);
            }
            if (end < windowStart) {
                warmupErrors++;
            } else if (end < windowEnd) {
                errors++;
            }
        }

        private static String describe(Throwable t) {
            Throwable root = t;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            String m = root.getMessage();
            return root.getClass().getSimpleName() + (m == null ? "" : ": " + (m.length() > 120 ? m.substring(0, 120) : m));
        }
    }

    /** CPU counters read at the start and the end of the measured window. */
    record CpuSample(long nanos, long clientCpuNanos, long serverTicks, long[] machine) {
        static CpuSample take(long serverPid) {
            long now = System.nanoTime();
            long client = -1;
            if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
                client = os.getProcessCpuTime();
            }
            return new CpuSample(now, client, serverPid > 0 ? processTicks(serverPid) : -1, machineTicks());
        }

        /** utime + stime of a process (all its threads), in clock ticks (USER_HZ, 100 on Linux). */
        static long processTicks(long pid) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"), StandardCharsets.US_ASCII);
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                return Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        /** The aggregate "cpu" line of /proc/stat: user nice system idle iowait irq softirq steal. */
        static long[] machineTicks() {
            try {
                String first = Files.readAllLines(Path.of("/proc/stat")).get(0);
                String[] f = first.trim().split("\\s+");
                long[] out = new long[8];
                for (int i = 0; i < 8 && i + 1 < f.length; i++) {
                    out[i] = Long.parseLong(f[i + 1]);
                }
                return out;
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    private static final int USER_HZ = 100;

    private final Options o;
    private final Recorder recorder = new Recorder();
    private final SslContext sslContext;
    private final EventLoopGroup group;
    private final Bootstrap bootstrap;
    private volatile boolean stopping;
    private final CountDownLatch drained;

    HandshakeLoad(Options o) throws IOException {
        this.o = o;
        TlsPolicy policy = TlsPolicy.standard();
        String protocol = "TLSv" + o.tls;
        List<String> suites = new ArrayList<>();
        for (String s : policy.enabledCipherSuites()) {
            boolean tls13Suite = !s.startsWith("TLS_ECDHE_") && !s.startsWith("TLS_RSA_");
            if (tls13Suite == o.tls.equals("1.3")) {
                suites.add(s);
            }
        }
        this.sslContext = SslContextBuilder.forClient()
                .sslProvider(SslProvider.OPENSSL)
                .keyManager(o.cert, o.key)
                .trustManager(o.ca)
                .protocols(protocol)
                .ciphers(suites)
                .build();
        SSLSessionContext sessions = sslContext.sessionContext();
        if (!o.allowResumption) {
            if (!(sessions instanceof OpenSslSessionContext openSsl)) {
                throw new IllegalStateException("not an OpenSSL session context: " + sessions);
            }
            openSsl.setSessionCacheEnabled(false);
        }
        this.group = new MultiThreadIoEventLoopGroup(o.threads, NioIoHandler.newFactory());
        this.drained = new CountDownLatch(o.concurrency);
        this.bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, o.handshakeTimeoutMillis)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        SslHandler ssl = sslContext.newHandler(ch.alloc(), o.serverName, o.port);
                        ssl.setHandshakeTimeoutMillis(o.handshakeTimeoutMillis);
                        if (!o.anyHostname) {
                            SSLEngine engine = ssl.engine();
                            SSLParameters p = engine.getSSLParameters();
                            p.setEndpointIdentificationAlgorithm("HTTPS");
                            engine.setSSLParameters(p);
                        }
                        ch.pipeline().addLast(ssl, Sink.INSTANCE);
                    }
                });
    }

    /** Drops whatever the server sends and swallows exceptions (they are counted from the futures). */
    @io.netty.channel.ChannelHandler.Sharable
    static final class Sink extends ChannelInboundHandlerAdapter {
        static final Sink INSTANCE = new Sink();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private void next() {
        if (stopping) {
            drained.countDown();
            return;
        }
        long start = System.nanoTime();
        ChannelFuture connect = bootstrap.connect(o.host, o.port);
        Channel ch = connect.channel();
        connect.addListener(f -> {
            if (!f.isSuccess()) {
                recorder.error(System.nanoTime(), f.cause());
                retryLater();
                return;
            }
            SslHandler ssl = ch.pipeline().get(SslHandler.class);
            if (ssl == null) { // closed and torn down before this listener ran
                recorder.error(System.nanoTime(), new IllegalStateException("connection closed before the handshake"));
                ch.close().addListener(c -> retryLater());
                return;
            }
            ssl.handshakeFuture().addListener(h -> {
                long end = System.nanoTime();
                if (h.isSuccess()) {
                    SSLEngine engine = ssl.engine();
                    SSLSession s = engine.getSession();
                    recorder.success(start, end, reused(engine), s.getProtocol() + " " + s.getCipherSuite());
                    ch.close().addListener(c -> next());
                } else {
                    recorder.error(end, h.cause());
                    ch.close().addListener(c -> retryLater());
                }
            });
        });
    }

    private void retryLater() {
        group.schedule(this::next, 10, TimeUnit.MILLISECONDS);
    }

    /** BoringSSL's SSL_session_reused for this connection. */
    private static boolean reused(SSLEngine engine) {
        if (engine instanceof ReferenceCountedOpenSslEngine e) {
            long ssl = e.sslPointer();
            return ssl != 0 && SSL.isSessionReused(ssl);
        }
        throw new IllegalStateException("not an OpenSSL engine: " + engine.getClass());
    }

    Map<String, Object> run() throws InterruptedException {
        loadAverage = loadAverage();
        long t0 = System.nanoTime();
        long windowStart = t0 + TimeUnit.SECONDS.toNanos(o.warmupSeconds);
        long windowEnd = windowStart + TimeUnit.SECONDS.toNanos(o.durationSeconds);
        recorder.window(windowStart, windowEnd);
        for (int i = 0; i < o.concurrency; i++) {
            group.execute(this::next);
        }
        sleepUntil(windowStart);
        CpuSample before = CpuSample.take(o.serverPid);
        sleepUntil(windowEnd);
        CpuSample after = CpuSample.take(o.serverPid);
        stopping = true;
        boolean allDrained = drained.await(o.handshakeTimeoutMillis + 5_000L, TimeUnit.MILLISECONDS);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).await(5, TimeUnit.SECONDS);
        return report(before, after, allDrained);
    }

    private String loadAverage;

    /** The three load averages of /proc/loadavg, read before the run starts. */
    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg"), StandardCharsets.US_ASCII).trim().split("\\s+");
            return f[0] + "," + f[1] + "," + f[2];
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(Math.min(left, 200_000_000L));
        }
    }

    private Map<String, Object> report(CpuSample before, CpuSample after, boolean allDrained) {
        Map<String, Object> r = new LinkedHashMap<>();
        synchronized (recorder) {
            long[] lat = Arrays.copyOf(recorder.latencies, recorder.count);
            Arrays.sort(lat);
            double seconds = (after.nanos() - before.nanos()) / 1e9;
            r.put("label", o.label);
            r.put("target", o.host + ":" + o.port);
            r.put("loadavg_before", loadAverage);
            r.put("tls", "TLSv" + o.tls);
            r.put("concurrency", o.concurrency);
            r.put("threads", o.threads);
            r.put("warmup_s", o.warmupSeconds);
            r.put("duration_s", round(seconds, 2));
            r.put("handshakes", lat.length);
            r.put("rate", round(lat.length / seconds, 1));
            r.put("errors", recorder.errors);
            r.put("resumed", recorder.resumed);
            r.put("p50_ms", round(percentile(lat, 0.50) / 1e6, 2));
            r.put("p99_ms", round(percentile(lat, 0.99) / 1e6, 2));
            r.put("max_ms", round(lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, 2));
            r.put("warmup_handshakes", recorder.warmupHandshakes);
            r.put("warmup_errors", recorder.warmupErrors);
            r.put("warmup_resumed", recorder.warmupResumed);
            if (before.serverTicks() >= 0 && after.serverTicks() >= 0) {
                double serverCpu = (after.serverTicks() - before.serverTicks()) / (double) USER_HZ;
                r.put("server_cpu_s", round(serverCpu, 2));
                r.put("hs_per_server_cpu_s", round(serverCpu > 0 ? lat.length / serverCpu : 0, 1));
            }
            if (before.clientCpuNanos() >= 0) {
                double clientCpu = (after.clientCpuNanos() - before.clientCpuNanos()) / 1e9;
                r.put("client_cpu_s", round(clientCpu, 2));
            }
            if (before.machine() != null && after.machine() != null) {
                long total = 0;
                long[] d = new long[8];
                for (int i = 0; i < 8; i++) {
                    d[i] = after.machine()[i] - before.machine()[i];
                    total += d[i];
                }
                if (total > 0) {
                    long busy = total - d[3] - d[4];
                    r.put("machine_busy_pct", round(100.0 * busy / total, 1));
                    r.put("steal_pct", round(100.0 * d[7] / total, 1));
                    // CPU the rest of the machine used (other processes, and kernel work not
                    // charged to either process): a disturbed run shows here.
                    double other = busy / (double) USER_HZ
                            - (after.clientCpuNanos() - before.clientCpuNanos()) / 1e9
                            - (before.serverTicks() >= 0 ? (after.serverTicks() - before.serverTicks()) / (double) USER_HZ : 0);
                    r.put("other_cpu_s", round(other, 2));
                }
            }
            r.put("negotiated", new TreeMap<>(recorder.negotiated));
            if (!recorder.errorKinds.isEmpty()) {
                r.put("error_kinds", new LinkedHashMap<>(recorder.errorKinds));
            }
            r.put("drained", allDrained);
            r.put("resumption_allowed", o.allowResumption);
        }
        return r;
    }

    private static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, i))];
    }

    private static double round(double v, int digits) {
        double f = Math.pow(10, digits);
        return Math.round(v * f) / f;
    }

    static String text(Map<String, Object> r) {
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, Object> e : r.entrySet()) {
            if (e.getValue() instanceof Map<?, ?>) {
                continue;
            }
            if (sb.length() > 0) {
                sb.append(' ');
            }
            sb.append(e.getKey()).append('=').append(e.getValue());
        }
        Object neg = r.get("negotiated");
        if (neg instanceof Map<?, ?> m && !m.isEmpty()) {
            sb.append(" negotiated=");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",").append(e.getKey().toString().replace(' ', '/')).append(':').append(e.getValue());
                first = false;
            }
        }
        Object errs = r.get("error_kinds");
        if (errs instanceof Map<?, ?> m) {
            sb.append(" error_kinds=").append(m.toString().replace(' ', '_'));
        }
        return sb.toString();
    }

    static String json(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("{");
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                sb.append(first ? "" : ",").append(json(e.getKey().toString())).append(':').append(json(e.getValue()));
                first = false;
            }
            return sb.append('}').toString();
        }
        if (v instanceof Number || v instanceof Boolean) {
            return v.toString();
        }
        StringBuilder sb = new StringBuilder("\"");
        for (char c : String.valueOf(v).toCharArray()) {
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            o = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("usage: HandshakeLoad --connect HOST:PORT --cert CLIENT.pem --key CLIENT.key --ca CA.pem"
                    + " [--tls 1.2|1.3] [-c CONNECTIONS] [-d SECONDS] [-w WARMUP_SECONDS] [--threads N]"
                    + " [--server-name NAME | --any-hostname] [--server-pid PID] [--label TEXT] [--json FILE|-]"
                    + " [--handshake-timeout-ms MS] [--allow-resumption]");
            System.exit(2);
            return;
        }
        if (!OpenSsl.isAvailable()) {
            throw new IllegalStateException("netty-tcnative not available", OpenSsl.unavailabilityCause());
        }
        Map<String, Object> r = new HandshakeLoad(o).run();
        System.out.println(text(r));
        if (o.json != null) {
            String line = json(r) + "\n";
            if (o.json.equals("-")) {
                System.out.print(line);
            } else {
                Files.writeString(Path.of(o.json), line, StandardCharsets.UTF_8,
                        java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
            }
        }
        boolean ok = ((Number) r.get("handshakes")).longValue() > 0 && ((Number) r.get("errors")).longValue() == 0
                && (o.allowResumption || ((Number) r.get("resumed")).longValue() == 0);
        System.exit(ok ? 0 : 1);
    }
}
