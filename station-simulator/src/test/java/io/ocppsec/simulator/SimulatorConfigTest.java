package io.ocppsec.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.simulator.testing.TestCa;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class SimulatorConfigTest {
    private static final List<java.security.cert.X509Certificate> ROOT = List.of(TestCa.otherRoot("root"));

    @Test
    void defaultsAreProfile2ThenEnrollmentAndBothVersionsNewestFirst() {
        SimulatorConfig c = SimulatorConfig.builder("wss://localhost:8443/ocpp", "CS-1").password("p").trustAnchors(ROOT).build();
        assertThat(c.securityProfile()).isEqualTo(2);
        assertThat(c.upgradeToProfile3()).isTrue();
        assertThat(c.subprotocols()).containsExactly(OcppVersion.OCPP_2_1, OcppVersion.OCPP_2_0_1);
        assertThat(c.maxFrameBytes()).isEqualTo(1024 * 1024);
        assertThat(c.callTimeout()).hasSeconds(30);
        assertThat(c.serialNumber()).isEqualTo("CS-1");
        assertThat(c.stationUrl()).isEqualTo(URI.create("wss://localhost:8443/ocpp/CS-1"));
        assertThat(c.toString()).doesNotContain("p,").contains("profile 2 then 3");
    }

    @Test
    void theUrlSchemeMustFitTheProfile() {
        assertThatThrownBy(() -> SimulatorConfig.builder("wss://h/ocpp", "CS").securityProfile(1).build())
                .hasMessageContaining("profile 1 is plain ws://");
        assertThatThrownBy(() -> SimulatorConfig.builder("ws://h/ocpp", "CS").securityProfile(2).build())
                .hasMessageContaining("needs a wss:// URL");
        assertThatThrownBy(() -> SimulatorConfig.builder("wss://h/ocpp", "CS").securityProfile(2).build())
                .hasMessageContaining("trust anchors");
        assertThatThrownBy(() -> SimulatorConfig.builder("http://h/ocpp", "CS").build()).hasMessageContaining("ws://");
        assertThat(SimulatorConfig.builder("ws://h/ocpp/", "CS").securityProfile(1).build().stationUrl())
                .isEqualTo(URI.create("ws://h/ocpp/CS"));
    }

    @Test
    void identitiesAndBootFieldsFollowOcpp() {
        assertThatThrownBy(() -> SimulatorConfig.builder("ws://h/ocpp", "a:b").securityProfile(1).build())
                .hasMessageContaining("not a station identity");
        assertThatThrownBy(() -> SimulatorConfig.builder("ws://h/ocpp", "x".repeat(49)).securityProfile(1).build())
                .hasMessageContaining("not a station identity");
        assertThatThrownBy(() -> SimulatorConfig.builder("ws://h/ocpp", "CS").securityProfile(1).serialNumber("s".repeat(26)).build())
                .hasMessageContaining("serialNumber");
        assertThatThrownBy(() -> SimulatorConfig.builder("ws://h/ocpp", "CS").securityProfile(1)
                .subprotocols(OcppVersion.OCPP_1_6).build()).hasMessageContaining("not ocpp1.6");
    }

    @Test
    void percentEncodingKeepsOnlyUnreservedCharacters() {
        assertThat(SimulatorConfig.percentEncode("AZaz09-._~")).isEqualTo("AZaz09-._~");
        assertThat(SimulatorConfig.percentEncode("RDAM|123")).isEqualTo("RDAM%7C123");
        assertThat(SimulatorConfig.percentEncode("*+=@")).isEqualTo("%2A%2B%3D%40");
    }

    @Test
    void thePasswordIsCopiedInAndOut() {
        char[] pw = "secret-password-1".toCharArray();
        SimulatorConfig c = SimulatorConfig.builder("ws://h/ocpp", "CS").securityProfile(1).password(pw).build();
        pw[0] = 'X';
        char[] out = c.password();
        assertThat(new String(out)).isEqualTo("secret-password-1");
        out[0] = 'Y';
        assertThat(new String(c.password())).isEqualTo("secret-password-1");
    }
}
