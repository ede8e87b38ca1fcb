package io.ocppsec.cli;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ./ocppsec token ...}: API tokens (admin token). */
@Command(name = "token", mixinStandardHelpOptions = true,
        description = "API tokens for the CSMS, the TLS terminator, operators and admins (needs an admin token).",
        subcommands = {TokenCommand.Create.class, TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
final class TokenCommand implements Runnable {
    static final String BASE = "/api/v1/tokens";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * What a token may do, each including the ones before: csms signs and reads, terminator also
     * reads admission facts and reports sessions and events, operator also manages stations and
     * sends them calls, admin everything.
     */
    enum Role { CSMS, TERMINATOR, OPERATOR, ADMIN }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Create an API token; it is printed this once (pki-service keeps only its hash).")
    static final class Create implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Option(names = "--name", required = true, paramLabel = "N", description = "What the token is for, 1 to 128 characters.")
        String name;

        @Option(names = "--role", required = true, paramLabel = "ROLE", description = "csms, terminator, operator or admin.")
        Role role;

        @Override
        public Integer call() {
            ObjectNode body = Text.JSON.createObjectNode();
            body.put("name", name);
            body.put("role", role.name().toLowerCase(Locale.ROOT));
            JsonNode t = api.client().post(BASE, body, "token " + Text.oneLine(name));
            if (output.json) {
                Text.printJson(t);
                return 0;
            }
            PrintStream out = System.out;
            out.println("created token " + Text.cell(t, "id") + " (" + Text.cell(t, "name") + ", role " + Text.cell(t, "role") + ")");
            out.println();
            out.println("NEW TOKEN (shown only this once; send it as 'Authorization: Bearer <token>'):");
            out.println("    " + Text.oneLine(Text.str(t, "token")));
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the API tokens (never their values).")
    static final class ListTokens implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode all = api.client().get(BASE, "the token list");
            if (output.json) {
                Text.printJson(all);
                return 0;
            }
            if (all.isEmpty()) {
                System.out.println("no tokens");
                return 0;
            }
            Text.Table t = new Text.Table("ID", "NAME", "ROLE", "CREATED", "REVOKED");
            for (JsonNode tok : all) {
                t.row(Text.cell(tok, "id"), Text.cell(tok, "name"), Text.cell(tok, "role"), Text.time(tok, "createdAt"),
                        Text.time(tok, "revokedAt"));
            }
            t.print(System.out);
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true, description = "Revoke an API token; it stops working at once.")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "The token id (see 'token list').")
        String id;

        @Override
        public Integer call() {
            api.client().delete(BASE + "/" + ApiClient.segment(id, "token id"), "token " + Text.oneLine(id));
            System.out.println("revoked token " + Text.oneLine(id));
            return 0;
        }
    }
}
