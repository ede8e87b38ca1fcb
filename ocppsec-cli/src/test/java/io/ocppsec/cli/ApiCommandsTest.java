package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.cli.FakePki.Answer;
import io.ocppsec.security.cert.PemCertificates;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The commands that drive the pki-service API, run in-process against {@link FakePki}, a
 * stand-in that answers with the shapes of the controllers' records. Every run checks that the
 * bearer token appears in neither output stream.
 */
class ApiCommandsTest extends FakePkiCommandTest {

    private static final String STATION = """
            {"identity":"CP001","serialNumber":"SN-1","securityProfile":2,"profileFloor":2,"organization":"Example CPO",
             "certificateTypes":["ChargingStationCertificate","V2GCertificate"],"seccIds":["SECC1"],"enabled":true,
             "passwordRotationPending":false,"createdAt":"2026-01-02T03:04:05.123456Z","updatedAt":"2026-01-02T03:04:05.123456Z"}""";

    private static JsonNode json(String s) {
        return Text.JSON.readTree(s);
    }

    private static int occurrences(String haystack, String needle) {
        return haystack.split(Pattern.quote(needle), -1).length - 1;
    }

    // ---- common behaviour -------------------------------------------------------------------

    @Test
    void helpListsTheApiCommands() {
        Run r = run("--help");
        assertThat(r.out()).contains("station", "cert", "ca", "audit", "token");
        assertThat(run("station", "--help").out()).contains("add", "list", "show", "update", "remove", "rotate-password",
                "confirm-password");
        assertThat(run("cert", "--help").out()).contains("sign", "list", "show", "export", "inspect");
    }

    @Test
    void everyCallSendsTheBearerTokenFromTheTokenFile() {
        pki.on("GET /api/v1/stations", Answer.json(200, "[]"));
        assertThat(api("station", "list").code()).isZero();
        assertThat(pki.last().authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void thereIsNoTokenOptionBecauseItWouldLandInTheShellHistory() {
        pki.on("GET /api/v1/stations", Answer.json(200, "[]"));
        Run r = run("station", "list", "--api", pki.url(), "--token", TOKEN);
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("ocppsec: there is no --token option").hasLineCount(1);
        assertThat(run("station", "list", "--api", pki.url(), "--token=" + TOKEN).code()).isEqualTo(2);
        assertThat(pki.requests).isEmpty();
        assertThat(run("station", "list", "--help").out()).contains("--token-file").doesNotContainPattern("--token[ =]");
    }

    @Test
    void theTokenComesFromTheEnvironmentWhenNoTokenFileIsGiven() {
        pki.on("GET /api/v1/stations", Answer.json(200, "[]"));
        ApiOptions.environment = Map.of("OCPPSEC_TOKEN", TOKEN, "OCPPSEC_API", pki.url())::get;
        assertThat(run("station", "list").code()).isZero();
        assertThat(pki.last().authorization()).isEqualTo("Bearer " + TOKEN);

        ApiOptions.environment = Map.of("OCPPSEC_TOKEN_FILE", tokenFile.toString(), "OCPPSEC_API", pki.url())::get;
        assertThat(run("station", "list").code()).isZero();
        assertThat(pki.requests).hasSize(2).allMatch(q -> ("Bearer " + TOKEN).equals(q.authorization()));
    }

    @Test
    void theTokenFileOptionWinsOverTheEnvironment() {
        pki.on("GET /api/v1/stations", Answer.json(200, "[]"));
        ApiOptions.environment = Map.of("OCPPSEC_TOKEN", "someone-elses-token-000000000", "OCPPSEC_API", pki.url())::get;
        assertThat(run("station", "list", "--token-file", tokenFile.toString()).code()).isZero();
        assertThat(pki.last().authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void withoutOptionsTheTokenIsTheAdminTokenInTheDataDirectoryOfTheCheckout() throws Exception {
        pki.on("GET /api/v1/stations", Answer.json(200, "[]"));
        Path home = Files.createDirectories(dir.resolve("checkout"));
        Files.createDirectories(home.resolve("data"));
        Files.writeString(home.resolve("data/admin-token"), TOKEN);
        System.setProperty("ocppsec.home", home.toString());
        ApiOptions.environment = Map.of("OCPPSEC_API", pki.url())::get;
        assertThat(run("station", "list").code()).isZero();
        assertThat(pki.last().authorization()).isEqualTo("Bearer " + TOKEN);
    }

    @Test
    void aMissingTokenFileIsAOneLineErrorAndNothingIsSent() {
        System.setProperty("ocppsec.home", dir.resolve("nowhere").toString());
        Run r = run("station", "list", "--api", pki.url());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("ocppsec: no API token: " + dir.resolve("nowhere/data/admin-token"))
                .contains("./ocppsec up").hasLineCount(1);
        assertThat(pki.requests).isEmpty();
    }

    @Test
    void aTokenTheApiDoesNotAcceptExitsOneAndNamesOnlyWhereItCameFrom() throws Exception {
        String wrong = "wrong-token-aaaaaaaaaaaaaaaaaaaa";
        Path wrongFile = Files.writeString(dir.resolve("wrong"), wrong);
        Run r = run("station", "list", "--api", pki.url(), "--token-file", wrongFile.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ocppsec: pki-service did not accept the API token from file " + wrongFile
                + " (unauthorized)" + System.lineSeparator());
        assertThat(r.err()).doesNotContain(wrong);
    }

    @Test
    void theTokenIsRedactedEvenWhenTheServerEchoesIt() {
        pki.on("GET /api/v1/stations/CP001", Answer.problem(400, "BAD_THING", "you sent " + TOKEN));
        Run r = api("station", "show", "CP001");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("<redacted>");
    }

    @Test
    void anUnreachableServiceIsOneLineAndExitTwo() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Run r = run("station", "list", "--api", "http://127.0.0.1:" + port, "--token-file", tokenFile.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("ocppsec: pki-service is not reachable at http://127.0.0.1:" + port
                + " (is './ocppsec up' running?)" + System.lineSeparator());
    }

    @Test
    void anApiUrlThatIsNotHttpIsAUsageError() {
        Run r = run("station", "list", "--api", "ftp://127.0.0.1/", "--token-file", tokenFile.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("ocppsec: --api must be an http:// or https:// URL");
    }

    @Test
    void onlyPlainHttpToAnotherMachineCountsAsSendingTheTokenInTheClear() {
        assertThat(ApiOptions.sendsTokenInClearToAnotherMachine(java.net.URI.create("http://pki.example.net:8080"))).isTrue();
        assertThat(ApiOptions.sendsTokenInClearToAnotherMachine(java.net.URI.create("http://10.1.2.3:8080"))).isTrue();
        assertThat(ApiOptions.sendsTokenInClearToAnotherMachine(java.net.URI.create("https://pki.example.net"))).isFalse();
        assertThat(ApiOptions.sendsTokenInClearToAnotherMachine(java.net.URI.create("http://127.0.0.1:8080"))).isFalse();
        assertThat(ApiOptions.sendsTokenInClearToAnotherMachine(java.net.URI.create("http://localhost:8080"))).isFalse();
        assertThat(ApiOptions.sendsTokenInClearToAnotherMachine(java.net.URI.create("http://[::1]:8080"))).isFalse();
    }

    @Test
    void serverFailuresExitTwoWithTheProblemCode() {
        pki.on("GET /api/v1/stations", Answer.problem(503, "store-unavailable", "the database failed; nothing was written, try again"));
        Run r = api("station", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("ocppsec: the station list: the database failed; nothing was written, try again "
                + "(store-unavailable)" + System.lineSeparator());
    }

    @Test
    void anAnswerThatIsNotAProblemIsDescribedByItsStatus() {
        pki.on("GET /api/v1/stations", new Answer(502, "text/html", "<html>bad gateway</html>".getBytes(StandardCharsets.UTF_8)));
        Run r = api("station", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("ocppsec: pki-service at " + pki.url() + " answered HTTP 502 for the station list"
                + System.lineSeparator());
    }

    @Test
    void answersLargerThan64MiBAreRefusedWhileStreaming() {
        pki.streaming("GET /api/v1/stations", ex -> {
            ex.getResponseHeaders().set("Content-Type", "application/json");
            ex.sendResponseHeaders(200, 0); // chunked: no declared length
            try (OutputStream os = ex.getResponseBody()) {
                byte[] chunk = new byte[1024 * 1024];
                java.util.Arrays.fill(chunk, (byte) ' ');
                for (int i = 0; i <= 64; i++) {
                    os.write(chunk);
                }
            } catch (java.io.IOException clientWentAway) {
                // expected: the CLI stops reading
            }
        });
        Run r = api("station", "list");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("ocppsec: the answer to /api/v1/stations is larger than 64 MiB; refused"
                + System.lineSeparator());
    }

    @Test
    void answersDeclaringMoreThan64MiBAreRefusedBeforeReading() {
        pki.streaming("GET /api/v1/certificates/export", ex -> {
            ex.getResponseHeaders().set("Content-Type", "text/csv");
            ex.sendResponseHeaders(200, 64L * 1024 * 1024 + 1);
            ex.getResponseBody().write("serial,station\r\n".getBytes(StandardCharsets.US_ASCII));
        });
        Path out = dir.resolve("inventory.csv");
        Run r = api("cert", "export", "--format", "csv", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("larger than 64 MiB; refused");
        assertThat(out).doesNotExist();
        assertThat(dir.toFile().list()).containsExactly("admin-token"); // no temporary file left behind
    }

    // ---- station ----------------------------------------------------------------------------

    @Test
    void stationAddSendsTheRegistrationAndPrintsTheGeneratedPasswordOnceClearlyMarked() {
        String generated = "Gen3rated-Passw0rd-only-once";
        pki.on("POST /api/v1/stations", Answer.json(201, "{\"station\":" + STATION + ",\"password\":\"" + generated + "\"}"));
        Run r = api("station", "add", "CP001", "--serial", "SN-1", "--profile", "2", "--organization", "Example CPO",
                "--type", "ChargingStationCertificate", "--type", "V2GCertificate", "--secc-id", "SECC1");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("registered station CP001", "GENERATED PASSWORD", "shown only this once");
        assertThat(occurrences(r.out(), generated)).isEqualTo(1);
        FakePki.Request q = pki.last();
        assertThat(q.method()).isEqualTo("POST");
        assertThat(q.contentType()).startsWith("application/json");
        JsonNode body = json(q.body());
        assertThat(body.path("identity").asString()).isEqualTo("CP001");
        assertThat(body.path("serialNumber").asString()).isEqualTo("SN-1");
        assertThat(body.path("securityProfile").asInt()).isEqualTo(2);
        assertThat(body.path("organization").asString()).isEqualTo("Example CPO");
        assertThat(body.path("certificateTypes").toString()).isEqualTo("[\"ChargingStationCertificate\",\"V2GCertificate\"]");
        assertThat(body.path("seccIds").toString()).isEqualTo("[\"SECC1\"]");
        assertThat(body.has("password")).isFalse();
    }

    @Test
    void stationAddTakesThePasswordFromAFileAndDoesNotPrintIt() throws Exception {
        String given = "Given-Passw0rd-1234567";
        Path file = Files.writeString(dir.resolve("password"), given + "\n");
        pki.on("POST /api/v1/stations", Answer.json(201, "{\"station\":" + STATION + ",\"password\":null}"));
        Run r = api("station", "add", "CP001", "--serial", "SN-1", "--profile", "2", "--password-file", file.toString());
        assertThat(r.code()).isZero();
        assertThat(json(pki.last().body()).path("password").asString()).isEqualTo(given);
        assertThat(r.out()).doesNotContain(given).doesNotContain("GENERATED").contains("as given (not shown)");
    }

    @Test
    void stationAddWithAPasswordOnTheCommandLineWarnsThatPsShowsIt() {
        pki.on("POST /api/v1/stations", Answer.json(201, "{\"station\":" + STATION + ",\"password\":null}"));
        Run r = api("station", "add", "CP001", "--serial", "SN-1", "--profile", "1", "--password", "Given-Passw0rd-1234567");
        assertThat(r.code()).isZero();
        assertThat(r.err()).contains("prefer --password-file");
        assertThat(json(pki.last().body()).path("securityProfile").asInt()).isEqualTo(1);
    }

    @Test
    void stationAddWithBothPasswordOptionsOrABadProfileIsAUsageErrorAndSendsNothing() throws Exception {
        Path file = Files.writeString(dir.resolve("password"), "Given-Passw0rd-1234567");
        Run both = api("station", "add", "CP001", "--serial", "SN-1", "--profile", "2", "--password", "x", "--password-file",
                file.toString());
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).isEqualTo("ocppsec: give --password or --password-file, not both" + System.lineSeparator());
        Run profile = api("station", "add", "CP001", "--serial", "SN-1", "--profile", "4");
        assertThat(profile.code()).isEqualTo(2);
        assertThat(profile.err()).isEqualTo("ocppsec: --profile must be 1, 2 or 3" + System.lineSeparator());
        assertThat(pki.requests).isEmpty();
    }

    @Test
    void anExistingStationIsRefusedInOneLineWithTheProblemCodeAndExitOne() {
        pki.on("POST /api/v1/stations", Answer.problem(409, "STATION_EXISTS", "a station with this identity is already registered"));
        Run r = api("station", "add", "CP001", "--serial", "SN-1", "--profile", "2");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ocppsec: station CP001 exists (STATION_EXISTS)" + System.lineSeparator());
        assertThat(r.out()).isEmpty();
    }

    @Test
    void stationListPrintsATableAndFollowsThePagesToTheEnd() {
        Function<FakePki.Request, Answer> pages = q -> {
            boolean first = q.query() == null || !q.query().contains("after=");
            StringBuilder b = new StringBuilder("[");
            int from = first ? 0 : 1000;
            int to = first ? 1000 : 1001;
            for (int i = from; i < to; i++) {
                b.append(i == from ? "" : ",").append(STATION.replace("CP001", String.format("CP%04d", i)));
            }
            return Answer.json(200, b.append(']').toString());
        };
        pki.on("GET /api/v1/stations", pages);
        Run r = api("station", "list");
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(1 + 1001);
        assertThat(lines.get(0)).matches("IDENTITY +SERIAL +PROFILE +ORGANIZATION +TYPES +ENABLED");
        assertThat(lines.get(1)).matches("CP0000 +SN-1 +2 +Example CPO +ChargingStationCertificate,V2GCertificate +yes");
        assertThat(lines.get(1001)).startsWith("CP1000 ");
        assertThat(pki.requests).hasSize(2);
        assertThat(pki.requests.get(0).query()).isEqualTo("limit=1000");
        assertThat(pki.requests.get(1).query()).isEqualTo("after=CP0999&limit=1000");
    }

    @Test
    void jsonPrintsTheApiAnswerPrettyInsteadOfATable() {
        pki.on("GET /api/v1/stations/CP001", Answer.json(200, STATION));
        Run r = api("station", "show", "CP001", "--json");
        assertThat(r.code()).isZero();
        assertThat(json(r.out())).isEqualTo(json(STATION));
        assertThat(r.out()).contains("\n  \"identity\" : \"CP001\"");
    }

    @Test
    void stationShowPrintsTheStationAndAnUnknownOneExitsOne() {
        pki.on("GET /api/v1/stations/CP001", Answer.json(200, STATION));
        Run r = api("station", "show", "CP001");
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("identity +CP001").containsPattern("SECC ids +SECC1")
                .containsPattern("created +2026-01-02T03:04:05Z");
        pki.on("GET /api/v1/stations/CP9", Answer.problem(404, "STATION_UNKNOWN", "no station with this identity"));
        Run unknown = api("station", "show", "CP9");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("ocppsec: station CP9 is not registered (STATION_UNKNOWN)" + System.lineSeparator());
    }

    @Test
    void identitiesArePercentEncodedInThePath() {
        pki.on("GET /api/v1/stations/CP%7C1%2Bx%2A", Answer.json(200, STATION));
        assertThat(api("station", "show", "CP|1+x*").code()).isZero();
        assertThat(api("station", "show", "..").code()).isEqualTo(2);
        assertThat(pki.requests).hasSize(1);
    }

    @Test
    void stationUpdateSendsOnlyTheGivenChanges() {
        pki.on("PATCH /api/v1/stations/CP001", Answer.json(200, STATION.replace("\"enabled\":true", "\"enabled\":false")));
        Run r = api("station", "update", "CP001", "--serial", "SN-2", "--disable");
        assertThat(r.code()).isZero();
        assertThat(json(pki.last().body())).isEqualTo(json("{\"serialNumber\":\"SN-2\",\"enabled\":false}"));
        assertThat(r.out()).contains("updated station CP001").containsPattern("enabled +no");

        api("station", "update", "CP001", "--clear-secc-ids", "--profile", "3", "--type", "v2g20certificate");
        assertThat(json(pki.last().body())).isEqualTo(json("{\"securityProfile\":3,\"certificateTypes\":[\"V2G20Certificate\"],"
                + "\"seccIds\":[]}"));
    }

    @Test
    void stationUpdateWithoutChangesIsAUsageErrorAndSendsNothing() {
        Run r = api("station", "update", "CP001");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("ocppsec: nothing to change");
        assertThat(pki.requests).isEmpty();
    }

    @Test
    void stationRemoveSendsADelete() {
        pki.on("DELETE /api/v1/stations/CP001", Answer.noContent());
        Run r = api("station", "remove", "CP001");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("removed station CP001" + System.lineSeparator());
        assertThat(pki.last().method()).isEqualTo("DELETE");
    }

    @Test
    void A01_rotatePasswordPrintsTheNewPasswordOnceAndTheSetVariablesPayload() {
        String password = "R0tated-Passw0rd-abcdefgh";
        String setVariables = "{\"setVariableData\":[{\"attributeValue\":\"" + password + "\",\"component\":{\"name\":"
                + "\"SecurityCtrlr\"},\"variable\":{\"name\":\"BasicAuthPassword\"}}]}";
        pki.on("POST /api/v1/stations/CP001/password/rotate", Answer.json(200,
                "{\"identity\":\"CP001\",\"password\":\"" + password + "\",\"setVariablesRequest\":" + setVariables + "}"));
        Run r = api("station", "rotate-password", "CP001");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("NEW PASSWORD for station CP001", "SetVariablesRequest", "\"BasicAuthPassword\"",
                "station confirm-password CP001 --status Accepted|Rejected");
        assertThat(occurrences(r.out(), "    " + password + System.lineSeparator())).isEqualTo(1);
        String payload = r.out().substring(r.out().indexOf("{"), r.out().lastIndexOf("}") + 1);
        assertThat(json(payload)).isEqualTo(json(setVariables));
    }

    @Test
    void A01_confirmPasswordSendsTheStationsAttributeStatus() {
        pki.on("POST /api/v1/stations/CP001/password/confirm", Answer.json(200, STATION));
        Run accepted = api("station", "confirm-password", "CP001", "--status", "Accepted");
        assertThat(accepted.code()).isZero();
        assertThat(json(pki.last().body())).isEqualTo(json("{\"status\":\"Accepted\"}"));
        assertThat(accepted.out()).contains("now the current one");
        Run rejected = api("station", "confirm-password", "CP001", "--status", "rejected");
        assertThat(rejected.code()).isZero();
        assertThat(json(pki.last().body())).isEqualTo(json("{\"status\":\"Rejected\"}"));
        assertThat(rejected.out()).contains("previous one stays valid");
        assertThat(api("station", "confirm-password", "CP001", "--status", "Maybe").code()).isEqualTo(2);

        pki.on("POST /api/v1/stations/CP001/password/confirm",
                Answer.problem(409, "NO_PENDING_PASSWORD", "there is no password rotation waiting for this station"));
        Run none = api("station", "confirm-password", "CP001", "--status", "Accepted");
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("ocppsec: station CP001: there is no password rotation waiting for this station "
                + "(NO_PENDING_PASSWORD)" + System.lineSeparator());
    }

    // ---- cert -------------------------------------------------------------------------------

    private static String signed(TestCertificates certs, boolean replay) throws Exception {
        return Text.JSON.writeValueAsString(Text.JSON.createObjectNode()
                .put("serialNumber", "1a2b").put("station", "CP001").put("certificateType", "V2GCertificate")
                .put("requestId", 7).put("notBefore", "2026-01-02T03:04:05Z").put("notAfter", "2027-01-02T03:04:05Z")
                .put("certificateChain", certs.leafPem() + certs.rootPem()).put("replay", replay));
    }

    @Test
    void certSignWritesTheChainLeafFirstAsPemWithMode0644() throws Exception {
        TestCertificates certs = new TestCertificates();
        Path csr = Files.writeString(dir.resolve("cp001.csr"),
                "-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n");
        Path out = dir.resolve("cp001-chain.pem");
        pki.on("POST /api/v1/certificates/sign", Answer.json(201, signed(certs, false)));
        Run r = api("cert", "sign", "--station", "CP001", "--csr", csr.toString(), "--type", "V2GCertificate",
                "--request-id", "7", "--out", out.toString());
        assertThat(r.code()).isZero();
        JsonNode body = json(pki.last().body());
        assertThat(body.path("station").asString()).isEqualTo("CP001");
        assertThat(body.path("csr").asString()).isEqualTo(Files.readString(csr));
        assertThat(body.path("certificateType").asString()).isEqualTo("V2GCertificate");
        assertThat(body.path("requestId").asLong()).isEqualTo(7);
        List<X509Certificate> written = PemCertificates.read(Files.readString(out));
        assertThat(written).containsExactly(certs.leaf, certs.root);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r--r--");
        assertThat(r.out()).contains("signed V2GCertificate for station CP001", "2 certificates, leaf first, written to " + out)
                .containsPattern("serial +1a2b").containsPattern("subject +CN=CP001");
    }

    @Test
    void certSignSaysWhenTheApiReplayedAnEarlierSignature() throws Exception {
        TestCertificates certs = new TestCertificates();
        Path csr = Files.writeString(dir.resolve("cp001.csr"), "csr");
        pki.on("POST /api/v1/certificates/sign", Answer.json(200, signed(certs, true)));
        Run r = api("cert", "sign", "--station", "CP001", "--csr", csr.toString(), "--out", dir.resolve("c.pem").toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("replay");
        assertThat(json(pki.last().body()).has("certificateType")).isFalse();
    }

    @Test
    void certSignRefusesToOverwriteWithoutForceAndSendsNothing() throws Exception {
        TestCertificates certs = new TestCertificates();
        Path csr = Files.writeString(dir.resolve("cp001.csr"), "csr");
        Path out = Files.writeString(dir.resolve("existing.pem"), "keep me");
        pki.on("POST /api/v1/certificates/sign", Answer.json(201, signed(certs, false)));
        Run r = api("cert", "sign", "--station", "CP001", "--csr", csr.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("ocppsec: " + out + " exists; give --force to overwrite it" + System.lineSeparator());
        assertThat(Files.readString(out)).isEqualTo("keep me");
        assertThat(pki.requests).isEmpty();

        Run forced = api("cert", "sign", "--station", "CP001", "--csr", csr.toString(), "--out", out.toString(), "--force");
        assertThat(forced.code()).isZero();
        assertThat(PemCertificates.read(Files.readString(out))).containsExactly(certs.leaf, certs.root);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r--r--");
    }

    @Test
    void certSignRefusedByPolicyExitsOneWithTheReasonAndWritesNothing() throws Exception {
        Path csr = Files.writeString(dir.resolve("cp001.csr"), "csr");
        Path out = dir.resolve("chain.pem");
        pki.on("POST /api/v1/certificates/sign", Answer.problem(422, "CSR_SIGNATURE_INVALID",
                "the CSR's signature does not verify with its own key (no proof of possession)"));
        Run r = api("cert", "sign", "--station", "CP001", "--csr", csr.toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("ocppsec: station CP001: the CSR's signature does not verify with its own key "
                + "(no proof of possession) (CSR_SIGNATURE_INVALID)" + System.lineSeparator());
        assertThat(out).doesNotExist();
    }

    @Test
    void certSignWithAMissingCsrFileIsAUsageError() {
        Run r = api("cert", "sign", "--station", "CP001", "--csr", dir.resolve("nope.csr").toString(), "--out",
                dir.resolve("c.pem").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("ocppsec: no such file: ");
        assertThat(pki.requests).isEmpty();
    }

    private static final String CERTIFICATE = """
            {"serialNumber":"1a2b","station":"cp001","certificateType":"ChargingStationCertificate",
             "subject":"CN=CP001,O=Example CPO","issuer":"csms-issuing-1","notBefore":"2026-01-02T03:04:05Z",
             "notAfter":"2027-01-02T03:04:05Z","status":"VALID","revokedAt":null,"revocationReason":null,
             "csrSha256":"ab12","requestId":null,"requester":"token:csms","issuedAt":"2026-01-02T03:04:05Z",
             "certificate":%s}""";

    @Test
    void certListPassesTheFiltersAndPrintsATable() {
        pki.on("GET /api/v1/certificates", Answer.json(200, "[" + CERTIFICATE.formatted("null") + "]"));
        Run r = api("cert", "list", "--station", "CP001", "--expiring", "30", "--status", "VALID");
        assertThat(r.code()).isZero();
        assertThat(pki.last().query()).isEqualTo("station=CP001&expiringWithinDays=30&status=VALID&offset=0&limit=1000");
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).matches("SERIAL +STATION +TYPE +STATUS +NOT AFTER +SUBJECT");
        assertThat(lines.get(1)).matches("1a2b +cp001 +ChargingStationCertificate +VALID +2027-01-02T03:04:05Z +CN=CP001,O=Example CPO");

        assertThat(api("cert", "list", "--status", "EXPIRED").code()).isEqualTo(2);
    }

    @Test
    void certShowPrintsTheCertificateAndWritesItsPem() throws Exception {
        TestCertificates certs = new TestCertificates();
        pki.on("GET /api/v1/certificates/1a2b", Answer.json(200,
                CERTIFICATE.formatted(Text.JSON.writeValueAsString(certs.leafPem()))));
        Path out = dir.resolve("cp001.pem");
        Run r = api("cert", "show", "1a2b", "--out", out.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).containsPattern("status +VALID").containsPattern("requested by +token:csms").contains("written to " + out);
        assertThat(PemCertificates.read(Files.readString(out))).containsExactly(certs.leaf);

        pki.on("GET /api/v1/certificates/ff", Answer.problem(404, "CERTIFICATE_UNKNOWN", "no certificate with this serial number"));
        Run unknown = api("cert", "show", "ff");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("ocppsec: certificate ff is not in the inventory (CERTIFICATE_UNKNOWN)"
                + System.lineSeparator());
    }

    @Test
    void certExportStreamsTheInventoryToTheFile() throws Exception {
        String csv = "serial,station,certificate_type\r\n1a2b,cp001,ChargingStationCertificate\r\n";
        pki.on("GET /api/v1/certificates/export", new Answer(200, "text/csv;charset=UTF-8", csv.getBytes(StandardCharsets.UTF_8)));
        Path out = dir.resolve("inventory.csv");
        Run r = api("cert", "export", "--format", "csv", "--out", out.toString(), "--status", "VALID");
        assertThat(r.code()).isZero();
        assertThat(Files.readString(out)).isEqualTo(csv);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r--r--");
        assertThat(pki.last().query()).isEqualTo("format=csv&status=VALID");
        assertThat(pki.last().accept()).startsWith("text/csv");
        assertThat(r.out()).contains("(csv, " + csv.length() + " bytes) to " + out);
        assertThat(api("cert", "export", "--format", "json", "--out", out.toString()).code()).isEqualTo(2); // exists
    }

    @Test
    void certInspectStillWorksOfflineBesideTheApiCommands() throws Exception {
        TestCertificates certs = new TestCertificates();
        Path chain = Files.writeString(dir.resolve("chain.pem"), certs.leafPem() + certs.rootPem());
        Run r = run("cert", "inspect", chain.toString());
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("CN=CP001", "issuerNameHash", "serialNumber    1a2b");
        assertThat(pki.requests).isEmpty();
    }

    // ---- ca ---------------------------------------------------------------------------------

    @Test
    void caStatusShowsTheCasWithTheirFingerprintsAndWhereTheKeysAre() {
        pki.on("GET /api/v1/ca", Answer.json(200, """
                {"organization":"Example CPO","certificates":[
                  {"id":"csms-root-1","role":"CSMS_ROOT","status":"ACTIVE","subject":"CN=Example CSMS Root,O=Example CPO",
                   "serial":"01","sha256Fingerprint":"AB:CD:EF","parent":null,"key":"pkcs12:csms-root-1",
                   "keyAlgorithm":"EC_P384","notBefore":"2026-01-01T00:00:00Z","notAfter":"2046-01-01T00:00:00Z"},
                  {"id":"csms-issuing-1","role":"CSMS_ISSUING","status":"ACTIVE","subject":"CN=Example CSMS Issuing,O=Example CPO",
                   "serial":"02","sha256Fingerprint":"12:34:56","parent":"csms-root-1","key":"pkcs12:csms-issuing-1",
                   "keyAlgorithm":"EC_P256","notBefore":"2026-01-01T00:00:00Z","notAfter":"2031-01-01T00:00:00Z"}],
                 "custody":{"backend":"development-pkcs12","keystore":"/srv/ocppsec/data/ca-keys.p12",
                            "passwordFile":"/srv/ocppsec/data/ca-keys.password"}}"""));
        Run r = api("ca", "status");
        assertThat(r.code()).isZero();
        assertThat(r.out()).contains("organization  Example CPO", "CSMS_ROOT  ACTIVE  CN=Example CSMS Root,O=Example CPO",
                "CSMS_ISSUING  ACTIVE  CN=Example CSMS Issuing,O=Example CPO", "key custody")
                .containsPattern("sha256 +AB:CD:EF").containsPattern("parent +csms-root-1")
                .containsPattern("valid +2026-01-01T00:00:00Z to 2046-01-01T00:00:00Z")
                .containsPattern("keystore +/srv/ocppsec/data/ca-keys.p12")
                .containsPattern("passwordFile +/srv/ocppsec/data/ca-keys.password");
        assertThat(api("ca", "status", "--json").out()).contains("\"custody\" : {");
    }

    @Test
    void caChainWritesTheRootsAndPrintsTheirFingerprints() throws Exception {
        TestCertificates certs = new TestCertificates();
        pki.on("GET /api/v1/ca/chain", new Answer(200, "application/pem-certificate-chain",
                certs.rootPem().getBytes(StandardCharsets.US_ASCII)));
        Path out = dir.resolve("roots.pem");
        Run r = api("ca", "chain", "--out", out.toString());
        assertThat(r.code()).isZero();
        assertThat(pki.last().accept()).startsWith("application/pem-certificate-chain");
        assertThat(Files.readString(out)).isEqualTo(certs.rootPem());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(out))).isEqualTo("rw-r--r--");
        assertThat(r.out()).contains("1 root certificate written to " + out, "CN=Test CSMS Root,O=Example CPO",
                io.ocppsec.security.cert.CertificateFingerprint.sha256(certs.root));

        pki.on("GET /api/v1/ca/chain", Answer.problem(404, "NO_ROOT", "no CSMS root is configured yet"));
        Run none = api("ca", "chain", "--out", dir.resolve("other.pem").toString());
        assertThat(none.code()).isEqualTo(1);
        assertThat(none.err()).isEqualTo("ocppsec: the CA chain: no CSMS root is configured yet (NO_ROOT)" + System.lineSeparator());
    }

    // ---- audit ------------------------------------------------------------------------------

    @Test
    void auditVerifyExitsZeroOnlyWhenTheChainIsIntactAndNamesTheFirstBrokenLink() {
        pki.on("GET /api/v1/audit/verify", Answer.json(200,
                "{\"records\":42,\"intact\":true,\"firstBrokenSeq\":null,\"problem\":null,\"headHash\":\"9f86d081\"}"));
        Run intact = api("audit", "verify");
        assertThat(intact.code()).isZero();
        assertThat(intact.out()).isEqualTo("audit log intact: 42 records, head 9f86d081" + System.lineSeparator());

        pki.on("GET /api/v1/audit/verify", Answer.json(200, "{\"records\":42,\"intact\":false,\"firstBrokenSeq\":17,"
                + "\"problem\":\"hash does not match the record's content\",\"headHash\":\"9f86d081\"}"));
        Run broken = api("audit", "verify");
        assertThat(broken.code()).isEqualTo(1);
        assertThat(broken.out()).isEqualTo("audit log BROKEN: first broken link at record 17: hash does not match the "
                + "record's content (42 records checked, head 9f86d081)" + System.lineSeparator());
        Run brokenJson = api("audit", "verify", "--json");
        assertThat(brokenJson.code()).isEqualTo(1);
        assertThat(json(brokenJson.out()).path("firstBrokenSeq").asInt()).isEqualTo(17);

        pki.on("GET /api/v1/audit/verify", Answer.problem(403, "forbidden", "this needs the admin role; the token has csms"));
        Run forbidden = api("audit", "verify");
        assertThat(forbidden.code()).isEqualTo(1);
        assertThat(forbidden.err()).isEqualTo("ocppsec: the audit verification: this needs the admin role; the token has csms "
                + "(forbidden)" + System.lineSeparator());
    }

    // ---- token ------------------------------------------------------------------------------

    @Test
    void tokenCreatePrintsTheNewTokenOnce() {
        String issued = "ocp_newtoken_0123456789abcdef";
        pki.on("POST /api/v1/tokens", Answer.json(201,
                "{\"id\":\"t-7\",\"name\":\"csms-prod\",\"role\":\"csms\",\"token\":\"" + issued + "\"}"));
        Run r = api("token", "create", "--name", "csms-prod", "--role", "csms");
        assertThat(r.code()).isZero();
        assertThat(json(pki.last().body())).isEqualTo(json("{\"name\":\"csms-prod\",\"role\":\"csms\"}"));
        assertThat(r.out()).contains("created token t-7 (csms-prod, role csms)", "NEW TOKEN", "shown only this once");
        assertThat(occurrences(r.out(), issued)).isEqualTo(1);
        assertThat(api("token", "create", "--name", "x", "--role", "root").code()).isEqualTo(2);
    }

    @Test
    void tokenListShowsTheTokensWithoutTheirValues() {
        pki.on("GET /api/v1/tokens", Answer.json(200, "[{\"id\":\"t-1\",\"name\":\"bootstrap\",\"role\":\"admin\","
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"revokedAt\":null},{\"id\":\"t-7\",\"name\":\"csms-prod\","
                + "\"role\":\"csms\",\"createdAt\":\"2026-01-02T00:00:00Z\",\"revokedAt\":\"2026-01-03T00:00:00Z\"}]"));
        Run r = api("token", "list");
        assertThat(r.code()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0)).matches("ID +NAME +ROLE +CREATED +REVOKED");
        assertThat(lines.get(1)).matches("t-1 +bootstrap +admin +2026-01-01T00:00:00Z +-");
        assertThat(lines.get(2)).matches("t-7 +csms-prod +csms +2026-01-02T00:00:00Z +2026-01-03T00:00:00Z");
    }

    @Test
    void tokenRevokeSendsADeleteAndAnUnknownTokenExitsOne() {
        pki.on("DELETE /api/v1/tokens/t-7", Answer.noContent());
        Run r = api("token", "revoke", "t-7");
        assertThat(r.code()).isZero();
        assertThat(r.out()).isEqualTo("revoked token t-7" + System.lineSeparator());
        pki.on("DELETE /api/v1/tokens/t-8", Answer.problem(404, "TOKEN_UNKNOWN", "no active token with this id"));
        Run unknown = api("token", "revoke", "t-8");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).isEqualTo("ocppsec: token t-8 is not an active token (TOKEN_UNKNOWN)" + System.lineSeparator());
    }

    @Test
    void textFromTheApiCannotInjectTerminalEscapes() {
        pki.on("GET /api/v1/stations", Answer.json(200, "[" + STATION.replace("Example CPO", "Evil\\u001b[2J\\u0007CPO") + "]"));
        Run r = api("station", "list");
        assertThat(r.code()).isZero();
        assertThat(r.out()).doesNotContain("\u001b").doesNotContain("\u0007").contains("Evil [2J CPO");
    }
}
