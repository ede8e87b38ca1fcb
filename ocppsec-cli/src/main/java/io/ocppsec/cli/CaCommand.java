package io.ocppsec.cli;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;

/** {@code ./ocppsec ca ...}: the certificate authorities of pki-service. */
@Command(name = "ca", mixinStandardHelpOptions = true,
        description = "The certificate authorities of pki-service: their state and the roots stations must trust.",
        subcommands = {CaCommand.Status.class, CaCommand.Chain.class})
final class CaCommand implements Runnable {
    static final String BASE = "/api/v1/ca";

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "status", mixinStandardHelpOptions = true,
            description = "The organization, every CA certificate (role, status, subject, SHA-256 fingerprint, validity) "
                    + "and the key custody: where the keys, keystores and their password files are.")
    static final class Status implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Override
        public Integer call() {
            JsonNode s = api.client().get(BASE, "the CA status");
            if (output.json) {
                Text.printJson(s);
                return 0;
            }
            PrintStream out = System.out;
            out.println("organization  " + Text.cell(s, "organization"));
            out.println();
            JsonNode certs = s.path("certificates");
            if (certs.isEmpty()) {
                out.println("no CA certificates yet");
            }
            for (JsonNode c : certs) {
                out.println(Text.cell(c, "role") + "  " + Text.cell(c, "status") + "  " + Text.cell(c, "subject"));
                Text.printFields(out,
                        "  id", Text.cell(c, "id"),
                        "  parent", Text.cell(c, "parent"),
                        "  serial", Text.cell(c, "serial"),
                        "  sha256", Text.cell(c, "sha256Fingerprint"),
                        "  valid", Text.time(c, "notBefore") + " to " + Text.time(c, "notAfter"),
                        "  key", Text.cell(c, "keyAlgorithm") + "  " + Text.cell(c, "key"));
                out.println();
            }
            out.println("key custody");
            JsonNode custody = s.path("custody");
            if (custody.isEmpty()) {
                out.println("  (not described)");
            }
            int width = 0;
            for (String k : custody.propertyNames()) {
                width = Math.max(width, Text.oneLine(k).length());
            }
            for (Map.Entry<String, JsonNode> e : custody.properties()) {
                out.println("  " + Text.pad(Text.oneLine(e.getKey()), width) + "  "
                        + (Text.scalar(e.getValue()) == null ? "-" : Text.oneLine(Text.scalar(e.getValue()))));
            }
            return 0;
        }
    }

    @Command(name = "chain", mixinStandardHelpOptions = true,
            description = "Write the root certificates stations and peers must trust (install as CSMSRootCertificate) to "
                    + "--out, PEM (mode 0644), and print their fingerprints to compare.")
    static final class Chain implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the roots.")
        Path out;

        @Option(names = "--force", description = "Overwrite --out if it exists.")
        boolean force;

        @Override
        public Integer call() {
            CliFiles.checkWritable(out, force);
            byte[] body = api.client().getBytes(BASE + "/chain", "application/pem-certificate-chain", "the CA chain");
            String pem = new String(body, StandardCharsets.US_ASCII);
            List<X509Certificate> roots = CertCommand.parseFromApi(pem, "a root chain");
            CliFiles.writePublic(out, force, os -> os.write(CertCommand.pemBytes(pem)));
            PrintStream o = System.out;
            o.println(roots.size() + (roots.size() == 1 ? " root certificate" : " root certificates") + " written to " + out);
            for (X509Certificate c : roots) {
                o.println("  " + Text.oneLine(c.getSubjectX500Principal().getName()));
                o.println("    sha256     " + fingerprint(c));
                o.println("    not after  " + c.getNotAfter().toInstant());
            }
            return 0;
        }

        static String fingerprint(X509Certificate c) {
            try {
                return HexFormat.ofDelimiter(":").withUpperCase()
                        .formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
            } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
