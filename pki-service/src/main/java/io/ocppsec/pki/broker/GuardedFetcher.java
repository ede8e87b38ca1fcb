package io.ocppsec.pki.broker;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * Fetches bytes from a URL a station gave us, and only if every check passes first: http or https,
 * no credentials, a host on the {@link AllowList}, and every address the name resolves to allowed
 * by the {@link AddressGuard}. The name is resolved once and the socket connects to that address
 * (no second lookup, so no DNS rebinding); https verifies the server certificate against the
 * host name. One HTTP/1.1 exchange, {@code Connection: close}: no redirects followed, connect and
 * whole-answer deadlines, headers and body capped, content type checked.
 */
public final class GuardedFetcher {
    private static final int MAX_HEADER_BYTES = 16 * 1024;
    private static final int MAX_URL_LENGTH = 2000;

    /** How names are resolved; the JDK resolver in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** A permitted target: the URL and the one address it will be fetched from. */
    public record Target(URI uri, String host, int port, boolean tls, InetAddress address) {
    }

    private final AllowList allowList;
    private final AddressGuard guard;
    private final Resolver resolver;
    private final Duration connectTimeout;
    private final Duration readTimeout;

    public GuardedFetcher(AllowList allowList, AddressGuard guard, Resolver resolver, Duration connectTimeout, Duration readTimeout) {
        this.allowList = allowList;
        this.guard = guard;
        this.resolver = resolver;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
    }

    /** Checks a URL without connecting anywhere; a refusal says why. */
    public Target check(String url) throws BrokerFailure {
        if (url == null || url.isBlank() || url.length() > MAX_URL_LENGTH) {
            throw new BrokerFailure("UrlRefused", "the URL is empty or too long");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                throw new BrokerFailure("UrlRefused", "the URL contains whitespace, control or non-ASCII characters");
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new BrokerFailure("UrlRefused", "the URL is not a valid URI");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new BrokerFailure("UrlRefused", "only http and https URLs are fetched, not '" + safe(scheme) + "'");
        }
        if (uri.getRawUserInfo() != null || uri.getRawAuthority() != null && uri.getRawAuthority().contains("@")) {
            throw new BrokerFailure("UrlRefused", "URLs with credentials are not fetched");
        }
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            throw new BrokerFailure("UrlRefused", "the URL has no host name");
        }
        boolean tls = scheme.equals("https");
        int defaultPort = tls ? 443 : 80;
        int port = uri.getPort() < 0 ? defaultPort : uri.getPort();
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (!allowList.permits(host, port, defaultPort)) {
            throw new BrokerFailure("HostNotAllowed", "host " + safe(bare) + ":" + port + " is not on ocppsec.ocsp-broker.allowed-hosts");
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new BrokerFailure("HostUnresolved", "host " + safe(bare) + " does not resolve");
        }
        if (addresses == null || addresses.length == 0) {
            throw new BrokerFailure("HostUnresolved", "host " + safe(bare) + " does not resolve");
        }
        for (InetAddress a : addresses) {
            var refusal = guard.refusal(a);
            if (refusal.isPresent()) {
                throw new BrokerFailure("AddressRefused", "host " + safe(bare) + " resolves to " + refusal.get());
            }
        }
        return new Target(uri, bare, port, tls, addresses[0]);
    }

    /** The body of a successful answer. */
    public record Answer(byte[] body, String contentType) {
    }

    /** POSTs {@code body} (or GETs when it is null) to a checked target and reads the answer. */
    public Answer exchange(Target target, byte[] body, String contentType, String accept, Set<String> acceptedTypes,
                           int maxBytes) throws BrokerFailure {
        long deadline = System.nanoTime() + readTimeout.toNanos();
        try (Socket plain = new Socket()) {
            plain.connect(new InetSocketAddress(target.address(), target.port()), (int) connectTimeout.toMillis());
            plain.setSoTimeout((int) readTimeout.toMillis());
            Socket s = plain;
            if (target.tls()) {
                s = tls(plain, target);
            }
            try (Socket closing = s) {
                OutputStream out = closing.getOutputStream();
                out.write(requestHead(target, body, contentType, accept));
                if (body != null) {
                    out.write(body);
                }
                out.flush();
                return read(closing, deadline, acceptedTypes, maxBytes);
            }
        } catch (SocketTimeoutException e) {
            throw new BrokerFailure("Timeout", "no complete answer from " + where(target) + " in time");
        } catch (IOException e) {
            throw new BrokerFailure("FetchFailed", "could not fetch from " + where(target) + ": " + e.getClass().getSimpleName());
        }
    }

    private Socket tls(Socket plain, Target target) throws IOException {
        SSLContext ctx;
        try {
            ctx = SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
        SSLSocket ssl = (SSLSocket) ctx.getSocketFactory().createSocket(plain, target.host(), target.port(), true);
        SSLParameters params = ssl.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        if (!target.host().contains(":") && !target.host().matches("[0-9.]+")) {
            params.setServerNames(List.of(new SNIHostName(target.host())));
        }
        ssl.setSSLParameters(params);
        ssl.startHandshake();
        return ssl;
    }

    private static byte[] requestHead(Target t, byte[] body, String contentType, String accept) {
        String path = t.uri().getRawPath() == null || t.uri().getRawPath().isEmpty() ? "/" : t.uri().getRawPath();
        if (t.uri().getRawQuery() != null) {
            path += "?" + t.uri().getRawQuery();
        }
        String hostHeader = (t.host().contains(":") ? "[" + t.host() + "]" : t.host())
                + (t.port() == (t.tls() ? 443 : 80) ? "" : ":" + t.port());
        StringBuilder sb = new StringBuilder();
        sb.append(body == null ? "GET " : "POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("User-Agent: ocppsec-ocsp-broker\r\n")
                .append("Accept: ").append(accept).append("\r\n")
                .append("Connection: close\r\n");
        if (body != null) {
            sb.append("Content-Type: ").append(contentType).append("\r\n")
                    .append("Content-Length: ").append(body.length).append("\r\n");
        }
        sb.append("\r\n");
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private Answer read(Socket s, long deadline, Set<String> acceptedTypes, int maxBytes) throws IOException, BrokerFailure {
        Reader in = new Reader(s, s.getInputStream(), deadline);
        String statusLine = in.line(MAX_HEADER_BYTES);
        String[] parts = statusLine.split(" ", 3);
        if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
            throw new BrokerFailure("BadHttp", "the answer is not HTTP/1.x");
        }
        int status;
        try {
            status = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw new BrokerFailure("BadHttp", "the answer has no HTTP status");
        }
        String type = null;
        long length = -1;
        boolean chunked = false;
        int headerBytes = statusLine.length();
        while (true) {
            String h = in.line(MAX_HEADER_BYTES - headerBytes);
            headerBytes += h.length() + 2;
            if (h.isEmpty()) {
                break;
            }
            int colon = h.indexOf(':');
            if (colon <= 0) {
                throw new BrokerFailure("BadHttp", "malformed header line");
            }
            String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = h.substring(colon + 1).trim();
            switch (name) {
                case "content-type" -> type = value.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
                case "content-length" -> {
                    try {
                        long l = Long.parseLong(value);
                        if (length >= 0 && length != l || l < 0) {
                            throw new BrokerFailure("BadHttp", "conflicting Content-Length");
                        }
                        length = l;
                    } catch (NumberFormatException e) {
                        throw new BrokerFailure("BadHttp", "malformed Content-Length");
                    }
                }
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
                default -> {
                }
            }
        }
        if (status >= 300 && status < 400) {
            throw new BrokerFailure("Redirected", "the server answered " + status + "; redirects are not followed");
        }
        if (status != 200) {
            throw new BrokerFailure("HttpStatus", "the server answered HTTP " + status);
        }
        if (type == null || !acceptedTypes.contains(type)) {
            throw new BrokerFailure("WrongContentType", "content type " + (type == null ? "missing" : "'" + safe(type) + "'")
                    + ", expected " + String.join(" or ", acceptedTypes));
        }
        if (length > maxBytes) {
            throw new BrokerFailure("TooLarge", "the answer announces " + length + " bytes, the limit is " + maxBytes);
        }
        byte[] body;
        if (chunked) {
            body = in.chunked(maxBytes);
        } else if (length >= 0) {
            body = in.exactly((int) length);
        } else {
            body = in.untilEnd(maxBytes);
        }
        return new Answer(body, type);
    }

    /** Reads with a cap and an overall deadline. */
    private static final class Reader {
        private final Socket socket;
        private final InputStream in;
        private final long deadline;

        Reader(Socket socket, InputStream in, long deadline) {
            this.socket = socket;
            this.in = new java.io.BufferedInputStream(in, 8192);
            this.deadline = deadline;
        }

        private int next() throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("deadline");
            }
            if (in.available() > 0) {
                return in.read();
            }
            socket.setSoTimeout((int) Math.max(1, left));
            return in.read();
        }

        String line(int max) throws IOException, BrokerFailure {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                int c = next();
                if (c < 0) {
                    throw new BrokerFailure("BadHttp", "the connection closed inside the HTTP head");
                }
                if (c == '\n') {
                    byte[] bytes = b.toByteArray();
                    int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
                }
                if (b.size() >= max) {
                    throw new BrokerFailure("TooLarge", "the HTTP head is over " + MAX_HEADER_BYTES + " bytes");
                }
                b.write(c);
            }
        }

        byte[] exactly(int n) throws IOException, BrokerFailure {
            byte[] out = new byte[n];
            for (int i = 0; i < n; i++) {
                int c = next();
                if (c < 0) {
                    throw new BrokerFailure("BadHttp", "the answer is shorter than its Content-Length");
                }
                out[i] = (byte) c;
            }
            return out;
        }

        byte[] untilEnd(int max) throws IOException, BrokerFailure {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = next()) >= 0) {
                if (b.size() >= max) {
                    throw new BrokerFailure("TooLarge", "the answer is over " + max + " bytes");
                }
                b.write(c);
            }
            return b.toByteArray();
        }

        byte[] chunked(int max) throws IOException, BrokerFailure {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = line(64);
                int semi = sizeLine.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new BrokerFailure("BadHttp", "malformed chunk size");
                }
                if (size < 0 || b.size() + (long) size > max) {
                    throw new BrokerFailure("TooLarge", "the answer is over " + max + " bytes");
                }
                if (size == 0) {
                    while (!line(1024).isEmpty()) {
                        // trailers, ignored
                    }
                    return b.toByteArray();
                }
                b.write(exactly(size));
                if (!line(2).isEmpty()) {
                    throw new BrokerFailure("BadHttp", "malformed chunk");
                }
            }
        }
    }

    private static String where(Target t) {
        return safe(t.host()) + ":" + t.port();
    }

    static String safe(String s) {
        String t = s.length() > 100 ? s.substring(0, 100) + "..." : s;
        return t.replaceAll("[^\\x21-\\x7e]", "?");
    }
}
