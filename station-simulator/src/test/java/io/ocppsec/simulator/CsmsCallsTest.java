package io.ocppsec.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.type.BootReason;
import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.security.cert.CertificateIdentifier;
import io.ocppsec.simulator.testing.StandInCsms;
import io.ocppsec.simulator.testing.TestCa;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the station answers to the CSMS: SetVariables, TriggerMessage, the certificate management
 * calls; every answer (and every CALL the station sends) is checked against the official schemas
 * when ../shared is there.
 */
class CsmsCallsTest extends Fixture {

    private static StandInCsms.Builder csms(OcppVersion v) {
        return StandInCsms.builder(ca).subprotocols(v.subprotocol()).requirePassword(PASSWORD)
                .check(SchemaOracle.available() ? new SchemaOracle() : null);
    }

    private static SimulatedStation booted(StandInCsms csms, String identity, EventLog log) throws Exception {
        SimulatedStation s = station(config(csms, identity).securityProfile(2).build(), log);
        await(s.connect(2));
        await(s.bootNotification(BootReason.PowerUp));
        return s;
    }

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void A01_theBasicAuthPasswordSetByTheCsmsIsUsedOnTheNextConnection(OcppVersion v) throws Exception {
        String newPassword = "a-brand-new-password-42";
        try (StandInCsms csms = csms(v).authenticator(u -> io.netty.handler.codec.http.HttpResponseStatus.SWITCHING_PROTOCOLS).start()) {
            EventLog log = new EventLog();
            try (SimulatedStation station = booted(csms, "PW-" + v.ordinal(), log)) {
                StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
                ObjectNode req = json("""
                        {"setVariableData":[
                          {"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"attributeValue":"%s"},
                          {"component":{"name":"SecurityCtrlr"},"variable":{"name":"OrganizationName"},"attributeValue":"x"},
                          {"component":{"name":"OCPPCommCtrlr"},"variable":{"name":"HeartbeatInterval"},"attributeValue":"10"},
                          {"component":{"name":"SecurityCtrlr"},"variable":{"name":"BasicAuthPassword"},"attributeValue":"short"}
                        ]}""".formatted(newPassword));
                JsonNode results = c.awaitResult(c.sendCall("SetVariables", req), WAIT).get("setVariableResult");
                assertThat(results).hasSize(4);
                assertThat(field(results.get(0), "attributeStatus")).isEqualTo("Accepted");
                assertThat(field(results.get(1), "attributeStatus")).isEqualTo("UnknownVariable");
                assertThat(field(results.get(2), "attributeStatus")).isEqualTo("UnknownComponent");
                assertThat(field(results.get(3), "attributeStatus")).isEqualTo("Rejected");
                assertThat(field(results.get(0).path("component"), "name")).isEqualTo("SecurityCtrlr");
                assertThat(new String(station.state().password().orElseThrow())).isEqualTo(newPassword);
                log.await(StationEvent.PasswordChanged.class, WAIT);

                await(station.disconnect());
                await(station.connect(2));
                String header = csms.awaitConnection(2, WAIT).upgrade().headers().get(HttpHeaderNames.AUTHORIZATION);
                assertThat(header).isEqualTo("Basic " + Base64.getEncoder().encodeToString(
                        (station.config().identity() + ":" + newPassword).getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(csms.checkProblems()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void M03_M04_M05_installedRootsAreListedAndDeleted(OcppVersion v) throws Exception {
        X509Certificate other = TestCa.otherRoot("Another CSMS Root");
        try (StandInCsms csms = csms(v).start();
             SimulatedStation station = booted(csms, "CERTS-" + v.ordinal(), new EventLog())) {
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);

            ObjectNode install = json("{\"certificateType\":\"CSMSRootCertificate\"}");
            install.put("certificate", TestCa.pem(List.of(other)));
            assertThat(field(c.awaitResult(c.sendCall("InstallCertificate", install), WAIT), "status")).isEqualTo("Accepted");
            ObjectNode leaf = json("{\"certificateType\":\"MORootCertificate\"}");
            leaf.put("certificate", TestCa.pem(List.of(ca.issueStation(new org.bouncycastle.asn1.x500.X500Name("CN=leaf"),
                    TestCa.keyPair().getPublic()).get(0))));
            ObjectNode refused = c.awaitResult(c.sendCall("InstallCertificate", leaf), WAIT);
            assertThat(field(refused, "status")).isEqualTo("Rejected");

            JsonNode ids = c.awaitResult(c.sendCall("GetInstalledCertificateIds", json("{}")), WAIT);
            assertThat(field(ids, "status")).isEqualTo("Accepted");
            assertThat(ids.get("certificateHashDataChain")).hasSize(2);
            CertificateHashData expected = CertificateIdentifier.of(other, other, HashAlgorithm.SHA256);
            JsonNode installedId = ids.get("certificateHashDataChain").get(1).get("certificateHashData");
            assertThat(field(installedId, "serialNumber")).isEqualTo(expected.serialNumber());
            assertThat(field(installedId, "issuerKeyHash")).isEqualTo(expected.issuerKeyHash());

            JsonNode none = c.awaitResult(c.sendCall("GetInstalledCertificateIds",
                    json("{\"certificateType\":[\"V2GRootCertificate\"]}")), WAIT);
            assertThat(field(none, "status")).isEqualTo("NotFound");
            assertThat(none.has("certificateHashDataChain")).isFalse();

            ObjectNode delete = json("{}");
            delete.set("certificateHashData", installedId);
            assertThat(field(c.awaitResult(c.sendCall("DeleteCertificate", delete), WAIT), "status")).isEqualTo("Accepted");
            assertThat(field(c.awaitResult(c.sendCall("DeleteCertificate", delete), WAIT), "status")).isEqualTo("NotFound");
            assertThat(station.state().installed()).isEmpty();

            ObjectNode deleteAnchor = json("{}");
            deleteAnchor.set("certificateHashData", ids.get("certificateHashDataChain").get(0).get("certificateHashData"));
            assertThat(field(c.awaitResult(c.sendCall("DeleteCertificate", deleteAnchor), WAIT), "status")).isEqualTo("Failed");
            assertThat(csms.checkProblems()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void F06_triggeredMessagesAreSentAfterTheResponse(OcppVersion v) throws Exception {
        try (StandInCsms csms = csms(v).start();
             SimulatedStation station = booted(csms, "TRIGGER-" + v.ordinal(), new EventLog())) {
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);

            String heartbeat = c.sendCall("TriggerMessage", json("{\"requestedMessage\":\"Heartbeat\"}"));
            assertThat(field(c.awaitResult(heartbeat, WAIT), "status")).isEqualTo("Accepted");
            RpcFrame.Call hb = c.awaitCall("Heartbeat", WAIT);
            assertThat(indexOf(c, heartbeat)).isLessThan(indexOf(c, hb.messageId()));

            // F06.FR.17: the boot was accepted already
            String boot = c.sendCall("TriggerMessage", json("{\"requestedMessage\":\"BootNotification\"}"));
            assertThat(field(c.awaitResult(boot, WAIT), "status")).isEqualTo("Rejected");

            String meter = c.sendCall("TriggerMessage", json("{\"requestedMessage\":\"MeterValues\"}"));
            assertThat(field(c.awaitResult(meter, WAIT), "status")).isEqualTo("NotImplemented");

            // A02: the CSR follows the Accepted answer; the stand-in then sends CertificateSigned
            String sign = c.sendCall("TriggerMessage", json("{\"requestedMessage\":\"SignChargingStationCertificate\"}"));
            assertThat(field(c.awaitResult(sign, WAIT), "status")).isEqualTo("Accepted");
            RpcFrame.Call csr = c.awaitCall("SignCertificate", WAIT);
            assertThat(indexOf(c, sign)).isLessThan(indexOf(c, csr.messageId()));
            assertThat(field(c.awaitResult(c.awaitCertificateSignedId(1, WAIT), WAIT), "status")).isEqualTo("Accepted");
            assertThat(station.state().credentials()).isPresent();
            assertThat(csms.checkProblems()).isEmpty();
        }
    }

    @Test
    void A02_FR_08_aRenewedCertificateIsPresentedOnAReconnection() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).requirePassword(PASSWORD).start()) {
            EventLog log = new EventLog();
            try (SimulatedStation station = station(config(csms, "RENEW").build(), log)) {
                await(station.start());
                StandInCsms.Connection sp3 = csms.awaitConnection(2, WAIT);
                X509Certificate first = sp3.upgrade().clientChain().get(0);

                String trigger = sp3.sendCall("TriggerMessage", json("{\"requestedMessage\":\"SignChargingStationCertificate\"}"));
                assertThat(field(sp3.awaitResult(trigger, WAIT), "status")).isEqualTo("Accepted");
                assertThat(field(sp3.awaitResult(sp3.awaitCertificateSignedId(1, WAIT), WAIT), "status")).isEqualTo("Accepted");

                StandInCsms.Connection renewed = csms.awaitConnection(3, WAIT);
                X509Certificate second = renewed.upgrade().clientChain().get(0);
                assertThat(second).isNotEqualTo(first);
                assertThat(second).isEqualTo(station.state().credentials().orElseThrow().leaf());
                renewed.awaitCall("BootNotification", WAIT);
                assertThat(log.all(StationEvent.Enrolled.class)).hasSize(2);
            }
        }
    }

    private static int indexOf(StandInCsms.Connection c, String messageId) {
        List<String> all = c.received();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).contains("\"" + messageId + "\"")) {
                return i;
            }
        }
        throw new AssertionError(messageId + " not received");
    }
}
