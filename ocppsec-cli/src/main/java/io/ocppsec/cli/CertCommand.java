package io.ocppsec.cli;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.CertificateSigningUse;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.security.cert.CertificateFingerprint;
import io.ocppsec.security.cert.CertificateIdentifier;
import io.ocppsec.security.cert.PemCertificates;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./ocppsec cert ...}: certificates. {@code sign}, {@code list}, {@code show} and
 * {@code export} and {@code revoke} drive the pki-service API; {@code inspect} works offline on a PEM file.
 */
@Command(name = "cert", mixinStandardHelpOptions = true,
        description = "Sign station CSRs and search the certificate inventory (pki-service API); inspect PEM files offline.",
        subcommands = {CertCommand.Sign.class, CertCommand.ListCertificates.class, CertCommand.Show.class,
                CertCommand.Export.class, CertCommand.Inspect.class, CertCommand.Revoke.class})
final class CertCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static final String BASE = "/api/v1/certificates";
    private static final int MAX_CSR_BYTES = 64 * 1024;

    /** Inventory status of an issued certificate. */
    enum Status { VALID, REVOKED }

    /** The certificates in PEM text the API returned; a failure here is the API's, not the operator's. */
    static List<X509Certificate> parseFromApi(String pem, String what) {
        try {
            return PemCertificates.read(pem);
        } catch (IllegalArgumentException e) {
            throw new CliException("pki-service returned " + what + " that cannot be read: " + Text.oneLine(e.getMessage()));
        }
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = "Have pki-service sign a station's CSR (what a SignCertificateRequest carries) and write the "
                    + "chain CertificateSigned carries, leaf first, PEM, to --out (mode 0644).")
    static final class Sign implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Option(names = "--station", required = true, paramLabel = "ID", description = "The station identity.")
        String station;

        @Option(names = "--csr", required = true, paramLabel = "FILE", description = "PEM PKCS#10 CSR (- for standard input).")
        Path csr;

        @Option(names = "--type", paramLabel = "TYPE",
                description = "${COMPLETION-CANDIDATES} (default: ChargingStationCertificate).")
        CertificateSigningUse type;

        @Option(names = "--request-id", paramLabel = "N", description = "The OCPP 2.1 requestId of the SignCertificateRequest.")
        Long requestId;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the chain.")
        Path out;

        @Option(names = "--force", description = "Overwrite --out if it exists.")
        boolean force;

        @Override
        public Integer call() {
            CliFiles.checkWritable(out, force);
            String csrPem = new String(CliFiles.read(csr, MAX_CSR_BYTES, "a CSR"), StandardCharsets.UTF_8);
            ObjectNode body = Text.JSON.createObjectNode();
            body.put("station", station);
            body.put("csr", csrPem);
            if (type != null) {
                body.put("certificateType", type.name());
            }
            if (requestId != null) {
                body.put("requestId", requestId);
            }
            JsonNode r = api.client().post(BASE + "/sign", body, StationCommand.subject(station));
            String chain = Text.str(r, "certificateChain");
            if (chain == null) {
                throw new CliException("pki-service answered without a certificateChain");
            }
            List<X509Certificate> certs = parseFromApi(chain, "a certificate chain");
            CliFiles.writePem(out, force, chain);
            if (output.json) {
                Text.printJson(r);
                return 0;
            }
            PrintStream o = System.out;
            o.println("signed " + Text.cell(r, "certificateType") + " for " + StationCommand.subject(station)
                    + (r.path("replay").asBoolean(false) ? " (replay: this CSR was signed before; the same certificate)" : ""));
            Text.printFields(o,
                    "serial", Text.cell(r, "serialNumber"),
                    "subject", Text.oneLine(certs.get(0).getSubjectX500Principal().getName()),
                    "valid", Text.time(r, "notBefore") + " to " + Text.time(r, "notAfter"),
                    "request id", Text.cell(r, "requestId"),
                    "chain", certs.size() + (certs.size() == 1 ? " certificate" : " certificates") + ", leaf first, written to " + out);
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Search the inventory of issued certificates.")
    static final class ListCertificates implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Option(names = "--station", paramLabel = "ID", description = "Only this station's certificates.")
        String station;

        @Option(names = "--expiring", paramLabel = "DAYS", description = "Only certificates that expire within DAYS days.")
        Integer expiring;

        @Option(names = "--status", paramLabel = "STATUS", description = "VALID or REVOKED.")
        Status status;

        @Option(names = "--type", paramLabel = "TYPE", description = "Only this type: ${COMPLETION-CANDIDATES}.")
        CertificateSigningUse type;

        @Override
        public Integer call() {
            if (expiring != null && expiring < 0) {
                throw new CliException("--expiring must not be negative");
            }
            ApiClient client = api.client();
            ArrayNode all = Text.JSON.createArrayNode();
            String previousFirst = null;
            for (int offset = 0; ; offset += ApiClient.PAGE) {
                JsonNode page = client.get(BASE + ApiClient.query("station", station, "expiringWithinDays", expiring,
                        "status", status, "certificateType", type, "offset", offset, "limit", ApiClient.PAGE), "the certificate search");
                if (!page.isArray()) {
                    throw new CliException("pki-service sent a certificate list that is not a JSON array");
                }
                if (page.isEmpty()) {
                    break;
                }
                String first = Text.str(page.get(0), "serialNumber");
                if (first != null && first.equals(previousFirst)) {
                    throw new CliException("pki-service pages the certificate search without progress; stopped");
                }
                previousFirst = first;
                page.forEach(all::add);
                if (page.size() < ApiClient.PAGE) {
                    break;
                }
            }
            if (output.json) {
                Text.printJson(all);
                return 0;
            }
            if (all.isEmpty()) {
                System.out.println("no certificates match");
                return 0;
            }
            Text.Table t = new Text.Table("SERIAL", "STATION", "TYPE", "STATUS", "NOT AFTER", "SUBJECT");
            for (JsonNode c : all) {
                t.row(Text.cell(c, "serialNumber"), Text.cell(c, "station"), Text.cell(c, "certificateType"),
                        Text.cell(c, "status"), Text.time(c, "notAfter"), Text.cell(c, "subject"));
            }
            t.print(System.out);
            return 0;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Show an issued certificate; --out writes it as PEM (mode 0644).")
    static final class Show implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Parameters(index = "0", paramLabel = "SERIAL", description = "Serial number, hexadecimal.")
        String serial;

        @Option(names = "--out", paramLabel = "FILE", description = "Write the certificate (PEM) here.")
        Path out;

        @Option(names = "--force", description = "Overwrite --out if it exists.")
        boolean force;

        @Override
        public Integer call() {
            if (out != null) {
                CliFiles.checkWritable(out, force);
            }
            String subject = "certificate " + Text.oneLine(serial);
            JsonNode c = api.client().get(BASE + "/" + ApiClient.segment(serial, "serial number"), subject);
            if (out != null) {
                String pem = Text.str(c, "certificate");
                if (pem == null) {
                    throw new CliException("pki-service answered without the certificate's PEM");
                }
                parseFromApi(pem, "a certificate");
                CliFiles.writePem(out, force, pem);
            }
            if (output.json) {
                Text.printJson(c);
                return 0;
            }
            PrintStream o = System.out;
            Text.printFields(o,
                    "serial", Text.cell(c, "serialNumber"),
                    "station", Text.cell(c, "station"),
                    "type", Text.cell(c, "certificateType"),
                    "subject", Text.cell(c, "subject"),
                    "issuer (CA id)", Text.cell(c, "issuer"),
                    "valid", Text.time(c, "notBefore") + " to " + Text.time(c, "notAfter"),
                    "status", Text.cell(c, "status") + (Text.str(c, "revokedAt") == null ? ""
                            : " since " + Text.time(c, "revokedAt") + " (" + Text.cell(c, "revocationReason") + ")"),
                    "request id", Text.cell(c, "requestId"),
                    "requested by", Text.cell(c, "requester"),
                    "issued", Text.time(c, "issuedAt"),
                    "CSR sha256", Text.cell(c, "csrSha256"));
            if (out != null) {
                o.println("written to " + out);
            }
            return 0;
        }
    }

    /** RFC 5280 reason codes pki-service accepts (no certificateHold: revocation is final). */
    enum Reason { unspecified, keyCompromise, cACompromise, affiliationChanged, superseded, cessationOfOperation,
        privilegeWithdrawn }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revoke a certificate by serial number, or every valid certificate of a station (--station), "
                    + "with an RFC 5280 reason. Final: there is no hold. Revoking a revoked certificate changes nothing. "
                    + "The CRL and the OCSP responder show it at once (other pki-service instances within a poll interval).")
    static final class Revoke implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Parameters(index = "0", arity = "0..1", paramLabel = "SERIAL", description = "Serial number, hexadecimal.")
        String serial;

        @Option(names = "--station", paramLabel = "ID", description = "Revoke every valid certificate of this station.")
        String station;

        @Option(names = "--reason", paramLabel = "R", defaultValue = "unspecified",
                description = "One of: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
        Reason reason;

        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if ((serial == null) == (station == null)) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "give either SERIAL or --station ID");
            }
            ObjectNode body = Text.JSON.createObjectNode().put("reason", reason.name());
            PrintStream o = System.out;
            if (serial != null) {
                String subject = "certificate " + Text.oneLine(serial);
                JsonNode c = api.client().post(BASE + "/" + ApiClient.segment(serial, "serial number") + "/revoke", body, subject);
                if (output.json) {
                    Text.printJson(c);
                    return 0;
                }
                boolean now = c.path("revokedNow").asBoolean(false);
                o.println((now ? "revoked certificate " : "certificate was already revoked: ") + Text.cell(c, "serialNumber")
                        + " (station " + Text.cell(c, "station") + ") since " + Text.time(c, "revokedAt")
                        + ", reason " + Text.cell(c, "revocationReason"));
                return 0;
            }
            String subject = "station " + Text.oneLine(station);
            JsonNode r = api.client().post("/api/v1/stations/" + ApiClient.segment(station, "station identity")
                    + "/revoke-certificates", body, subject);
            if (output.json) {
                Text.printJson(r);
                return 0;
            }
            o.println("revoked " + Text.cell(r, "revoked") + " certificate(s) of station " + Text.oneLine(station));
            Text.Table t = new Text.Table("SERIAL", "STATUS", "REVOKED AT", "REASON", "NOW");
            for (JsonNode c : r.path("certificates")) {
                t.row(Text.cell(c, "serialNumber"), Text.cell(c, "status"), Text.time(c, "revokedAt"),
                        Text.cell(c, "revocationReason"), c.path("revokedNow").asBoolean(false) ? "yes" : "no (before)");
            }
            if (r.path("certificates").size() > 0) {
                t.print(o);
            }
            return 0;
        }
    }

    /** Export formats. */
    enum Format { CSV, JSON }

    @Command(name = "export", mixinStandardHelpOptions = true,
            description = "Export the certificate inventory (or the part the filters select) as CSV or JSON to --out "
                    + "(mode 0644), streamed; at most 64 MiB.")
    static final class Export implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Option(names = "--format", required = true, paramLabel = "FORMAT", description = "csv or json.")
        Format format;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write it.")
        Path out;

        @Option(names = "--force", description = "Overwrite --out if it exists.")
        boolean force;

        @Option(names = "--station", paramLabel = "ID", description = "Only this station's certificates.")
        String station;

        @Option(names = "--expiring", paramLabel = "DAYS", description = "Only certificates that expire within DAYS days.")
        Integer expiring;

        @Option(names = "--status", paramLabel = "STATUS", description = "VALID or REVOKED.")
        Status status;

        @Override
        public Integer call() {
            if (expiring != null && expiring < 0) {
                throw new CliException("--expiring must not be negative");
            }
            CliFiles.checkWritable(out, force);
            ApiClient client = api.client();
            String name = format.name().toLowerCase(java.util.Locale.ROOT);
            String path = BASE + "/export" + ApiClient.query("format", name, "station", station,
                    "expiringWithinDays", expiring, "status", status);
            String accept = format == Format.CSV ? "text/csv" : "application/json";
            long bytes = CliFiles.writePublic(out, force, os -> client.download(path, accept, os, "the export"));
            System.out.println("exported the certificate inventory (" + name + ", " + bytes + " bytes) to " + out);
            return 0;
        }
    }

    /** Prints what OCPP cares about in a certificate, including its CertificateHashData. */
    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Show a PEM certificate as OCPP sees it (offline): subject, issuer, validity, key, SHA-256 "
                    + "fingerprint and the CertificateHashData / OCSPRequestData of the certificate.")
    static final class Inspect implements Callable<Integer> {

        @Parameters(index = "0", paramLabel = "FILE", description = "PEM certificate, or a chain with the certificate first.")
        Path file;

        @Option(names = "--issuer", paramLabel = "FILE",
                description = "PEM issuer certificate (default: the next one in FILE, or the certificate itself when self-signed).")
        Path issuerFile;

        @Option(names = "--hash-algorithm", paramLabel = "ALG", defaultValue = "SHA256",
                description = "SHA256, SHA384 or SHA512 (default: ${DEFAULT-VALUE}).")
        HashAlgorithm algorithm;

        @Override
        public Integer call() throws Exception {
            List<X509Certificate> chain = read(file);
            X509Certificate cert = chain.get(0);
            X509Certificate issuer = issuerFile != null ? read(issuerFile).get(0)
                    : chain.size() > 1 ? chain.get(1)
                    : cert.getIssuerX500Principal().equals(cert.getSubjectX500Principal()) ? cert : null;
            System.out.println("subject         " + cert.getSubjectX500Principal().getName());
            System.out.println("issuer          " + cert.getIssuerX500Principal().getName());
            System.out.println("serial          " + cert.getSerialNumber().toString(16));
            System.out.println("not before      " + cert.getNotBefore().toInstant());
            System.out.println("not after       " + cert.getNotAfter().toInstant());
            System.out.println("key             " + describeKey(cert));
            System.out.println("signature       " + cert.getSigAlgName());
            System.out.println("sha256          " + CertificateFingerprint.sha256(cert));
            CertificateIdentifier.ocspResponderUrl(cert).ifPresent(url -> System.out.println("ocsp responder  " + url));
            if (issuer == null) {
                System.out.println("hash data       (give --issuer to compute CertificateHashData)");
                return 0;
            }
            CertificateHashData hd;
            try {
                hd = CertificateIdentifier.of(cert, issuer, algorithm);
            } catch (IllegalArgumentException e) {
                throw new CliException("cannot compute hash data: " + e.getMessage());
            }
            System.out.println("hashAlgorithm   " + hd.hashAlgorithm());
            System.out.println("issuerNameHash  " + hd.issuerNameHash());
            System.out.println("issuerKeyHash   " + hd.issuerKeyHash());
            System.out.println("serialNumber    " + hd.serialNumber());
            return 0;
        }

        private static List<X509Certificate> read(Path p) {
            String pem = new String(CliFiles.read(p, PemCertificates.MAX_PEM_CHARS, "a PEM certificate"), StandardCharsets.UTF_8);
            try {
                return PemCertificates.read(pem);
            } catch (IllegalArgumentException e) {
                throw new CliException(p + ": " + e.getMessage());
            }
        }

        private static String describeKey(X509Certificate cert) {
            if (cert.getPublicKey() instanceof RSAPublicKey rsa) {
                return "RSA " + rsa.getModulus().bitLength();
            }
            if (cert.getPublicKey() instanceof ECPublicKey ec) {
                return "EC " + ec.getParams().getCurve().getField().getFieldSize();
            }
            return cert.getPublicKey().getAlgorithm();
        }
    }
}
