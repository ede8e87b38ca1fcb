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
    private final String allowListSetting;
    private final String userAgent;

    public GuardedFetcher(AllowList allowList, AddressGuard guard, Resolver resolver, Duration connectTimeout, Duration readTimeout) {
        this(allowList, guard, resolver, connectTimeout, readTimeout, "ocppsec.ocsp-broker.allowed-hosts", "ocppsec-ocsp-broker");
    }

    /**
     * @param allowListSetting the setting that holds the allow-list, named in refusals
     * @param userAgent        the User-Agent header sent
     */
    public GuardedFetcher(AllowList allowList, AddressGuard guard, Resolver resolver, Duration connectTimeout, Duration readTimeout,
                          String allowListSetting, String userAgent) {
        this.allowList = allowList;
        this.guard = guard;
        this.resolver = resolver;
        this.connectTimeout = connectTimeout;
        this.readTimeout = readTimeout;
        this.allowListSetting = allowListSetting;
        this.userAgent = userAgent;
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
            throw new BrokerFailure("HostNotAllowed", "host " + safe(bare) + ":" + port + " is not on " + allowListSetting);
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
            try (Socket closing = connect(plain, target)) {
                OutputStream out = closing.getOutputStream();
                out.write(requestHead(target, body, contentType, accept, userAgent));
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

    /** Reads a streamed answer body. */
    @FunctionalInterface
    public interface BodyReader<T> {
        T read(InputStream body) throws IOException;
    }

    /** A body that went past the limit while it streamed. */
    public static final class BodyTooLarge extends IOException {
        private final long limit;

        BodyTooLarge(long limit) {
            super("the answer is over " + limit + " bytes");
            this.limit = limit;
        }

        public long limit() {
            return limit;
        }
    }

    /**
     * GETs a checked target and hands the body, as it streams in, to {@code reader}: for answers too
     * large to hold (firmware images). The head is read as {@link #exchange} reads it (status 200 only,
     * no redirects, capped); the body is read in bulk, each read within the read timeout and all of
     * it within {@code total}; more than {@code maxBytes} ends it with {@link BodyTooLarge}. Any
     * content type is accepted.
     */
    public <T> T get(Target target, String accept, long maxBytes, Duration total, BodyReader<T> reader) throws BrokerFailure, IOException {
        long deadline = System.nanoTime() + total.toNanos();
        try (Socket plain = new Socket()) {
            try (Socket closing = connect(plain, target)) {
                OutputStream out = closing.getOutputStream();
                out.write(requestHead(target, null, null, accept, userAgent));
                out.flush();
                Reader in = new Reader(closing, closing.getInputStream(), deadline);
                Head head = head(in, null);
                if (head.length() > maxBytes) {
                    throw new BrokerFailure("TooLarge", "the answer announces " + head.length() + " bytes, the limit is " + maxBytes);
                }
                return reader.read(new Body(in, head.chunked(), head.length(), maxBytes));
            }
        } catch (SocketTimeoutException e) {
            throw new BrokerFailure("Timeout", "no complete answer from " + where(target) + " in time");
        } catch (BodyTooLarge e) {
            throw e;
        } catch (javax.net.ssl.SSLException e) {
            throw new BrokerFailure("TlsFailed", "TLS with " + where(target) + " failed: " + e.getClass().getSimpleName());
        } catch (java.net.ConnectException | java.net.NoRouteToHostException e) {
            throw new BrokerFailure("FetchFailed", "could not connect to " + where(target));
        }
    }

    private record Head(String type, long length, boolean chunked) {
    }

    /** Connects to the target's one checked address (no second lookup), with TLS for https. */
    private Socket connect(Socket plain, Target target) throws IOException {
        plain.connect(new InetSocketAddress(target.address(), target.port()), (int) connectTimeout.toMillis());
        plain.setSoTimeout((int) readTimeout.toMillis());
        return target.tls() ? tls(plain, target) : plain;
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

    private static byte[] requestHead(Target t, byte[] body, String contentType, String accept, String userAgent) {
        String path = t.uri().getRawPath() == null || t.uri().getRawPath().isEmpty() ? "/" : t.uri().getRawPath();
        if (t.uri().getRawQuery() != null) {
            path += "?" + t.uri().getRawQuery();
        }
        String hostHeader = (t.host().contains(":") ? "[" + t.host() + "]" : t.host())
                + (t.port() == (t.tls() ? 443 : 80) ? "" : ":" + t.port());
        StringBuilder sb = new StringBuilder();
        sb.append(body == null ? "GET " : "POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(hostHeader).append("\r\n")
                .append("User-Agent: ").append(userAgent).append("\r\n")
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
        Head head = head(in, acceptedTypes);
        long length = head.length();
        boolean chunked = head.chunked();
        String type = head.type();
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

    /** The status line and headers: 200 only, no redirects; the content type checked when {@code acceptedTypes} is given. */
    private static Head head(Reader in, Set<String> acceptedTypes) throws IOException, BrokerFailure {
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
        if (acceptedTypes != null && (type == null || !acceptedTypes.contains(type))) {
            throw new BrokerFailure("WrongContentType", "content type " + (type == null ? "missing" : "'" + safe(type) + "'")
                    + ", expected " + String.join(" or ", acceptedTypes));
        }
        return new Head(type, chunked ? -1 : length, chunked);
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

        /** A bulk read within the deadline: what is buffered, else one read from the socket. */
        int bulk(byte[] b, int off, int len) throws IOException {
            long left = (deadline - System.nanoTime()) / 1_000_000;
            if (left <= 0) {
                throw new SocketTimeoutException("deadline");
            }
            if (in.available() <= 0) {
                socket.setSoTimeout((int) Math.max(1, Math.min(left, Integer.MAX_VALUE)));
            }
            return in.read(b, off, len);
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

    /**
     * A streamed body: exactly Content-Length bytes, the chunks of a chunked answer, or everything up
     * to the end; read in bulk within the deadline; more than {@code max} bytes is {@link BodyTooLarge}.
     */
    private static final class Body extends InputStream {
        private final Reader in;
        private final boolean chunked;
        private final long max;
        private long remaining;
        private long total;
        private boolean done;

        Body(Reader in, boolean chunked, long length, long max) {
            this.in = in;
            this.chunked = chunked;
            this.max = max;
            this.remaining = chunked ? 0 : length;
            this.done = !chunked && length == 0;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (done) {
                return -1;
            }
            try {
                if (chunked && remaining == 0 && !nextChunk()) {
                    done = true;
                    return -1;
                }
                int want = remaining > 0 ? (int) Math.min(len, remaining) : len;
                int n = in.bulk(b, off, want);
                if (n < 0) {
                    if (remaining > 0) {
                        throw new IOException("the connection closed before the end of the answer");
                    }
                    done = true;
                    return -1;
                }
                total += n;
                if (total > max) {
                    throw new BodyTooLarge(max);
                }
                if (remaining > 0) {
                    remaining -= n;
                    if (remaining == 0 && !chunked) {
                        done = true;
                    } else if (remaining == 0 && !in.line(2).isEmpty()) {
                        throw new IOException("malformed chunk");
                    }
                }
                return n;
            } catch (BrokerFailure f) {
                throw new IOException(f.getMessage());
            }
        }

        private boolean nextChunk() throws IOException, BrokerFailure {
            String sizeLine = in.line(64);
            int semi = sizeLine.indexOf(';');
            long size;
            try {
                size = Long.parseLong((semi < 0 ? sizeLine : sizeLine.substring(0, semi)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("malformed chunk size");
            }
            if (size < 0) {
                throw new IOException("malformed chunk size");
            }
            if (size == 0) {
                while (!in.line(1024).isEmpty()) {
                    // trailers, ignored
                }
                return false;
            }
            remaining = size;
            return true;
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
