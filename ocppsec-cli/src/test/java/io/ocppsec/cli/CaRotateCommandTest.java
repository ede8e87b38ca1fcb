package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.cli.FakePki.Answer;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code ca rotate ...} against {@link FakePki} answering with the shapes of pki-service's rotation records. */
class CaRotateCommandTest extends FakePkiCommandTest {
    private static final String STATUS = """
            {"id":"root-rotation-20261122-abcdef","state":"PREPARED",
             "oldRoot":{"id":"csms-root-1","subject":"CN=Old Root,O=Example CPO","sha256Fingerprint":"AA:BB","notAfter":"2046-01-01T00:00:00Z"},
             "newRoot":{"id":"csms-root-20261122-abcdef","subject":"CN=New Root,O=Example CPO","sha256Fingerprint":"CC:DD","notAfter":"2046-11-22T00:00:00Z"},
             "link":{"id":"root-rotation-20261122-abcdef-link","subject":"CN=New Root,O=Example CPO","sha256Fingerprint":"EE:FF","notAfter":"2046-01-01T00:00:00Z"},
             "counts":{"stations":2,"accepted":1,"rejected":1,"failed":0,"notDelivered":0,"pending":0},"ready":false,
             "preparedBy":"admin","preparedAt":"2026-11-22T01:00:00Z","finishedBy":null,"finishedAt":null,
             "stations":[{"identity":"CP001","status":"ACCEPTED","detail":"station answered Accepted","attempts":1,"updatedAt":"2026-11-22T01:01:00.5Z","connected":true},
                         {"identity":"CP002","status":"REJECTED","detail":"station answered Rejected: TooManyCertificates\\u001b[2J","attempts":2,"updatedAt":"2026-11-22T01:02:00Z","connected":false}]}""";

    private JsonNode lastBody() {
        return Text.JSON.readTree(pki.requests.get(pki.requests.size() - 1).body());
    }

    @Test
    void stationCaAndOcspSignerRotationPostTheirRequestAndPrintWhatIsActiveNow() {
        String rotated = "{\"id\":\"station-ca-20261122-abcdef\",\"role\":\"STATION_CA\",\"subject\":\"CN=Station CA,O=Example CPO\","
                + "\"sha256Fingerprint\":\"11:22\",\"parent\":\"csms-root-1\",\"key\":\"pkcs12:station-ca-20261122-abcdef\","
                + "\"notAfter\":\"2036-11-22T00:00:00Z\",\"retired\":[\"station-ca-old\"],\"ocspSigner\":\"ocsp-20261122-abcdef\"}";
        pki.on("POST /api/v1/ca/rotations/station-ca", Answer.json(201, rotated));
        Run r = api("ca", "rotate", "station-ca", "--key-algorithm", "EC_P384");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(lastBody().get("keyAlgorithm").asString()).isEqualTo("EC_P384");
        assertThat(r.out()).contains("STATION_CA station-ca-20261122-abcdef is active: CN=Station CA,O=Example CPO")
                .containsPattern("retired +station-ca-old").containsPattern("ocsp signer +ocsp-20261122-abcdef");

        pki.on("POST /api/v1/ca/rotations/ocsp-signer", Answer.json(201, rotated.replace("STATION_CA", "OCSP_SIGNER")));
        assertThat(api("ca", "rotate", "ocsp-signer", "--issuer", "station-ca-old").code()).isZero();
        assertThat(lastBody().get("issuerId").asString()).isEqualTo("station-ca-old");
        assertThat(api("ca", "rotate", "ocsp-signer").code()).isZero();
        assertThat(lastBody().has("issuerId")).isFalse();

        pki.on("POST /api/v1/ca/rotations/ocsp-signer", Answer.problem(404, "CA_CERTIFICATE_UNKNOWN", "no CA certificate with this id"));
        Run unknown = api("ca", "rotate", "ocsp-signer", "--issuer", "nope");
        assertThat(unknown.code()).isEqualTo(1);
        assertThat(unknown.err()).contains("no CA certificate with this id (CA_CERTIFICATE_UNKNOWN)");
    }

    @Test
    void rootStagesMapToTheirEndpointsAndTheStatusIsATableSafeOnATerminal() {
        pki.on("POST /api/v1/ca/rotations/root/prepare", Answer.json(201, STATUS));
        pki.on("POST /api/v1/ca/rotations/root/distribute", Answer.json(200,
                "{\"sent\":2,\"skipped\":0,\"outcomes\":{\"ACCEPTED\":1,\"REJECTED\":1},\"status\":" + STATUS + "}"));
        pki.on("GET /api/v1/ca/rotations/root", Answer.json(200, STATUS));
        pki.on("POST /api/v1/ca/rotations/root/activate", Answer.problem(409, "FLEET_NOT_READY", "1 of 2 stations accepted the new root"));

        Run prepare = api("ca", "rotate", "root", "--prepare");
        assertThat(prepare.code()).as(prepare.err()).isZero();
        assertThat(lastBody().has("keyAlgorithm")).isFalse();
        assertThat(prepare.out()).contains("root rotation root-rotation-20261122-abcdef  PREPARED")
                .containsPattern("link sha256 +EE:FF").containsPattern("stations +1 of 2 accepted, 1 rejected");

        Run dist = api("ca", "rotate", "root", "--distribute", "--only-not-yet", "--timeout", "20");
        assertThat(dist.code()).as(dist.err()).isZero();
        assertThat(lastBody().get("onlyNotYet").asBoolean()).isTrue();
        assertThat(lastBody().get("timeoutSeconds").asInt()).isEqualTo(20);
        assertThat(dist.out()).contains("sent to 2 stations (0 skipped)");

        Run status = api("ca", "rotate", "root", "--status");
        assertThat(status.code()).isZero();
        assertThat(status.out()).containsPattern("CP001 +ACCEPTED +yes +1 +2026-11-22T01:01:00Z +station answered Accepted")
                .containsPattern("CP002 +REJECTED +no +2 ").doesNotContain("\u001b");

        Run notReady = api("ca", "rotate", "root", "--activate", "--force", "--min-accepted", "90");
        assertThat(notReady.code()).isEqualTo(1);
        assertThat(notReady.err()).contains("(FLEET_NOT_READY)");
        assertThat(lastBody().get("force").asBoolean()).isTrue();
        assertThat(lastBody().get("minAcceptedPercent").asInt()).isEqualTo(90);

        int before = pki.requests.size();
        assertThat(api("ca", "rotate", "root").code()).as("a stage is required").isNotZero();
        assertThat(api("ca", "rotate", "root", "--prepare", "--activate").code()).as("one stage at a time").isNotZero();
        Run misplaced = api("ca", "rotate", "root", "--status", "--force");
        assertThat(misplaced.code()).isNotZero();
        assertThat(misplaced.err()).contains("--force and --min-accepted with --activate");
        assertThat(pki.requests).as("nothing was sent for bad options").hasSize(before);
    }
}
