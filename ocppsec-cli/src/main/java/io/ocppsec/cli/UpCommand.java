package io.ocppsec.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./ocppsec up}: runs the services on the embedded defaults, each in its own JVM (they
 * talk over HTTP and scale separately): pki-service first, then the TLS terminator beside it (wss
 * on 8443; standalone unless {@code --upstream} names a CSMS). Prints what runs where once both are
 * healthy, and stops everything cleanly on Ctrl-C (the terminator drains first).
 */
@Command(name = "up", mixinStandardHelpOptions = true,
        description = {"Start ocppsec on embedded defaults (data in ./data) and stay in the foreground.",
                "Ctrl-C stops everything."})
final class UpCommand implements Callable<Integer> {

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (default: ./data of the checkout).")
    Path dataDir;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "8080",
            description = "Port of the pki-service API, OCSP and CRL listener on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--startup-timeout", paramLabel = "SECONDS", defaultValue = "90",
            description = "How long to wait for the services to become healthy (default: ${DEFAULT-VALUE}).")
    int startupTimeoutSeconds;

    @Option(names = "--wss-port", paramLabel = "PORT", defaultValue = "8443",
            description = "Port of the terminator's wss listener for security profiles 2 and 3 (default: ${DEFAULT-VALUE}).")
    int wssPort;

    @Option(names = "--ws-port", paramLabel = "PORT",
            description = "Also open a plain ws listener for security profile 1 on this port (off by default: passwords would cross the network in clear).")
    Integer wsPort;

    @Option(names = "--upstream", paramLabel = "URL",
            description = "Proxy stations to this CSMS (ws:// or wss://; the station id is appended). Without it the terminator answers in standalone mode.")
    String upstream;

    @Option(names = "--control-port", paramLabel = "PORT", defaultValue = "8081",
            description = "Port of the terminator's control API, health and metrics on 127.0.0.1 (default: ${DEFAULT-VALUE}).")
    int controlPort;

    @Option(names = "--no-terminator", description = "Start pki-service only.")
    boolean noTerminator;

    @Option(names = "--quiet", description = "Do not echo the services' logs.")
    boolean quiet;

    private final PrintStream out = System.out;

    @Override
    public Integer call() throws Exception {
        Path data = (dataDir == null ? Home.dir().resolve("data") : dataDir).toAbsolutePath().normalize();
        Path pkiJar = Home.jar("pki-service");
        Path terminatorJar = noTerminator ? null : Home.jar("tls-terminator");
        ensurePortFree(apiPort);
        if (!noTerminator) {
            ensurePortFree(controlPort);
            ensureAnyPortFree(wssPort, "--wss-port");
            if (wsPort != null) {
                ensureAnyPortFree(wsPort, "--ws-port");
            }
        }

        List<String> cmd = new ArrayList<>(List.of(Home.javaExecutable(), "-Xms64m", "-Xmx512m",
                "-XX:+UseSerialGC", "-jar", pkiJar.toString(),
                "--ocppsec.data-dir=" + data, "--server.port=" + apiPort));
        Service pki = Service.start("pki-service", cmd, quiet ? null : out);
        List<Service> running = new java.util.concurrent.CopyOnWriteArrayList<>(List.of(pki));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            // the terminator drains its stations first, then pki-service goes
            for (int i = running.size() - 1; i >= 0; i--) {
                stop(running.get(i));
            }
        }, "ocppsec-stop"));

        String base = "http://127.0.0.1:" + apiPort;
        if (!pki.awaitHealthy(URI.create(base + "/actuator/health"), Duration.ofSeconds(startupTimeoutSeconds))) {
            pki.stop(Duration.ofSeconds(10));
            throw new CliException("pki-service did not become healthy; its last output:\n" + pki.tail());
        }
        Service terminator = null;
        String control = "http://127.0.0.1:" + controlPort;
        if (!noTerminator) {
            Path token = terminatorToken(base, data);
            // C1 only: a restart storm meets a cold JVM, and C2 compiling cost the terminator half again
            // the CPU of the storm itself; steady proxying stays far under its latency goal
            // (docs/benchmarks.md, "Reconnect storm"; docs/tls-terminator.md, "Reconnect storms")
            List<String> tcmd = new ArrayList<>(List.of(Home.javaExecutable(), "-Xms64m", "-Xmx512m", "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "-jar", terminatorJar.toString(),
                    "--tls-dir=" + data.resolve("tls"), "--pki-url=" + base, "--pki-token-file=" + token,
                    "--identity-key-file=" + data.resolve("terminator-identity.key"),
                    "--wss-port=" + wssPort, "--control-port=" + controlPort, "--terminator-id=terminator-1"));
            if (wsPort != null) {
                tcmd.add("--ws-port=" + wsPort);
            }
            if (upstream != null) {
                tcmd.add("--upstream=" + upstream);
            }
            terminator = Service.start("terminator", tcmd, quiet ? null : out);
            running.add(terminator);
            if (!terminator.awaitHealthy(URI.create(control + "/health"), Duration.ofSeconds(startupTimeoutSeconds))) {
                String tail = terminator.tail();
                terminator.stop(Duration.ofSeconds(10));
                pki.stop(Duration.ofSeconds(10));
                throw new CliException("the terminator did not become healthy; its last output:\n" + tail);
            }
        }
        out.println();
        out.println("ocppsec is up");
        out.println("  pki-service  " + base + "   API " + base + "/api/v1   OpenAPI " + base + "/v3/api-docs   health " + base + "/actuator/health");
        if (terminator != null) {
            out.println("  stations     wss://localhost:" + wssPort + "/ocpp/{stationId}   (security profiles 2 and 3)"
                    + (wsPort != null ? "\n               ws://localhost:" + wsPort + "/ocpp/{stationId}   (security profile 1)" : ""));
            out.println("  mode         " + (upstream != null ? "proxying to " + upstream : "standalone (no CSMS: the terminator answers BootNotification, Heartbeat, StatusNotification, NotifyEvent)"));
            out.println("  terminator   health " + control + "/health   metrics " + control + "/metrics");
        }
        out.println("  admin token  " + data.resolve("admin-token") + "   (send it as 'Authorization: Bearer <token>')");
        describeCa(base, data);
        out.println("  data         " + data);
        out.println("Press Ctrl-C to stop.");
        out.println();
        while (true) {
            for (Service s : running) {
                if (!s.process().isAlive()) {
                    if (s.stopping()) {
                        return 0;
                    }
                    out.println("ocppsec: " + s.name() + " exited with " + s.process().exitValue() + "; stopping the rest");
                    for (Service o : running) {
                        stop(o);
                    }
                    return s.process().exitValue() == 0 ? 1 : s.process().exitValue();
                }
            }
            Thread.sleep(500);
        }
    }

    /**
     * The terminator's API token (role terminator): {@code <data>/terminator-token}, created through
     * the admin token on first start and kept (mode 0600) for the next ones.
     */
    private Path terminatorToken(String base, Path data) {
        Path file = data.resolve("terminator-token");
        if (java.nio.file.Files.isRegularFile(file)) {
            return file;
        }
        ApiOptions.Token admin = ApiOptions.fromFile(data.resolve("admin-token"), "up");
        tools.jackson.databind.node.ObjectNode body = tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                .put("name", "terminator-1").put("role", "TERMINATOR");
        String token = new ApiClient(URI.create(base), admin.value(), admin.source()).post("/api/v1/tokens", body, "token")
                .path("token").asString();
        try {
            java.nio.file.Files.writeString(file, token + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            try {
                java.nio.file.Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // not a POSIX file system
            }
        } catch (IOException e) {
            throw new CliException("cannot write " + file + ": " + e.getMessage());
        }
        return file;
    }

    private static void ensureAnyPortFree(int port, String option) {
        try (ServerSocket s = new ServerSocket(port)) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new CliException("port " + port + " is in use; choose another with " + option);
        }
    }

    /** The CSMS root stations must trust, and where the development TLS files and keys are. */
    private void describeCa(String base, Path data) {
        try {
            ApiOptions.Token token = ApiOptions.fromFile(data.resolve("admin-token"), "up");
            tools.jackson.databind.JsonNode ca = new ApiClient(java.net.URI.create(base), token.value(), token.source())
                    .get("/api/v1/ca", "CA");
            for (tools.jackson.databind.JsonNode c : ca.path("certificates")) {
                if ("CSMS_ROOT".equals(c.path("role").asString()) && "ACTIVE".equals(c.path("status").asString())) {
                    out.println("  CSMS root    " + c.path("subject").asString());
                    out.println("               SHA-256 " + c.path("sha256Fingerprint").asString());
                }
            }
            tools.jackson.databind.JsonNode custody = ca.path("custody");
            if (custody.has("keystore")) {
                out.println("  CA keys      " + custody.path("keystore").asString() + " (" + custody.path("backend").asString() + ")");
            }
            if (java.nio.file.Files.isDirectory(data.resolve("tls"))) {
                out.println("  TLS files    " + data.resolve("tls") + "   (csms-root.pem, server-ec/rsa .pem/.key)");
            }
        } catch (RuntimeException e) {
            out.println("  CSMS root    (run './ocppsec ca status' to see it)");
        }
    }

    private void stop(Service service) {
        if (service.process().isAlive()) {
            out.println("ocppsec: stopping " + service.name() + " ...");
            service.stop(Duration.ofSeconds(20));
            out.println("ocppsec: stopped.");
        }
    }

    private static void ensurePortFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
        } catch (IOException e) {
            throw new CliException("port " + port + " on 127.0.0.1 is in use (is ocppsec already up?); "
                    + "choose another with --api-port or --control-port");
        }
    }

    /** One child service: its process, its echoed output, its health. */
    static final class Service {
        private final String name;
        private final Process process;
        private final Deque<String> tail = new ArrayDeque<>();
        private volatile boolean stopping;

        private Service(String name, Process process) {
            this.name = name;
            this.process = process;
        }

        static Service start(String name, List<String> command, PrintStream echo) throws IOException {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            Service s = new Service(name, p);
            Thread pump = new Thread(() -> s.pump(echo), name + "-output");
            pump.setDaemon(true);
            pump.start();
            return s;
        }

        private void pump(PrintStream echo) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 40) {
                            tail.removeFirst();
                        }
                    }
                    if (echo != null) {
                        echo.println("[" + name + "] " + line);
                    }
                }
            } catch (IOException ignored) {
                // the process is gone
            }
        }

        boolean awaitHealthy(URI health, Duration timeout) throws InterruptedException {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                if (!process.isAlive()) {
                    return false;
                }
                try {
                    HttpResponse<String> r = http.send(HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).build(),
                            HttpResponse.BodyHandlers.ofString());
                    if (r.statusCode() == 200 && r.body().contains("\"UP\"")) {
                        return true;
                    }
                } catch (IOException notYet) {
                    // not listening yet
                }
                Thread.sleep(250);
            }
            return false;
        }

        void stop(Duration grace) {
            stopping = true;
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }

        String name() {
            return name;
        }

        Process process() {
            return process;
        }

        boolean stopping() {
            return stopping;
        }

        String tail() {
            synchronized (tail) {
                return String.join("\n", tail);
            }
        }
    }
}
