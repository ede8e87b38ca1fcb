package io.ocppsec.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./ocppsec fleet}: per station its current certificate, days left, certificate status,
 * renewal status and whether a terminator holds it ({@code GET /api/v1/fleet}), as a table or
 * {@code --json}.
 */
@Command(name = "fleet", mixinStandardHelpOptions = true,
        description = {"The fleet at a glance: per station the current ChargingStationCertificate, days left, its status "
                + "(valid, expiring, expired, revoked, none), the renewal (idle, due, triggered, failed with the next "
                + "attempt) and whether a terminator holds it.",
                "Overdue (!) = less than the overdue threshold left (default 7 days) or expired."})
final class FleetCommand implements Callable<Integer> {
    @Mixin
    ApiOptions api;
    @Mixin
    JsonOption output;

    @Option(names = "--status", paramLabel = "STATUS", description = "Only stations that are: valid, expiring, expired, "
            + "revoked, none, overdue, renewing, failed, online, offline.")
    String status;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N stations, 1 to 500 "
            + "(default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--after", paramLabel = "ID", description = "Start after this station (the 'next' of the previous page).")
    String after;

    @Override
    public Integer call() {
        if (limit < 1 || limit > 500) {
            throw new CliException("--limit must be between 1 and 500");
        }
        JsonNode page = api.client().get("/api/v1/fleet" + ApiClient.query("status", status, "after", after, "limit", limit),
                "the fleet");
        if (!page.isObject() || !page.path("stations").isArray()) {
            throw new CliException("pki-service sent a fleet page without a stations array");
        }
        if (output.json) {
            Text.printJson(page);
            return 0;
        }
        JsonNode stations = page.get("stations");
        if (stations.isEmpty()) {
            System.out.println("no stations" + (status == null ? "" : " with status " + status));
        } else {
            Text.Table t = new Text.Table("STATION", "SP", "ONLINE", "SERIAL", "NOT AFTER", "DAYS", "CERTIFICATE", "RENEWAL",
                    "ATTEMPTS", "LAST OUTCOME", "NEXT ATTEMPT");
            for (JsonNode e : stations) {
                String cert = Text.cell(e, "certificateStatus") + (e.path("overdue").booleanValue() ? " (!)" : "");
                String online = e.path("online").booleanValue() ? "yes " + Text.cell(e, "terminatorId") : "no";
                t.row(Text.cell(e, "station"), Text.cell(e, "securityProfile"), online, Text.cell(e, "certificateSerial"),
                        Text.time(e, "notAfter"), Text.cell(e, "daysLeft"), cert, Text.cell(e, "renewalStatus"),
                        Text.cell(e, "renewalAttempts"), Text.cell(e, "lastOutcome"), Text.time(e, "nextAttempt"));
            }
            t.print(System.out);
        }
        if (page.path("next").isString()) {
            System.out.println("more: ./ocppsec fleet --after " + Text.oneLine(page.get("next").stringValue())
                    + (status == null ? "" : " --status " + status));
        }
        return 0;
    }
}
