package io.ocppsec.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/** {@code ./ocppsec pnc ...}: ISO 15118 Plug & Charge: roots, trusted OEM roots, contracts; see {@link PncExchange} and {@link PncEv}. */
@Command(name = "pnc", mixinStandardHelpOptions = true,
        description = "ISO 15118 Plug & Charge: the V2G and MO roots, the trusted OEM roots, the PCID-to-eMAID contracts "
                + "of local contract provisioning, Get15118EVCertificate (install, update), Authorize with a contract, and an "
                + "EV stand-in for demos (ev).",
        subcommands = {PncCommand.Roots.class, PncCommand.RootGroup.class, PncCommand.OemRoot.class, PncCommand.Contract.class,
                PncExchange.Install.class, PncExchange.Update.class, PncExchange.Authorize.class, PncEv.Ev.class})
final class PncCommand implements Runnable {
    static final String BASE = "/api/v1/pnc";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "roots", mixinStandardHelpOptions = true,
            description = {"Write the V2G roots to DIR/v2g-roots.pem and the MO roots to DIR/mo-roots.pem (PEM, mode 0644) "
                    + "and print their fingerprints to compare.",
                    "Stations install the V2G root as V2GRootCertificate, the MO root as MORootCertificate."})
    static final class Roots implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Option(names = "--out", required = true, paramLabel = "DIR", description = "Directory to write the roots to (created if missing).")
        Path out;

        @Option(names = "--force", description = "Overwrite files that exist.")
        boolean force;

        @Override
        public Integer call() {
            JsonNode roots = api.client().get(BASE + "/roots", "the Plug & Charge roots");
            if (roots.isEmpty()) {
                throw new CliException("pki-service has no V2G or MO root (development PKI off and none imported; see 'pnc root import')");
            }
            try {
                Files.createDirectories(out);
            } catch (java.io.IOException e) {
                throw new CliException("cannot create " + out + ": " + Text.oneLine(e.getMessage()));
            }
            PrintStream o = System.out;
            for (String type : List.of("V2G", "MO")) {
                StringBuilder pem = new StringBuilder();
                List<JsonNode> ofType = roots.valueStream().filter(r -> type.equals(Text.str(r, "type"))).toList();
                for (JsonNode r : ofType) {
                    pem.append(Text.str(r, "certificate"));
                }
                if (ofType.isEmpty()) {
                    o.println("no " + type + " root");
                    continue;
                }
                List<X509Certificate> certs = CertCommand.parseFromApi(pem.toString(), "a " + type + " root");
                Path file = out.resolve(type.toLowerCase(java.util.Locale.ROOT) + "-roots.pem");
                CliFiles.writePem(file, force, pem.toString());
                o.println(certs.size() + " " + type + (certs.size() == 1 ? " root" : " roots") + " written to " + file);
                for (JsonNode r : ofType) {
                    o.println("  " + Text.cell(r, "subject") + (r.path("developmentKey").asBoolean(false) ? "  (development)" : ""));
                    o.println("    sha256     " + Text.cell(r, "sha256Fingerprint"));
                    o.println("    not after  " + Text.time(r, "notAfter"));
                }
            }
            return 0;
        }
    }

    @Command(name = "root", mixinStandardHelpOptions = true, description = "Import a V2G or MO root.",
            subcommands = {RootImport.class})
    static final class RootGroup implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = "Trust a V2G root (from a PKI operator) or an MO root (from an eMSP): FILE holds one self-signed CA "
                    + "certificate, PEM. --type may be left out when the root's subject says DC=V2G or DC=MO.")
    static final class RootImport implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Parameters(index = "0", paramLabel = "FILE", description = "The root certificate, PEM.")
        Path file;

        @Option(names = "--type", paramLabel = "V2G|MO", description = "Which kind of root it is.")
        String type;

        @Override
        public Integer call() {
            String pem = new String(CliFiles.read(file, 64 * 1024, "a PEM certificate"), StandardCharsets.US_ASCII);
            var body = Text.JSON.createObjectNode().put("certificate", pem);
            if (type != null) {
                body.put("type", type);
            }
            JsonNode r = api.client().post(BASE + "/roots", body, "the root in " + file);
            if (output.json) {
                Text.printJson(r);
                return 0;
            }
            System.out.println("trusted " + Text.cell(r, "type") + " root: " + Text.cell(r, "subject"));
            System.out.println("  sha256  " + Text.cell(r, "sha256Fingerprint"));
            return 0;
        }
    }

    @Command(name = "oem-root", mixinStandardHelpOptions = true,
            description = "The OEM roots (and OEM sub-CAs) whose EV provisioning certificates are trusted.",
            subcommands = {OemRoot.Add.class, OemRoot.ListRoots.class, OemRoot.Remove.class})
    static final class OemRoot implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Trust an OEM root: FILE holds the root (self-signed CA), optionally followed by up to two OEM "
                        + "sub-CAs, each issued by the one before, PEM.")
        static final class Add implements Callable<Integer> {
            @Mixin
            ApiOptions api;
            @Mixin
            JsonOption output;

            @Parameters(index = "0", paramLabel = "FILE", description = "The OEM root (and sub-CAs), PEM.")
            Path file;

            @Override
            public Integer call() {
                String pem = new String(CliFiles.read(file, 64 * 1024, "a PEM certificate"), StandardCharsets.US_ASCII);
                JsonNode r = api.client().post(BASE + "/oem-roots", Text.JSON.createObjectNode().put("certificate", pem),
                        "the OEM root in " + file);
                if (output.json) {
                    Text.printJson(r);
                    return 0;
                }
                for (JsonNode a : r) {
                    System.out.println("trusted " + ("OEM_ROOT".equals(Text.str(a, "role")) ? "OEM root" : "OEM sub-CA") + ": "
                            + Text.cell(a, "subject"));
                    System.out.println("  sha256  " + Text.cell(a, "sha256Fingerprint"));
                }
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "The trusted OEM roots, each followed by its sub-CAs.")
        static final class ListRoots implements Callable<Integer> {
            @Mixin
            ApiOptions api;
            @Mixin
            JsonOption output;

            @Override
            public Integer call() {
                JsonNode r = api.client().get(BASE + "/oem-roots", "the OEM roots");
                if (output.json) {
                    Text.printJson(r);
                    return 0;
                }
                if (r.isEmpty()) {
                    System.out.println("no trusted OEM root");
                    return 0;
                }
                Text.Table t = new Text.Table("ROLE", "SUBJECT", "SHA-256", "NOT AFTER");
                for (JsonNode a : r) {
                    t.row("OEM_ROOT".equals(Text.str(a, "role")) ? "root" : "  sub-CA",
                            Text.cell(a, "subject") + (a.path("developmentKey").asBoolean(false) ? " [dev]" : ""),
                            Text.cell(a, "sha256Fingerprint"), Text.time(a, "notAfter"));
                }
                t.print(System.out);
                return 0;
            }
        }

        @Command(name = "remove", mixinStandardHelpOptions = true,
                description = "Stop trusting an OEM root (and the sub-CAs given with it), by its SHA-256 fingerprint.")
        static final class Remove implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Parameters(index = "0", paramLabel = "SHA256", description = "The root's SHA-256 fingerprint (hex, ':' allowed).")
            String fingerprint;

            @Override
            public Integer call() {
                api.client().delete(BASE + "/oem-roots/" + ApiClient.segment(fingerprint.replace(":", ""), "fingerprint"),
                        "OEM root " + Text.oneLine(fingerprint));
                System.out.println("no longer trusted: OEM root " + Text.oneLine(fingerprint));
                return 0;
            }
        }
    }

    @Command(name = "contract", mixinStandardHelpOptions = true,
            description = "Contracts of local provisioning: which eMAID an EV (its PCID) gets.",
            subcommands = {Contract.Add.class, Contract.ListContracts.class, Contract.Cancel.class})
    static final class Contract implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }

        @Command(name = "add", mixinStandardHelpOptions = true,
                description = "Map an EV's PCID (17 or 18 letters or digits) to a new contract eMAID (e.g. DE-ABC-C123ABC56).")
        static final class Add implements Callable<Integer> {
            @Mixin
            ApiOptions api;
            @Mixin
            JsonOption output;

            @Option(names = "--pcid", required = true, paramLabel = "PCID", description = "The EV's provisioning certificate id.")
            String pcid;

            @Option(names = "--emaid", required = true, paramLabel = "EMAID", description = "The contract's eMAID.")
            String emaid;

            @Override
            public Integer call() {
                JsonNode r = api.client().post(BASE + "/contracts", Text.JSON.createObjectNode().put("pcid", pcid).put("emaid", emaid),
                        "contract " + Text.oneLine(emaid));
                if (output.json) {
                    Text.printJson(r);
                    return 0;
                }
                System.out.println("contract " + Text.cell(r, "emaid") + " for PCID " + Text.cell(r, "pcid") + ": "
                        + Text.cell(r, "status"));
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "The contracts, in eMAID order, or those of one PCID.")
        static final class ListContracts implements Callable<Integer> {
            @Mixin
            ApiOptions api;
            @Mixin
            JsonOption output;

            @Option(names = "--pcid", paramLabel = "PCID", description = "Only this EV's contracts.")
            String pcid;

            @Option(names = "--limit", paramLabel = "N", defaultValue = "1000", description = "At most N (default ${DEFAULT-VALUE}).")
            int limit;

            @Override
            public Integer call() {
                JsonNode r = api.client().get(BASE + "/contracts" + ApiClient.query("pcid", pcid, "limit", pcid == null ? limit : null),
                        "the contracts");
                if (output.json) {
                    Text.printJson(r);
                    return 0;
                }
                if (r.isEmpty()) {
                    System.out.println("no contracts");
                    return 0;
                }
                Text.Table t = new Text.Table("EMAID", "PCID", "STATUS", "TOKEN", "UPDATED");
                for (JsonNode c : r) {
                    t.row(Text.cell(c, "emaid"), Text.cell(c, "pcid"), Text.cell(c, "status"), Text.cell(c, "tokenStatus"),
                            Text.time(c, "updatedAt"));
                }
                t.print(System.out);
                return 0;
            }
        }

        @Command(name = "cancel", mixinStandardHelpOptions = true,
                description = "Cancel a contract: Authorize with it then answers ContractCancelled (C07).")
        static final class Cancel implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Parameters(index = "0", paramLabel = "EMAID", description = "The contract's eMAID.")
            String emaid;

            @Option(names = "--token-status", paramLabel = "Blocked|Expired|Invalid", defaultValue = "Invalid",
                    description = "The idTokenInfo.status Authorize answers from now on (default ${DEFAULT-VALUE}).")
            String tokenStatus;

            @Override
            public Integer call() {
                JsonNode r = api.client().post(BASE + "/contracts/" + ApiClient.segment(emaid, "eMAID") + "/cancel",
                        Text.JSON.createObjectNode().put("tokenStatus", tokenStatus), "contract " + Text.oneLine(emaid));
                System.out.println("cancelled contract " + Text.cell(r, "emaid") + " (token status " + Text.cell(r, "tokenStatus") + ")");
                return 0;
            }
        }
    }
}
