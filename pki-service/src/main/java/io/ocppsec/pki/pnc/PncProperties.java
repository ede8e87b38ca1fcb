package io.ocppsec.pki.pnc;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Plug & Charge settings under {@code ocppsec.pnc.*}, checked at start.
 *
 * @param provisioning   {@code local} (default: we act as MO and CPS with the contracts of
 *                       {@code /api/v1/pnc/contracts}) or {@code remote} (forward to an external
 *                       contract-certificate pool, {@link Remote})
 * @param developmentPki {@code auto} (default): create the development Plug & Charge PKI when the
 *                       development CSMS PKI is in use (its root is marked "(development)");
 *                       {@code true}: create it whenever none exists; {@code false}: never (import
 *                       the V2G and MO roots instead)
 * @param remote         the external pool
 * @param profileChecks  how imported V2G, MO and OEM roots (and OEM sub-CAs) are held to the ISO
 *                       15118 profiles: {@code lenient} (default: the known real-world deviations,
 *                       e.g. Hubject's, are accepted; see iso15118-certs {@code Leniency.knownDeviations})
 *                       or {@code strict}
 * @param installSeriesTtl how long an ISO 15118-20 installation series (OCPP 2.1 M01: the EV asks once per
 *                         contract) is continued after its last delivery (default 10 minutes, at most 24 hours);
 *                         after that the EV's next request starts again at its first contract
 */
@ConfigurationProperties("ocppsec.pnc")
public record PncProperties(String provisioning, String developmentPki, Remote remote, String profileChecks,
                            Duration installSeriesTtl) {

    public PncProperties {
        provisioning = provisioning == null || provisioning.isBlank() ? "local" : provisioning.toLowerCase(Locale.ROOT);
        if (!provisioning.equals("local") && !provisioning.equals("remote")) {
            throw new IllegalArgumentException("ocppsec.pnc.provisioning must be local or remote");
        }
        developmentPki = developmentPki == null || developmentPki.isBlank() ? "auto" : developmentPki.toLowerCase(Locale.ROOT);
        if (!java.util.List.of("auto", "true", "false").contains(developmentPki)) {
            throw new IllegalArgumentException("ocppsec.pnc.development-pki must be auto, true or false");
        }
        profileChecks = profileChecks == null || profileChecks.isBlank() ? "lenient" : profileChecks.toLowerCase(Locale.ROOT);
        if (!profileChecks.equals("lenient") && !profileChecks.equals("strict")) {
            throw new IllegalArgumentException("ocppsec.pnc.profile-checks must be lenient or strict");
        }
        if (installSeriesTtl == null) {
            installSeriesTtl = InstallSeries.DEFAULT_TTL;
        }
        if (installSeriesTtl.isNegative() || installSeriesTtl.isZero() || installSeriesTtl.compareTo(Duration.ofHours(24)) > 0) {
            throw new IllegalArgumentException("ocppsec.pnc.install-series-ttl must be positive and at most 24 hours");
        }
        if (remote == null) {
            remote = new Remote(null, null, null, null, null, null, null, null, null, null, null, null, null);
        }
        if (provisioning.equals("remote")) {
            remote.requireComplete();
        }
    }

    public static PncProperties defaults() {
        return new PncProperties(null, null, null, null, null);
    }

    /** The iso15118-certs leniency for imported roots. */
    public io.ocppsec.iso15118.pki.Leniency leniency() {
        return profileChecks.equals("strict") ? io.ocppsec.iso15118.pki.Leniency.strict() : io.ocppsec.iso15118.pki.Leniency.knownDeviations();
    }

    public boolean remoteProvisioning() {
        return provisioning.equals("remote");
    }

    /**
     * The external contract-certificate pool (Hubject-style {@code signedContractData}).
     *
     * @param baseUrl          the pool's base URL; requests go to {@code {baseUrl}/v1/ccp/signedContractData}
     * @param tokenUrl         the OAuth2 token endpoint (client credentials grant); empty: no token
     * @param clientId         OAuth2 client id
     * @param clientSecret     OAuth2 client secret (environment {@code OCPPSEC_PNC_REMOTE_CLIENT_SECRET});
     *                         never logged
     * @param clientSecretFile a file holding the client secret instead (first line)
     * @param scope            OAuth2 scope, optional
     * @param trustStore       a PEM file of the CA certificates the pool's (and token endpoint's)
     *                         TLS certificates must chain to; empty: the JVM's default trust store
     * @param connectTimeout   TCP+TLS connect timeout (default 1 s)
     * @param readTimeout      time allowed per attempt once sent (default 3 s; never past the deadline)
     * @param deadline         total time for one provisioning including retries and the token
     *                         (default 4 s; ISO 15118-2 allows the EV 4.5 s for CertificateInstallation)
     * @param maxAttempts      attempts per request, retrying only 5xx answers and timeouts (default 3)
     * @param maxResponseBytes the largest answer read (default 64 KiB)
     * @param clientAuth       how the client authenticates at the token endpoint: {@code basic}
     *                         (HTTP Basic, RFC 6749 §2.3.1, default) or {@code post} (form fields)
     */
    public record Remote(URI baseUrl, URI tokenUrl, String clientId, String clientSecret, Path clientSecretFile,
                         String scope, Path trustStore, Duration connectTimeout, Duration readTimeout, Duration deadline,
                         Integer maxAttempts, Integer maxResponseBytes, String clientAuth) {

        public Remote {
            connectTimeout = positive(connectTimeout, Duration.ofSeconds(1), "connect-timeout");
            readTimeout = positive(readTimeout, Duration.ofSeconds(3), "read-timeout");
            deadline = positive(deadline, Duration.ofSeconds(4), "deadline");
            if (deadline.compareTo(Duration.ofSeconds(60)) > 0) {
                throw new IllegalArgumentException("ocppsec.pnc.remote.deadline must be at most 60 s");
            }
            maxAttempts = maxAttempts == null ? 3 : maxAttempts;
            if (maxAttempts < 1 || maxAttempts > 10) {
                throw new IllegalArgumentException("ocppsec.pnc.remote.max-attempts must be between 1 and 10");
            }
            maxResponseBytes = maxResponseBytes == null ? 64 * 1024 : maxResponseBytes;
            if (maxResponseBytes < 1024 || maxResponseBytes > 4 * 1024 * 1024) {
                throw new IllegalArgumentException("ocppsec.pnc.remote.max-response-bytes must be between 1 KiB and 4 MiB");
            }
            clientAuth = clientAuth == null || clientAuth.isBlank() ? "basic" : clientAuth.toLowerCase(Locale.ROOT);
            if (!clientAuth.equals("basic") && !clientAuth.equals("post")) {
                throw new IllegalArgumentException("ocppsec.pnc.remote.client-auth must be basic or post");
            }
            if (clientSecret != null && clientSecret.isBlank()) {
                clientSecret = null;
            }
            for (URI u : new URI[] {baseUrl, tokenUrl}) {
                if (u != null && (u.getScheme() == null || !u.getScheme().matches("(?i)https?") || u.getHost() == null)) {
                    throw new IllegalArgumentException("ocppsec.pnc.remote.base-url and token-url must be absolute http(s) URLs");
                }
            }
        }

        void requireComplete() {
            if (baseUrl == null) {
                throw new IllegalArgumentException("ocppsec.pnc.remote.base-url is required when ocppsec.pnc.provisioning=remote");
            }
            if (tokenUrl != null && (clientId == null || (clientSecret == null && clientSecretFile == null))) {
                throw new IllegalArgumentException("ocppsec.pnc.remote.token-url needs client-id and client-secret (or client-secret-file)");
            }
        }

        @Override
        public String toString() {
            return "Remote[baseUrl=" + baseUrl + ", tokenUrl=" + tokenUrl + ", clientId=" + clientId
                    + ", clientSecret=" + (clientSecret == null ? null : "<redacted>") + ", clientSecretFile=" + clientSecretFile
                    + ", trustStore=" + trustStore + ", deadline=" + deadline + ", maxAttempts=" + maxAttempts + "]";
        }

        private static Duration positive(Duration d, Duration dflt, String name) {
            if (d == null) {
                return dflt;
            }
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("ocppsec.pnc.remote." + name + " must be positive");
            }
            return d;
        }
    }
}
