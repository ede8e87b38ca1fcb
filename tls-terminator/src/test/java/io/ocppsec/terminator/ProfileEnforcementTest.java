package io.ocppsec.terminator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.terminator.TestPki.Issued;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Security profiles 1-3 enforced at the TLS handshake and the upgrade, over real sockets and real TLS (JDK client). */
class ProfileEnforcementTest {
    static final List<String> V201 = List.of("ocpp2.0.1");
    @TempDir
    static Path dir;
    static Harness h;

    @BeforeAll
    static void start() throws Exception {
        // back-off is tested on its own (BadInputTest); here every refusal is checked one by one
        h = new Harness(dir, Map.of("failure-threshold", "100000"));
        h.standIn.station("CP3", "SN-3", 3, null);
        h.standIn.station("CP2", "CP2", 2, "secret-password-2");
        h.standIn.station("CP1", "CP1", 1, "secret-password-1");
        h.standIn.station(new PkiStandIn.Station("CP3X", "SN-3X", 3, h.pki.organization, List.of("ocpp2.0.1"), true, null));
    }

    @AfterAll
    static void stop() {
        h.close();
    }

    static String boot(String serial) {
        return "[2,\"b1\",\"BootNotification\",{\"chargingStation\":{\"model\":\"M\",\"vendorName\":\"V\",\"serialNumber\":\""
                + serial + "\"},\"reason\":\"PowerUp\"}]";
    }

    @Test
    void profile3WithAValidCertificateIsAdmittedAndBooted_A00_FR_401() throws Exception {
        Issued cert = h.pki.station("SN-3");
        try (TestStation s = TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, V201)) {
            assertThat(s.subprotocol()).isEqualTo("ocpp2.0.1");
            s.send(boot("SN-3"));
            String answer = s.next(10);
            assertThat(answer).startsWith("[3,\"b1\",").contains("\"status\":\"Accepted\"").contains("\"interval\":300");
            s.send("[2,\"h1\",\"Heartbeat\",{}]");
            assertThat(s.next(10)).startsWith("[3,\"h1\",{\"currentTime\":");
            long deadline = System.currentTimeMillis() + 10_000;
            while (!h.standIn.sessions.containsKey("CP3") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertThat(h.standIn.sessions.get("CP3").path("securityProfile").asInt()).isEqualTo(3);
            assertThat(h.standIn.sessions.get("CP3").path("clientCertificateSha256").asString()).hasSize(64);
            s.send("[2,\"x1\",\"Authorize\",{\"idToken\":{\"idToken\":\"A\",\"type\":\"ISO14443\"}}]");
            assertThat(s.next(10)).startsWith("[4,\"x1\",\"NotSupported\"");
        }
    }

    @Test
    void bootSerialNumberMustMatchTheCertificateCn_B01_FR_12() throws Exception {
        Issued cert = h.pki.station("SN-3");
        try (TestStation s = TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, V201)) {
            s.send(boot("SOMEONE-ELSE"));
            assertThat(s.awaitClose(10)).isEqualTo(1008);
        }
    }

    @Test
    void profile3ExpiredCertificateIsRefused_A00_FR_407() {
        Instant now = Instant.now();
        Issued expired = h.pki.client(TestPki.name(h.pki.organization, "SN-3"), now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)), h.pki.stationCa, h.pki.stationCaKey.getPrivate());
        assertRefused(() -> TestStation.connect(h.wss("CP3"), h.pki.clientContext(expired), null, null, V201), 403, "CERTIFICATE_EXPIRED");
    }

    @Test
    void expiredCertificateAcceptedForAConfiguredStationThenPendingAndRenewal_A00_FR_429() throws Exception {
        Instant now = Instant.now();
        Issued expired = h.pki.client(TestPki.name(h.pki.organization, "SN-3X"), now.minus(Duration.ofDays(30)),
                now.minus(Duration.ofDays(1)), h.pki.stationCa, h.pki.stationCaKey.getPrivate());
        try (TestStation s = TestStation.connect(h.wss("CP3X"), h.pki.clientContext(expired), null, null, V201)) {
            s.send(boot("SN-3X"));
            assertThat(s.next(10)).startsWith("[3,\"b1\",").contains("\"status\":\"Pending\"");
            assertThat(s.next(10)).startsWith("[2,\"ocs-").contains("\"TriggerMessage\"")
                    .contains("\"requestedMessage\":\"SignChargingStationCertificate\"");
        }
    }

    @Test
    void revokedCertificateIsRefused() {
        Issued cert = h.pki.station("SN-3");
        String serial = cert.certificate().getSerialNumber().toString(16);
        h.standIn.revoked.add(serial);
        assertRefused(() -> TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, V201), 403, "CERTIFICATE_REVOKED");
        // asked through pki-service's OCSP broker (the cache GetCertificateStatus uses), by CertID
        assertThat(h.standIn.ocspRequests).anySatisfy(r -> {
            assertThat(r.path("station").asString()).isEqualTo("CP3");
            tools.jackson.databind.JsonNode d = r.path("request").path("ocspRequestData");
            assertThat(d.path("serialNumber").asString()).isEqualTo(serial);
            assertThat(d.path("hashAlgorithm").asString()).isEqualTo("SHA256");
            assertThat(d.path("issuerKeyHash").asString()).hasSize(64);
            assertThat(d.path("responderURL").asString()).isNotEmpty();
        });
    }

    @Test
    void commonNameOtherThanTheSerialNumberIsRefused_A00_FR_405() {
        Issued cert = h.pki.station("SN-OTHER");
        assertRefused(() -> TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, V201), 403, "CN_MISMATCH");
    }

    @Test
    void organizationOtherThanTheStationsIsRefused_A00_FR_404() {
        Instant now = Instant.now();
        Issued cert = h.pki.client(TestPki.name("Someone Else", "SN-3"), now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(1)),
                h.pki.stationCa, h.pki.stationCaKey.getPrivate());
        assertRefused(() -> TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, V201), 403, "O_MISMATCH");
    }

    @Test
    void certificateFromAnotherCaFailsTheTlsHandshake_A00_FR_407() {
        TestPki other = new TestPki();
        Issued foreign = other.station("SN-3");
        int before = h.standIn.events.size();
        assertThatThrownBy(() -> TestStation.connect(h.wss("CP3"), h.pki.clientContext(foreign), null, null, V201))
                .isNotInstanceOf(TestStation.Refused.class);
        awaitEvent("CLIENT_CERTIFICATE_UNTRUSTED_CA", before);
    }

    @Test
    void selfSignedCertificateFailsTheTlsHandshake() throws Exception {
        java.security.KeyPair kp = TestPki.ec();
        Instant now = Instant.now();
        org.bouncycastle.asn1.x500.X500Name n = TestPki.name(h.pki.organization, "SN-3");
        java.security.cert.X509Certificate self = TestPki.sign(new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(n,
                java.math.BigInteger.TEN, java.util.Date.from(now.minusSeconds(60)), java.util.Date.from(now.plusSeconds(86400)), n,
                kp.getPublic()), kp.getPrivate());
        Issued selfSigned = new Issued(self, kp.getPrivate(), new java.security.cert.X509Certificate[] {self});
        // The JDK client does not even send a certificate whose issuer the server did not name, so
        // this ends at the upgrade; OpensslPeerTest sends it anyway and sees the TLS handshake fail.
        assertThatThrownBy(() -> TestStation.connect(h.wss("CP3"), h.pki.clientContext(selfSigned), null, null, V201))
                .isInstanceOfSatisfying(TestStation.Refused.class, r -> assertThat(r.status).isEqualTo(403));
    }

    @Test
    void profile3StationWithoutACertificateIsRefused_A00_FR_407() {
        // TLS without a certificate shows profile 2, below the station's floor: a downgrade (A05.FR.07)
        assertRefused(() -> TestStation.connect(h.wss("CP3"), h.pki.clientContext(null), null, null, V201), 403, "BELOW_FLOOR");
        assertRefused(() -> TestStation.connect(h.wss("CP3"), h.pki.clientContext(null), "CP3", "whatever", V201), 403,
                "BELOW_FLOOR");
    }

    @Test
    void profile2BasicAuthentication_A00_FR_207() throws Exception {
        try (TestStation s = TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "secret-password-2", V201)) {
            s.send(boot("CP2"));
            assertThat(s.next(10)).contains("Accepted");
        }
        assertRefused(() -> TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP2", "wrong-password", V201), 401,
                "WRONG_PASSWORD");
        assertRefused(() -> TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), "CP1", "secret-password-2", V201), 401,
                "USERNAME_MISMATCH");
        assertRefused(() -> TestStation.connect(h.wss("CP2"), h.pki.clientContext(null), null, null, V201), 401,
                "BASIC_AUTH_REQUIRED");
        // the same credentials over plain ws: profile 1 shown, refused (no downgrade, A05.FR.07)
        assertRefused(() -> TestStation.connect(h.ws("CP2"), null, "CP2", "secret-password-2", V201), 403, "BELOW_FLOOR");
    }

    @Test
    void theNewPasswordOfAPendingRotationWorksAndIsConfirmed_A01_FR_03() throws Exception {
        h.standIn.station(new PkiStandIn.Station("CPR", "CPR", 2, h.pki.organization, List.of("ocpp2.0.1"), false,
                PkiStandIn.hash("old-password-123"), PkiStandIn.hash("new-password-456")));
        try (TestStation s = TestStation.connect(h.wss("CPR"), h.pki.clientContext(null), "CPR", "old-password-123", V201)) {
            assertThat(s.subprotocol()).isEqualTo("ocpp2.0.1");
        }
        assertThat(h.standIn.credentialChecks).isEmpty();
        try (TestStation s = TestStation.connect(h.wss("CPR"), h.pki.clientContext(null), "CPR", "new-password-456", V201)) {
            assertThat(s.subprotocol()).isEqualTo("ocpp2.0.1");
        }
        long deadline = System.currentTimeMillis() + 10_000;
        while (h.standIn.credentialChecks.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(h.standIn.credentialChecks).containsExactly("CPR:true");
    }

    @Test
    void duringAnUpgradeBothProfilesBetweenFloorAndConfiguredAreAdmitted_A05() throws Exception {
        h.standIn.station(new PkiStandIn.Station("CPU", "SN-U", 3, h.pki.organization, List.of("ocpp2.0.1"), false,
                PkiStandIn.hash("upgrade-password-1")));
        h.standIn.floors.put("cpu", 2);
        try (TestStation s = TestStation.connect(h.wss("CPU"), h.pki.clientContext(null), "CPU", "upgrade-password-1", V201)) {
            assertThat(s.subprotocol()).isEqualTo("ocpp2.0.1"); // still profile 2: its old slot
        }
        try (TestStation s = TestStation.connect(h.wss("CPU"), h.pki.clientContext(h.pki.station("SN-U")), null, null, V201)) {
            assertThat(s.subprotocol()).isEqualTo("ocpp2.0.1"); // the new profile 3
        }
        // below the floor is never admitted, and profile 1 over plain ws is below it
        assertRefused(() -> TestStation.connect(h.ws("CPU"), null, "CPU", "upgrade-password-1", V201), 403, "BELOW_FLOOR");
    }

    @Test
    void profile1OverPlainWebSocket_A00_FR_201() throws Exception {
        try (TestStation s = TestStation.connect(h.ws("CP1"), null, "CP1", "secret-password-1", V201)) {
            s.send(boot("CP1"));
            assertThat(s.next(10)).contains("Accepted");
        }
        assertRefused(() -> TestStation.connect(h.wss("CP1"), h.pki.clientContext(null), "CP1", "secret-password-1", V201), 403,
                "PROFILE_MISMATCH");
    }

    @Test
    void unknownStationIsNotFound() {
        assertRefused(() -> TestStation.connect(h.wss("NOBODY"), h.pki.clientContext(null), "NOBODY", "x", V201), 404, "UNKNOWN_STATION");
    }

    @Test
    void subprotocolIsTheBestCommonOne_OCPPJ_3_3() throws Exception {
        Issued cert = h.pki.station("SN-3");
        try (TestStation s = TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, List.of("ocpp1.6", "ocpp2.0.1"))) {
            assertThat(s.subprotocol()).isEqualTo("ocpp2.0.1");
        }
        try (TestStation s = TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, List.of("ocpp2.0.1", "ocpp2.1"))) {
            assertThat(s.subprotocol()).isEqualTo("ocpp2.1");
        }
        try (TestStation s = TestStation.connect(h.wss("CP3"), h.pki.clientContext(cert), null, null, List.of("ocpp1.6"))) {
            assertThat(s.subprotocol()).isEmpty();
            assertThat(s.awaitClose(10)).isEqualTo(1002);
        }
    }

    @Test
    void aPlainHttpRequestGetsUpgradeRequired() throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(h.pki.clientContext(null)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(java.net.URI.create("https://localhost:" + h.terminator.wssPort()
                + "/ocpp/CP3")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(426);
        r = http.send(HttpRequest.newBuilder(java.net.URI.create("https://localhost:" + h.terminator.wssPort() + "/admin")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(404);
    }

    static void assertRefused(ThrowingSupplier connect, int status, String reason) {
        int before = h.standIn.events.size();
        assertThatThrownBy(connect::get).isInstanceOfSatisfying(TestStation.Refused.class, r -> {
            assertThat(r.status).isEqualTo(status);
        });
        awaitEvent(reason, before);
    }

    static void awaitEvent(String reason, int after) {
        long deadline = System.currentTimeMillis() + 10_000;
        while (System.currentTimeMillis() < deadline) {
            List<tools.jackson.databind.JsonNode> events = h.standIn.events;
            for (int i = Math.min(after, events.size()); i < events.size(); i++) {
                if (reason.equals(events.get(i).path("reason").asString())) {
                    return;
                }
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("no security event with reason " + reason + " reached pki-service; got " + h.standIn.events);
    }

    interface ThrowingSupplier {
        Object get() throws Exception;
    }
}
