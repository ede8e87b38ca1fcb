package io.ocppsec.cli;

import io.ocppsec.security.SpecEdition;
import io.ocppsec.security.event.SecurityEventType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/**
 * {@code ./ocppsec security-events}: the security event types of an OCPP version (offline);
 * {@code security-events list}: the events the terminators reported (pki-service API).
 */
@Command(name = "security-events", mixinStandardHelpOptions = true,
        description = {"List the security event types of an OCPP version and whether each is critical.",
                "'security-events list' shows the events the terminators reported."},
        subcommands = SecurityEventsCommand.ListEvents.class)
final class SecurityEventsCommand implements Callable<Integer> {

    @Option(names = "--ocpp-version", paramLabel = "VERSION", defaultValue = "2.1",
            converter = OcppCommand.VersionConverter.class, description = "2.0.1 or 2.1 (default: ${DEFAULT-VALUE}).")
    OcppCommand.Version version;

    @Override
    public Integer call() {
        SpecEdition edition = SpecEdition.latest(version.version);
        System.out.printf("%-38s %-8s %s%n", "TYPE", "CRITICAL", "DESCRIPTION");
        for (SecurityEventType t : SecurityEventType.definedFor(edition)) {
            System.out.printf("%-38s %-8s %s%n", t.wireName(), t.critical() ? "yes" : "no", t.description());
        }
        return 0;
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "The security events the terminators reported (their refusals and the stations' "
                    + "SecurityEventNotifications), newest last: the newest --limit, or those after --after.")
    static final class ListEvents implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Option(names = "--station", paramLabel = "ID", description = "Only this station's events.")
        String station;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N events, 1 to 1000 "
                + "(default: ${DEFAULT-VALUE}).")
        int limit;

        @Option(names = "--after", paramLabel = "EVENT-ID", description = "Only events after this id (to follow new ones).")
        Long after;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1000) {
                throw new CliException("--limit must be between 1 and 1000");
            }
            JsonNode events = api.client().get("/api/v1/security-events" + ApiClient.query("station", station, "after", after,
                    "limit", limit), station == null ? "the security events" : StationCommand.subject(station));
            if (!events.isArray()) {
                throw new CliException("pki-service sent a security event list that is not a JSON array");
            }
            if (output.json) {
                Text.printJson(events);
                return 0;
            }
            if (events.isEmpty()) {
                System.out.println("no security events" + (station == null ? "" : " for " + StationCommand.subject(station)));
                return 0;
            }
            Text.Table t = new Text.Table("ID", "OCCURRED", "STATION", "TYPE", "CRITICAL", "REASON", "REQUIREMENT", "SOURCE",
                    "REMOTE", "TECH INFO");
            for (JsonNode e : events) {
                String critical = e.path("critical").isBoolean() ? (e.path("critical").booleanValue() ? "yes" : "no") : "-";
                t.row(Text.cell(e, "id"), Text.time(e, "occurredAt"), Text.cell(e, "station"), Text.cell(e, "type"), critical,
                        Text.cell(e, "reason"), Text.cell(e, "requirement"), Text.cell(e, "source"), Text.cell(e, "remoteAddress"),
                        Text.cell(e, "techInfo"));
            }
            t.print(System.out);
            return 0;
        }
    }
}
