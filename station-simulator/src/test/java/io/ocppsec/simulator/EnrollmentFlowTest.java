package io.ocppsec.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.security.cert.PemCertificates;
import io.ocppsec.simulator.testing.StandInCsms;
import io.ocppsec.simulator.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole life of a station against the stand-in CSMS: profile 2, enrollment, profile 3. */
class EnrollmentFlowTest extends Fixture {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void A02_enrollsOverProfile2ThenReconnectsWithProfile3PresentingTheNewCertificate(OcppVersion version) throws Exception {
        SchemaOracle oracle = SchemaOracle.available() ? new SchemaOracle() : null;
        try (StandInCsms csms = StandInCsms.builder(ca).subprotocols(version.subprotocol()).requirePassword(PASSWORD)
                .check(oracle).start()) {
            EventLog log = new EventLog();
            Path state = dir.resolve("state");
            SimulatorConfig cfg = config(csms, "CS-01").organization("Example CPO").stateDirectory(state).build();
            try (SimulatedStation station = station(cfg, log)) {
                Session online = await(station.start());

                assertThat(online.securityProfile()).isEqualTo(3);
                assertThat(online.ocppVersion()).isEqualTo(version);
                assertThat(online.clientCertificate()).isTrue();
                assertThat(online.tlsProtocol()).startsWith("TLSv1.");

                // first connection: profile 2, Basic auth, no client certificate, both versions and deflate offered
                StandInCsms.Connection first = csms.awaitConnection(1, WAIT);
                StandInCsms.Upgrade sp2 = first.upgrade();
                assertThat(sp2.path()).isEqualTo("/ocpp/CS-01");
                assertThat(sp2.headers().get(HttpHeaderNames.AUTHORIZATION)).isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString(("CS-01:" + PASSWORD).getBytes(StandardCharsets.UTF_8)));
                assertThat(sp2.clientChain()).isEmpty();
                assertThat(sp2.offeredSubprotocols()).isEqualTo("ocpp2.1,ocpp2.0.1");
                assertThat(sp2.headers().get(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS)).contains("permessage-deflate");
                assertThat(first.calls()).extracting(RpcFrame.Call::action).startsWith("BootNotification", "SignCertificate");

                RpcFrame.Call sign = first.awaitCall("SignCertificate", WAIT);
                assertThat(field(sign.payload(), "certificateType")).isEqualTo("ChargingStationCertificate");
                assertThat(sign.payload().has("requestId")).isEqualTo(version == OcppVersion.OCPP_2_1);
                X500Name subject = TestCa.csrSubject(field(sign.payload(), "csr"));
                assertThat(IETFUtils.valueToString(subject.getRDNs(BCStyle.CN)[0].getFirst().getValue())).isEqualTo("SN-CS01");
                assertThat(IETFUtils.valueToString(subject.getRDNs(BCStyle.O)[0].getFirst().getValue())).isEqualTo("Example CPO");

                String certificateSigned = first.awaitCertificateSignedId(1, WAIT);
                assertThat(field(first.awaitResult(certificateSigned, WAIT), "status")).isEqualTo("Accepted");

                // stored: key.pem (0600) and chain.pem, leaf first, the leaf for the generated key
                List<X509Certificate> chain = PemCertificates.read(Files.readString(state.resolve("chain.pem")));
                assertThat(chain).hasSize(2);
                assertThat(chain.get(1)).isEqualTo(ca.stationCa());
                assertThat(StationKeys.matches(StationKeys.readPrivateKey(Files.readString(state.resolve("key.pem"))),
                        chain.get(0).getPublicKey())).isTrue();
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(state.resolve("key.pem"))))
                        .isEqualTo("rw-------");
                assertThat(log.await(StationEvent.Enrolled.class, WAIT).certificate()).isEqualTo(chain.get(0));

                // second connection: profile 3, the new certificate presented, no password
                StandInCsms.Connection second = csms.awaitConnection(2, WAIT);
                assertThat(second.upgrade().headers().contains(HttpHeaderNames.AUTHORIZATION)).isFalse();
                assertThat(second.upgrade().clientChain()).isNotEmpty();
                assertThat(second.upgrade().clientChain().get(0)).isEqualTo(chain.get(0));
                RpcFrame.Call boot = second.awaitCall("BootNotification", WAIT);
                assertThat(field(boot.payload().path("chargingStation"), "serialNumber")).isEqualTo("SN-CS01");
                assertThat(field(boot.payload(), "reason")).isEqualTo("PowerUp");

                assertThat(log.all(StationEvent.Online.class)).hasSize(1);
                assertThat(csms.checkProblems()).isEmpty();
            }
        }
    }

    @Test
    void manyStationsShareOneEventLoopThreadAndOneProfile2Context() throws Exception {
        io.netty.channel.EventLoopGroup one = new io.netty.channel.MultiThreadIoEventLoopGroup(1,
                io.netty.channel.nio.NioIoHandler.newFactory());
        io.netty.handler.ssl.SslContext shared = StationTls.clientContext(List.of(ca.root()), true);
        List<SimulatedStation> fleet = new java.util.ArrayList<>();
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start()) {
            for (int i = 0; i < 40; i++) {
                fleet.add(SimulatedStation.builder(config(csms, "FLEET-" + i).build())
                        .eventLoopGroup(one).profile2Tls(shared).build());
            }
            List<java.util.concurrent.CompletableFuture<Session>> online = fleet.stream().map(SimulatedStation::start).toList();
            for (var f : online) {
                Session s = await(f);
                assertThat(s.securityProfile()).isEqualTo(3);
            }
            assertThat(fleet).allMatch(s -> s.eventLoop() == one.next());
            assertThat(csms.upgrades().size()).isGreaterThanOrEqualTo(80);
            assertThat(csms.upgrades().stream().filter(u -> !u.clientChain().isEmpty()).count()).isGreaterThanOrEqualTo(40);
        } finally {
            fleet.forEach(SimulatedStation::close);
            one.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    @Test
    void aStationWithAStoredCertificateGoesStraightToProfile3() throws Exception {
        Path state = dir.resolve("state");
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start()) {
            try (SimulatedStation station = station(config(csms, "CS-02").stateDirectory(state).build(), new EventLog())) {
                assertThat(await(station.start()).securityProfile()).isEqualTo(3);
            }
            assertThat(csms.upgrades()).hasSize(2);
        }
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start()) {
            try (SimulatedStation station = station(config(csms, "CS-02").stateDirectory(state).build(), new EventLog())) {
                Session s = await(station.start());
                assertThat(s.securityProfile()).isEqualTo(3);
                assertThat(s.clientCertificate()).isTrue();
            }
            assertThat(csms.upgrades()).hasSize(1);
            assertThat(csms.upgrades().get(0).clientChain()).isNotEmpty();
            assertThat(csms.awaitConnection(1, WAIT).calls()).extracting(RpcFrame.Call::action).doesNotContain("SignCertificate");
        }
    }

    @Test
    void profile3WithoutACertificateIsRefusedBeforeConnecting() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).start()) {
            SimulatorConfig cfg = config(csms, "CS-03").securityProfile(3).reconnect(false).build();
            try (SimulatedStation station = station(cfg, new EventLog())) {
                assertThatThrownBy(() -> await(station.start()))
                        .isInstanceOf(ExecutionException.class)
                        .hasMessageContaining("needs a client certificate");
            }
            assertThat(csms.upgrades()).isEmpty();
        }
    }

    @Test
    void aSeededClientCertificateIsPresentedWithProfile3() throws Exception {
        var keys = TestCa.keyPair();
        List<X509Certificate> chain = ca.issueStation(new X500Name("CN=SN-CS04"), keys.getPublic());
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start()) {
            SimulatorConfig cfg = config(csms, "CS-04").securityProfile(3).clientCredentials(keys.getPrivate(), chain).build();
            try (SimulatedStation station = station(cfg, new EventLog())) {
                assertThat(await(station.start()).clientCertificate()).isTrue();
            }
            assertThat(csms.upgrades().get(0).clientChain()).containsExactlyElementsOf(chain);
        }
    }
}
