package io.ocppsec.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.type.BootReason;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.simulator.testing.StandInCsms;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Every CALL the station sends and every answer it gives is valid against the official OCPP JSON
 * schemas (skipped, with a message, without ../shared/ocpp-schemas). The oracle itself must be
 * able to say no.
 */
class SchemaOracleTest extends Fixture {

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void theOracleRefusesWhatTheSchemaRefuses(OcppVersion v) {
        SchemaOracle oracle = SchemaOracle.require();
        assertThat(oracle.check(v, "Heartbeat", true, json("{}"))).isEmpty();
        assertThat(oracle.check(v, "BootNotification", true, json("{\"reason\":\"PowerUp\"}"))).isPresent();
        assertThat(oracle.check(v, "BootNotification", true,
                json("{\"reason\":\"PowerUp\",\"chargingStation\":{\"model\":\"m\",\"vendorName\":\"v\",\"x\":1}}"))).isPresent();
        assertThat(oracle.check(v, "SignCertificate", true, json("{\"csr\":\"x\",\"requestId\":1}")).isPresent())
                .isEqualTo(v == OcppVersion.OCPP_2_0_1);
    }

    @ParameterizedTest
    @EnumSource(value = OcppVersion.class, names = {"OCPP_2_0_1", "OCPP_2_1"})
    void everythingTheStationSendsIsSchemaValid(OcppVersion v) throws Exception {
        SchemaOracle oracle = SchemaOracle.require();
        try (StandInCsms csms = StandInCsms.builder(ca).subprotocols(v.subprotocol()).check(oracle)
                .issuer(csr -> io.ocppsec.simulator.testing.TestCa.pem(ca.issueStation(
                        io.ocppsec.simulator.testing.TestCa.csrSubject(csr), io.ocppsec.simulator.testing.TestCa.keyPair().getPublic())))
                .start();
             SimulatedStation station = station(config(csms, "SCHEMA-" + v.ordinal()).securityProfile(2)
                     .firmwareVersion("1.2.3").organization("Example").build(), new EventLog())) {
            await(station.connect(2));
            await(station.bootNotification(BootReason.PowerUp));
            await(station.heartbeat());
            // SignCertificate, a refused CertificateSigned, SecurityEventNotification
            try {
                await(station.enroll());
            } catch (Exception expected) {
                // the chain is for another key: Rejected
            }
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
            c.awaitCall("SecurityEventNotification", WAIT);
            for (String call : new String[] {
                    "[\"TriggerMessage\",{\"requestedMessage\":\"Heartbeat\"}]",
                    "[\"TriggerMessage\",{\"requestedMessage\":\"BootNotification\"}]",
                    "[\"TriggerMessage\",{\"requestedMessage\":\"MeterValues\"}]",
                    "[\"GetInstalledCertificateIds\",{}]",
                    "[\"GetInstalledCertificateIds\",{\"certificateType\":[\"MORootCertificate\"]}]",
                    "[\"SetVariables\",{\"setVariableData\":[{\"component\":{\"name\":\"X\"},\"variable\":{\"name\":\"Y\"},\"attributeValue\":\"1\"},"
                            + "{\"component\":{\"name\":\"SecurityCtrlr\"},\"variable\":{\"name\":\"BasicAuthPassword\"},\"attributeValue\":\"0123456789abcdef\"}]}]",
                    "[\"InstallCertificate\",{\"certificateType\":\"CSMSRootCertificate\",\"certificate\":\"not pem\"}]",
                    "[\"DeleteCertificate\",{\"certificateHashData\":{\"hashAlgorithm\":\"SHA256\",\"issuerNameHash\":\""
                            + "a".repeat(64) + "\",\"issuerKeyHash\":\"" + "b".repeat(64) + "\",\"serialNumber\":\"1\"}}]",
                    "[\"CertificateSigned\",{\"certificateChain\":\"x\"}]"}) {
                var node = JSON.readTree(call);
                String id = c.sendCall(node.get(0).stringValue(), (tools.jackson.databind.node.ObjectNode) node.get(1));
                assertThat(c.awaitAnswer(id, WAIT)).isInstanceOf(RpcFrame.CallResult.class);
            }
            c.awaitCall("Heartbeat", WAIT);
            assertThat(c.calls()).extracting(RpcFrame.Call::action)
                    .contains("BootNotification", "Heartbeat", "SignCertificate", "SecurityEventNotification");
            assertThat(csms.checkProblems()).isEmpty();
        }
    }
}
