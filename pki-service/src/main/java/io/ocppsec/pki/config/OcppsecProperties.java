package io.ocppsec.pki.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * pki-service settings under {@code ocppsec.*}, checked when the service starts: a bad value stops
 * the start with a message naming the property.
 *
 * @param dataDir      where the service keeps its state (database, keystore, tokens); created on
 *                     first start with owner-only permissions
 * @param adminToken   the first admin bearer token; when empty a random one is generated once and
 *                     written to {@code <dataDir>/admin-token} (mode 0600). Set it through the
 *                     environment variable {@code OCPPSEC_ADMIN_TOKEN} to manage it yourself
 * @param organization the operator organization: the O of station certificates (A00.FR.509)
 *                     unless a station names its own
 * @param publicUrl    the base URL stations and peers reach pki-service on, used in the CRL
 *                     distribution point and OCSP URLs of issued certificates
 * @param issuance     certificate issuing policy
 * @param database     where the state lives: embedded H2 in the data directory by default,
 *                     PostgreSQL when {@code url} says so
 */
@ConfigurationProperties("ocppsec")
public record OcppsecProperties(
        Path dataDir,
        String adminToken,
        String organization,
        URI publicUrl,
        Issuance issuance,
        Database database) {

    public OcppsecProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
        if (adminToken != null && adminToken.isBlank()) {
            adminToken = null;
        }
        if (adminToken != null && adminToken.length() < 24) {
            throw new IllegalArgumentException("ocppsec.admin-token must be at least 24 characters");
        }
        if (organization == null || organization.isBlank()) {
            organization = "ocppsec development CPO";
        }
        if (organization.length() > 64) {
            throw new IllegalArgumentException("ocppsec.organization must be at most 64 characters (X.520 ub-organization-name)");
        }
        if (publicUrl == null) {
            publicUrl = URI.create("http://127.0.0.1:8080");
        }
        String scheme = publicUrl.getScheme() == null ? "" : publicUrl.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || publicUrl.getHost() == null) {
            throw new IllegalArgumentException("ocppsec.public-url must be an absolute http(s) URL");
        }
        if (issuance == null) {
            issuance = Issuance.defaults();
        }
        if (database == null) {
            database = new Database(null, null, null, 0);
        }
    }

    /**
     * The database.
     *
     * @param url      a JDBC URL; empty means an H2 file database in the data directory
     *                 ({@code jdbc:h2:file:<data-dir>/ocppsec}). For PostgreSQL:
     *                 {@code jdbc:postgresql://host:5432/db}
     * @param username database user
     * @param password database password (environment variable {@code OCPPSEC_DATABASE_PASSWORD})
     * @param poolSize connections in the pool (default 16)
     */
    public record Database(String url, String username, String password, int poolSize) {
        public Database {
            if (url != null && url.isBlank()) {
                url = null;
            }
            if (url != null && !url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
                throw new IllegalArgumentException("ocppsec.database.url must be a jdbc:postgresql: or jdbc:h2: URL");
            }
            if (poolSize == 0) {
                poolSize = 16;
            }
            if (poolSize < 2 || poolSize > 200) {
                throw new IllegalArgumentException("ocppsec.database.pool-size must be between 2 and 200");
            }
        }

        @Override
        public String toString() {
            return "Database[url=" + url + ", username=" + username + ", password=" + (password == null ? null : "<redacted>")
                    + ", poolSize=" + poolSize + "]";
        }
    }

    /**
     * Issuing policy.
     *
     * @param backdate      how far notBefore is set in the past (stations refuse a certificate
     *                      whose notBefore is ahead of their clock, errata A02.FR.06 note)
     * @param profiles      validity and options per certificate type
     * @param cnSource      what the CN of a station certificate must carry: {@code serialNumber}
     *                      (A00.FR.511, default), {@code identity}, or a template such as
     *                      {@code SN-${serialNumber}}; the terminator binds client certificates
     *                      with the same rule
     * @param minIssuerLife refuse to issue when the issuing CA expires sooner than this
     */
    public record Issuance(Duration backdate, Map<String, Profile> profiles, String cnSource, Duration minIssuerLife) {

        public Issuance {
            if (backdate == null) {
                backdate = Duration.ofHours(1);
            }
            if (backdate.isNegative() || backdate.compareTo(Duration.ofDays(2)) > 0) {
                throw new IllegalArgumentException("ocppsec.issuance.backdate must be between 0 and 2 days");
            }
            profiles = profiles == null ? Map.of() : Map.copyOf(profiles);
            if (cnSource == null || cnSource.isBlank()) {
                cnSource = "serialNumber";
            }
            if (minIssuerLife == null) {
                minIssuerLife = Duration.ofDays(1);
            }
        }

        static Issuance defaults() {
            return new Issuance(null, null, null, null);
        }

        /** The profile of a certificate type, with defaults filled in. */
        public Profile profile(String certificateType) {
            Profile configured = profiles.get(certificateType);
            Profile defaults = Profile.defaultFor(certificateType);
            if (configured == null) {
                return defaults;
            }
            return new Profile(
                    configured.validity() == null ? defaults.validity() : configured.validity(),
                    configured.extendedKeyUsage() == null ? defaults.extendedKeyUsage() : configured.extendedKeyUsage());
        }
    }

    /**
     * One certificate type's profile.
     *
     * @param validity         how long issued certificates are valid
     * @param extendedKeyUsage EKUs to add: none by default (A00.FR.514 strongly recommends none,
     *                         for ISO 15118 compatibility); {@code clientAuth} for fleets whose TLS
     *                         stacks need it
     */
    public record Profile(Duration validity, List<String> extendedKeyUsage) {

        public Profile {
            if (validity != null && (validity.isNegative() || validity.isZero() || validity.compareTo(Duration.ofDays(3650)) > 0)) {
                throw new IllegalArgumentException("ocppsec.issuance.profiles.*.validity must be between 1 second and 10 years");
            }
            if (extendedKeyUsage != null) {
                for (String eku : extendedKeyUsage) {
                    if (!List.of("clientAuth", "serverAuth").contains(eku)) {
                        throw new IllegalArgumentException("ocppsec.issuance.profiles.*.extended-key-usage may only name clientAuth or serverAuth");
                    }
                }
                extendedKeyUsage = List.copyOf(extendedKeyUsage);
            }
        }

        static Profile defaultFor(String certificateType) {
            return switch (certificateType) {
                // ISO 15118-2 SECC certificates live "2 to 3 months" (OCPP block M intro; RISE-V2G: 60 days).
                case "V2GCertificate", "V2G20Certificate" -> new Profile(Duration.ofDays(60), List.of());
                default -> new Profile(Duration.ofDays(365), List.of());
            };
        }
    }
}
