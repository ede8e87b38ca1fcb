package io.ocppsec.pki.config;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * pki-service settings under {@code ocppsec.*}.
 *
 * @param dataDir  where the service keeps its state (database, keys, API token); created on
 *                 first start with owner-only permissions
 * @param apiToken the bearer token for {@code /api/**}; when empty a random token is generated
 *                 once and kept in {@code <dataDir>/api-token} (set it with the environment
 *                 variable {@code OCPPSEC_API_TOKEN} to manage it yourself)
 */
@ConfigurationProperties("ocppsec")
public record OcppsecProperties(Path dataDir, String apiToken) {

    public OcppsecProperties {
        if (dataDir == null) {
            dataDir = Path.of("data");
        }
        if (apiToken != null && apiToken.isBlank()) {
            apiToken = null;
        }
        if (apiToken != null && apiToken.length() < 24) {
            throw new IllegalArgumentException("ocppsec.api-token must be at least 24 characters");
        }
    }
}
