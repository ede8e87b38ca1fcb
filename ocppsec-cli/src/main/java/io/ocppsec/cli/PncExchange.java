package io.ocppsec.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a CSMS does with a station's Plug & Charge messages, through the API: Get15118EVCertificate
 * Install/Update (OCPP M01/M02, {@code pnc install}, {@code pnc update}) and Authorize with a
 * contract certificate (C07, {@code pnc authorize}).
 */
final class PncExchange {
    static final String ISO_15118_2_MSGDEF = "urn:iso:15118:2:2013:MsgDef";
    /** exiRequest's maxLength in Get15118EVCertificateRequest: OCPP 2.0.1 and 2.1 (the official schemas). */
    static final int MAX_EXI_REQUEST_201 = 5600;
    static final int MAX_EXI_REQUEST_21 = 11000;
    /** exiResponse's maxLength (2.1; 2.0.1 allows 5600): what the CLI accepts from the API. */
    static final int MAX_EXI_RESPONSE = 17000;
    /** A request file: the Base64 text with line breaks and spaces, bounded well above 11000 characters. */
    static final int MAX_BASE64_FILE_BYTES = 64 * 1024;

    private PncExchange() {
    }

    /** "2.0.1", "ocpp2.0.1", "2.1", "ocpp2.1" to the API's ocppVersion. */
    static String ocppVersion(String given) {
        String v = given.strip().toLowerCase(Locale.ROOT);
        v = v.startsWith("ocpp") ? v.substring(4) : v;
        return switch (v) {
            case "2.0.1" -> "ocpp2.0.1";
            case "2.1" -> "ocpp2.1";
            default -> throw new CliException("--ocpp must be 2.0.1 or 2.1, not '" + Text.oneLine(given) + "'");
        };
    }

    /**
     * The Base64 text of a file, whitespace removed, checked to be Base64 that decodes to at least
     * one byte. {@code what} names it in errors ("the EXI request").
     */
    static String readBase64(Path file, String what) {
        byte[] raw = CliFiles.read(file, MAX_BASE64_FILE_BYTES, what + " (Base64)");
        StringBuilder b = new StringBuilder(raw.length);
        for (byte x : raw) {
            char c = (char) (x & 0xff);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
                continue;
            }
            b.append(c);
        }
        String text = b.toString();
        if (text.isEmpty()) {
            throw new CliException(file + " is empty; it should hold " + what + " in Base64");
        }
        decode(text, file + " does not hold " + what + " in Base64");
        return text;
    }

    /** Decodes standard Base64 (with padding), or fails with {@code error}. */
    static byte[] decode(String base64, String error) {
        for (int i = 0; i < base64.length(); i++) {
            char c = base64.charAt(i);
            boolean ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/'
                    || c == '=';
            if (!ok) {
                throw new CliException(error + " (character " + (i + 1) + " is not Base64)");
            }
        }
        try {
            byte[] bytes = Base64.getDecoder().decode(base64);
            if (bytes.length == 0) {
                throw new CliException(error + " (it decodes to nothing)");
            }
            return bytes;
        } catch (IllegalArgumentException e) {
            throw new CliException(error + " (" + Text.oneLine(e.getMessage()) + ")");
        }
    }

    /** {@code pnc install} and {@code pnc update}: the same exchange, another action. */
    abstract static class EvCertificate implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Option(names = "--request", required = true, paramLabel = "FILE",
                description = "The EV's EXI request (CertificateInstallationReq or CertificateUpdateReq), Base64 (line breaks allowed).")
        Path request;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the EXI response, Base64.")
        Path out;

        @Option(names = "--ocpp", paramLabel = "2.0.1|2.1",
                description = "The OCPP version of the station's request (default 2.0.1; 2.1 with --edition 20): exiRequest may "
                        + "hold " + MAX_EXI_REQUEST_201 + " characters in 2.0.1, " + MAX_EXI_REQUEST_21 + " in 2.1.")
        String ocpp;

        @Option(names = "--schema", paramLabel = "URN",
                description = "iso15118SchemaVersion (default " + ISO_15118_2_MSGDEF + "; " + PncEv20.COMMON_MESSAGES
                        + " with --edition 20).")
        String schema;

        @Option(names = "--station", paramLabel = "ID", description = "The station the request came from (for the audit log).")
        String station;

        @Option(names = "--force", description = "Overwrite the --out file if it exists.")
        boolean force;

        abstract String action();

        /** The ISO 15118 edition the request is of: 2, or 20 when --edition 20 was given (Install only). */
        int edition() {
            return 2;
        }

        /** Checks the options only some actions have, before anything is sent. */
        void check(String version) {
        }

        /** Adds what only some actions send (Install: the OCPP 2.1 parameters). */
        void addTo(ObjectNode request) {
        }

        @Override
        public Integer call() {
            boolean minus20 = edition() == 20;
            if (minus20 && schema != null) {
                throw new CliException("--edition 20 sets the schema (" + PncEv20.COMMON_MESSAGES + "); give --edition or --schema");
            }
            String version = ocppVersion(ocpp != null ? ocpp : minus20 ? "2.1" : "2.0.1");
            if (minus20 && !version.equals("ocpp2.1")) {
                throw new CliException("an ISO 15118-20 answer does not fit OCPP 2.0.1: --edition 20 goes with --ocpp 2.1");
            }
            String schemaVersion = schema != null ? schema : minus20 ? PncEv20.COMMON_MESSAGES : ISO_15118_2_MSGDEF;
            check(version);
            String exi = readBase64(request, "an EXI request");
            int max = version.equals("ocpp2.1") ? MAX_EXI_REQUEST_21 : MAX_EXI_REQUEST_201;
            if (exi.length() > max) {
                throw new CliException(request + " holds " + exi.length() + " Base64 characters; exiRequest in "
                        + version + " may hold at most " + max);
            }
            // refuse before asking: an Install issues a contract certificate
            CliFiles.checkWritable(out, force);
            ObjectNode body = Text.JSON.createObjectNode().put("ocppVersion", version);
            if (station != null) {
                body.put("station", station);
            }
            ObjectNode request = body.putObject("request").put("iso15118SchemaVersion", schemaVersion).put("action", action())
                    .put("exiRequest", exi);
            addTo(request);
            JsonNode answer = api.client().post(PncCommand.BASE + "/ev-certificate", body, "Get15118EVCertificate " + action());
            String status = Text.str(answer, "status");
            String exiResponse = Text.str(answer, "exiResponse");
            if (status == null || exiResponse == null) {
                throw new CliException("pki-service sent a Get15118EVCertificate answer without status or exiResponse");
            }
            System.out.println("status: " + Text.oneLine(status));
            JsonNode info = answer.path("statusInfo");
            if (!"Accepted".equals(status) && info.isObject()) {
                System.out.println("  reasonCode:     " + Text.cell(info, "reasonCode"));
                if (Text.str(info, "additionalInfo") != null) {
                    System.out.println("  additionalInfo: " + Text.cell(info, "additionalInfo"));
                }
            }
            if (!exiResponse.isEmpty()) {
                if (exiResponse.length() > MAX_EXI_RESPONSE) {
                    throw new CliException("pki-service sent an exiResponse of " + exiResponse.length()
                            + " characters, more than OCPP allows (" + MAX_EXI_RESPONSE + ")");
                }
                decode(exiResponse, "pki-service sent an exiResponse that is not Base64");
                CliFiles.writePublic(out, force, os -> os.write((exiResponse + "\n").getBytes(StandardCharsets.US_ASCII)));
                System.out.println("exiResponse: " + exiResponse.length() + " Base64 characters written to " + out
                        + ("Accepted".equals(status) ? "" : " (the EV gets this answer)"));
            } else {
                System.out.println("no exiResponse (nothing written)");
            }
            if (answer.hasNonNull("remainingContracts")) {
                System.out.println("remainingContracts: " + Text.cell(answer, "remainingContracts"));
            }
            return "Accepted".equals(status) ? 0 : CliException.REFUSED;
        }
    }

    @Command(name = "install", mixinStandardHelpOptions = true,
            description = {"Get15118EVCertificate Install (OCPP M01/M02): send an EV's CertificateInstallationReq (as a station "
                    + "would forward it) to pki-service and write the CertificateInstallationRes it answers.",
                    "ISO 15118-20 (OCPP 2.1 M01): --edition 20, or --ocpp 2.1 --schema " + PncEv20.COMMON_MESSAGES
                            + "; --max-chains and --emaid add OCPP's maximumContractCertificateChains and prioritizedEMAIDs.",
                    "Exit 0 only when the status is Accepted; a Failed answer that carries an EXI response is written too."})
    static final class Install extends EvCertificate {
        @Option(names = "--edition", paramLabel = "2|20",
                description = "20: an ISO 15118-20 request, i.e. --schema " + PncEv20.COMMON_MESSAGES + " --ocpp 2.1.")
        String edition;

        @Option(names = "--max-chains", paramLabel = "N",
                description = "OCPP 2.1: maximumContractCertificateChains, 0..255 (sent only when given).")
        Integer maxChains;

        @Option(names = "--emaid", paramLabel = "EMAID",
                description = "OCPP 2.1: an eMAID for prioritizedEMAIDs, most wanted first (repeatable, at most 8; sent only when given).")
        List<String> emaids;

        @Override
        String action() {
            return "Install";
        }

        @Override
        int edition() {
            return edition == null ? 2 : PncEv20.edition(edition);
        }

        @Override
        void check(String version) {
            if ((maxChains != null || emaids != null) && !version.equals("ocpp2.1")) {
                throw new CliException("--max-chains and --emaid are OCPP 2.1 fields: give --ocpp 2.1 (or --edition 20)");
            }
            if (maxChains != null) {
                PncEv20.maxChains(maxChains);
            }
            PncEv20.prioritizedEmaids(emaids);
        }

        @Override
        void addTo(ObjectNode request) {
            if (maxChains != null) {
                request.put("maximumContractCertificateChains", maxChains.intValue());
            }
            if (emaids != null && !emaids.isEmpty()) {
                var a = request.putArray("prioritizedEMAIDs");
                emaids.forEach(a::add);
            }
        }
    }

    @Command(name = "update", mixinStandardHelpOptions = true,
            description = {"Get15118EVCertificate Update: send an EV's CertificateUpdateReq and write the CertificateUpdateRes.",
                    "Exit 0 only when the status is Accepted."})
    static final class Update extends EvCertificate {
        @Override
        String action() {
            return "Update";
        }
    }

    @Command(name = "authorize", mixinStandardHelpOptions = true,
            description = {"Authorize with a contract (C07): the eMAID as idToken (type eMAID) and optionally the contract "
                    + "certificate chain, as a station sends them; prints idTokenInfo.status and certificateStatus.",
                    "Exit 0 only when both are Accepted."})
    static final class Authorize implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Option(names = "--emaid", required = true, paramLabel = "EMAID", description = "The contract's eMAID.")
        String emaid;

        @Option(names = "--certificate", paramLabel = "FILE",
                description = "The contract certificate chain, PEM (leaf first), e.g. DIR/contract-chain.pem of 'pnc ev open'.")
        Path certificate;

        @Option(names = "--ocpp", paramLabel = "2.0.1|2.1", defaultValue = "2.0.1", description = "OCPP version (default ${DEFAULT-VALUE}).")
        String ocpp;

        @Override
        public Integer call() {
            String version = ocppVersion(ocpp);
            ObjectNode body = Text.JSON.createObjectNode().put("ocppVersion", version);
            ObjectNode req = body.putObject("request");
            req.putObject("idToken").put("idToken", emaid).put("type", "eMAID");
            if (certificate != null) {
                PncEv.readCertificates(certificate, "a contract certificate chain");
                req.put("certificate", new String(CliFiles.read(certificate, 64 * 1024, "a PEM certificate chain"),
                        StandardCharsets.US_ASCII));
            }
            JsonNode r = api.client().post(PncCommand.BASE + "/authorize", body, "Authorize " + Text.oneLine(emaid));
            if (output.json) {
                Text.printJson(r);
            } else {
                System.out.println("idTokenInfo.status: " + Text.cell(r.path("idTokenInfo"), "status"));
                System.out.println("certificateStatus:  " + Text.cell(r, "certificateStatus"));
            }
            boolean accepted = "Accepted".equals(Text.str(r.path("idTokenInfo"), "status"))
                    && "Accepted".equals(Text.str(r, "certificateStatus"));
            return accepted ? 0 : CliException.REFUSED;
        }
    }
}
