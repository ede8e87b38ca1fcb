package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.pki.ca.Csrs;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * pki-service's side of the terminator contract over real HTTP, run against each database by a
 * subclass: the terminator role, admission facts, terminator instances and station sessions,
 * calls to stations through a stand-in terminator control API, security events and
 * CertificateSigned outcomes.
 */
abstract class TerminatorApiContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

    abstract Api api();

    abstract Path dataDir();

    String admin() {
        try {
            return Files.readString(dataDir().resolve("admin-token")).trim();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String token(String role) {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"test " + role + "\",\"role\":\"" + role + "\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("role").asString()).isEqualTo(role);
        return r.json().get("token").asString();
    }

    static String fresh(String prefix) {
        return prefix + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 1_000_000;
    }

    static String controlToken() {
        byte[] b = new byte[32];
        RANDOM.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    /** Registers a profile 2 station; returns the API's answer (with its generated password). */
    JsonNode station(String identity) {
        Api.Reply r = api().post("/api/v1/stations", "{\"identity\":\"" + identity + "\",\"serialNumber\":\"SN" + identity
                + "\",\"securityProfile\":2}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json();
    }

    Api.Reply register(String terminatorId, String controlUrl, String controlToken, String token) {
        return api().put("/api/v1/terminator/instances/" + terminatorId,
                Api.object().put("controlUrl", controlUrl).put("controlToken", controlToken), token);
    }

    ObjectNode session(String terminatorId, int profile, String subprotocol) {
        return Api.object().put("terminatorId", terminatorId).put("securityProfile", profile).put("subprotocol", subprotocol)
                .putNull("clientCertificateSha256").put("remoteAddress", "192.0.2.7:50123");
    }

    Api.Reply connect(String station, String terminatorId, String subprotocol, String token) {
        return api().put("/api/v1/terminator/sessions/" + station, session(terminatorId, 2, subprotocol), token);
    }

    JsonNode sessionOf(String station) {
        Api.Reply r = api().get("/api/v1/stations/" + station + "/session", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** A station connected through a stand-in terminator with the given OCPP version. */
    record Connected(String station, String terminatorId, TerminatorStandIn standIn) {
    }

    Connected connectedThroughStandIn(TerminatorStandIn standIn, String controlToken, String subprotocol) {
        String term = token("terminator");
        String id = fresh("CALL");
        station(id);
        String terminatorId = fresh("term");
        assertThat(register(terminatorId, standIn.url(), controlToken, term).status()).isEqualTo(204);
        Api.Reply c = connect(id, terminatorId, subprotocol, term);
        assertThat(c.status()).as(c.body()).isEqualTo(204);
        return new Connected(id, terminatorId, standIn);
    }

    Api.Reply call(String station, String action, String payload, Integer timeoutSeconds, String token) {
        String body = "{\"action\":\"" + action + "\",\"payload\":" + payload
                + (timeoutSeconds == null ? "" : ",\"timeoutSeconds\":" + timeoutSeconds) + "}";
        return api().post("/api/v1/stations/" + station + "/calls", body, token);
    }

    boolean verify(String id, String password) {
        return api().post("/api/v1/stations/" + id + "/credentials/verify", Api.object().put("password", password), admin())
                .json().get("valid").booleanValue();
    }

    String audit() {
        Api.Reply r = api().get("/api/v1/audit?limit=1000", admin());
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    // ---- roles -------------------------------------------------------------------------------

    @Test
    void theTerminatorRoleSitsBetweenCsmsAndOperator() {
        String id = fresh("ROLE");
        station(id);
        String csms = token("csms");
        String term = token("terminator");
        String operator = token("operator");

        for (Api.Reply refused : List.of(
                api().get("/api/v1/terminator/stations/" + id, csms),
                register("t1", "http://127.0.0.1:9", controlToken(), csms),
                api().put("/api/v1/terminator/sessions/" + id, session("t1", 2, "ocpp2.0.1"), csms),
                api().delete("/api/v1/terminator/sessions/" + id + "?terminatorId=t1", csms),
                api().post("/api/v1/terminator/security-events", "[]", csms),
                api().post("/api/v1/terminator/certificate-signed", "{}", csms))) {
            assertThat(refused.status()).as(refused.body()).isEqualTo(403);
            assertThat(refused.body()).contains("needs the terminator role");
        }
        assertThat(api().get("/api/v1/terminator/stations/" + id, term).status()).isEqualTo(200);
        assertThat(api().get("/api/v1/terminator/stations/" + id, operator).status()).as("operator includes terminator").isEqualTo(200);
        assertThat(api().get("/api/v1/stations/" + id, term).status()).as("terminator includes csms").isEqualTo(200);
        assertThat(api().post("/api/v1/certificates/sign", "{}", term).status()).as("terminator signs like a CSMS").isEqualTo(400);
        assertThat(api().post("/api/v1/stations", "{\"identity\":\"" + fresh("X") + "\",\"serialNumber\":\"S\"}", term).status())
                .isEqualTo(403);
        assertThat(call(id, "TriggerMessage", "{}", null, term).status()).as("calls need an operator").isEqualTo(403);
        assertThat(api().post("/api/v1/stations/" + id + "/password/rotate", "{}", term).status()).isEqualTo(403);
        assertThat(api().get("/api/v1/tokens", term).status()).isEqualTo(403);
        Api.Reply badRole = api().post("/api/v1/tokens", "{\"name\":\"x\",\"role\":\"station\"}", admin());
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().get("detail").asString()).contains("terminator");
    }

    // ---- admission facts and station records -------------------------------------------------

    @Test
    void admissionFactsCarryThePasswordHashesAndNoOtherAnswerDoes() {
        String id = fresh("Adm");
        JsonNode added = station(id);
        String term = token("terminator");

        Api.Reply facts = api().get("/api/v1/terminator/stations/" + id.toLowerCase(), term);
        assertThat(facts.status()).as(facts.body()).isEqualTo(200);
        JsonNode f = facts.json();
        assertThat(f.get("identity").asString()).as("looked up case-insensitively, shown as registered").isEqualTo(id);
        assertThat(f.get("serialNumber").asString()).isEqualTo("SN" + id);
        assertThat(f.get("securityProfile").asInt()).isEqualTo(2);
        assertThat(f.get("profileFloor").asInt()).isEqualTo(2);
        assertThat(f.get("organization").asString()).isEqualTo("ocppsec development CPO");
        assertThat(f.get("enabled").booleanValue()).isTrue();
        assertThat(f.get("ocppVersions").valueStream().map(JsonNode::asString).toList()).containsExactly("ocpp2.1", "ocpp2.0.1");
        assertThat(f.get("allowExpiredClientCertificate").booleanValue()).isFalse();
        assertThat(f.get("passwordHash").asString()).startsWith("$argon2id$");
        assertThat(f.get("pendingPasswordHash").isNull()).isTrue();
        long version = f.get("version").asLong();
        assertThat(f.propertyNames()).containsExactlyInAnyOrder("identity", "serialNumber", "securityProfile", "profileFloor",
                "organization", "enabled", "ocppVersions", "allowExpiredClientCertificate", "passwordHash",
                "pendingPasswordHash", "version");

        assertThat(api().post("/api/v1/stations/" + id + "/password/rotate", "{}", admin()).status()).isEqualTo(200);
        JsonNode rotated = api().get("/api/v1/terminator/stations/" + id, term).json();
        assertThat(rotated.get("pendingPasswordHash").asString()).startsWith("$argon2id$");
        assertThat(rotated.get("version").asLong()).as("every change moves the version").isGreaterThan(version);

        List<String> elsewhere = List.of(added.toString(), api().get("/api/v1/stations/" + id, admin()).body(),
                api().get("/api/v1/stations?limit=1000", admin()).body(), audit(),
                api().get("/api/v1/stations/" + id + "/session", admin()).body());
        for (String body : elsewhere) {
            assertThat(body).doesNotContain("$argon2", "passwordHash");
        }

        Api.Reply unknown = api().get("/api/v1/terminator/stations/" + fresh("NOPE"), term);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.code()).isEqualTo("STATION_UNKNOWN");
        assertThat(api().get("/api/v1/terminator/stations/bad:identity", term).code()).isEqualTo("STATION_UNKNOWN");
    }

    @Test
    void A00_FR_429_stationsCarryTheirOcppVersionsAndTheExpiredCertificateException() {
        String plain = fresh("Ver");
        JsonNode defaults = station(plain).get("station");
        assertThat(defaults.get("ocppVersions").valueStream().map(JsonNode::asString).toList()).containsExactly("ocpp2.1", "ocpp2.0.1");
        assertThat(defaults.get("allowExpiredClientCertificate").booleanValue()).isFalse();

        String old = fresh("Ver");
        Api.Reply added = api().post("/api/v1/stations", "{\"identity\":\"" + old + "\",\"serialNumber\":\"S\",\"securityProfile\":3,"
                + "\"ocppVersions\":[\"ocpp2.0.1\",\"ocpp1.6\"],\"allowExpiredClientCertificate\":true}", admin());
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().get("station").get("ocppVersions").valueStream().map(JsonNode::asString).toList())
                .as("order kept").containsExactly("ocpp2.0.1", "ocpp1.6");
        assertThat(added.json().get("station").get("allowExpiredClientCertificate").booleanValue()).isTrue();

        Api.Reply patched = api().patch("/api/v1/stations/" + old, Api.JSON.readTree("{\"ocppVersions\":[\"ocpp2.1\"]}"), admin());
        assertThat(patched.status()).as(patched.body()).isEqualTo(200);
        assertThat(patched.json().get("ocppVersions").valueStream().map(JsonNode::asString).toList()).containsExactly("ocpp2.1");
        assertThat(patched.json().get("allowExpiredClientCertificate").booleanValue()).as("untouched").isTrue();
        JsonNode off = api().patch("/api/v1/stations/" + old, Api.object().put("allowExpiredClientCertificate", false), admin()).json();
        assertThat(off.get("allowExpiredClientCertificate").booleanValue()).isFalse();
        assertThat(off.get("ocppVersions").valueStream().map(JsonNode::asString).toList()).containsExactly("ocpp2.1");
        JsonNode facts = api().get("/api/v1/terminator/stations/" + old, admin()).json();
        assertThat(facts.get("ocppVersions").valueStream().map(JsonNode::asString).toList()).containsExactly("ocpp2.1");
        assertThat(facts.get("allowExpiredClientCertificate").booleanValue()).isFalse();

        for (String bad : List.of("[\"ocpp2.0\"]", "[]", "[\"ocpp2.1\",\"ocpp2.1\"]", "[null]", "[\"OCPP2.1\"]")) {
            String id = fresh("Bad");
            Api.Reply r = api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"S\",\"ocppVersions\":"
                    + bad + "}", admin());
            assertThat(r.status()).as(bad + ": " + r.body()).isEqualTo(400);
            assertThat(r.code()).isEqualTo("BAD_OCPP_VERSIONS");
            assertThat(r.json().get("detail").asString()).contains("ocppVersions");
            assertThat(api().get("/api/v1/stations/" + id, admin()).status()).as("nothing written").isEqualTo(404);
            Api.Reply p = api().patch("/api/v1/stations/" + old, Api.JSON.readTree("{\"ocppVersions\":" + bad + "}"), admin());
            assertThat(p.code()).isEqualTo("BAD_OCPP_VERSIONS");
        }
        assertThat(api().get("/api/v1/stations/" + old, admin()).json().get("ocppVersions").valueStream()
                .map(JsonNode::asString).toList()).containsExactly("ocpp2.1");
    }

    // ---- instances and sessions -------------------------------------------------------------

    @Test
    void sessionsFollowTheLastTerminatorAndALateDisconnectChangesNothing() {
        String term = token("terminator");
        String id = fresh("Hand");
        station(id);
        String a = fresh("term-a");
        String b = fresh("term-b");
        assertThat(register(a, "http://127.0.0.1:8081", controlToken(), term).status()).isEqualTo(204);
        assertThat(register(b, "http://127.0.0.1:8082/", controlToken(), term).status()).isEqualTo(204);

        assertThat(sessionOf(id).toString()).isEqualTo("{\"connected\":false}");
        Api.Reply opened = api().put("/api/v1/terminator/sessions/" + id.toLowerCase(), Api.object().put("terminatorId", a)
                .put("securityProfile", 3).put("subprotocol", "ocpp2.0.1")
                .put("clientCertificateSha256", "AB".repeat(32)).put("remoteAddress", "[2001:db8::1]:443"), term);
        assertThat(opened.status()).as(opened.body()).isEqualTo(204);
        JsonNode s = sessionOf(id);
        assertThat(s.get("connected").booleanValue()).isTrue();
        assertThat(s.get("terminatorId").asString()).isEqualTo(a);
        assertThat(s.get("securityProfile").asInt()).isEqualTo(3);
        assertThat(s.get("subprotocol").asString()).isEqualTo("ocpp2.0.1");
        assertThat(s.get("clientCertificateSha256").asString()).isEqualTo("ab".repeat(32));
        assertThat(s.get("remoteAddress").asString()).isEqualTo("[2001:db8::1]:443");
        assertThat(s.get("connectedAt").asString()).isNotBlank();

        // The station reconnects through B; A's disconnect arrives late and must not end B's session.
        assertThat(connect(id, b, "ocpp2.1", term).status()).isEqualTo(204);
        assertThat(sessionOf(id).get("terminatorId").asString()).isEqualTo(b);
        assertThat(sessionOf(id).get("clientCertificateSha256").isNull()).isTrue();
        assertThat(api().delete("/api/v1/terminator/sessions/" + id + "?terminatorId=" + a, term).status()).isEqualTo(204);
        assertThat(sessionOf(id).get("terminatorId").asString()).as("still held by B").isEqualTo(b);
        assertThat(api().delete("/api/v1/terminator/sessions/" + id + "?terminatorId=" + b, term).status()).isEqualTo(204);
        assertThat(sessionOf(id).get("connected").booleanValue()).isFalse();
        assertThat(api().delete("/api/v1/terminator/sessions/" + id + "?terminatorId=" + b, term).status())
                .as("a second disconnect is harmless").isEqualTo(204);

        String log = audit();
        assertThat(log).contains("station.session.open", "station.session.close", "terminator.register");
        assertThat(api().get("/api/v1/stations/" + fresh("NOPE") + "/session", admin()).code()).isEqualTo("STATION_UNKNOWN");
        assertThat(api().get("/api/v1/stations/" + id + "/session", token("csms")).status()).as("csms reads sessions").isEqualTo(200);
    }

    @Test
    void aTerminatorThatRegistersAgainHasRestartedAndHoldsNothing() {
        String term = token("terminator");
        String a = fresh("term-a");
        String b = fresh("term-b");
        String secret = controlToken();
        register(a, "http://127.0.0.1:8081", secret, term);
        register(b, "http://127.0.0.1:8082", controlToken(), term);
        String s1 = fresh("Rst");
        String s2 = fresh("Rst");
        String s3 = fresh("Rst");
        for (String s : List.of(s1, s2, s3)) {
            station(s);
        }
        connect(s1, a, "ocpp2.0.1", term);
        connect(s2, a, "ocpp2.1", term);
        connect(s3, b, "ocpp2.1", term);

        String newSecret = controlToken();
        assertThat(register(a, "http://127.0.0.1:9091", newSecret, term).status()).isEqualTo(204);
        assertThat(sessionOf(s1).get("connected").booleanValue()).isFalse();
        assertThat(sessionOf(s2).get("connected").booleanValue()).isFalse();
        assertThat(sessionOf(s3).get("terminatorId").asString()).as("another terminator's stations stay").isEqualTo(b);

        // The control token is a secret: no answer and no audit record carries it.
        assertThat(audit()).doesNotContain(secret, newSecret).contains("http://127.0.0.1:9091");
        assertThat(api().get("/api/v1/stations/" + s3 + "/session", admin()).body()).doesNotContain(secret, newSecret);
    }

    @Test
    void badTerminatorInputGetsAClearFourHundredAndChangesNothing() {
        String term = token("terminator");
        String id = fresh("In");
        station(id);
        String t = fresh("term");
        assertThat(register(t, "http://127.0.0.1:8081", controlToken(), term).status()).isEqualTo(204);

        assertThat(register("bad%20id", "http://127.0.0.1:8081", controlToken(), term).code()).isEqualTo("BAD_TERMINATOR_ID");
        assertThat(register("x".repeat(65), "http://127.0.0.1:8081", controlToken(), term).code()).isEqualTo("BAD_TERMINATOR_ID");
        for (String url : List.of("ftp://127.0.0.1/", "http://", "127.0.0.1:8081", "http://user:pw@127.0.0.1:8081",
                "http://127.0.0.1:8081/?q=1", "not a url")) {
            Api.Reply r = register(t, url, controlToken(), term);
            assertThat(r.status()).as(url).isEqualTo(400);
            assertThat(r.code()).as(url).isEqualTo("BAD_CONTROL_URL");
        }
        Api.Reply noUrl = api().put("/api/v1/terminator/instances/" + t, Api.object().put("controlToken", controlToken()), term);
        assertThat(noUrl.code()).isEqualTo("BAD_CONTROL_URL");
        for (String tok : List.of("short", "x".repeat(257), "has space " + "x".repeat(30))) {
            Api.Reply r = register(t, "http://127.0.0.1:8081", tok, term);
            assertThat(r.code()).isEqualTo("BAD_CONTROL_TOKEN");
            assertThat(r.body()).doesNotContain(tok);
        }
        assertThat(api().put("/api/v1/terminator/instances/" + t, "not json", term).status()).isEqualTo(400);

        Api.Reply unknownTerminator = connect(id, fresh("never-registered"), "ocpp2.0.1", term);
        assertThat(unknownTerminator.status()).isEqualTo(409);
        assertThat(unknownTerminator.code()).isEqualTo("TERMINATOR_UNKNOWN");
        Api.Reply unknownStation = connect(fresh("NOPE"), t, "ocpp2.0.1", term);
        assertThat(unknownStation.status()).isEqualTo(404);
        assertThat(unknownStation.code()).isEqualTo("STATION_UNKNOWN");
        String path = "/api/v1/terminator/sessions/" + id;
        assertThat(api().put(path, session(t, 4, "ocpp2.0.1"), term).code()).isEqualTo("BAD_SECURITY_PROFILE");
        assertThat(api().put(path, session(t, 2, "ocpp2.0"), term).code()).isEqualTo("BAD_SUBPROTOCOL");
        assertThat(api().put(path, session(t, 2, "ocpp2.0.1").put("clientCertificateSha256", "abc"), term).code())
                .isEqualTo("BAD_FINGERPRINT");
        assertThat(api().put(path, session(t, 2, "ocpp2.0.1").put("remoteAddress", "1.2.3.4\n"), term).code())
                .isEqualTo("BAD_REMOTE_ADDRESS");
        assertThat(api().put(path, session("bad/id", 2, "ocpp2.0.1"), term).code()).isEqualTo("BAD_TERMINATOR_ID");
        assertThat(api().put("/api/v1/terminator/sessions/bad:id", session(t, 2, "ocpp2.0.1"), term).code()).isEqualTo("BAD_IDENTITY");
        assertThat(api().delete(path, term).code()).as("terminatorId is required").isEqualTo("BAD_TERMINATOR_ID");
        assertThat(sessionOf(id).get("connected").booleanValue()).as("nothing was recorded").isFalse();
    }

    // ---- calls through the terminator -------------------------------------------------------

    @Test
    void callsGoToTheTerminatorHoldingTheStationAndItsAnswerComesBackAsItWasGiven() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            Connected c = connectedThroughStandIn(standIn, secret, "ocpp2.0.1");
            String answer = "{\"messageId\":\"m-1\",\"result\":\"CALLRESULT\",\"payload\":{\"status\":\"Accepted\"},\"extra\":[1,2]}";
            standIn.holds(c.station(), TerminatorStandIn.Answer.json(200, answer));
            String operator = token("operator");

            Api.Reply r = call(c.station().toLowerCase(), "TriggerMessage", "{\"requestedMessage\":\"SignChargingStationCertificate\"}",
                    12, operator);
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.body()).as("the terminator's answer as it came").isEqualTo(answer);

            TerminatorStandIn.Request sent = standIn.last();
            assertThat(sent.station()).as("the identity as registered").isEqualTo(c.station());
            assertThat(sent.authorization()).isEqualTo("Bearer " + secret);
            assertThat(sent.contentType()).startsWith("application/json");
            assertThat(sent.body().get("action").asString()).isEqualTo("TriggerMessage");
            assertThat(sent.body().get("payload").toString()).isEqualTo("{\"requestedMessage\":\"SignChargingStationCertificate\"}");
            assertThat(sent.body().get("timeoutSeconds").asInt()).isEqualTo(12);

            call(c.station(), "GetInstalledCertificateIds", "{}", null, operator);
            assertThat(standIn.last().body().get("timeoutSeconds").asInt()).as("default timeout").isEqualTo(30);

            standIn.holds(c.station(), TerminatorStandIn.Answer.callError("m-2", "NotSupported", "no"));
            Api.Reply error = call(c.station(), "DeleteCertificate", "{\"certificateHashData\":{\"hashAlgorithm\":\"SHA256\","
                    + "\"issuerNameHash\":\"aa\",\"issuerKeyHash\":\"bb\",\"serialNumber\":\"01\"}}", null, operator);
            assertThat(error.status()).isEqualTo(200);
            assertThat(error.json().get("result").asString()).isEqualTo("CALLERROR");
            assertThat(error.json().get("errorCode").asString()).isEqualTo("NotSupported");

            assertThat(audit()).contains("\"station.call\"", "TriggerMessage", "CALLRESULT", "CALLERROR", "NotSupported", c.terminatorId());
        }
    }

    @Test
    void aStationNoTerminatorHoldsIsOffline() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            String operator = token("operator");
            String lonely = fresh("Off");
            station(lonely);
            Api.Reply offline = call(lonely, "TriggerMessage", "{\"requestedMessage\":\"BootNotification\"}", null, operator);
            assertThat(offline.status()).isEqualTo(409);
            assertThat(offline.code()).isEqualTo("STATION_OFFLINE");
            assertThat(call(fresh("NOPE"), "TriggerMessage", "{\"requestedMessage\":\"BootNotification\"}", null, operator).code())
                    .isEqualTo("STATION_UNKNOWN");

            // The session says terminator X, but X no longer holds the station (404): offline, and forgotten.
            Connected c = connectedThroughStandIn(standIn, secret, "ocpp2.1");
            Api.Reply gone = call(c.station(), "TriggerMessage", "{\"requestedMessage\":\"BootNotification\"}", null, operator);
            assertThat(gone.status()).as(gone.body()).isEqualTo(409);
            assertThat(gone.code()).isEqualTo("STATION_OFFLINE");
            assertThat(standIn.requests).hasSize(1);
            assertThat(sessionOf(c.station()).get("connected").booleanValue()).isFalse();
            assertThat(audit()).contains("STATION_OFFLINE", "the terminator no longer holds it");
        }
    }

    @Test
    void aStationThatDoesNotAnswerIs504AndSoIsATerminatorThatNeverAnswers() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            Connected c = connectedThroughStandIn(standIn, secret, "ocpp2.0.1");
            String operator = token("operator");
            standIn.holds(c.station(), TerminatorStandIn.Answer.status(504));
            Api.Reply slowStation = call(c.station(), "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", 1, operator);
            assertThat(slowStation.status()).isEqualTo(504);
            assertThat(slowStation.code()).isEqualTo("STATION_TIMEOUT");

            standIn.holds(c.station(), TerminatorStandIn.Answer.never());
            Api.Reply silent = call(c.station(), "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", 1, operator);
            assertThat(silent.status()).as(silent.body()).isEqualTo(504);
            assertThat(silent.code()).isEqualTo("TERMINATOR_TIMEOUT");
            assertThat(sessionOf(c.station()).get("connected").booleanValue()).as("a timeout does not end the session").isTrue();
        }
    }

    @Test
    void callsAreCheckedAgainstTheOcppVersionOfTheStationsSession() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            String operator = token("operator");
            Connected v201 = connectedThroughStandIn(standIn, secret, "ocpp2.0.1");
            Connected v21 = connectedThroughStandIn(standIn, secret, "ocpp2.1");
            Connected v16 = connectedThroughStandIn(standIn, secret, "ocpp1.6");
            for (Connected c : List.of(v201, v21, v16)) {
                standIn.holds(c.station(), TerminatorStandIn.Answer.callResult("m", "{\"status\":\"Accepted\"}"));
            }
            // OCPP 2.1 added requestId to CertificateSignedRequest; 2.0.1 does not know it.
            String signed = "{\"certificateChain\":\"-----BEGIN CERTIFICATE-----\\nMIIB\\n-----END CERTIFICATE-----\","
                    + "\"certificateType\":\"ChargingStationCertificate\",\"requestId\":7}";
            Api.Reply old = call(v201.station(), "CertificateSigned", signed, null, operator);
            assertThat(old.status()).as(old.body()).isEqualTo(400);
            assertThat(old.code()).isEqualTo("PAYLOAD_INVALID");
            assertThat(old.json().get("detail").asString()).contains("ocpp2.0.1", "/requestId", "OccurrenceConstraintViolation");
            assertThat(call(v21.station(), "CertificateSigned", signed, null, operator).status()).isEqualTo(200);
            assertThat(standIn.requests).hasSize(1);

            Api.Reply v16call = call(v16.station(), "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", null, operator);
            assertThat(v16call.status()).isEqualTo(409);
            assertThat(v16call.code()).isEqualTo("OCPP_VERSION_NOT_SUPPORTED");

            Api.Reply notAllowed = call(v21.station(), "Reset", "{\"type\":\"Immediate\"}", null, operator);
            assertThat(notAllowed.code()).isEqualTo("ACTION_NOT_ALLOWED");
            assertThat(notAllowed.json().get("detail").asString()).contains("TriggerMessage", "SetVariables");
            assertThat(call(v21.station(), "SignCertificate", "{\"csr\":\"x\"}", null, operator).code())
                    .as("a station's own action").isEqualTo("ACTION_NOT_ALLOWED");
            assertThat(call(v21.station(), "TriggerMessage", "{\"requestedMessage\":\"Nonsense\"}", null, operator).code())
                    .isEqualTo("PAYLOAD_INVALID");
            assertThat(call(v21.station(), "TriggerMessage", "[1]", null, operator).code()).isEqualTo("BAD_PAYLOAD");
            assertThat(call(v21.station(), "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", 0, operator).code())
                    .isEqualTo("BAD_TIMEOUT");
            assertThat(call(v21.station(), "TriggerMessage", "{\"requestedMessage\":\"Heartbeat\"}", 296, operator).code())
                    .isEqualTo("BAD_TIMEOUT");
            assertThat(api().post("/api/v1/stations/" + v21.station() + "/calls", "{\"payload\":{}}", operator).code())
                    .isEqualTo("ACTION_NOT_ALLOWED");
            assertThat(standIn.requests).as("nothing refused reached the terminator").hasSize(1);
        }
    }

    @Test
    void terminatorFailuresAreBadGatewayAndNameNoSecret() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            String operator = token("operator");
            String term = token("terminator");
            Connected c = connectedThroughStandIn(standIn, secret, "ocpp2.0.1");
            String trigger = "{\"requestedMessage\":\"Heartbeat\"}";

            standIn.holds(c.station(), TerminatorStandIn.Answer.json(200, "{\"result\":\"CALLRESULT\",\"payload\":{\"pad\":\""
                    + "x".repeat(1024 * 1024) + "\"}}"));
            Api.Reply big = call(c.station(), "TriggerMessage", trigger, null, operator);
            assertThat(big.status()).isEqualTo(502);
            assertThat(big.code()).isEqualTo("TERMINATOR_FAILED");
            assertThat(big.json().get("detail").asString()).contains("1 MiB");

            standIn.holds(c.station(), new TerminatorStandIn.Answer(200, "text/plain", "ok".getBytes(), 0));
            assertThat(call(c.station(), "TriggerMessage", trigger, null, operator).code()).isEqualTo("TERMINATOR_FAILED");
            standIn.holds(c.station(), TerminatorStandIn.Answer.json(200, "{\"result\":\"MAYBE\"}"));
            assertThat(call(c.station(), "TriggerMessage", trigger, null, operator).code()).isEqualTo("TERMINATOR_FAILED");
            standIn.holds(c.station(), TerminatorStandIn.Answer.status(500));
            assertThat(call(c.station(), "TriggerMessage", trigger, null, operator).status()).isEqualTo(502);

            // pki-service holds the wrong control token for this terminator: the terminator says 401.
            String wrong = controlToken();
            assertThat(register(c.terminatorId(), standIn.url(), wrong, term).status()).isEqualTo(204);
            assertThat(connect(c.station(), c.terminatorId(), "ocpp2.0.1", term).status()).isEqualTo(204);
            standIn.holds(c.station(), TerminatorStandIn.Answer.callResult("m", "{\"status\":\"Accepted\"}"));
            Api.Reply refused = call(c.station(), "TriggerMessage", trigger, null, operator);
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.code()).isEqualTo("TERMINATOR_REFUSED");
            assertThat(refused.json().get("detail").asString()).contains("401").doesNotContain(wrong, secret);
            assertThat(standIn.last().authorization()).isEqualTo("Bearer " + wrong);

            // A terminator whose control API is down.
            int closed;
            try (ServerSocket s = new ServerSocket(0)) {
                closed = s.getLocalPort();
            }
            assertThat(register(c.terminatorId(), "http://127.0.0.1:" + closed, secret, term).status()).isEqualTo(204);
            assertThat(connect(c.station(), c.terminatorId(), "ocpp2.0.1", term).status()).isEqualTo(204);
            Api.Reply down = call(c.station(), "TriggerMessage", trigger, null, operator);
            assertThat(down.status()).isEqualTo(502);
            assertThat(down.code()).isEqualTo("TERMINATOR_UNAVAILABLE");
            assertThat(audit()).contains("TERMINATOR_UNAVAILABLE", "TERMINATOR_REFUSED").doesNotContain(secret, wrong);
        }
    }

    @Test
    void aSetVariablesCallIsAuditedWithoutItsPayload() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            Connected c = connectedThroughStandIn(standIn, secret, "ocpp2.0.1");
            standIn.holds(c.station(), TerminatorStandIn.Answer.callResult("m-9", "{\"setVariableResult\":[{\"attributeStatus\":"
                    + "\"Accepted\",\"component\":{\"name\":\"SecurityCtrlr\"},\"variable\":{\"name\":\"BasicAuthPassword\"}}]}"));
            String marker = "Secret-" + controlToken().substring(0, 20);
            Api.Reply r = call(c.station(), "SetVariables", "{\"setVariableData\":[{\"attributeValue\":\"" + marker
                    + "\",\"component\":{\"name\":\"SecurityCtrlr\"},\"variable\":{\"name\":\"BasicAuthPassword\"}}]}", null,
                    token("operator"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(standIn.last().body().toString()).contains(marker);
            String log = audit();
            assertThat(log).contains("SetVariables", "m-9").doesNotContain(marker);
        }
    }

    // ---- A01 password rotation through the terminator --------------------------------------

    /** Answers a SetVariables for the password with this attributeStatus. */
    static TerminatorStandIn.Answer passwordAnswer(String status) {
        return TerminatorStandIn.Answer.callResult("m-pw", "{\"setVariableResult\":[{\"attributeStatus\":\"" + status
                + "\",\"component\":{\"name\":\"SecurityCtrlr\"},\"variable\":{\"name\":\"BasicAuthPassword\"}}]}");
    }

    static String sentPassword(TerminatorStandIn standIn) {
        JsonNode data = standIn.last().body().get("payload").get("setVariableData").get(0);
        assertThat(data.get("component").get("name").asString()).isEqualTo("SecurityCtrlr");
        assertThat(data.get("variable").get("name").asString()).isEqualTo("BasicAuthPassword");
        return data.get("attributeValue").asString();
    }

    @Test
    void A01_FR_03_aRotationSentThroughTheTerminatorIsConfirmedFromTheStationsAnswer() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            String term = token("terminator");
            String id = fresh("PW");
            String original = station(id).get("password").asString();
            String terminatorId = fresh("term");
            register(terminatorId, standIn.url(), secret, term);
            connect(id, terminatorId, "ocpp2.1", term);
            standIn.holds(id, passwordAnswer("Accepted"));

            Api.Reply r = api().post("/api/v1/stations/" + id + "/password/rotate?send=true", "{}", token("operator"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode out = r.json();
            assertThat(out.get("outcome").asString()).isEqualTo("ACCEPTED");
            assertThat(out.get("attributeStatus").asString()).isEqualTo("Accepted");
            assertThat(out.get("messageId").asString()).isEqualTo("m-pw");
            assertThat(out.get("passwordRotationPending").booleanValue()).isFalse();
            String sent = sentPassword(standIn);
            assertThat(r.body()).as("only the station needs the new password").doesNotContain(sent);
            assertThat(verify(id, sent)).isTrue();
            assertThat(verify(id, original)).as("A01.FR.03: the old one stops working").isFalse();
            assertThat(audit()).contains("station.password.accepted", "password rotation").doesNotContain(sent);
        }
    }

    @Test
    void A01_FR_04_aRotationTheStationRefusesKeepsTheOldPassword() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            String term = token("terminator");
            String id = fresh("PW");
            String original = station(id).get("password").asString();
            String terminatorId = fresh("term");
            register(terminatorId, standIn.url(), secret, term);
            connect(id, terminatorId, "ocpp2.0.1", term);

            standIn.holds(id, passwordAnswer("Rejected"));
            JsonNode rejected = api().post("/api/v1/stations/" + id + "/password/rotate?send=true", "{}", admin()).json();
            assertThat(rejected.get("outcome").asString()).isEqualTo("REJECTED");
            assertThat(rejected.get("attributeStatus").asString()).isEqualTo("Rejected");
            assertThat(rejected.get("passwordRotationPending").booleanValue()).isFalse();
            assertThat(verify(id, sentPassword(standIn))).isFalse();
            assertThat(verify(id, original)).isTrue();

            standIn.holds(id, TerminatorStandIn.Answer.callError("m-e", "SecurityError", "no"));
            JsonNode error = api().post("/api/v1/stations/" + id + "/password/rotate?send=true", "{}", admin()).json();
            assertThat(error.get("outcome").asString()).isEqualTo("REJECTED");
            assertThat(error.get("errorCode").asString()).isEqualTo("SecurityError");
            assertThat(verify(id, sentPassword(standIn))).isFalse();
            assertThat(verify(id, original)).isTrue();

            // No answer in time: the station may have taken it; both work until it connects with the new one.
            standIn.holds(id, TerminatorStandIn.Answer.status(504));
            JsonNode unconfirmed = api().post("/api/v1/stations/" + id + "/password/rotate?send=true", "{}", admin()).json();
            assertThat(unconfirmed.get("outcome").asString()).isEqualTo("UNCONFIRMED");
            assertThat(unconfirmed.get("passwordRotationPending").booleanValue()).isTrue();
            String maybe = sentPassword(standIn);
            assertThat(verify(id, original)).isTrue();
            assertThat(verify(id, maybe)).as("a connection with the new password promotes it").isTrue();
            assertThat(verify(id, original)).isFalse();
        }
    }

    @Test
    void A01_aRotationThatCannotBeSentChangesNothing() throws Exception {
        String secret = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(secret)) {
            String term = token("terminator");
            String id = fresh("PW");
            String original = station(id).get("password").asString();

            Api.Reply offline = api().post("/api/v1/stations/" + id + "/password/rotate?send=true", "{}", admin());
            assertThat(offline.status()).isEqualTo(409);
            assertThat(offline.code()).isEqualTo("STATION_OFFLINE");
            assertThat(api().get("/api/v1/stations/" + id, admin()).json().get("passwordRotationPending").booleanValue()).isFalse();

            // The session says the stand-in holds it, but it does not (404): the new password is dropped again.
            String terminatorId = fresh("term");
            register(terminatorId, standIn.url(), secret, term);
            connect(id, terminatorId, "ocpp2.0.1", term);
            Api.Reply gone = api().post("/api/v1/stations/" + id + "/password/rotate?send=true", "{}", admin());
            assertThat(gone.status()).isEqualTo(409);
            assertThat(gone.code()).isEqualTo("STATION_OFFLINE");
            assertThat(api().get("/api/v1/stations/" + id, admin()).json().get("passwordRotationPending").booleanValue()).isFalse();
            assertThat(verify(id, sentPassword(standIn))).isFalse();
            assertThat(verify(id, original)).isTrue();

            // Without send it behaves as before: the password and the SetVariablesRequest to send.
            JsonNode plain = api().post("/api/v1/stations/" + id + "/password/rotate", "{}", admin()).json();
            assertThat(plain.get("password").asString()).hasSize(32);
            assertThat(plain.get("setVariablesRequest").toString()).contains("BasicAuthPassword");
        }
    }

    // ---- security events ---------------------------------------------------------------------

    static String event(String station, String type, String source) {
        return "{\"occurredAt\":\"2026-11-21T19:32:06Z\",\"station\":" + (station == null ? "null" : "\"" + station + "\"")
                + ",\"remoteAddress\":\"192.0.2.1:5000\",\"type\":\"" + type + "\",\"reason\":\"CERT_EXPIRED\","
                + "\"requirement\":\"A00.FR.407\",\"techInfo\":\"notAfter 2026-01-01\",\"source\":\"" + source + "\"}";
    }

    @Test
    void securityEventsAreStoredInBatchesAndReadNewestLast() {
        String term = token("terminator");
        String csms = token("csms");
        String id = fresh("Ev");
        String batch = "[" + event(id, "InvalidChargingStationCertificate", "terminator") + ","
                + event(id.toLowerCase(), "InvalidTLSVersion", "terminator") + ","
                + event(null, "UnknownStationIdentity", "terminator") + ","
                + event(id, "FirmwareUpdated", "station") + "]";
        Api.Reply stored = api().post("/api/v1/terminator/security-events", batch, term);
        assertThat(stored.status()).as(stored.body()).isEqualTo(202);
        assertThat(stored.json().get("stored").asInt()).isEqualTo(4);

        Api.Reply listed = api().get("/api/v1/security-events?station=" + id, csms);
        assertThat(listed.status()).isEqualTo(200);
        List<JsonNode> events = listed.json().valueStream().toList();
        assertThat(events).hasSize(3);
        assertThat(events.stream().map(e -> e.get("type").asString()))
                .containsExactly("InvalidChargingStationCertificate", "InvalidTLSVersion", "FirmwareUpdated");
        JsonNode first = events.get(0);
        assertThat(first.get("station").asString()).isEqualTo(id);
        assertThat(first.get("occurredAt").asString()).isEqualTo("2026-11-21T19:32:06Z");
        assertThat(first.get("reason").asString()).isEqualTo("CERT_EXPIRED");
        assertThat(first.get("requirement").asString()).isEqualTo("A00.FR.407");
        assertThat(first.get("techInfo").asString()).isEqualTo("notAfter 2026-01-01");
        assertThat(first.get("remoteAddress").asString()).isEqualTo("192.0.2.1:5000");
        assertThat(first.get("source").asString()).isEqualTo("terminator");
        assertThat(first.get("critical").booleanValue()).isTrue();
        assertThat(events.get(2).get("source").asString()).isEqualTo("station");
        long firstId = first.get("id").asLong();
        assertThat(events.get(1).get("id").asLong()).isGreaterThan(firstId);

        // Paging: after an id, in order; without, the newest.
        List<JsonNode> after = api().get("/api/v1/security-events?station=" + id + "&after=" + firstId + "&limit=1", csms)
                .json().valueStream().toList();
        assertThat(after).hasSize(1);
        assertThat(after.get(0).get("type").asString()).isEqualTo("InvalidTLSVersion");
        List<JsonNode> newest = api().get("/api/v1/security-events?station=" + id + "&limit=2", csms).json().valueStream().toList();
        assertThat(newest.stream().map(e -> e.get("type").asString())).containsExactly("InvalidTLSVersion", "FirmwareUpdated");
        List<JsonNode> all = api().get("/api/v1/security-events?limit=1000", csms).json().valueStream().toList();
        assertThat(all.stream().anyMatch(e -> e.get("station").isNull() && "UnknownStationIdentity".equals(e.get("type").asString())))
                .isTrue();
        assertThat(all.stream().filter(e -> "UnknownStationIdentity".equals(e.get("type").asString())).findFirst().orElseThrow()
                .get("critical").isNull()).as("not an OCPP type").isTrue();

        assertThat(api().post("/api/v1/terminator/security-events", "[]", term).json().get("stored").asInt()).isZero();
        assertThat(api().get("/api/v1/security-events/types?ocppVersion=2.0.1", csms).status()).as("the catalogue stays").isEqualTo(200);
        assertThat(api().get("/api/v1/security-events?station=bad:id", csms).code()).isEqualTo("BAD_IDENTITY");
        assertThat(audit()).contains("security-events.report");
    }

    @Test
    void aMalformedSecurityEventRefusesTheWholeBatch() {
        String term = token("terminator");
        String id = fresh("EvBad");
        String good = event(id, "InvalidTLSVersion", "terminator");
        List<String> bad = List.of(
                event(id, "InvalidTLSVersion", "proxy"),
                good.replace("\"techInfo\":\"notAfter 2026-01-01\"", "\"techInfo\":\"" + "x".repeat(256) + "\""),
                good.replace("2026-11-21T19:32:06Z", "yesterday"),
                good.replace("\"type\":\"InvalidTLSVersion\",", ""),
                good.replace("\"type\":\"InvalidTLSVersion\"", "\"type\":\"" + "T".repeat(51) + "\""),
                good.replace("\"station\":\"" + id + "\"", "\"station\":\"bad:id\""),
                good.replace("\"reason\":\"CERT_EXPIRED\"", "\"reason\":\"" + "R".repeat(65) + "\""),
                good.replace("\"source\"", "\"occuredAt\":\"x\",\"source\""),
                "42");
        for (String b : bad) {
            Api.Reply r = api().post("/api/v1/terminator/security-events", "[" + good + "," + b + "]", term);
            assertThat(r.status()).as(b).isEqualTo(400);
            assertThat(r.code()).isEqualTo("BAD_EVENTS");
            assertThat(r.json().get("detail").asString()).as("names the event").startsWith("event 1: ");
        }
        assertThat(api().post("/api/v1/terminator/security-events", "{}", term).code()).isEqualTo("BAD_EVENTS");
        StringBuilder tooMany = new StringBuilder("[");
        for (int i = 0; i < 501; i++) {
            tooMany.append(i == 0 ? "" : ",").append(good);
        }
        Api.Reply many = api().post("/api/v1/terminator/security-events", tooMany.append("]").toString(), term);
        assertThat(many.code()).isEqualTo("TOO_MANY_EVENTS");
        assertThat(api().get("/api/v1/security-events?station=" + id, admin()).json().size()).as("nothing stored").isZero();

        Api.Reply controlCharacters = api().post("/api/v1/terminator/security-events",
                "[" + good.replace("notAfter 2026-01-01", "line1\\nline2") + "]", term);
        assertThat(controlCharacters.status()).isEqualTo(202);
        assertThat(api().get("/api/v1/security-events?station=" + id, admin()).json().get(0).get("techInfo").asString())
                .isEqualTo("line1 line2");
    }

    // ---- CertificateSigned outcomes ---------------------------------------------------------

    @Test
    void A02_certificateSignedOutcomesAreAudited() {
        String term = token("terminator");
        String id = fresh("Cs");
        String other = fresh("Cs");
        station(id);
        station(other);
        Api.Reply signed = api().post("/api/v1/certificates/sign", Api.object().put("station", id)
                .put("csr", Csrs.p256("CN=SN" + id + ",O=ocppsec development CPO")), term);
        assertThat(signed.status()).as(signed.body()).isEqualTo(201);
        String serial = signed.json().get("serialNumber").asString();

        Api.Reply accepted = api().post("/api/v1/terminator/certificate-signed", Api.object().put("station", id.toLowerCase())
                .put("serialNumber", serial.toUpperCase()).put("status", "Accepted").putNull("statusInfo"), term);
        assertThat(accepted.status()).as(accepted.body()).isEqualTo(204);
        ObjectNode rejectedBody = Api.object().put("station", id).put("serialNumber", serial).put("status", "Rejected");
        rejectedBody.putObject("statusInfo").put("reasonCode", "InvalidChain").put("additionalInfo", "root unknown");
        assertThat(api().post("/api/v1/terminator/certificate-signed", rejectedBody, term).status()).isEqualTo(204);
        String log = audit();
        assertThat(log).contains("certificate.installed", "certificate.install-rejected", serial, "InvalidChain");

        Api.Reply notTheirs = api().post("/api/v1/terminator/certificate-signed", Api.object().put("station", other)
                .put("serialNumber", serial).put("status", "Accepted"), term);
        assertThat(notTheirs.status()).isEqualTo(404);
        assertThat(notTheirs.code()).isEqualTo("CERTIFICATE_UNKNOWN");
        assertThat(api().post("/api/v1/terminator/certificate-signed", Api.object().put("station", id)
                .put("serialNumber", "abcdef").put("status", "Accepted"), term).code()).isEqualTo("CERTIFICATE_UNKNOWN");
        assertThat(api().post("/api/v1/terminator/certificate-signed", Api.object().put("station", id)
                .put("serialNumber", serial).put("status", "Maybe"), term).code()).isEqualTo("BAD_STATUS");
        assertThat(api().post("/api/v1/terminator/certificate-signed", Api.object().put("station", id)
                .put("serialNumber", "xyz").put("status", "Accepted"), term).code()).isEqualTo("BAD_SERIAL");
        ObjectNode badInfo = Api.object().put("station", id).put("serialNumber", serial).put("status", "Rejected");
        badInfo.putObject("statusInfo").put("reasonCode", "x".repeat(21));
        assertThat(api().post("/api/v1/terminator/certificate-signed", badInfo, term).code()).isEqualTo("BAD_STATUS_INFO");
    }
}
