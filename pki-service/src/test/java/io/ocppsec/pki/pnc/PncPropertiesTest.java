package io.ocppsec.pki.pnc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** {@code ocppsec.pnc.*} bound the way Spring binds it at start, with its checks. */
class PncPropertiesTest {

    static PncProperties bind(Map<String, String> values) {
        return new Binder(new MapConfigurationPropertySource(values)).bindOrCreate("ocppsec.pnc", PncProperties.class);
    }

    @Test
    void defaultsAreLocalProvisioningAutoDevelopmentPkiAndLenientChecks() {
        PncProperties p = bind(Map.of());
        assertThat(p.provisioning()).isEqualTo("local");
        assertThat(p.developmentPki()).isEqualTo("auto");
        assertThat(p.profileChecks()).isEqualTo("lenient");
        assertThat(p.leniency()).isEqualTo(io.ocppsec.iso15118.pki.Leniency.knownDeviations());
        assertThat(p.remote().deadline()).as("below the EV's 4.5 s").isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void remoteSettingsBindWithRelaxedNames() {
        PncProperties p = bind(Map.of("ocppsec.pnc.provisioning", "remote",
                "ocppsec.pnc.remote.base-url", "https://pool.example/ccp",
                "ocppsec.pnc.remote.token-url", "https://pool.example/oauth/token",
                "ocppsec.pnc.remote.client-id", "cpo-1",
                "ocppsec.pnc.remote.client-secret-file", "/run/secrets/pool",
                "ocppsec.pnc.remote.deadline", "3500ms",
                "ocppsec.pnc.remote.max-attempts", "2",
                "ocppsec.pnc.profile-checks", "STRICT"));
        assertThat(p.remoteProvisioning()).isTrue();
        assertThat(p.remote().baseUrl()).isEqualTo(URI.create("https://pool.example/ccp"));
        assertThat(p.remote().clientSecretFile()).isEqualTo(Path.of("/run/secrets/pool"));
        assertThat(p.remote().deadline()).isEqualTo(Duration.ofMillis(3500));
        assertThat(p.remote().maxAttempts()).isEqualTo(2);
        assertThat(p.leniency()).isEqualTo(io.ocppsec.iso15118.pki.Leniency.strict());
    }

    @Test
    void badValuesStopTheStartNamingTheProperty() {
        assertThatThrownBy(() -> bind(Map.of("ocppsec.pnc.provisioning", "remote", "ocppsec.pnc.remote.base-url", "https://p.example",
                "ocppsec.pnc.remote.token-url", "https://p.example/t"))).rootCause().hasMessageContaining("client-id");
        assertThatThrownBy(() -> bind(Map.of("ocppsec.pnc.remote.base-url", "ftp://p.example"))).rootCause()
                .hasMessageContaining("http(s)");
        assertThatThrownBy(() -> bind(Map.of("ocppsec.pnc.remote.max-attempts", "0"))).rootCause().hasMessageContaining("max-attempts");
        assertThatThrownBy(() -> bind(Map.of("ocppsec.pnc.development-pki", "maybe"))).rootCause().hasMessageContaining("development-pki");
        assertThatThrownBy(() -> bind(Map.of("ocppsec.pnc.profile-checks", "loose"))).rootCause().hasMessageContaining("profile-checks");
    }
}
