package io.ocppsec.cli;

import io.ocppsec.security.SpecEdition;
import io.ocppsec.security.event.SecurityEventType;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ./ocppsec security-events}: the security event types of an OCPP version. */
@Command(name = "security-events", mixinStandardHelpOptions = true,
        description = "List the security event types of an OCPP version and whether each is critical.")
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
}
