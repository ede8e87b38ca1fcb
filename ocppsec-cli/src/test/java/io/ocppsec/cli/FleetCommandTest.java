package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.cli.FakePki.Answer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code ./ocppsec fleet} in-process against {@link FakePki} answering with the shape of
 * {@code GET /api/v1/fleet} (the real pki-service answers it in RenewalEndToEndIT).
 */
class FleetCommandTest extends FakePkiCommandTest {

    static final String PAGE = """
            {"at":"2026-11-22T01:00:00Z","window":"PT720H","overdueThreshold":"PT168H","next":"cp003","stations":[
             {"station":"CP001","securityProfile":3,"enabled":true,"certificateSerial":"1a2b","notAfter":"2026-12-10T00:00:00.123Z",
              "daysLeft":17,"certificateStatus":"expiring","overdue":false,"renewalStatus":"failed","renewalReason":"WINDOW",
              "renewalAttempts":2,"lastOutcome":"Rejected","lastAttempt":"2026-11-22T00:45:00Z",
              "nextAttempt":"2026-11-22T01:15:00Z","online":true,"terminatorId":"term-a","connectedProfile":3},
             {"station":"CP003","securityProfile":2,"enabled":true,"certificateSerial":null,"notAfter":null,"daysLeft":null,
              "certificateStatus":"none","overdue":false,"renewalStatus":"idle","renewalReason":null,"renewalAttempts":null,
              "lastOutcome":null,"lastAttempt":null,"nextAttempt":null,"online":false,"terminatorId":null,"connectedProfile":null},
             {"station":"CP009","securityProfile":3,"enabled":true,"certificateSerial":"ff","notAfter":"2026-11-24T00:00:00Z",
              "daysLeft":1,"certificateStatus":"expiring","overdue":true,"renewalStatus":"due","renewalReason":"WINDOW",
              "renewalAttempts":0,"lastOutcome":"STATION_OFFLINE","lastAttempt":null,"nextAttempt":"2026-11-22T00:00:00Z",
              "online":false,"terminatorId":null,"connectedProfile":null}]}""";

    @Test
    void fleetPrintsOneRowPerStationWithRenewalAndOnlineState() {
        pki.on("GET /api/v1/fleet", Answer.json(200, PAGE));
        Run r = api("fleet", "--status", "renewing", "--limit", "3");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(pki.last().query()).isEqualTo("status=renewing&limit=3");
        assertThat(pki.last().authorization()).isEqualTo("Bearer " + TOKEN);
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("STATION").contains("ONLINE", "SERIAL", "NOT AFTER", "DAYS", "CERTIFICATE",
                "RENEWAL", "LAST OUTCOME", "NEXT ATTEMPT");
        assertThat(lines.get(1)).contains("CP001", "yes term-a", "1a2b", "2026-12-10T00:00:00Z", "17", "expiring", "failed",
                "Rejected", "2026-11-22T01:15:00Z").doesNotContain("(!)");
        assertThat(lines.get(2)).contains("CP003", "no", "none", "idle");
        assertThat(lines.get(3)).contains("CP009", "expiring (!)", "due", "STATION_OFFLINE");
        assertThat(lines.get(4)).isEqualTo("more: ./ocppsec fleet --after cp003 --status renewing");
        // columns line up: the SERIAL column starts at the same offset on every row
        int col = lines.get(0).indexOf("SERIAL");
        assertThat(lines.get(1).substring(col)).startsWith("1a2b");
        assertThat(lines.get(2).substring(col)).startsWith("-");
    }

    @Test
    void fleetJsonIsTheApiAnswerAndBadInputIsRefused() {
        pki.on("GET /api/v1/fleet", Answer.json(200, PAGE));
        Run json = api("fleet", "--json", "--after", "cp001");
        assertThat(json.code()).isZero();
        assertThat(pki.last().query()).isEqualTo("after=cp001&limit=100");
        assertThat(Text.JSON.readTree(json.out()).get("stations").get(2).get("overdue").booleanValue()).isTrue();

        assertThat(api("fleet", "--limit", "501").code()).isEqualTo(2);
        int before = pki.requests.size();
        assertThat(api("fleet", "--limit", "0").code()).isEqualTo(2);
        assertThat(pki.requests).as("nothing sent for a bad --limit").hasSize(before);

        pki.on("GET /api/v1/fleet", Answer.problem(400, "BAD_STATUS_FILTER", "status must be one of [...]"));
        Run refused = api("fleet", "--status", "sleepy");
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("status must be one of");

        pki.on("GET /api/v1/fleet", Answer.json(200, "{\"stations\":[],\"next\":null}"));
        assertThat(api("fleet", "--status", "overdue").out()).contains("no stations with status overdue");
    }
}
