package io.ocppsec.pki.broker;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts the broker may fetch from ({@code ocppsec.ocsp-broker.allowed-hosts}): exact names or
 * IP literals, {@code *.example.com} for any name below example.com (not example.com itself), each
 * with an optional {@code :port}; without a port only the scheme's default port (80, 443) matches.
 * Matching is case-insensitive and ignores a trailing dot. Empty: nothing matches.
 */
public final class AllowList {
    private static final Pattern LABELS = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private record Entry(boolean wildcard, String host, int port) {
    }

    private final List<Entry> entries;

    private AllowList(List<Entry> entries) {
        this.entries = entries;
    }

    /** Parses the entries; a malformed one is an {@link IllegalArgumentException} naming it. */
    public static AllowList of(List<String> patterns) {
        List<Entry> out = new ArrayList<>();
        for (String raw : patterns) {
            String p = raw == null ? "" : raw.trim().toLowerCase(Locale.ROOT);
            int port = -1;
            String host = p;
            if (p.startsWith("[")) {
                int end = p.indexOf(']');
                if (end < 0) {
                    throw bad(raw);
                }
                host = p.substring(1, end);
                String rest = p.substring(end + 1);
                if (!rest.isEmpty()) {
                    if (!rest.startsWith(":")) {
                        throw bad(raw);
                    }
                    port = port(rest.substring(1), raw);
                }
            } else {
                int colon = p.lastIndexOf(':');
                if (colon >= 0) {
                    host = p.substring(0, colon);
                    port = port(p.substring(colon + 1), raw);
                }
            }
            boolean wildcard = host.startsWith("*.");
            String name = wildcard ? host.substring(2) : host;
            if (name.endsWith(".")) {
                name = name.substring(0, name.length() - 1);
            }
            boolean ipv6 = p.startsWith("[");
            if (!ipv6 && !LABELS.matcher(name).matches() || wildcard && (ipv6 || IPV4.matcher(name).matches())
                    || wildcard && !name.contains(".")) {
                throw bad(raw);
            }
            out.add(new Entry(wildcard, ipv6 ? normalizeV6(name, raw) : name, port));
        }
        return new AllowList(List.copyOf(out));
    }

    public boolean isEmpty() {
        return entries.isEmpty();
    }

    /** Whether {@code host} (as in the URL, IPv6 without brackets) on {@code port} may be fetched. */
    public boolean permits(String host, int port, int defaultPort) {
        String h = host.toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = normalizeV6(h.substring(1, h.length() - 1), host);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        for (Entry e : entries) {
            boolean portOk = e.port() < 0 ? port == defaultPort : port == e.port();
            if (!portOk) {
                continue;
            }
            if (e.wildcard() ? h.endsWith("." + e.host()) && h.length() > e.host().length() + 1 : h.equals(e.host())) {
                return true;
            }
        }
        return false;
    }

    private static String normalizeV6(String literal, String raw) {
        if (!literal.matches("[0-9a-f:.]+")) {
            throw bad(raw);
        }
        try {
            return java.net.InetAddress.getByName(literal).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw bad(raw);
        }
    }

    private static int port(String s, String raw) {
        try {
            int port = Integer.parseInt(s);
            if (port < 1 || port > 65535) {
                throw bad(raw);
            }
            return port;
        } catch (NumberFormatException e) {
            throw bad(raw);
        }
    }

    private static IllegalArgumentException bad(String raw) {
        return new IllegalArgumentException("ocppsec.ocsp-broker.allowed-hosts: '" + raw
                + "' is not a host name, *.domain or IP literal with an optional :port");
    }
}
