package io.ocppsec.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.type.BootReason;
import io.ocppsec.security.auth.BasicCredentials;
import io.ocppsec.simulator.testing.StandInCsms;
import io.ocppsec.simulator.testing.TestCa;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Connecting: URL, Basic auth, subprotocols, TLS trust, refusals, reconnection. */
class ConnectTest extends Fixture {

    @Test
    void theIdentityIsPercentEncodedInThePathAndSentAsIsAsTheBasicUserId() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start();
             SimulatedStation station = station(config(csms, "RDAM|123*+@.x").securityProfile(2).build(), new EventLog())) {
            await(station.connect(2));
            StandInCsms.Upgrade u = csms.awaitConnection(1, WAIT).upgrade();
            assertThat(u.path()).isEqualTo("/ocpp/RDAM%7C123%2A%2B%40.x");
            assertThat(u.identity()).isEqualTo("RDAM|123*+@.x");
            BasicCredentials basic = u.basic().orElseThrow();
            assertThat(basic.username()).isEqualTo("RDAM|123*+@.x");
            assertThat(new String(basic.password())).isEqualTo(PASSWORD);
        }
    }

    @Test
    void profile1IsPlainWsWithBasicAuth() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).tls(false).requirePassword(PASSWORD).start()) {
            SimulatorConfig cfg = SimulatorConfig.builder(csms.url(), "SP1").securityProfile(1).password(PASSWORD).build();
            try (SimulatedStation station = station(cfg, new EventLog())) {
                Session s = await(station.connect(1));
                assertThat(s.tlsProtocol()).isNull();
                assertThat(s.securityProfile()).isEqualTo(1);
                assertThat(await(station.bootNotification(BootReason.PowerUp)).status().name()).isEqualTo("Accepted");
            }
            assertThat(csms.upgrades().get(0).headers().get(HttpHeaderNames.AUTHORIZATION)).startsWith("Basic ");
        }
    }

    @Test
    void aRefusedUpgradeReportsTheHttpStatus() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword("another-password-entirely").start()) {
            EventLog log = new EventLog();
            try (SimulatedStation station = station(config(csms, "WRONG-PW").securityProfile(2).build(), log)) {
                assertThatThrownBy(() -> await(station.connect(2)))
                        .isInstanceOf(ExecutionException.class)
                        .cause().isInstanceOf(SimulatorException.UpgradeRefused.class)
                        .hasMessageContaining("401");
                assertThat(log.await(StationEvent.ConnectFailed.class, WAIT).httpStatus()).isEqualTo(401);
            }
        }
    }

    @Test
    void OCPPJ_3_3_theVersionTheCsmsPicksIsSpokenAndNoAcceptableOneFailsTheConnection() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).subprotocols("ocpp2.0.1").start();
             SimulatedStation station = station(config(csms, "V201").securityProfile(2).build(), new EventLog())) {
            assertThat(await(station.connect(2)).ocppVersion()).isEqualTo(OcppVersion.OCPP_2_0_1);
        }
        try (StandInCsms csms = StandInCsms.builder(ca).subprotocols("ocpp1.6").start();
             SimulatedStation station = station(config(csms, "V16").securityProfile(2).build(), new EventLog())) {
            assertThatThrownBy(() -> await(station.connect(2))).hasMessageContaining("none of the offered subprotocols");
        }
    }

    @Test
    void aCsmsCertificateFromAnotherPkiIsRefused() throws Exception {
        TestCa other = TestCa.create("other");
        try (StandInCsms csms = StandInCsms.builder(ca).start()) {
            SimulatorConfig cfg = config(csms, "UNTRUSTED").securityProfile(2).trustAnchors(List.of(other.root())).build();
            try (SimulatedStation station = station(cfg, new EventLog())) {
                assertThatThrownBy(() -> await(station.connect(2))).hasMessageContaining("TLS handshake failed")
                        .hasMessageContaining("certification path");
            }
            assertThat(csms.upgrades()).isEmpty();
        }
    }

    @Test
    void withoutReconnectionTheFirstFailureStopsTheStation() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        EventLog log = new EventLog();
        SimulatorConfig cfg = SimulatorConfig.builder("wss://localhost:" + port + "/ocpp", "NOBODY-HOME")
                .password(PASSWORD).trustAnchors(List.of(ca.root())).reconnect(false).build();
        try (SimulatedStation station = station(cfg, log)) {
            assertThatThrownBy(() -> await(station.start())).hasMessageContaining("cannot connect");
            log.await(StationEvent.Stopped.class, WAIT);
            await(station.stopped());
        }
    }

    @Test
    void aDroppedConnectionIsReestablished() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start()) {
            EventLog log = new EventLog();
            try (SimulatedStation station = station(config(csms, "DROPPED").build(), log)) {
                await(station.start());
                csms.awaitConnection(2, WAIT).drop();
                StandInCsms.Connection again = csms.awaitConnection(3, WAIT);
                assertThat(again.upgrade().clientChain()).isNotEmpty();
                again.awaitCall("BootNotification", WAIT);
                log.await(StationEvent.Reconnecting.class, WAIT);
                assertThat(log.await(StationEvent.Closed.class, c -> !c.byStation(), WAIT).code()).isEqualTo(1006);
                // closed by the CSMS with a close frame: the code is reported, and it reconnects too
                again.close(1001, "going away");
                assertThat(log.await(StationEvent.Closed.class, c -> c.code() == 1001, WAIT).byStation()).isFalse();
                csms.awaitConnection(4, WAIT);
            }
        }
    }

    @Test
    void heartbeatsFollowTheIntervalTheCsmsReturns() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).heartbeatInterval(1).requirePassword(PASSWORD).start()) {
            EventLog log = new EventLog();
            try (SimulatedStation station = station(config(csms, "BEATS").securityProfile(2).build(), log)) {
                await(station.start());
                StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
                c.awaitCall("Heartbeat", WAIT);
                c.awaitCall("Heartbeat", WAIT);
                log.awaitNth(StationEvent.HeartbeatAnswered.class, e -> true, 2, WAIT);
            }
        }
    }
}
