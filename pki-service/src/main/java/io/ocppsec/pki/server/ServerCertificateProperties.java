package io.ocppsec.pki.server;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * How pki-service issues the CSMS TLS server certificates terminators ask for
 * ({@code ocppsec.server-certificates.*}).
 *
 * @param fastExpiry {@code auto} (default: on, except under the development PKI), {@code on} or
 *                   {@code off}. On: certificates are valid for less than 24 hours (A00.FR.701, fast
 *                   expiration replaces revocation for the CSMS certificate) and terminators renew them
 *                   well before they expire.
 * @param validity   the validity of an issued server certificate; default 23 h with fast expiration,
 *                   397 days without. With fast expiration it must be under 24 h.
 * @param names      the DNS names and IP addresses a server certificate may carry (the CSMS endpoint's
 *                   names, A00.FR.510/511); a CSR asking for any other name is refused.
 */
@ConfigurationProperties("ocppsec.server-certificates")
public record ServerCertificateProperties(String fastExpiry, Duration validity, List<String> names) {
    /** Fast expiration: strictly less than 24 hours (A00.FR.701). */
    public static final Duration FAST_EXPIRY_LIMIT = Duration.ofHours(24);
    static final Duration FAST_DEFAULT = Duration.ofHours(23);
    static final Duration SLOW_DEFAULT = Duration.ofDays(397);

    public ServerCertificateProperties {
        fastExpiry = fastExpiry == null || fastExpiry.isBlank() ? "auto" : fastExpiry.trim().toLowerCase(Locale.ROOT);
        if (!List.of("auto", "on", "off").contains(fastExpiry)) {
            throw new IllegalArgumentException("ocppsec.server-certificates.fast-expiry must be auto, on or off");
        }
        if (validity != null && (validity.isNegative() || validity.compareTo(Duration.ofMinutes(10)) < 0
                || validity.compareTo(Duration.ofDays(825)) > 0)) {
            throw new IllegalArgumentException("ocppsec.server-certificates.validity must be between 10m and 825d");
        }
        if (validity != null && fastExpiry.equals("on") && validity.compareTo(FAST_EXPIRY_LIMIT) >= 0) {
            throw new IllegalArgumentException("ocppsec.server-certificates.validity must be under 24h with fast expiration"
                    + " (A00.FR.701); set fast-expiry=off for longer certificates");
        }
        names = names == null || names.isEmpty() ? List.of("localhost", "127.0.0.1", "::1") : List.copyOf(names);
        for (String n : names) {
            ServerNames.parse(n, "ocppsec.server-certificates.names");
        }
    }

    /** Whether fast expiration applies, given whether the active CSMS root is the development root. */
    public boolean fastExpiryOn(boolean developmentRoot) {
        return switch (fastExpiry) {
            case "on" -> true;
            case "off" -> false;
            default -> !developmentRoot;
        };
    }

    /** The validity to issue with. */
    public Duration validityFor(boolean fast) {
        if (validity != null) {
            return fast && validity.compareTo(FAST_EXPIRY_LIMIT) >= 0 ? FAST_DEFAULT : validity;
        }
        return fast ? FAST_DEFAULT : SLOW_DEFAULT;
    }
}
