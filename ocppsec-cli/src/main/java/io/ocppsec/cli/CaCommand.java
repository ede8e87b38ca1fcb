package io.ocppsec.cli;

import io.ocppsec.security.cert.CertificateFingerprint;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
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
        subcommands = {CaCommand.Status.class, CaCommand.Chain.class, CaCommand.Import.class,
                CaCommand.RequestSubCa.class, CaCommand.InstallSubCa.class, CaRotateCommand.class})
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
            CliFiles.writePem(out, force, pem);
            PrintStream o = System.out;
            o.println(roots.size() + (roots.size() == 1 ? " root certificate" : " root certificates") + " written to " + out);
            for (X509Certificate c : roots) {
                o.println("  " + Text.oneLine(c.getSubjectX500Principal().getName()));
                o.println("    sha256     " + CertificateFingerprint.sha256(c));
                o.println("    not after  " + c.getNotAfter().toInstant());
            }
            return 0;
        }
    }

    /** The first line of a secret file, without its line end. */
    static String secretLine(Path file, String what) {
        String s = new String(CliFiles.read(file, 4096, what), StandardCharsets.UTF_8);
        int nl = s.indexOf('\n');
        if (nl >= 0) {
            s = s.substring(0, nl);
        }
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    static void printImported(JsonNode r) {
        System.out.println("imported: " + Text.cell(r, "subject"));
        System.out.println("  issues station certificates from now on (id " + Text.cell(r, "issuerId") + ")");
        System.out.println("  root stations must trust: " + Text.cell(r, "rootSubject") + "  (./ocppsec ca chain --out FILE)");
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Bring in an existing CA to issue station certificates instead of the development PKI.",
                    "The previous issuing CA is retired (it still answers for what it issued). One of:",
                    "  --chain FILE --key FILE [--key-password-file FILE]   PEM chain (the CA first, up to its root) and PEM key",
                    "  --pkcs12 FILE [--password-file FILE]                 a PKCS#12 file with one key and its chain",
                    "  --existing-key LABEL --chain FILE                    a key already in the HSM (or Vault), by its label"})
    static final class Import implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Option(names = "--chain", paramLabel = "FILE", description = "PEM certificate chain: the CA first, up to its root.")
        Path chain;
        @Option(names = "--key", paramLabel = "FILE", description = "PEM private key of the CA (PKCS#8, traditional, or encrypted).")
        Path key;
        @Option(names = "--key-password-file", paramLabel = "FILE", description = "File whose first line is the key's password.")
        Path keyPassword;
        @Option(names = "--pkcs12", paramLabel = "FILE", description = "PKCS#12 file holding the CA key and its chain.")
        Path pkcs12;
        @Option(names = "--password-file", paramLabel = "FILE", description = "File whose first line is the PKCS#12 password.")
        Path password;
        @Option(names = "--existing-key", paramLabel = "LABEL", description = "Label of a key already in the custody backend.")
        String existingKey;

        @Override
        public Integer call() {
            var body = Text.JSON.createObjectNode();
            if (pkcs12 != null) {
                if (chain != null || key != null || existingKey != null) {
                    throw new CliException("--pkcs12 goes alone (with --password-file)");
                }
                body.put("pkcs12", java.util.Base64.getEncoder().encodeToString(CliFiles.read(pkcs12, 256 * 1024, "a PKCS#12 file")));
                if (password != null) {
                    body.put("password", secretLine(password, "a password file"));
                }
            } else if (existingKey != null) {
                if (chain == null || key != null) {
                    throw new CliException("--existing-key needs --chain (and no --key)");
                }
                body.put("existingKeyLabel", existingKey);
                body.put("chain", new String(CliFiles.read(chain, 64 * 1024, "a PEM chain"), StandardCharsets.UTF_8));
            } else {
                if (chain == null || key == null) {
                    throw new CliException("give --chain and --key, or --pkcs12, or --existing-key and --chain");
                }
                body.put("chain", new String(CliFiles.read(chain, 64 * 1024, "a PEM chain"), StandardCharsets.UTF_8));
                body.put("key", new String(CliFiles.read(key, 32 * 1024, "a PEM key"), StandardCharsets.UTF_8));
                if (keyPassword != null) {
                    body.put("keyPassword", secretLine(keyPassword, "a password file"));
                }
            }
            JsonNode r = api.client().post(BASE + "/import", body, "the CA import");
            if (output.json) {
                Text.printJson(r);
            } else {
                printImported(r);
            }
            return 0;
        }
    }

    @Command(name = "request-sub-ca", mixinStandardHelpOptions = true,
            description = {"Generate a new issuing sub-CA key in the custody backend and write its CSR for your offline root to sign.",
                    "Then: ./ocppsec ca install-sub-ca --id ID --chain SIGNED_CHAIN.pem"})
    static final class RequestSubCa implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Option(names = "--subject", required = true, paramLabel = "DN", description = "e.g. \"CN=Example Station CA,O=Example CPO\".")
        String subject;
        @Option(names = "--key-algorithm", paramLabel = "ALG", defaultValue = "EC_P256",
                description = "EC_P256, EC_P384, EC_P521, RSA_2048, RSA_3072 or RSA_4096 (default: ${DEFAULT-VALUE}).")
        String keyAlgorithm;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "Where to write the CSR (PEM).")
        Path out;
        @Option(names = "--force", description = "Overwrite --out if it exists.")
        boolean force;

        @Override
        public Integer call() {
            CliFiles.checkWritable(out, force);
            var body = Text.JSON.createObjectNode().put("subject", subject).put("keyAlgorithm", keyAlgorithm);
            JsonNode r = api.client().post(BASE + "/sub-ca/request", body, "the sub-CA request");
            String csr = Text.str(r, "csrPem");
            if (csr == null || !csr.strip().startsWith("-----BEGIN CERTIFICATE REQUEST-----")) {
                throw new CliException("pki-service answered without the sub-CA's CSR (PEM)");
            }
            CliFiles.writePem(out, force, csr);
            System.out.println("sub-CA key generated; CSR written to " + out);
            System.out.println("id " + Text.cell(r, "id") + "   (give it to 'ca install-sub-ca --id')");
            return 0;
        }
    }

    @Command(name = "install-sub-ca", mixinStandardHelpOptions = true,
            description = "Install the certificate your offline root signed for a requested sub-CA (PEM, the sub-CA first, up to the root).")
    static final class InstallSubCa implements Callable<Integer> {
        @Mixin
        ApiOptions api;
        @Mixin
        JsonOption output;

        @Option(names = "--id", required = true, paramLabel = "ID", description = "The id 'ca request-sub-ca' printed.")
        String id;
        @Option(names = "--chain", required = true, paramLabel = "FILE", description = "The signed certificate and the chain up to the root, PEM.")
        Path chain;

        @Override
        public Integer call() {
            var body = Text.JSON.createObjectNode().put("id", id)
                    .put("certificateChain", new String(CliFiles.read(chain, 64 * 1024, "a PEM chain"), StandardCharsets.UTF_8));
            JsonNode r = api.client().post(BASE + "/sub-ca/install", body, "the sub-CA " + id);
            if (output.json) {
                Text.printJson(r);
            } else {
                printImported(r);
            }
            return 0;
        }
    }
}
