package io.ocppsec.pki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The settings of the server certificates: fast expiration's rules (A00.FR.701) and the names. */
class ServerCertificatePolicyTest {
    @Test
    void autoIsOnOutsideTheDevelopmentPkiAndOffUnderIt() {
        ServerCertificateProperties p = new ServerCertificateProperties(null, null, null);
        assertThat(p.fastExpiryOn(false)).isTrue();
        assertThat(p.fastExpiryOn(true)).isFalse();
        assertThat(p.validityFor(true)).isEqualTo(Duration.ofHours(23));
        assertThat(p.validityFor(false)).isEqualTo(Duration.ofDays(397));
        assertThat(p.names()).containsExactly("localhost", "127.0.0.1", "::1");
    }

    @Test
    void a00fr701FastExpiryRefuses24HoursOrMore() {
        assertThatThrownBy(() -> new ServerCertificateProperties("on", Duration.ofHours(24), null))
                .hasMessageContaining("under 24h");
        assertThat(new ServerCertificateProperties("on", Duration.ofHours(8), null).validityFor(true)).isEqualTo(Duration.ofHours(8));
        // auto with a long validity: fast expiration still caps it when it applies
        assertThat(new ServerCertificateProperties("auto", Duration.ofDays(90), null).validityFor(true)).isEqualTo(Duration.ofHours(23));
        assertThat(new ServerCertificateProperties("off", Duration.ofDays(90), null).validityFor(false)).isEqualTo(Duration.ofDays(90));
    }

    @Test
    void badSettingsNameTheProperty() {
        assertThatThrownBy(() -> new ServerCertificateProperties("sometimes", null, null)).hasMessageContaining("fast-expiry");
        assertThatThrownBy(() -> new ServerCertificateProperties(null, Duration.ofMinutes(1), null)).hasMessageContaining("validity");
        assertThatThrownBy(() -> new ServerCertificateProperties(null, null, List.of("bad_name!"))).hasMessageContaining("names");
        assertThatThrownBy(() -> new ServerCertificateProperties(null, null, List.of("999.1.1.1"))).hasMessageContaining("names");
    }

    @Test
    void namesAreCanonical() {
        assertThat(ServerNames.parse("LocalHost", "x").text()).isEqualTo("localhost");
        assertThat(ServerNames.parse("::1", "x").text()).isEqualTo("0:0:0:0:0:0:0:1");
        assertThat(ServerNames.parse("127.0.0.1", "x").text()).isEqualTo("127.0.0.1");
    }
}
