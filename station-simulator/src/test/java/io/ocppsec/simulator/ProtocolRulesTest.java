package io.ocppsec.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.message.type.BootReason;
import io.ocppsec.ocpp.rpc.RpcFrame;
import io.ocppsec.simulator.testing.StandInCsms;
import io.ocppsec.simulator.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.node.ObjectNode;

/** OCPP-J rules the station keeps: one CALL at a time, CALLERRORs, certificate checks, frame bounds. */
class ProtocolRulesTest extends Fixture {
    @TempDir
    Path dir;

    /** A station connected with profile 2 and booted, step by step. */
    private static SimulatedStation booted(StandInCsms csms, String identity, EventLog log) throws Exception {
        SimulatedStation s = station(config(csms, identity).securityProfile(2).build(), log);
        await(s.connect(2));
        await(s.bootNotification(BootReason.PowerUp));
        return s;
    }

    @Test
    void OCPPJ_4_1_1_atMostOneCallOfTheStationIsOutstanding() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).answerManually("Heartbeat").start();
             SimulatedStation station = booted(csms, "ONE-AT-A-TIME", new EventLog())) {
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
            List<CompletableFuture<OffsetDateTime>> beats = List.of(station.heartbeat(), station.heartbeat(), station.heartbeat());
            RpcFrame.Call first = c.awaitCall("Heartbeat", WAIT);

            // a CALL of the CSMS is answered meanwhile; its answer was written after the three heartbeat
            // requests were handed to the station, so any eagerly sent Heartbeat would be on the wire before it
            String probe = c.sendCall("GetInstalledCertificateIds", json("{}"));
            c.awaitAnswer(probe, WAIT);
            assertThat(c.calls()).extracting(RpcFrame.Call::action).containsOnlyOnce("Heartbeat");

            for (int i = 0; i < 3; i++) {
                RpcFrame.Call hb = i == 0 ? first : c.awaitCall("Heartbeat", WAIT);
                c.answer(hb.messageId(), json("{\"currentTime\":\"2025-01-01T00:00:00Z\"}"));
            }
            for (CompletableFuture<OffsetDateTime> b : beats) {
                assertThat(await(b)).isEqualTo(OffsetDateTime.parse("2025-01-01T00:00:00Z"));
            }
            assertThat(c.maxUnansweredStationCalls()).isEqualTo(1);
            assertThat(c.calls().stream().map(RpcFrame.Call::messageId).distinct().count()).isEqualTo(c.calls().size());
        }
    }

    @Test
    void aCallWithoutAnswerTimesOutAndTheNextOneGoes() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).answerManually("Heartbeat").start()) {
            SimulatorConfig cfg = config(csms, "TIMEOUT").securityProfile(2).callTimeout(java.time.Duration.ofMillis(300)).build();
            try (SimulatedStation station = station(cfg, new EventLog())) {
                await(station.connect(2));
                CompletableFuture<OffsetDateTime> a = station.heartbeat();
                CompletableFuture<OffsetDateTime> b = station.heartbeat();
                StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
                c.awaitCall("Heartbeat", WAIT);
                assertThatThrownBy(() -> await(a)).hasCauseInstanceOf(SimulatorException.CallTimeout.class);
                RpcFrame.Call second = c.awaitCall("Heartbeat", WAIT);
                c.answer(second.messageId(), json("{\"currentTime\":\"2025-01-01T00:00:00Z\"}"));
                assertThat(await(b)).isNotNull();
            }
        }
    }

    @Test
    void OCPPJ_4_3_unknownActionsGetNotImplementedAndUnsupportedOcppActionsNotSupported() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).start();
             SimulatedStation station = booted(csms, "ERRORS", new EventLog())) {
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
            RpcFrame unknown = c.awaitAnswer(c.sendCall("MakeCoffee", json("{}")), WAIT);
            assertThat(unknown).isInstanceOf(RpcFrame.CallError.class);
            assertThat(((RpcFrame.CallError) unknown).errorCode()).isEqualTo("NotImplemented");

            RpcFrame reset = c.awaitAnswer(c.sendCall("Reset", json("{\"type\":\"Immediate\"}")), WAIT);
            assertThat(((RpcFrame.CallError) reset).errorCode()).isEqualTo("NotSupported");

            // a known action whose payload breaks its schema: the violation's code, not a guess
            RpcFrame bad = c.awaitAnswer(c.sendCall("SetVariables", json("{\"setVariableData\":[]}")), WAIT);
            assertThat(bad).isInstanceOf(RpcFrame.CallError.class);
            assertThat(((RpcFrame.CallError) bad).errorCode()).isIn("OccurrenceConstraintViolation", "PropertyConstraintViolation",
                    "FormatViolation");

            // an unreadable frame: CALLERROR RpcFrameworkError with id -1
            c.send("[2, 17]");
            assertThat(c.awaitAnswer("-1", WAIT)).isInstanceOf(RpcFrame.CallError.class);
            assertThat(station.session()).isPresent();
        }
    }

    @Test
    void A02_FR_07_aChainForAnotherKeyIsRejectedAndNothingIsStored() throws Exception {
        Path state = dir.resolve("state");
        var foreignKey = TestCa.keyPair().getPublic();
        try (StandInCsms csms = StandInCsms.builder(ca)
                .issuer(csr -> TestCa.pem(ca.issueStation(TestCa.csrSubject(csr), foreignKey))).start()) {
            EventLog log = new EventLog();
            SimulatorConfig cfg = config(csms, "MISMATCH").securityProfile(2).stateDirectory(state).build();
            try (SimulatedStation station = station(cfg, log)) {
                await(station.connect(2));
                await(station.bootNotification(BootReason.PowerUp));
                CompletableFuture<?> enrolled = station.enroll();
                assertThatThrownBy(() -> await(enrolled))
                        .isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(SimulatorException.EnrollmentFailed.class)
                        .hasMessageContaining("not for the key");
                StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
                ObjectNode answer = c.awaitResult(c.awaitCertificateSignedId(1, WAIT), WAIT);
                assertThat(field(answer, "status")).isEqualTo("Rejected");
                assertThat(field(answer.path("statusInfo"), "reasonCode")).isEqualTo("InvalidCertificate");
                RpcFrame.Call event = c.awaitCall("SecurityEventNotification", WAIT);
                assertThat(field(event.payload(), "type")).isEqualTo("InvalidChargingStationCertificate");
                assertThat(station.state().credentials()).isEmpty();
                assertThat(Files.exists(state.resolve("chain.pem"))).isFalse();
                assertThat(Files.exists(state.resolve("key.pem"))).isFalse();
            }
        }
    }

    @Test
    void anExpiredChainIsRejected() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca)
                .issuer(csr -> TestCa.pem(ca.issueExpiredStation(TestCa.csrSubject(csr), publicKeyOf(csr)))).start();
             SimulatedStation station = booted(csms, "EXPIRED", new EventLog())) {
            assertThatThrownBy(() -> await(station.enroll())).hasMessageContaining("expired");
            assertThat(station.state().credentials()).isEmpty();
        }
    }

    @Test
    void anUnsolicitedCertificateSignedIsRejected() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).start();
             SimulatedStation station = booted(csms, "UNSOLICITED", new EventLog())) {
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
            var keys = TestCa.keyPair();
            ObjectNode req = json("{}");
            req.put("certificateChain", TestCa.pem(ca.issueStation(new X500Name("CN=SN-UNSOLICITED"), keys.getPublic())));
            ObjectNode answer = c.awaitResult(c.sendCall("CertificateSigned", req), WAIT);
            assertThat(field(answer, "status")).isEqualTo("Rejected");
            assertThat(field(answer.path("statusInfo"), "reasonCode")).isEqualTo("NoPendingRequest");
            assertThat(station.state().credentials()).isEmpty();
        }
    }

    @Test
    void A02_FR_26_in21ACertificateSignedWithAnotherRequestIdIsRejected() throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).subprotocols("ocpp2.1").answerManually("SignCertificate").start();
             SimulatedStation station = booted(csms, "REQUEST-ID", new EventLog())) {
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
            CompletableFuture<?> enrolled = station.enroll();
            RpcFrame.Call sign = c.awaitCall("SignCertificate", WAIT);
            c.answer(sign.messageId(), json("{\"status\":\"Accepted\"}"));
            int requestId = sign.payload().get("requestId").intValue();
            ObjectNode req = json("{}");
            req.put("certificateChain", TestCa.pem(ca.signCsr(field(sign.payload(), "csr"))));
            req.put("requestId", requestId + 1);
            ObjectNode answer = c.awaitResult(c.sendCall("CertificateSigned", req), WAIT);
            assertThat(field(answer, "status")).isEqualTo("Rejected");
            assertThat(field(answer.path("statusInfo"), "reasonCode")).isEqualTo("UnknownRequestId");
            assertThatThrownBy(() -> await(enrolled)).hasCauseInstanceOf(SimulatorException.EnrollmentFailed.class);
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aMessageLargerThanTheBoundClosesTheConnectionWith1009(boolean compression) throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).compression(compression).start()) {
            EventLog log = new EventLog();
            try (SimulatedStation station = booted(csms, "BIG", log)) {
                assertThat(station.session().orElseThrow().compression()).isEqualTo(compression);
                StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
                c.send(callOfSize(SimulatorConfig.DEFAULT_MAX_FRAME_BYTES + 1));
                StationEvent.Closed closed = log.await(StationEvent.Closed.class, WAIT);
                assertThat(closed.code()).isEqualTo(1009);
                assertThat(closed.byStation()).isTrue();
                assertThat(c.stationClose().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)[0]).isEqualTo(1009);
            }
        }
    }

    @Test
    void aFragmentedMessageLargerThanTheBoundClosesWith1009() throws Exception {
        EventLog log = new EventLog();
        try (StandInCsms csms = StandInCsms.builder(ca).compression(false).start();
             SimulatedStation station = booted(csms, "FRAGMENTS", log)) {
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
            c.sendFragmented(callOfSize(SimulatorConfig.DEFAULT_MAX_FRAME_BYTES + 1), 256 * 1024);
            assertThat(c.stationClose().get(WAIT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)[0]).isEqualTo(1009);
            assertThat(log.await(StationEvent.Closed.class, WAIT).code()).isEqualTo(1009);
            assertThat(station.session()).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void aMessageJustUnderTheBoundIsRead(boolean compression) throws Exception {
        try (StandInCsms csms = StandInCsms.builder(ca).compression(compression).start();
             SimulatedStation station = booted(csms, "ALMOST-BIG", new EventLog())) {
            StandInCsms.Connection c = csms.awaitConnection(1, WAIT);
            String call = callOfSize(SimulatorConfig.DEFAULT_MAX_FRAME_BYTES - 16);
            c.send(call);
            assertThat(((RpcFrame.CallError) c.awaitAnswer("big-1", WAIT)).errorCode()).isEqualTo("NotImplemented");
            assertThat(station.session()).isPresent();
        }
    }

    /** A CALL of an unknown action padded to exactly {@code bytes} bytes. */
    private static String callOfSize(int bytes) {
        String head = "[2,\"big-1\",\"Padding\",{\"x\":\"";
        String tail = "\"}]";
        return head + "a".repeat(bytes - head.length() - tail.length()) + tail;
    }

    private static java.security.PublicKey publicKeyOf(String csrPem) {
        try {
            var csr = (org.bouncycastle.pkcs.PKCS10CertificationRequest) new org.bouncycastle.openssl.PEMParser(
                    new java.io.StringReader(csrPem)).readObject();
            return java.security.KeyFactory.getInstance("EC").generatePublic(
                    new java.security.spec.X509EncodedKeySpec(csr.getSubjectPublicKeyInfo().getEncoded()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
