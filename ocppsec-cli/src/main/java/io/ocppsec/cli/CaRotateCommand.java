package io.ocppsec.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ./ocppsec ca rotate ...}: key and root rotation (pki-service {@code /api/v1/ca/rotations}). */
@Command(name = "rotate", mixinStandardHelpOptions = true,
        description = "Rotate the CA's keys: the issuing station CA, an OCSP signer, or the CSMS root (staged).",
        subcommands = {CaRotateCommand.StationCa.class, CaRotateCommand.OcspSigner.class, CaRotateCommand.Root.class})
final class CaRotateCommand implements Runnable {
    static final String BASE = CaCommand.BASE + "/rotations";
    /** Distribution waits for every station's answer (up to 8 at a time, each up to its timeout). */
    static final Duration DISTRIBUTE_WAIT = Duration.ofMinutes(30);

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static void printRotated(JsonNode r) {
        PrintStream out = System.out;
        out.println(Text.cell(r, "role") + " " + Text.cell(r, "id") + " is active: " + Text.cell(r, "subject"));
        Text.printFields(out,
                "  sha256", Text.cell(r, "sha256Fingerprint"),
                "  parent", Text.cell(r, "parent"),
                "  key", Text.cell(r, "key"),
                "  not after", Text.time(r, "notAfter"),
                "  retired", Text.list(r, "retired"),
                "  ocsp signer", Text.cell(r, "ocspSigner"));
    }

    @Command(name = "station-ca", mixinStandardHelpOptions = true,
            description = {"A new issuing station CA: a new key in the custody backend, certified by the active root, with its "
                    + "own OCSP signer. It issues from now on; the previous one is retired (it no longer issues, stays "
                    + "trusted by the terminator and keeps answering OCSP and CRL for what it issued)."})
    static final class StationCa implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;
        @Option(names = "--key-algorithm", paramLabel = "ALG", defaultValue = "EC_P256",
                description = "EC_P256, EC_P384, EC_P521, RSA_2048, RSA_3072 or RSA_4096 (default: ${DEFAULT-VALUE}).")
        String keyAlgorithm;

        @Override
        public Integer call() {
            JsonNode r = api.client().post(BASE + "/station-ca", Text.JSON.createObjectNode().put("keyAlgorithm", keyAlgorithm),
                    "the station CA rotation");
            if (output.json) {
                Text.printJson(r);
            } else {
                printRotated(r);
            }
            return 0;
        }
    }

    @Command(name = "ocsp-signer", mixinStandardHelpOptions = true,
            description = "A new delegated OCSP signer for an issuer (default: the active station CA); its previous signer is retired.")
    static final class OcspSigner implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;
        @Option(names = "--issuer", paramLabel = "ID", description = "The CA the signer answers for (an id from 'ca status').")
        String issuer;

        @Override
        public Integer call() {
            ObjectNode body = Text.JSON.createObjectNode();
            if (issuer != null) {
                body.put("issuerId", issuer);
            }
            JsonNode r = api.client().post(BASE + "/ocsp-signer", body, "the OCSP signer rotation");
            if (output.json) {
                Text.printJson(r);
            } else {
                printRotated(r);
            }
            return 0;
        }
    }

    @Command(name = "root", mixinStandardHelpOptions = true,
            description = {"Rotate the CSMS root in stages (M05):",
                    "  --prepare     a new root key and root, and a link certificate (the new root's key signed by the old root)",
                    "  --distribute  InstallCertificate(CSMSRootCertificate) to every station that has not accepted it yet",
                    "  --status      which stations accepted",
                    "  --activate    switch to the new root when every station accepted it (or --force --min-accepted PCT):",
                    "                new station CA and server certificates under it; the old root and CA are retired",
                    "  --cancel      give up the prepared rotation"})
    static final class Root implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Stage stage;

        static final class Stage {
            @Option(names = "--prepare", required = true, description = "Make the new root and the link certificate.")
            boolean prepare;
            @Option(names = "--distribute", required = true, description = "Send the new root to the fleet.")
            boolean distribute;
            @Option(names = "--status", required = true, description = "Show which stations accepted the new root.")
            boolean status;
            @Option(names = "--activate", required = true, description = "Make the new root the active one.")
            boolean activate;
            @Option(names = "--cancel", required = true, description = "Give up the prepared rotation.")
            boolean cancel;
        }

        @Option(names = "--key-algorithm", paramLabel = "ALG", description = "With --prepare: the new root's key (default EC_P384).")
        String keyAlgorithm;
        @Option(names = "--only-not-yet", description = "With --distribute: only stations never reached (not the ones that refused).")
        boolean onlyNotYet;
        @Option(names = "--timeout", paramLabel = "SECONDS", description = "With --distribute: how long to wait for each station.")
        Integer timeout;
        @Option(names = "--force", description = "With --activate: activate although not every station accepted.")
        boolean force;
        @Option(names = "--min-accepted", paramLabel = "PCT", description = "With --activate --force: the share of stations (0-100) "
                + "that must have accepted.")
        Integer minAccepted;

        @Override
        public Integer call() {
            if (!stage.prepare && keyAlgorithm != null || !stage.distribute && (onlyNotYet || timeout != null)
                    || !stage.activate && (force || minAccepted != null)) {
                throw new CliException("--key-algorithm goes with --prepare, --only-not-yet and --timeout with --distribute, "
                        + "--force and --min-accepted with --activate");
            }
            JsonNode r;
            JsonNode status;
            if (stage.prepare) {
                ObjectNode body = Text.JSON.createObjectNode();
                if (keyAlgorithm != null) {
                    body.put("keyAlgorithm", keyAlgorithm);
                }
                r = api.client().post(BASE + "/root/prepare", body, "the root rotation");
                status = r;
            } else if (stage.distribute) {
                ObjectNode body = Text.JSON.createObjectNode().put("onlyNotYet", onlyNotYet);
                if (timeout != null) {
                    body.put("timeoutSeconds", timeout);
                }
                r = api.client().post(BASE + "/root/distribute", body, "the root distribution", DISTRIBUTE_WAIT);
                status = r.path("status");
            } else if (stage.status) {
                r = api.client().get(BASE + "/root", "the root rotation");
                status = r;
            } else if (stage.activate) {
                ObjectNode body = Text.JSON.createObjectNode().put("force", force);
                if (minAccepted != null) {
                    body.put("minAcceptedPercent", minAccepted);
                }
                r = api.client().post(BASE + "/root/activate", body, "the root activation");
                status = r.path("status");
            } else {
                r = api.client().post(BASE + "/root/cancel", Text.JSON.createObjectNode(), "the root rotation");
                status = r;
            }
            if (output.json) {
                Text.printJson(r);
                return 0;
            }
            PrintStream out = System.out;
            if (stage.distribute) {
                out.println("sent to " + Text.cell(r, "sent") + " stations (" + Text.cell(r, "skipped") + " skipped): "
                        + Text.cell(r, "outcomes"));
            }
            if (stage.activate) {
                out.println("the new root is active" + (r.path("forced").asBoolean(false) ? " (forced)" : ""));
                Text.printFields(out,
                        "  station CA", Text.cell(r, "stationCa"),
                        "  OCSP signer", Text.cell(r, "ocspSigner"),
                        "  server certs", Text.list(r, "serverCertificates"),
                        "  retired", Text.list(r, "retired"));
            }
            printStatus(out, status, stage.status);
            return 0;
        }
    }

    static void printStatus(PrintStream out, JsonNode s, boolean withStations) {
        JsonNode counts = s.path("counts");
        out.println("root rotation " + Text.cell(s, "id") + "  " + Text.cell(s, "state"));
        Text.printFields(out,
                "  old root", Text.cell(s.path("oldRoot"), "id") + "  " + Text.cell(s.path("oldRoot"), "subject"),
                "  new root", Text.cell(s.path("newRoot"), "id") + "  " + Text.cell(s.path("newRoot"), "subject"),
                "  new sha256", Text.cell(s.path("newRoot"), "sha256Fingerprint"),
                "  link sha256", Text.cell(s.path("link"), "sha256Fingerprint"),
                "  stations", Text.cell(counts, "accepted") + " of " + Text.cell(counts, "stations") + " accepted, "
                        + Text.cell(counts, "rejected") + " rejected, " + Text.cell(counts, "failed") + " failed, "
                        + Text.cell(counts, "notDelivered") + " not delivered, " + Text.cell(counts, "pending") + " pending",
                "  ready", Text.yesNo(s, "ready"));
        if (withStations && s.path("stations").size() > 0) {
            out.println();
            Text.Table t = new Text.Table("STATION", "STATUS", "CONNECTED", "ATTEMPTS", "UPDATED", "DETAIL");
            for (JsonNode st : s.path("stations")) {
                t.row(Text.cell(st, "identity"), Text.cell(st, "status"), Text.yesNo(st, "connected"), Text.cell(st, "attempts"),
                        Text.time(st, "updatedAt"), Text.cell(st, "detail"));
            }
            t.print(out);
        }
    }
}
