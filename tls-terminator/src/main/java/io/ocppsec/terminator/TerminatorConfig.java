package io.ocppsec.terminator;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * Everything the terminator is configured with. Read from {@code --name=value} arguments, optionally
 * on top of a properties file ({@code --config=FILE}); every name is listed in {@link #NAMES} and
 * documented in docs/tls-terminator.md. An unknown name or a bad value is a start-up error.
 *
 * @param wssHost              address of the wss (profile 2 and 3) listener
 * @param wssPort              its port (0 = pick a free one, for tests)
 * @param wsPort               port of the plain ws listener for profile 1; -1 = off (the default)
 * @param tlsDirectory         where {@code server-ec.pem/.key} and {@code server-rsa.pem/.key} are
 * @param stationCaFile        extra PEM trust anchors for client certificates (besides pki-service's)
 * @param pkiUrl               pki-service base URL
 * @param pkiTokenFile         file holding the terminator's API token (role terminator)
 * @param upstreamUrl          the CSMS ({@code ws://} or {@code wss://}, station id appended); null = standalone
 * @param upstreamTrustFile    PEM trust anchors for a wss upstream (null = the JDK's)
 * @param identityKeyFile      the shared HMAC key for the identity headers sent upstream
 * @param controlHost          address of the control API (injection, health, metrics)
 * @param controlPort          its port (0 = pick a free one)
 * @param terminatorId         this instance's id, as pki-service knows it
 * @param allowOcpp16          whether ocpp1.6 may be negotiated (records still have to allow it)
 * @param maxFrameBytes        the largest WebSocket message accepted, either direction
 * @param heartbeatInterval    the interval standalone mode gives in BootNotification
 * @param pingInterval         a WebSocket ping after this much silence from the station
 * @param idleTimeout          close after this much silence (no frame, no pong)
 * @param handshakeTimeout     the TLS handshake and the HTTP upgrade must finish within this
 * @param maxPendingPerIp      connections from one IP that have not yet upgraded
 * @param maxHandshakes        connections in their TLS handshake or upgrade at once; beyond it accepting pauses
 * @param failureThreshold     refusals from one IP or for one station before back-off starts
 * @param backoffMax           the longest back-off
 * @param acceptRate           new connections accepted per second (0 = no limit; pacing under a reconnect storm)
 * @param reloadInterval       how often certificates and trust anchors are checked for changes
 * @param drainTimeout         how long a shutdown waits for stations to go
 * @param forwardSecrecyOnly   drop the TLS_RSA suites
 * @param interceptSecurity    which security actions are answered here (the others are proxied)
 * @param forwardSecurityEvents whether SecurityEventNotification is also sent upstream
 * @param upstreamConnectRate  upstream connection attempts per second
 * @param callTimeout          how long a CALL to the station may stay unanswered
 * @param serverCertificatesFromPki the server certificates come from pki-service (a CSR for a key made
 *                             here, renewed before expiry; A00.FR.701 fast expiration) instead of files
 *                             someone else puts in {@code tlsDirectory}
 * @param serverNames          the names those certificates ask for (empty: all pki-service allows)
 * @param tlsProvider          {@code auto} (BoringSSL through netty-tcnative, else the JDK's TLS with a
 *                             warning), {@code openssl} (BoringSSL or no start) or {@code jdk} (the JDK's TLS)
 * @param acceptBacklog        the listen backlog: connections the kernel holds, TCP-established, while accepting
 *                             is paused (capped by {@code net.core.somaxconn}); beyond it new connections' SYNs
 *                             are dropped and the stations retransmit them on TCP's exponential schedule
 */
public record TerminatorConfig(
        String wssHost, int wssPort, int wsPort, Path tlsDirectory, Path stationCaFile,
        URI pkiUrl, Path pkiTokenFile, URI upstreamUrl, Path upstreamTrustFile, Path identityKeyFile,
        String controlHost, int controlPort, String terminatorId, boolean allowOcpp16, int maxFrameBytes,
        Duration heartbeatInterval, Duration pingInterval, Duration idleTimeout, Duration handshakeTimeout,
        int maxPendingPerIp, int maxHandshakes, int failureThreshold, Duration backoffMax, int acceptRate, Duration reloadInterval,
        Duration drainTimeout, boolean forwardSecrecyOnly, Set<String> interceptSecurity,
        boolean forwardSecurityEvents, int upstreamConnectRate, Duration callTimeout,
        boolean serverCertificatesFromPki, List<String> serverNames, String tlsProvider, int acceptBacklog) {

    /** The security actions answered here by default: all of them. */
    public static final Set<String> SECURITY_ACTIONS = Set.of("SignCertificate", "Get15118EVCertificate",
            "GetCertificateStatus", "GetCertificateChainStatus", "SecurityEventNotification");

    /** Every configuration name with its default ({@code null} = none). */
    public static final Map<String, String> NAMES;

    static {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("wss-host", "0.0.0.0");
        m.put("wss-port", "8443");
        m.put("ws-port", "-1");
        m.put("tls-dir", "data/tls");
        m.put("station-ca-file", null);
        m.put("pki-url", "http://127.0.0.1:8080");
        m.put("pki-token-file", "data/terminator-token");
        m.put("upstream", null);
        m.put("upstream-trust-file", null);
        m.put("identity-key-file", "data/terminator-identity.key");
        m.put("control-host", "127.0.0.1");
        m.put("control-port", "8081");
        m.put("terminator-id", "terminator-1");
        m.put("allow-ocpp16", "false");
        m.put("max-frame-bytes", "262144");
        m.put("heartbeat-interval", "300s");
        m.put("ping-interval", "60s");
        m.put("idle-timeout", "180s");
        m.put("handshake-timeout", "10s");
        m.put("max-pending-per-ip", "256");
        m.put("max-handshakes-in-progress", "512");
        m.put("accept-backlog", "16384");
        m.put("failure-threshold", "5");
        m.put("backoff-max", "300s");
        m.put("accept-rate", "2000");
        m.put("reload-interval", "10s");
        m.put("drain-timeout", "10s");
        m.put("forward-secrecy-only", "false");
        m.put("intercept", String.join(",", new java.util.TreeSet<>(SECURITY_ACTIONS)));
        m.put("forward-security-events", "false");
        m.put("upstream-connect-rate", "500");
        m.put("call-timeout", "30s");
        m.put("server-certificates", "files");
        m.put("server-names", "");
        m.put("tls-provider", "auto");
        NAMES = java.util.Collections.unmodifiableMap(m);
    }

    public TerminatorConfig {
        interceptSecurity = Set.copyOf(interceptSecurity);
        serverNames = List.copyOf(serverNames);
        tlsProvider = tlsProvider == null ? "auto" : tlsProvider.trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "openssl", "jdk").contains(tlsProvider)) {
            throw new IllegalArgumentException("tls-provider must be auto, openssl or jdk");
        }
        if (maxFrameBytes < 1024 || maxFrameBytes > 16 * 1024 * 1024) {
            throw new IllegalArgumentException("max-frame-bytes must be between 1024 and 16777216");
        }
        for (String a : interceptSecurity) {
            if (!SECURITY_ACTIONS.contains(a)) {
                throw new IllegalArgumentException("intercept: unknown security action " + a + " (known: " + SECURITY_ACTIONS + ")");
            }
        }
        if (upstreamUrl != null) {
            String scheme = upstreamUrl.getScheme() == null ? "" : upstreamUrl.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("ws") && !scheme.equals("wss") || upstreamUrl.getHost() == null) {
                throw new IllegalArgumentException("upstream must be a ws:// or wss:// URL with a host");
            }
        }
    }

    /** Whether stations are proxied to a CSMS (otherwise standalone mode answers them). */
    public boolean proxied() {
        return upstreamUrl != null;
    }

    /** Parses {@code --name=value} / {@code --name value} arguments, with {@code --config=FILE} first. */
    public static TerminatorConfig fromArgs(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument " + a + " (options are --name=value)");
            }
            String name;
            String value;
            int eq = a.indexOf('=');
            if (eq > 0) {
                name = a.substring(2, eq);
                value = a.substring(eq + 1);
            } else {
                name = a.substring(2);
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("--" + name + " needs a value");
                }
                value = args[++i];
            }
            if (name.equals("config")) {
                values.putAll(readFile(Path.of(value)));
            } else {
                values.put(name, value);
            }
        }
        return from(values);
    }

    private static Map<String, String> readFile(Path file) {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(r);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the configuration file " + file + ": " + e.getMessage());
        }
        Map<String, String> m = new LinkedHashMap<>();
        p.stringPropertyNames().forEach(n -> m.put(n, p.getProperty(n)));
        return m;
    }

    /** Builds a configuration from names (see {@link #NAMES}) and values; unknown names are refused. */
    public static TerminatorConfig from(Map<String, String> given) {
        for (String n : given.keySet()) {
            if (!NAMES.containsKey(n)) {
                throw new IllegalArgumentException("unknown setting '" + n + "' (known: " + String.join(", ", NAMES.keySet()) + ")");
            }
        }
        Map<String, String> v = new LinkedHashMap<>(NAMES);
        v.putAll(given);
        String upstream = blankToNull(v.get("upstream"));
        return new TerminatorConfig(
                v.get("wss-host"), port(v, "wss-port", false), port(v, "ws-port", true),
                Path.of(v.get("tls-dir")), path(v.get("station-ca-file")),
                uri(v, "pki-url"), Path.of(v.get("pki-token-file")),
                upstream == null ? null : URI.create(upstream), path(v.get("upstream-trust-file")),
                Path.of(v.get("identity-key-file")),
                v.get("control-host"), port(v, "control-port", false), id(v.get("terminator-id")),
                bool(v, "allow-ocpp16"), integer(v, "max-frame-bytes"),
                duration(v, "heartbeat-interval"), duration(v, "ping-interval"), duration(v, "idle-timeout"),
                duration(v, "handshake-timeout"), integer(v, "max-pending-per-ip"), integer(v, "max-handshakes-in-progress"),
                integer(v, "failure-threshold"),
                duration(v, "backoff-max"), integer(v, "accept-rate"), duration(v, "reload-interval"),
                duration(v, "drain-timeout"), bool(v, "forward-secrecy-only"), actions(v.get("intercept")),
                bool(v, "forward-security-events"), integer(v, "upstream-connect-rate"), duration(v, "call-timeout"),
                serverCertificateSource(v.get("server-certificates")), serverNames(v.get("server-names")), v.get("tls-provider"),
                positive(integer(v, "accept-backlog"), "accept-backlog"));
    }

    private static boolean serverCertificateSource(String s) {
        String t = s == null ? "" : s.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("files") && !t.equals("pki")) {
            throw new IllegalArgumentException("server-certificates must be 'files' (read from tls-dir) or 'pki' (issued by pki-service)");
        }
        return t.equals("pki");
    }

    /** DNS names and IP literals for the server certificates' subjectAltName. */
    private static List<String> serverNames(String s) {
        List<String> out = new java.util.ArrayList<>();
        if (s == null || s.isBlank()) {
            return out;
        }
        for (String raw : s.split(",")) {
            String n = raw.trim().toLowerCase(Locale.ROOT);
            boolean ipv4 = n.matches("\\d{1,3}(\\.\\d{1,3}){3}");
            boolean ipv6 = n.contains(":") && n.matches("[0-9a-f:.]+");
            boolean dns = n.matches("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
            if (ipv4) {
                for (String octet : n.split("\\.")) {
                    if (Integer.parseInt(octet) > 255) {
                        ipv4 = false;
                    }
                }
                dns = false;
            }
            if (!ipv4 && !ipv6 && !dns) {
                throw new IllegalArgumentException("server-names: not a DNS name or IP address: " + raw.trim());
            }
            out.add(n);
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    private static Path path(String s) {
        String t = blankToNull(s);
        return t == null ? null : Path.of(t);
    }

    private static URI uri(Map<String, String> v, String name) {
        try {
            URI u = new URI(v.get(name));
            if (u.getScheme() == null || u.getHost() == null) {
                throw new IllegalArgumentException(name + ": not an absolute URL");
            }
            return u;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(name + ": not a URL");
        }
    }

    private static String id(String s) {
        if (s == null || !s.matches("[A-Za-z0-9._-]{1,64}")) {
            throw new IllegalArgumentException("terminator-id must be 1-64 characters of A-Z a-z 0-9 . _ -");
        }
        return s;
    }

    private static int integer(Map<String, String> v, String name) {
        try {
            int i = Integer.parseInt(v.get(name).trim());
            if (i < 0) {
                throw new NumberFormatException();
            }
            return i;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a non-negative integer");
        }
    }

    private static int positive(int value, String name) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1");
        }
        return value;
    }

    private static int port(Map<String, String> v, String name, boolean offAllowed) {
        String s = v.get(name).trim();
        if (offAllowed && (s.equals("-1") || s.equalsIgnoreCase("off"))) {
            return -1;
        }
        int p = integer(v, name);
        if (p > 65535) {
            throw new IllegalArgumentException(name + " must be a port number");
        }
        return p;
    }

    private static boolean bool(Map<String, String> v, String name) {
        String s = v.get(name).trim().toLowerCase(Locale.ROOT);
        if (s.equals("true") || s.equals("false")) {
            return Boolean.parseBoolean(s);
        }
        throw new IllegalArgumentException(name + " must be true or false");
    }

    /** {@code 30s}, {@code 5m}, {@code 250ms}, {@code 1h} or an ISO-8601 duration. */
    static Duration duration(Map<String, String> v, String name) {
        String s = v.get(name).trim().toLowerCase(Locale.ROOT);
        try {
            Duration d;
            if (s.endsWith("ms")) {
                d = Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
            } else if (s.endsWith("s")) {
                d = Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("m")) {
                d = Duration.ofMinutes(Long.parseLong(s.substring(0, s.length() - 1)));
            } else if (s.endsWith("h")) {
                d = Duration.ofHours(Long.parseLong(s.substring(0, s.length() - 1)));
            } else {
                d = Duration.parse(s.toUpperCase(Locale.ROOT));
            }
            if (d.isNegative()) {
                throw new IllegalArgumentException();
            }
            return d;
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(name + " must be a duration such as 30s, 5m or 250ms");
        }
    }

    private static Set<String> actions(String s) {
        String t = blankToNull(s);
        if (t == null || t.equalsIgnoreCase("none")) {
            return Set.of();
        }
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String a : t.split(",")) {
            if (!a.isBlank()) {
                out.add(a.trim());
            }
        }
        return out;
    }


}
