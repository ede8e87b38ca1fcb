package io.ocppsec.cli;

import io.ocppsec.ocpp.message.type.CertificateSigningUse;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code ./ocppsec station ...}: the station registry of pki-service. */
@Command(name = "station", mixinStandardHelpOptions = true,
        description = "Register charging stations, manage their Basic-auth passwords and send them calls "
                + "through the terminator (pki-service API).",
        subcommands = {StationCommand.Add.class, StationCommand.ListStations.class, StationCommand.Show.class,
                StationCommand.Update.class, StationCommand.Remove.class, StationCommand.RotatePassword.class,
                StationCommand.ConfirmPassword.class, StationCommand.Session.class, StationCommand.Call.class,
                SimulateCommand.class})
final class StationCommand implements Runnable {
    static final String BASE = "/api/v1/stations";
    private static final int MAX_PASSWORD_FILE_BYTES = 1024;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static String path(String identity) {
        return BASE + "/" + ApiClient.segment(identity, "station identity");
    }

    static String subject(String identity) {
        return "station " + Text.oneLine(identity);
    }

    static void checkProfile(Integer profile) {
        if (profile != null && (profile < 1 || profile > 3)) {
            throw new CliException("--profile must be 1, 2 or 3");
        }
    }

    /** The OCPP-J subprotocols a station may be registered for ("2.0.1" is read as "ocpp2.0.1"). */
    static final List<String> OCPP_VERSIONS = List.of("ocpp2.1", "ocpp2.0.1", "ocpp1.6");

    static void ocppVersions(ObjectNode body, List<String> versions) {
        List<String> out = new ArrayList<>();
        for (String v : versions) {
            String token = v.trim().startsWith("ocpp") ? v.trim() : "ocpp" + v.trim();
            if (!OCPP_VERSIONS.contains(token)) {
                throw new CliException("--ocpp-versions takes " + String.join(", ", OCPP_VERSIONS) + "; not '"
                        + Text.oneLine(v) + "'");
            }
            if (out.contains(token)) {
                throw new CliException("--ocpp-versions names " + token + " twice");
            }
            out.add(token);
        }
        if (out.isEmpty()) {
            throw new CliException("--ocpp-versions needs at least one version");
        }
        strings(body, "ocppVersions", out);
    }

    static void strings(ObjectNode body, String field, List<?> values) {
        ArrayNode a = body.putArray(field);
        for (Object v : values) {
            a.add(v.toString());
        }
    }

    /** A station as key/value lines. */
    static void print(PrintStream out, JsonNode s) {
        Text.printFields(out,
                "identity", Text.cell(s, "identity"),
                "serial number", Text.cell(s, "serialNumber"),
                "security profile", Text.cell(s, "securityProfile") + " (lowest accepted: " + Text.cell(s, "profileFloor") + ")",
                "organization", Text.cell(s, "organization"),
                "certificate types", Text.list(s, "certificateTypes"),
                "SECC ids", Text.list(s, "seccIds"),
                "OCPP versions", Text.list(s, "ocppVersions"),
                "expired client cert", s.path("allowExpiredClientCertificate").asBoolean(false)
                        ? "accepted (A00.FR.429: BootNotification Pending, then renewal)" : "refused",
                "enabled", Text.yesNo(s, "enabled"),
                "password rotation", s.path("passwordRotationPending").asBoolean(false)
                        ? "pending (confirm with 'station confirm-password')" : "none",
                "created", Text.time(s, "createdAt"),
                "updated", Text.time(s, "updatedAt"));
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Register a station. Without --password or --password-file a Basic-auth password is generated "
                    + "and printed this once (pki-service keeps only its hash).")
    static final class Add implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The station identity (the Basic-auth user-id).")
        String identity;

        @Option(names = "--serial", required = true, paramLabel = "SN", description = "The station's serial number.")
        String serial;

        @Option(names = "--profile", required = true, paramLabel = "1|2|3", description = "OCPP security profile.")
        int profile;

        @Option(names = "--password", paramLabel = "P",
                description = "Its Basic-auth password, 16 to 64 characters (visible in 'ps' and the shell history: "
                        + "prefer --password-file).")
        String password;

        @Option(names = "--password-file", paramLabel = "FILE",
                description = "File (or - for standard input) holding its Basic-auth password on one line.")
        Path passwordFile;

        @Option(names = "--organization", paramLabel = "O", description = "Organization (O) its certificates carry (default: the CA's).")
        String organization;

        @Option(names = "--type", paramLabel = "T",
                description = "Certificate type it may enroll for, repeatable: ${COMPLETION-CANDIDATES} "
                        + "(default: ChargingStationCertificate).")
        List<CertificateSigningUse> types = new ArrayList<>();

        @Option(names = "--secc-id", paramLabel = "S", description = "ISO 15118 SECC id (the CN of its V2G certificates), repeatable.")
        List<String> seccIds = new ArrayList<>();

        @Option(names = "--ocpp-versions", split = ",", paramLabel = "V",
                description = "OCPP-J subprotocols it may use, in order of preference: ocpp2.1, ocpp2.0.1, ocpp1.6 "
                        + "(default: ocpp2.1,ocpp2.0.1).")
        List<String> ocppVersions = new ArrayList<>();

        @Option(names = "--allow-expired-client-certificate", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
                description = "Accept it with an expired client certificate (OCPP A00.FR.429: for a station whose clock "
                        + "may be wrong; it gets BootNotification Pending and must renew at once). Default: false.")
        Boolean allowExpiredClientCertificate;

        @Override
        public Integer call() {
            checkProfile(profile);
            if (password != null && passwordFile != null) {
                throw new CliException("give --password or --password-file, not both");
            }
            String given = password;
            if (passwordFile != null) {
                given = firstLine(CliFiles.read(passwordFile, MAX_PASSWORD_FILE_BYTES, "a password"));
                if (given.isEmpty()) {
                    throw new CliException("the password file " + passwordFile + " is empty");
                }
            }
            ObjectNode body = Text.JSON.createObjectNode();
            body.put("identity", identity);
            body.put("serialNumber", serial);
            body.put("securityProfile", profile);
            if (organization != null) {
                body.put("organization", organization);
            }
            if (!types.isEmpty()) {
                strings(body, "certificateTypes", types);
            }
            if (!seccIds.isEmpty()) {
                strings(body, "seccIds", seccIds);
            }
            if (!ocppVersions.isEmpty()) {
                ocppVersions(body, ocppVersions);
            }
            if (allowExpiredClientCertificate != null) {
                body.put("allowExpiredClientCertificate", allowExpiredClientCertificate);
            }
            if (given != null) {
                body.put("password", given);
            }
            ApiClient client = api.client();
            if (password != null) {
                spec.commandLine().getErr().println("ocppsec: note: a password given with --password is visible in 'ps' "
                        + "and the shell history; prefer --password-file");
                spec.commandLine().getErr().flush();
            }
            JsonNode r = client.post(BASE, body, subject(identity));
            if (output.json) {
                Text.printJson(r);
                return 0;
            }
            PrintStream out = System.out;
            out.println("registered " + subject(Text.str(r.path("station"), "identity")));
            print(out, r.path("station"));
            String generated = Text.str(r, "password");
            if (generated != null) {
                out.println();
                out.println("GENERATED PASSWORD (shown only this once; configure it as the station's BasicAuthPassword):");
                out.println("    " + Text.oneLine(generated));
            } else {
                out.println(Text.pad("password", "password rotation".length()) + "  as given (not shown)");
            }
            return 0;
        }

        /** The first line of a password file, without its line end. */
        private static String firstLine(byte[] bytes) {
            String s = new String(bytes, StandardCharsets.UTF_8);
            int nl = s.indexOf('\n');
            if (nl >= 0) {
                if (!s.substring(nl + 1).isBlank()) {
                    throw new CliException("the password file must hold the password on one line");
                }
                s = s.substring(0, nl);
            }
            return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered stations, in identity order.")
    static final class ListStations implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            ApiClient client = api.client();
            ArrayNode all = Text.JSON.createArrayNode();
            String after = null;
            while (true) {
                JsonNode page = client.get(BASE + ApiClient.query("after", after, "limit", ApiClient.PAGE), "the station list");
                if (!page.isArray()) {
                    throw new CliException("pki-service sent a station list that is not a JSON array");
                }
                page.forEach(all::add);
                if (page.size() < ApiClient.PAGE) {
                    break;
                }
                String last = Text.str(page.get(page.size() - 1), "identity");
                if (last == null || last.equals(after)) {
                    throw new CliException("pki-service pages the station list without progress; stopped");
                }
                after = last;
            }
            if (output.json) {
                Text.printJson(all);
                return 0;
            }
            if (all.isEmpty()) {
                System.out.println("no stations registered");
                return 0;
            }
            Text.Table t = new Text.Table("IDENTITY", "SERIAL", "PROFILE", "ORGANIZATION", "TYPES", "ENABLED");
            for (JsonNode s : all) {
                t.row(Text.cell(s, "identity"), Text.cell(s, "serialNumber"), Text.cell(s, "securityProfile"),
                        Text.cell(s, "organization"), Text.list(s, "certificateTypes"), Text.yesNo(s, "enabled"));
            }
            t.print(System.out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, description = "Show one station.")
    static final class Show implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Parameters(index = "0", paramLabel = "ID", description = "The station identity.")
        String identity;

        @Override
        public Integer call() {
            JsonNode s = api.client().get(path(identity), subject(identity));
            if (output.json) {
                Text.printJson(s);
            } else {
                print(System.out, s);
            }
            return 0;
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = "Change a station; only the options given change. --type and --secc-id replace the whole list. "
                    + "Lowering --profile also lowers the profile the station may connect with.")
    static final class Update implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Parameters(index = "0", paramLabel = "ID", description = "The station identity.")
        String identity;

        @Option(names = "--serial", paramLabel = "SN", description = "New serial number.")
        String serial;

        @Option(names = "--profile", paramLabel = "1|2|3", description = "New security profile.")
        Integer profile;

        @Option(names = "--organization", paramLabel = "O", description = "New organization.")
        String organization;

        @Option(names = "--type", paramLabel = "T", description = "Certificate types, repeatable: ${COMPLETION-CANDIDATES}.")
        List<CertificateSigningUse> types = new ArrayList<>();

        @Option(names = "--secc-id", paramLabel = "S", description = "SECC ids, repeatable.")
        List<String> seccIds = new ArrayList<>();

        @Option(names = "--clear-secc-ids", description = "Remove all SECC ids.")
        boolean clearSeccIds;

        @Option(names = "--enable", description = "Let the station connect and enroll again.")
        boolean enable;

        @Option(names = "--disable", description = "Refuse the station's connections and certificate requests.")
        boolean disable;

        @Option(names = "--ocpp-versions", split = ",", paramLabel = "V",
                description = "OCPP-J subprotocols it may use, in order of preference (replaces the list).")
        List<String> ocppVersions = new ArrayList<>();

        @Option(names = "--allow-expired-client-certificate", arity = "0..1", fallbackValue = "true", paramLabel = "true|false",
                description = "Accept (true) or refuse (false) it with an expired client certificate (A00.FR.429).")
        Boolean allowExpiredClientCertificate;

        @Override
        public Integer call() {
            checkProfile(profile);
            if (enable && disable) {
                throw new CliException("give --enable or --disable, not both");
            }
            if (clearSeccIds && !seccIds.isEmpty()) {
                throw new CliException("give --secc-id or --clear-secc-ids, not both");
            }
            ObjectNode body = Text.JSON.createObjectNode();
            if (serial != null) {
                body.put("serialNumber", serial);
            }
            if (profile != null) {
                body.put("securityProfile", profile);
            }
            if (organization != null) {
                body.put("organization", organization);
            }
            if (!types.isEmpty()) {
                strings(body, "certificateTypes", types);
            }
            if (!seccIds.isEmpty() || clearSeccIds) {
                strings(body, "seccIds", seccIds);
            }
            if (enable || disable) {
                body.put("enabled", enable);
            }
            if (!ocppVersions.isEmpty()) {
                ocppVersions(body, ocppVersions);
            }
            if (allowExpiredClientCertificate != null) {
                body.put("allowExpiredClientCertificate", allowExpiredClientCertificate);
            }
            if (body.isEmpty()) {
                throw new CliException("nothing to change: give at least one of --serial, --profile, --organization, "
                        + "--type, --secc-id, --clear-secc-ids, --enable, --disable, --ocpp-versions, "
                        + "--allow-expired-client-certificate");
            }
            JsonNode s = api.client().patch(path(identity), body, subject(identity));
            if (output.json) {
                Text.printJson(s);
            } else {
                System.out.println("updated " + subject(identity));
                print(System.out, s);
            }
            return 0;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true,
            description = "Remove a station from the registry (its issued certificates stay in the inventory).")
    static final class Remove implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Parameters(index = "0", paramLabel = "ID", description = "The station identity.")
        String identity;

        @Override
        public Integer call() {
            api.client().delete(path(identity), subject(identity));
            System.out.println("removed " + subject(identity));
            return 0;
        }
    }

    @Command(name = "rotate-password", mixinStandardHelpOptions = true,
            description = "Generate a new Basic-auth password (A01). It is printed this once with the SetVariablesRequest "
                    + "that carries it to the station; the old one stays valid until the station's answer is "
                    + "reported with 'station confirm-password'. With --send, pki-service sends it to the station "
                    + "through the terminator and confirms it from the station's answer (the password is not printed: "
                    + "only the station needs it); exit 0 only when the station accepted it.")
    static final class RotatePassword implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Parameters(index = "0", paramLabel = "ID", description = "The station identity.")
        String identity;

        @Option(names = "--send", description = "Send it to the station through the terminator holding it and confirm it "
                + "from the station's SetVariables answer.")
        boolean send;

        @Option(names = "--timeout", paramLabel = "S", description = "With --send: how long the station may take to answer, "
                + "1 to 295 seconds (default: 30).")
        Integer timeout;

        @Override
        public Integer call() {
            if (timeout != null && !send) {
                throw new CliException("--timeout goes with --send");
            }
            if (send) {
                return sendRotation();
            }
            JsonNode r = api.client().post(path(identity) + "/password/rotate", Text.JSON.createObjectNode(), subject(identity));
            if (output.json) {
                Text.printJson(r);
                return 0;
            }
            String id = Text.str(r, "identity") == null ? identity : Text.str(r, "identity");
            PrintStream out = System.out;
            out.println("NEW PASSWORD for " + subject(id) + " (shown only this once; pending until the station accepts it):");
            out.println("    " + Text.oneLine(Text.str(r, "password")));
            out.println();
            out.println("SetVariablesRequest to send to the station (OCPP 2.0.1 and 2.1):");
            out.println(Text.pretty(r.path("setVariablesRequest")));
            out.println();
            out.println("Then report the station's attributeStatus:");
            out.println("    ./ocppsec station confirm-password " + Text.oneLine(id) + " --status Accepted|Rejected");
            return 0;
        }

        private Integer sendRotation() {
            Call.checkTimeout(timeout);
            JsonNode r = api.client().post(path(identity) + "/password/rotate" + ApiClient.query("send", "true",
                    "timeoutSeconds", timeout), Text.JSON.createObjectNode(), subject(identity), Call.waitFor(timeout));
            String outcome = Text.str(r, "outcome");
            if (output.json) {
                Text.printJson(r);
            } else {
                String id = Text.str(r, "identity") == null ? identity : Text.str(r, "identity");
                System.out.println("password rotation for " + subject(id) + ": " + Text.oneLine(outcome)
                        + (Text.str(r, "attributeStatus") == null ? "" : " (attributeStatus " + Text.cell(r, "attributeStatus") + ")")
                        + (Text.str(r, "errorCode") == null ? "" : " (CALLERROR " + Text.cell(r, "errorCode") + ")"));
                System.out.println(Text.cell(r, "detail"));
                if (r.path("passwordRotationPending").asBoolean(false)) {
                    System.out.println("When the station's answer is known: ./ocppsec station confirm-password "
                            + Text.oneLine(id) + " --status Accepted|Rejected");
                }
            }
            return "ACCEPTED".equals(outcome) ? 0 : CliException.REFUSED;
        }
    }

    @Command(name = "session", mixinStandardHelpOptions = true,
            description = "Whether the station is connected, and through which terminator, profile and OCPP version.")
    static final class Session implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Parameters(index = "0", paramLabel = "ID", description = "The station identity.")
        String identity;

        @Override
        public Integer call() {
            JsonNode s = api.client().get(path(identity) + "/session", subject(identity));
            if (output.json) {
                Text.printJson(s);
                return 0;
            }
            if (!s.path("connected").asBoolean(false)) {
                System.out.println(subject(identity) + " is not connected");
                return 0;
            }
            Text.printFields(System.out,
                    "connected", "yes",
                    "terminator", Text.cell(s, "terminatorId"),
                    "security profile", Text.cell(s, "securityProfile"),
                    "subprotocol", Text.cell(s, "subprotocol"),
                    "client certificate", s.path("clientCertificateSha256").isString()
                            ? "SHA-256 " + Text.cell(s, "clientCertificateSha256") : "none",
                    "remote address", Text.cell(s, "remoteAddress"),
                    "connected since", Text.time(s, "connectedAt"));
            return 0;
        }
    }

    /** The calls pki-service sends to stations on an operator's behalf. */
    enum CallAction { CertificateSigned, TriggerMessage, InstallCertificate, GetInstalledCertificateIds, DeleteCertificate, SetVariables }

    @Command(name = "call", mixinStandardHelpOptions = true,
            description = "Send a CALL to the station through the terminator holding it and print the answer (JSON: "
                    + "messageId, result CALLRESULT with the payload, or CALLERROR with errorCode). Exit 0 for a "
                    + "CALLRESULT, 1 for a CALLERROR or a refusal. pki-service checks the payload against the OCPP version "
                    + "the station is connected with.")
    static final class Call implements Callable<Integer> {
        private static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

        @Mixin
        ApiOptions api;
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Parameters(index = "0", paramLabel = "ID", description = "The station identity.")
        String identity;

        @Parameters(index = "1", paramLabel = "ACTION", description = "${COMPLETION-CANDIDATES}.")
        CallAction action;

        @Option(names = "--payload", required = true, paramLabel = "JSON|@FILE",
                description = "The request payload as JSON, or @FILE to read it from a file (@- for standard input).")
        String payload;

        @Option(names = "--timeout", paramLabel = "S", description = "How long the station may take to answer, 1 to 295 "
                + "seconds (default: 30).")
        Integer timeout;

        static void checkTimeout(Integer timeout) {
            if (timeout != null && (timeout < 1 || timeout > 295)) {
                throw new CliException("--timeout must be between 1 and 295 seconds");
            }
        }

        /** How long the CLI waits for pki-service: the station's time, the terminator's grace and some. */
        static java.time.Duration waitFor(Integer timeout) {
            return java.time.Duration.ofSeconds((timeout == null ? 30 : timeout) + 15L);
        }

        @Override
        public Integer call() {
            checkTimeout(timeout);
            String text = payload;
            if (payload.startsWith("@")) {
                text = new String(CliFiles.read(Path.of(payload.substring(1)), MAX_PAYLOAD_BYTES, "a payload"),
                        StandardCharsets.UTF_8);
            }
            JsonNode p;
            try {
                p = Text.JSON.readTree(text);
            } catch (tools.jackson.core.JacksonException e) {
                throw new CliException("--payload is not JSON" + (payload.startsWith("@") ? " (" + Text.oneLine(payload) + ")" : ""));
            }
            if (p == null || !p.isObject()) {
                throw new CliException("--payload must be a JSON object: the " + action.name() + "Request payload");
            }
            ObjectNode body = Text.JSON.createObjectNode();
            body.put("action", action.name());
            body.set("payload", p);
            if (timeout != null) {
                body.put("timeoutSeconds", timeout);
            }
            JsonNode r = api.client().post(path(identity) + "/calls", body, subject(identity), waitFor(timeout));
            Text.printJson(r);
            if ("CALLRESULT".equals(Text.str(r, "result"))) {
                return 0;
            }
            spec.commandLine().getErr().println("ocppsec: " + subject(identity) + " answered the " + action.name()
                    + " with a CALLERROR: " + Text.oneLine(Text.str(r, "errorCode"))
                    + (Text.str(r, "errorDescription") == null ? "" : " (" + Text.oneLine(Text.str(r, "errorDescription")) + ")"));
            spec.commandLine().getErr().flush();
            return CliException.REFUSED;
        }
    }

    /** The station's answer to the SetVariables that carried the new password. */
    enum Status { Accepted, Rejected }

    @Command(name = "confirm-password", mixinStandardHelpOptions = true,
            description = "Report the station's SetVariables attributeStatus for the new password: Accepted makes it "
                    + "current (A01.FR.03), Rejected drops it and keeps the old one (A01.FR.04).")
    static final class ConfirmPassword implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Parameters(index = "0", paramLabel = "ID", description = "The station identity.")
        String identity;

        @Option(names = "--status", required = true, paramLabel = "STATUS", description = "Accepted or Rejected.")
        Status status;

        @Override
        public Integer call() {
            ObjectNode body = Text.JSON.createObjectNode();
            body.put("status", status.name());
            JsonNode s = api.client().post(path(identity) + "/password/confirm", body, subject(identity));
            if (output.json) {
                Text.printJson(s);
            } else if (status == Status.Accepted) {
                System.out.println(subject(identity) + ": the new password is now the current one");
            } else {
                System.out.println(subject(identity) + ": the new password was dropped; the previous one stays valid");
            }
            return 0;
        }
    }
}
