package io.ocppsec.cli;

import io.ocppsec.security.firmware.ImageDigest;
import io.ocppsec.security.firmware.ImageDigests;
import io.ocppsec.security.firmware.ImageTooLargeException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code ./ocppsec firmware ...}: signed firmware (L01). Images are hashed here, as they stream from
 * disk; only their SHA-256 goes to pki-service, whose custody backend signs it (the key never
 * leaves the HSM or Vault) or checks a signature over it.
 */
@Command(name = "firmware", mixinStandardHelpOptions = true,
        description = {"Signed firmware (OCPP L01): sign an image with a firmware signing key held by pki-service, check a signed "
                + "image as a station would before sending UpdateFirmware, build the UpdateFirmware request, and manage the "
                + "manufacturer roots and signing certificates.",
                "Images are hashed locally and never uploaded: only their SHA-256 is sent."},
        subcommands = {FirmwareCommand.Sign.class, FirmwareCommand.Verify.class, FirmwareCommand.UpdateRequest.class,
                FirmwareCommand.Roots.class, FirmwareCommand.Signers.class})
final class FirmwareCommand implements Runnable {
    static final String BASE = "/api/v1/firmware";
    /** The largest image hashed here: 64 GiB. */
    static final long MAX_IMAGE = 64L << 30;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /** The SHA-256 of an image file, streamed. */
    static ImageDigest hash(Path image) {
        if (!Files.isRegularFile(image)) {
            throw new CliException("no such file: " + image);
        }
        try {
            return ImageDigests.sha256(image, MAX_IMAGE);
        } catch (ImageTooLargeException e) {
            throw new CliException(image + " is larger than 64 GiB; refused");
        } catch (IOException e) {
            throw new CliException("cannot read " + image + ": " + Text.oneLine(String.valueOf(e.getMessage())));
        }
    }

    /**
     * The signature as UpdateFirmware carries it: base64 text (surrounding whitespace trimmed, nothing
     * else changed: pki-service says whether it is valid base64), or with {@code der} the raw
     * signature bytes (what {@code openssl dgst -sign} writes) encoded here.
     */
    static String signature(Path file, boolean der) {
        byte[] b = CliFiles.read(file, 16 * 1024, "a firmware signature");
        return der ? Base64.getEncoder().encodeToString(b) : new String(b, StandardCharsets.ISO_8859_1).strip();
    }

    /** A JSON object of the given name/value pairs whose value is set (strings and integers). */
    static ObjectNode fields(Object... namesAndValues) {
        ObjectNode o = Text.JSON.createObjectNode();
        for (int i = 0; i + 1 < namesAndValues.length; i += 2) {
            Object v = namesAndValues[i + 1];
            if (v instanceof Integer n) {
                o.put((String) namesAndValues[i], n);
            } else if (v instanceof Long n) {
                o.put((String) namesAndValues[i], n);
            } else if (v != null) {
                o.put((String) namesAndValues[i], v.toString());
            }
        }
        return o;
    }

    static String certificate(Path file) {
        return new String(CliFiles.read(file, 64 * 1024, "a PEM certificate"), StandardCharsets.US_ASCII);
    }

    @Command(name = "sign", mixinStandardHelpOptions = true,
            description = {"Sign an image: its SHA-256 is computed here and signed by pki-service with a firmware signing key in "
                    + "custody. Writes UpdateFirmware's signature (base64, one line) and signingCertificate (PEM).",
                    "ecdsa (default): ECDSA P-256 with SHA-256, what stations verify in practice (EVerest's libevse-security). "
                            + "rsa-pss: RSASSA-PSS with SHA-256, as L01.FR.04 names it; only for stations known to verify PSS.",
                    "Check with openssl: base64 -d SIG > sig.der; openssl x509 -in CERT -pubkey -noout > pub.pem; "
                            + "openssl dgst -sha256 -verify pub.pem -signature sig.der IMAGE (RSA-PSS: add -sigopt rsa_padding_mode:pss)."})
    static final class Sign implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Option(names = "--image", required = true, paramLabel = "FILE", description = "The firmware image.")
        Path image;

        @Option(names = "--signature-out", required = true, paramLabel = "FILE", description = "Where to write the signature (base64).")
        Path signatureOut;

        @Option(names = "--cert-out", required = true, paramLabel = "FILE",
                description = "Where to write the signing certificate (PEM, with its intermediates, without the root).")
        Path certOut;

        @Option(names = "--alg", paramLabel = "ALG", description = "ecdsa (default) or rsa-pss.")
        String algorithm;

        @Option(names = "--signer", paramLabel = "ID", description = "The signing certificate to use (see 'firmware signers list').")
        String signer;

        @Option(names = "--force", description = "Overwrite files that exist.")
        boolean force;

        @Override
        public Integer call() {
            if (algorithm != null && !algorithm.equalsIgnoreCase("ecdsa") && !algorithm.equalsIgnoreCase("rsa-pss")) {
                throw new CliException("--alg must be ecdsa or rsa-pss");
            }
            CliFiles.checkWritable(signatureOut, force);
            CliFiles.checkWritable(certOut, force);
            ImageDigest digest = hash(image);
            ObjectNode body = fields("sha256", digest.hex(), "size", digest.size(),
                    "algorithm", algorithm == null ? null : algorithm.toLowerCase(java.util.Locale.ROOT), "signer", signer);
            JsonNode r = api.client().post(BASE + "/sign", body, "the firmware signature");
            String sig = Text.str(r, "signature");
            String cert = Text.str(r, "signingCertificate");
            if (sig == null || cert == null) {
                throw new CliException("pki-service answered without a signature or signing certificate");
            }
            CliFiles.writePublic(signatureOut, force, out -> out.write((sig + "\n").getBytes(StandardCharsets.US_ASCII)));
            CliFiles.writePem(certOut, force, cert);
            PrintStream o = System.out;
            Text.printFields(o, "image", image + " (" + digest.size() + " bytes)", "sha256", digest.hex(),
                    "algorithm", Text.str(r, "algorithm"), "signer", Text.str(r, "signerId"),
                    "signature", signatureOut + " (" + sig.length() + " base64 characters)", "certificate", certOut.toString());
            return 0;
        }
    }

    @Command(name = "verify", mixinStandardHelpOptions = true,
            description = {"Check a signed image as a station would before it installs it: the signing certificate chains to a "
                    + "trusted manufacturer root, is valid, is a code-signing certificate, is not revoked; then the signature "
                    + "over the whole image's SHA-256.",
                    "Prints the outcome in OCPP's terms (Valid, InvalidCertificate, RevokedCertificate, InvalidSignature). "
                            + "Exit status 0 only when Valid, 1 when not, 2 when the check could not be made."})
    static final class Verify implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Mixin
        JsonOption output;

        @ArgGroup(exclusive = true, multiplicity = "1")
        Source source;

        static final class Source {
            @Option(names = "--image", paramLabel = "FILE", description = "The image (hashed here).")
            Path image;

            @Option(names = "--url", paramLabel = "URL",
                    description = "Fetch the image there (pki-service fetches it; its host must be on ocppsec.firmware.allowed-hosts).")
            String url;

            @Option(names = "--sha256", paramLabel = "HEX", description = "The image's SHA-256.")
            String sha256;
        }

        @Option(names = "--signature", required = true, paramLabel = "FILE", description = "The signature: base64 as UpdateFirmware carries it.")
        Path signature;

        @Option(names = "--signature-der", description = "The signature file holds raw signature bytes (openssl dgst -sign output).")
        boolean der;

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The signing certificate (PEM, intermediates may follow).")
        Path cert;

        @Override
        public Integer call() {
            ObjectNode body = Text.JSON.createObjectNode()
                    .put("signature", signature(signature, der))
                    .put("signingCertificate", certificate(cert));
            ImageDigest digest = null;
            if (source.image != null) {
                digest = hash(source.image);
                body.put("sha256", digest.hex());
            } else if (source.url != null) {
                body.put("location", source.url);
            } else {
                body.put("sha256", source.sha256.trim());
            }
            JsonNode r = api.client().post(BASE + "/verify", body, "the firmware check", Duration.ofMinutes(30));
            boolean valid = r.path("valid").asBoolean(false);
            if (output.json) {
                Text.printJson(r);
            } else {
                PrintStream o = System.out;
                o.println(Text.str(r, "outcome"));
                Text.printFields(o, "reason", Text.str(r, "reason"), "detail", Text.str(r, "message"),
                        "revocation", Text.str(r, "revocation"), "sha256", Text.str(r, "sha256"),
                        "image", source.image != null ? source.image + " (" + digest.size() + " bytes)" : source.url);
                JsonNode path = r.path("path");
                for (int i = 0; i < path.size(); i++) {
                    o.println((i == 0 ? "  path         " : "               ") + Text.scalar(path.get(i)));
                }
            }
            return valid ? 0 : CliException.REFUSED;
        }
    }

    @Command(name = "update-request", mixinStandardHelpOptions = true,
            description = {"Build the UpdateFirmware request a CSMS sends (OCPP 2.0.1 or 2.1, every field), after checking the "
                    + "signature and signing certificate over the image: refused when the station would reject it.",
                    "Prints the request's JSON payload."})
    static final class UpdateRequest implements Callable<Integer> {
        @Mixin
        ApiOptions api;

        @Option(names = "--location", required = true, paramLabel = "URL", description = "Where the station downloads the image.")
        String location;

        @Option(names = "--signature", required = true, paramLabel = "FILE", description = "The signature (base64).")
        Path signature;

        @Option(names = "--signature-der", description = "The signature file holds raw signature bytes.")
        boolean der;

        @Option(names = "--cert", required = true, paramLabel = "FILE", description = "The signing certificate (PEM).")
        Path cert;

        @Option(names = "--image", paramLabel = "FILE", description = "The image, to check the signature over (else pki-service fetches --location).")
        Path image;

        @Option(names = "--ocpp", paramLabel = "VERSION", defaultValue = "2.0.1", description = "2.0.1 (default) or 2.1.")
        String ocppVersion;

        @Option(names = "--request-id", paramLabel = "N", description = "requestId (default: a random one).")
        Integer requestId;

        @Option(names = "--retries", paramLabel = "N", description = "How often the station retries the download.")
        Integer retries;

        @Option(names = "--retry-interval", paramLabel = "SECONDS", description = "Seconds between retries.")
        Integer retryInterval;

        @Option(names = "--retrieve-at", paramLabel = "TIME", description = "retrieveDateTime, RFC 3339 (default: now).")
        String retrieveAt;

        @Option(names = "--install-at", paramLabel = "TIME", description = "installDateTime, RFC 3339.")
        String installAt;

        @Option(names = "--no-validate", description = "Build it without checking the signature (not recommended).")
        boolean noValidate;

        @Override
        public Integer call() {
            ObjectNode body = fields("ocppVersion", ocppVersion, "location", location, "signature", signature(signature, der),
                    "signingCertificate", certificate(cert), "requestId", requestId, "retries", retries,
                    "retryInterval", retryInterval, "retrieveDateTime", retrieveAt, "installDateTime", installAt,
                    "sha256", image == null ? null : hash(image).hex());
            body.put("validate", !noValidate);
            JsonNode r = api.client().post(BASE + "/update-firmware", body, "the UpdateFirmware request", Duration.ofMinutes(30));
            Text.printJson(r.path("request"));
            return 0;
        }
    }

    @Command(name = "roots", mixinStandardHelpOptions = true,
            description = "The manufacturer roots firmware is checked against (stations hold them as ManufacturerRootCertificate).",
            subcommands = {Roots.Add.class, Roots.ListRoots.class, Roots.Remove.class, Roots.Generate.class})
    static final class Roots implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }

        static void print(PrintStream o, JsonNode r) {
            o.println(Text.cell(r, "subject") + (r.path("developmentKey").asBoolean(false) ? "  (development)" : "")
                    + (r.path("hasKey").asBoolean(false) ? "  (key in custody)" : ""));
            o.println("  id         " + Text.cell(r, "id"));
            o.println("  sha256     " + Text.cell(r, "sha256Fingerprint"));
            o.println("  not after  " + Text.time(r, "notAfter"));
        }

        @Command(name = "add", mixinStandardHelpOptions = true, description = "Trust a manufacturer root (PEM, one self-signed CA certificate).")
        static final class Add implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Parameters(paramLabel = "FILE", description = "The root certificate (PEM).")
            Path file;

            @Override
            public Integer call() {
                JsonNode r = api.client().post(BASE + "/roots", Text.JSON.createObjectNode().put("certificate", certificate(file)),
                        "the manufacturer root");
                System.out.println("trusted:");
                print(System.out, r);
                return 0;
            }
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List the trusted manufacturer roots.")
        static final class ListRoots implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Mixin
            JsonOption output;

            @Option(names = "--pem", description = "Print them as one PEM bundle (to install on stations).")
            boolean pem;

            @Override
            public Integer call() {
                JsonNode roots = api.client().get(BASE + "/roots", "the manufacturer roots");
                if (output.json) {
                    Text.printJson(roots);
                    return 0;
                }
                if (roots.isEmpty()) {
                    System.out.println("no manufacturer root is trusted (see 'firmware roots add' and 'firmware roots generate')");
                    return 0;
                }
                for (JsonNode r : roots) {
                    if (pem) {
                        System.out.print(Text.str(r, "certificate"));
                    } else {
                        print(System.out, r);
                    }
                }
                return 0;
            }
        }

        @Command(name = "remove", mixinStandardHelpOptions = true,
                description = "Stop trusting a manufacturer root (its signing certificates are retired too).")
        static final class Remove implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Parameters(paramLabel = "SHA256", description = "The root's SHA-256 fingerprint (hex, ':' optional).")
            String fingerprint;

            @Override
            public Integer call() {
                api.client().delete(BASE + "/roots/" + ApiClient.segment(fingerprint, "fingerprint"), "the manufacturer root");
                System.out.println("no longer trusted: " + fingerprint);
                return 0;
            }
        }

        @Command(name = "generate", mixinStandardHelpOptions = true,
                description = "Create a manufacturer root whose key stays in the custody backend, to issue signing certificates under.")
        static final class Generate implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Option(names = "--cn", paramLabel = "NAME", description = "Common name (default: Manufacturer Root CA).")
            String commonName;

            @Option(names = "--org", paramLabel = "NAME", description = "Organization.")
            String organization;

            @Option(names = "--key", paramLabel = "TYPE", description = "ec-p384 (default), ec-p256, rsa-3072, rsa-4096.")
            String key;

            @Override
            public Integer call() {
                JsonNode r = api.client().post(BASE + "/roots/generate",
                        fields("commonName", commonName, "organization", organization, "keyAlgorithm", key), "the manufacturer root");
                System.out.println("created:");
                print(System.out, r);
                return 0;
            }
        }
    }

    @Command(name = "signers", mixinStandardHelpOptions = true,
            description = "The firmware signing certificates whose keys are in the custody backend.",
            subcommands = {Signers.ListSigners.class, Signers.Create.class, Signers.Import.class, Signers.Retire.class})
    static final class Signers implements Runnable {
        @picocli.CommandLine.Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(System.out);
        }

        static void print(PrintStream o, JsonNode r) {
            o.println(Text.cell(r, "subject"));
            o.println("  id         " + Text.cell(r, "id"));
            o.println("  algorithm  " + Text.cell(r, "algorithm") + " (" + Text.cell(r, "keyAlgorithm") + ")");
            o.println("  serial     " + Text.cell(r, "serial") + "  " + Text.cell(r, "status"));
            o.println("  not after  " + Text.time(r, "notAfter"));
        }

        @Command(name = "list", mixinStandardHelpOptions = true, description = "List the firmware signing certificates.")
        static final class ListSigners implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Mixin
            JsonOption output;

            @Override
            public Integer call() {
                JsonNode signers = api.client().get(BASE + "/signers", "the firmware signing certificates");
                if (output.json) {
                    Text.printJson(signers);
                } else if (signers.isEmpty()) {
                    System.out.println("no firmware signing certificate (see 'firmware signers create')");
                } else {
                    signers.forEach(s -> print(System.out, s));
                }
                return 0;
            }
        }

        @Command(name = "create", mixinStandardHelpOptions = true,
                description = "Issue a firmware signing certificate with a new key in custody, under a manufacturer root we hold the key of.")
        static final class Create implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Option(names = "--key", paramLabel = "TYPE", description = "ec-p256 (default), ec-p384, rsa-2048, rsa-3072, rsa-4096.")
            String key;

            @Option(names = "--cn", paramLabel = "NAME", description = "Common name.")
            String commonName;

            @Option(names = "--org", paramLabel = "NAME", description = "Organization.")
            String organization;

            @Option(names = "--root", paramLabel = "ID", description = "The manufacturer root's id (default: the newest with a key).")
            String root;

            @Override
            public Integer call() {
                JsonNode r = api.client().post(BASE + "/signers", fields("keyAlgorithm", key, "commonName", commonName,
                        "organization", organization, "rootId", root), "the firmware signing certificate");
                System.out.println("created:");
                print(System.out, r);
                return 0;
            }
        }

        @Command(name = "import", mixinStandardHelpOptions = true,
                description = "Use a key already in the custody backend (made with the HSM's tools) with its certificate.")
        static final class Import implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Option(names = "--key-label", required = true, paramLabel = "LABEL", description = "The key's label in the backend.")
            String keyLabel;

            @Option(names = "--cert", required = true, paramLabel = "FILE", description = "Its certificate (PEM; intermediates may follow).")
            Path cert;

            @Override
            public Integer call() {
                JsonNode r = api.client().post(BASE + "/signers/import", Text.JSON.createObjectNode().put("keyLabel", keyLabel)
                        .put("certificate", certificate(cert)), "the firmware signing certificate");
                System.out.println("imported:");
                print(System.out, r);
                return 0;
            }
        }

        @Command(name = "retire", mixinStandardHelpOptions = true,
                description = "Stop signing with a signing certificate (revoke it with 'cert revoke SERIAL' to stop stations trusting it).")
        static final class Retire implements Callable<Integer> {
            @Mixin
            ApiOptions api;

            @Parameters(paramLabel = "ID", description = "The signing certificate's id.")
            String id;

            @Override
            public Integer call() {
                api.client().delete(BASE + "/signers/" + ApiClient.segment(id, "id"), "the firmware signing certificate");
                System.out.println("retired: " + id);
                return 0;
            }
        }
    }
}
