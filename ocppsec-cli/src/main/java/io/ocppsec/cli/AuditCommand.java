package io.ocppsec.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import tools.jackson.databind.JsonNode;

/** {@code ./ocppsec audit ...}: the hash-chained audit log of pki-service. */
@Command(name = "audit", mixinStandardHelpOptions = true, description = "The hash-chained audit log of pki-service (admin token).",
        subcommands = {AuditCommand.Verify.class})
final class AuditCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = "Walk the whole audit chain, recomputing every hash. Exits 0 only when it is intact; otherwise "
                    + "names the first broken link and exits 1.")
    static final class Verify implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode v = api.client().get("/api/v1/audit/verify", "the audit verification");
            JsonNode intactNode = v.path("intact");
            if (!intactNode.isBoolean()) {
                throw new CliException("pki-service sent an audit verification without a verdict");
            }
            boolean intact = intactNode.asBoolean();
            if (output.json) {
                Text.printJson(v);
            } else if (intact) {
                System.out.println("audit log intact: " + Text.cell(v, "records") + " records, head " + Text.cell(v, "headHash"));
            } else {
                System.out.println("audit log BROKEN: first broken link at record " + Text.cell(v, "firstBrokenSeq") + ": "
                        + Text.cell(v, "problem") + " (" + Text.cell(v, "records") + " records checked, head "
                        + Text.cell(v, "headHash") + ")");
            }
            return intact ? 0 : CliException.REFUSED;
        }
    }
}
