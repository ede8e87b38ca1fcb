package io.ocppsec.pki.broker;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The OCSP broker's settings under {@code ocppsec.ocsp-broker.*}.
 *
 * @param allowedHosts       hosts the broker may fetch OCSP responses and CRLs from: exact names
 *                           ({@code ocsp.example.com}), wildcards ({@code *.example.com}: any name
 *                           below, not the name itself), each optionally with {@code :port}
 *                           (without one, only the scheme's default port). Empty (the default):
 *                           nothing is fetched from the network at all
 * @param allowedNetworks    CIDR blocks that are fetched from although they are private, loopback
 *                           or link-local (an operator's internal responder, e.g. {@code 10.1.2.0/24}).
 *                           Empty by default: such addresses are always refused
 * @param issuerCertificates a PEM file of the external issuing CAs (V2G, MO, OEM sub-CAs) whose
 *                           OCSP responses and CRLs the broker verifies; certificates a responder
 *                           includes whose key and name hash to the request's CertID count too
 * @param connectTimeout     TCP (and TLS) connect timeout
 * @param readTimeout        time allowed for the whole answer once connected
 * @param maxResponseBytes   the largest OCSP response read (bigger: refused)
 * @param maxCrlBytes        the largest CRL read
 * @param maxTtl             how long a verified answer without nextUpdate is cached, and the
 *                           longest any answer is cached
 * @param clockSkew          tolerance for thisUpdate in the future and nextUpdate in the past
 * @param maxCacheEntries    cache bound; past it expired entries are dropped, then nothing new
 *                           is cached until room is free
 * @param requireNonce       refuse external answers without our nonce (many CDN-fronted
 *                           responders answer pre-signed responses without one)
 */
@ConfigurationProperties("ocppsec.ocsp-broker")
public record BrokerProperties(
        List<String> allowedHosts,
        List<String> allowedNetworks,
        Path issuerCertificates,
        Duration connectTimeout,
        Duration readTimeout,
        Integer maxResponseBytes,
        Integer maxCrlBytes,
        Duration maxTtl,
        Duration clockSkew,
        Integer maxCacheEntries,
        Boolean requireNonce) {

    public BrokerProperties {
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(3), "connect-timeout");
        readTimeout = positive(readTimeout, Duration.ofSeconds(5), "read-timeout");
        maxResponseBytes = bounded(maxResponseBytes, 64 * 1024, 1024, 1024 * 1024, "max-response-bytes");
        maxCrlBytes = bounded(maxCrlBytes, 1024 * 1024, 1024, 32 * 1024 * 1024, "max-crl-bytes");
        maxTtl = positive(maxTtl, Duration.ofHours(1), "max-ttl");
        if (maxTtl.compareTo(Duration.ofDays(7)) > 0) {
            throw new IllegalArgumentException("ocppsec.ocsp-broker.max-ttl must be at most 7 days (M07: cache < 1 week)");
        }
        clockSkew = clockSkew == null ? Duration.ofMinutes(5) : clockSkew;
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofHours(1)) > 0) {
            throw new IllegalArgumentException("ocppsec.ocsp-broker.clock-skew must be between 0 and 1 hour");
        }
        maxCacheEntries = bounded(maxCacheEntries, 100_000, 1, 10_000_000, "max-cache-entries");
        requireNonce = requireNonce != null && requireNonce;
        // fail at start, naming the property, rather than at the first request
        AllowList.of(allowedHosts);
        AddressGuard.networks(allowedNetworks);
    }

    /** Everything by default: nothing fetched from the network. */
    public static BrokerProperties defaults() {
        return new BrokerProperties(null, null, null, null, null, null, null, null, null, null, null);
    }

    private static Duration positive(Duration d, Duration dflt, String name) {
        if (d == null) {
            return dflt;
        }
        if (d.isZero() || d.isNegative() || d.compareTo(Duration.ofMinutes(1)) > 0 && !name.equals("max-ttl")) {
            throw new IllegalArgumentException("ocppsec.ocsp-broker." + name + " must be positive and at most 1 minute");
        }
        return d;
    }

    private static int bounded(Integer v, int dflt, int min, int max, String name) {
        if (v == null) {
            return dflt;
        }
        if (v < min || v > max) {
            throw new IllegalArgumentException("ocppsec.ocsp-broker." + name + " must be between " + min + " and " + max);
        }
        return v;
    }
}
