package io.ocppsec.pki.custody.vault;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * How to reach HashiCorp Vault (or OpenBao) for the Transit key custody and the KV v2 secret
 * store.
 *
 * @param address        the Vault address, e.g. {@code https://vault.example:8200}; plain
 *                       {@code http} is accepted for a loopback address only (a Vault agent or a
 *                       dev server on this host), since the token travels in every request
 * @param token          the Vault token; copied by the backends, so the caller may wipe it
 * @param namespace      the Vault Enterprise / HCP namespace, or null
 * @param transitMount   where the Transit engine is mounted (default {@code transit})
 * @param kvMount        where the KV version 2 engine is mounted (default {@code secret})
 * @param kvPrefix       the path under the KV mount that holds this service's secrets (default
 *                       {@code ocppsec})
 * @param caCertificates a PEM file of CA certificates to trust for Vault's TLS certificate, or
 *                       null for the JDK's default trust store; TLS is always verified
 * @param connectTimeout how long to wait for a connection (default 5 s)
 * @param readTimeout    how long to wait for an answer (default 30 s; rounded up to whole seconds)
 */
public record VaultSettings(URI address, char[] token, String namespace, String transitMount, String kvMount,
        String kvPrefix, Path caCertificates, Duration connectTimeout, Duration readTimeout) {

    private static final Pattern MOUNT = Pattern.compile("[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*");

    public VaultSettings {
        Objects.requireNonNull(address, "address");
        if (token == null || token.length == 0) {
            throw new IllegalArgumentException("a Vault token is required");
        }
        String scheme = address.getScheme() == null ? "" : address.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (address.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
            throw new IllegalArgumentException("the Vault address must be an https:// URL with a host: " + address);
        }
        if (scheme.equals("http") && !isLoopback(address.getHost())) {
            throw new IllegalArgumentException("the Vault address " + address + " is plain http to another host; use https"
                    + " (the Vault token is sent with every request)");
        }
        if (address.getRawPath() != null && !address.getRawPath().isEmpty() && !address.getRawPath().equals("/")) {
            throw new IllegalArgumentException("the Vault address is the server's base URL, without a path: " + address);
        }
        transitMount = mount(transitMount, "transit", "transit mount");
        kvMount = mount(kvMount, "secret", "KV mount");
        kvPrefix = mount(kvPrefix, "ocppsec", "KV prefix");
        if (namespace != null && namespace.isBlank()) {
            namespace = null;
        }
        if (namespace != null && !MOUNT.matcher(namespace).matches()) {
            throw new IllegalArgumentException("invalid Vault namespace: " + namespace);
        }
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), "connect timeout");
        readTimeout = positive(readTimeout, Duration.ofSeconds(30), "read timeout");
    }

    /** Settings with the default mounts and timeouts. */
    public static VaultSettings of(URI address, char[] token) {
        return new VaultSettings(address, token, null, null, null, null, null, null, null);
    }

    /** The address without a trailing slash, as the driver wants it. */
    String baseUrl() {
        String s = address.toString();
        return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
    }

    /** Never shows the token. */
    @Override
    public String toString() {
        return "VaultSettings[address=" + address + ", token=***, namespace=" + namespace + ", transitMount=" + transitMount
                + ", kvMount=" + kvMount + ", kvPrefix=" + kvPrefix + ", caCertificates=" + caCertificates
                + ", connectTimeout=" + connectTimeout + ", readTimeout=" + readTimeout + "]";
    }

    private static String mount(String value, String dflt, String what) {
        if (value == null || value.isBlank()) {
            return dflt;
        }
        String v = value.strip();
        while (v.startsWith("/")) {
            v = v.substring(1);
        }
        while (v.endsWith("/")) {
            v = v.substring(0, v.length() - 1);
        }
        if (!MOUNT.matcher(v).matches() || v.equals("..") || v.contains("/../") || v.startsWith("../") || v.endsWith("/..")) {
            throw new IllegalArgumentException("invalid Vault " + what + ": " + value);
        }
        return v;
    }

    private static Duration positive(Duration d, Duration dflt, String what) {
        if (d == null) {
            return dflt;
        }
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("the Vault " + what + " must be positive");
        }
        return d;
    }

    private static boolean isLoopback(String host) {
        String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (h.equalsIgnoreCase("localhost")) {
            return true;
        }
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false; // a name: do not resolve it here; only literal loopback addresses count
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
