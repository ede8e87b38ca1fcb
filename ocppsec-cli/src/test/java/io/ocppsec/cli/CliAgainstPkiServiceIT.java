package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import java.io.StringReader;
import java.math.BigInteger;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The CLI against the real pki-service (its packaged jar, run as a process on a free port). */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CliAgainstPkiServiceIT {
    @TempDir
    static Path dir;
    static Process pki;
    static String api;

    @BeforeAll
    static void startPkiService() throws Exception {
        Path jar = Path.of(System.getProperty("ocppsec.pki.jar", "../pki-service/target/pki-service.jar"));
        assumeTrue(Files.isRegularFile(jar), "pki-service is not built (" + jar + "): CLI end-to-end test skipped");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        api = "http://127.0.0.1:" + port;
        pki = new ProcessBuilder(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx384m", "-jar",
                jar.toString(), "--ocppsec.data-dir=" + dir.resolve("data"), "--server.port=" + port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("pki.log").toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(HttpRequest.newBuilder(URI.create(api + "/actuator/health")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException starting) {
                // not yet
            }
            assertThat(pki.isAlive()).as("pki-service exited; see " + dir.resolve("pki.log")).isTrue();
            Thread.sleep(200);
        }
        throw new AssertionError("pki-service did not start");
    }

    @AfterAll
    static void stop() throws Exception {
        if (pki != null) {
            pki.destroy();
            pki.waitFor(20, TimeUnit.SECONDS);
            pki.destroyForcibly();
        }
    }

    record Run(int code, String out, String err) {
    }

    static Run ocppsec(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        // the EV stand-in's init and open work on local files only: no API options
        boolean local = args.length >= 3 && args[0].equals("pnc") && args[1].equals("ev") && !args[2].equals("request");
        if (!List.of(args).contains("--help") && !local) {
            all.add("--api=" + api);
            all.add("--token-file=" + dir.resolve("data/admin-token"));
        }
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = Main.commandLine();
            cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
            int code = cl.execute(all.toArray(String[]::new));
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(old);
        }
    }

    static String csr(String subject) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        byte[] der = new JcaPKCS10CertificationRequestBuilder(new X500Name(subject), kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())).getEncoded();
        return "-----BEGIN CERTIFICATE REQUEST-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END CERTIFICATE REQUEST-----\n";
    }

    @Test
    @Order(1)
    void anOperatorEnrollsAStationEndToEnd() throws Exception {
        Run add = ocppsec("station", "add", "CP-E2E", "--serial", "SN-E2E", "--profile", "3");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).contains("GENERATED PASSWORD");

        Path csr = Files.writeString(dir.resolve("cp.csr"), csr("CN=SN-E2E,O=ocppsec development CPO"));
        Path chain = dir.resolve("cp-chain.pem");
        Run sign = ocppsec("cert", "sign", "--station", "CP-E2E", "--csr", csr.toString(), "--out", chain.toString());
        assertThat(sign.code()).as(sign.err()).isZero();
        assertThat(Files.readString(chain).split("-----BEGIN CERTIFICATE-----")).hasSize(3); // leaf + station CA

        Run list = ocppsec("cert", "list", "--station", "CP-E2E");
        assertThat(list.code()).isZero();
        assertThat(list.out()).contains("ChargingStationCertificate");

        Run status = ocppsec("ca", "status");
        assertThat(status.code()).isZero();
        assertThat(status.out()).contains("CSMS_ROOT", "STATION_CA", "keystore", "ca.p12");

        Path roots = dir.resolve("roots.pem");
        assertThat(ocppsec("ca", "chain", "--out", roots.toString()).code()).isZero();
        assertThat(Files.readString(roots)).startsWith("-----BEGIN CERTIFICATE-----");

        assertThat(ocppsec("audit", "verify").code()).isZero();

        Run again = ocppsec("station", "add", "CP-E2E", "--serial", "SN-E2E", "--profile", "3");
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("STATION_EXISTS");
        String token = Files.readString(dir.resolve("data/admin-token")).trim();
        assertThat(add.out() + add.err() + again.err() + status.out()).doesNotContain(token);
    }

    /** Plug & Charge (issue 6): the development V2G and MO roots, and a contract added, listed and cancelled. */
    @Test
    @Order(0)
    void plugAndChargeRootsAndContractsThroughTheCli() throws Exception {
        Path out = dir.resolve("pnc-roots");
        Run roots = ocppsec("pnc", "roots", "--out", out.toString());
        assertThat(roots.code()).as(roots.err()).isZero();
        for (String f : List.of("v2g-roots.pem", "mo-roots.pem")) {
            X509Certificate root = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(Files.newInputStream(out.resolve(f)));
            root.verify(root.getPublicKey());
            assertThat(root.getSubjectX500Principal().getName()).contains("(development)");
        }
        Run add = ocppsec("pnc", "contract", "add", "--pcid", "WMIV1234567890ABCD", "--emaid", "DE-ABC-C123ABC56");
        assertThat(add.code()).as(add.err()).isZero();
        Run list = ocppsec("pnc", "contract", "list");
        assertThat(list.out()).contains("DE-ABC-C123ABC56", "WMIV1234567890ABCD", "ACTIVE", "Accepted");
        Run bad = ocppsec("pnc", "contract", "add", "--pcid", "short", "--emaid", "DE-ABC-C123ABC57");
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("BAD_PCID");
        Run cancel = ocppsec("pnc", "contract", "cancel", "DEABCC123ABC56", "--token-status", "Blocked");
        assertThat(cancel.code()).as(cancel.err()).isZero();
        assertThat(ocppsec("pnc", "contract", "list", "--pcid", "WMIV1234567890ABCD").out()).contains("CANCELLED", "Blocked");
        Run oem = ocppsec("pnc", "oem-root", "list");
        assertThat(oem.out()).contains("OEM Root CA (development) [dev]");
    }

    static int openssl(Path cwd, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true)
                .redirectOutput(cwd.resolve("openssl.log").toFile()).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    /**
     * Signed firmware (issue 7, L01) as docs/cli.md shows it: sign an image, openssl verifies our
     * signature, we verify it (exit 0), a tampered image is InvalidSignature (exit 1), a signature that
     * is not base64 likewise, an openssl-made signature verifies once its manufacturer root is trusted,
     * and the UpdateFirmware request is built.
     */
    @Test
    @Order(5)
    void signedFirmwareThroughTheCli_L01() throws Exception {
        Path fw = Files.createDirectories(dir.resolve("fw"));
        byte[] bytes = new byte[3_000_000];
        new java.util.Random(7).nextBytes(bytes);
        Path image = Files.write(fw.resolve("charger-1.2.3.bin"), bytes);
        Run sign = ocppsec("firmware", "sign", "--image", image.toString(), "--signature-out", fw.resolve("fw.sig").toString(),
                "--cert-out", fw.resolve("fw.crt").toString());
        assertThat(sign.code()).as(sign.err()).isZero();
        assertThat(sign.out()).contains("ecdsa", "3000000 bytes");

        boolean haveOpenssl = openssl(fw, "version") == 0;
        if (haveOpenssl) {
            Files.write(fw.resolve("fw.der"), Base64.getDecoder().decode(Files.readString(fw.resolve("fw.sig")).strip()));
            assertThat(openssl(fw, "x509", "-in", "fw.crt", "-pubkey", "-noout", "-out", "fw.pub")).isZero();
            assertThat(openssl(fw, "dgst", "-sha256", "-verify", "fw.pub", "-signature", "fw.der", "charger-1.2.3.bin"))
                    .as(Files.readString(fw.resolve("openssl.log"))).isZero();
        }

        Run ok = ocppsec("firmware", "verify", "--image", image.toString(), "--signature", fw.resolve("fw.sig").toString(),
                "--cert", fw.resolve("fw.crt").toString());
        assertThat(ok.code()).as(ok.out() + ok.err()).isZero();
        assertThat(ok.out()).startsWith("Valid");

        bytes[bytes.length - 1] ^= 1;
        Path tampered = Files.write(fw.resolve("tampered.bin"), bytes);
        Run bad = ocppsec("firmware", "verify", "--image", tampered.toString(), "--signature", fw.resolve("fw.sig").toString(),
                "--cert", fw.resolve("fw.crt").toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.out()).startsWith("InvalidSignature").contains("SIGNATURE_MISMATCH");

        Path junk = Files.writeString(fw.resolve("junk.sig"), "this is not base64!\n");
        Run notBase64 = ocppsec("firmware", "verify", "--image", image.toString(), "--signature", junk.toString(),
                "--cert", fw.resolve("fw.crt").toString());
        assertThat(notBase64.code()).isEqualTo(1);
        assertThat(notBase64.out()).contains("SIGNATURE_NOT_BASE64");

        Run rsa = ocppsec("firmware", "sign", "--image", image.toString(), "--alg", "rsa-pss", "--signature-out",
                fw.resolve("rsa.sig").toString(), "--cert-out", fw.resolve("rsa.crt").toString());
        assertThat(rsa.code()).as(rsa.err()).isZero();
        assertThat(rsa.out()).contains("rsa-pss");

        if (haveOpenssl) {
            // a manufacturer's own PKI and signature, made with openssl alone
            Files.writeString(fw.resolve("ca.cnf"), "[v3ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign\n"
                    + "[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=codeSigning\n"
                    + "[req]\ndistinguished_name=dn\n[dn]\n");
            assertThat(openssl(fw, "ecparam", "-name", "secp384r1", "-genkey", "-noout", "-out", "m-root.key")).isZero();
            assertThat(openssl(fw, "req", "-x509", "-new", "-key", "m-root.key", "-subj", "/O=Maker/CN=Maker Root", "-days", "3650",
                    "-config", "ca.cnf", "-extensions", "v3ca", "-out", "m-root.crt")).isZero();
            assertThat(openssl(fw, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "m-signer.key")).isZero();
            assertThat(openssl(fw, "req", "-new", "-key", "m-signer.key", "-subj", "/O=Maker/CN=Maker Firmware", "-out", "m.csr")).isZero();
            assertThat(openssl(fw, "x509", "-req", "-in", "m.csr", "-CA", "m-root.crt", "-CAkey", "m-root.key", "-CAcreateserial",
                    "-days", "30", "-extfile", "ca.cnf", "-extensions", "v3", "-out", "m-signer.crt")).isZero();
            assertThat(openssl(fw, "dgst", "-sha256", "-sign", "m-signer.key", "-out", "m.der", "charger-1.2.3.bin")).isZero();
            Run untrusted = ocppsec("firmware", "verify", "--image", image.toString(), "--signature", fw.resolve("m.der").toString(),
                    "--signature-der", "--cert", fw.resolve("m-signer.crt").toString());
            assertThat(untrusted.code()).isEqualTo(1);
            assertThat(untrusted.out()).startsWith("InvalidCertificate");
            Run add = ocppsec("firmware", "roots", "add", fw.resolve("m-root.crt").toString());
            assertThat(add.code()).as(add.err()).isZero();
            Run trusted = ocppsec("firmware", "verify", "--image", image.toString(), "--signature", fw.resolve("m.der").toString(),
                    "--signature-der", "--cert", fw.resolve("m-signer.crt").toString());
            // charger-1.2.3.bin still holds the original bytes (only tampered.bin was changed)
            assertThat(trusted.code()).as(trusted.out() + trusted.err()).isZero();
        }

        Run request = ocppsec("firmware", "update-request", "--location", "https://fw.example.com/charger-1.2.3.bin",
                "--signature", fw.resolve("fw.sig").toString(), "--cert", fw.resolve("fw.crt").toString(), "--image", image.toString(),
                "--ocpp", "2.1", "--request-id", "17", "--retries", "2");
        assertThat(request.code()).as(request.err()).isZero();
        assertThat(request.out()).contains("\"requestId\" : 17", "\"retries\" : 2", "signingCertificate");
        Run refused = ocppsec("firmware", "update-request", "--location", "https://fw.example.com/charger-1.2.3.bin",
                "--signature", fw.resolve("fw.sig").toString(), "--cert", fw.resolve("fw.crt").toString(), "--image", tampered.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err()).contains("FIRMWARE_INVALID_SIGNATURE");

        Run roots = ocppsec("firmware", "roots", "list");
        assertThat(roots.out()).contains("Manufacturer Root CA (development)");
        if (haveOpenssl) {
            assertThat(roots.out()).contains("Maker Root");
        }
        Run signers = ocppsec("firmware", "signers", "list");
        assertThat(signers.out()).contains("Firmware Signing ECDSA (development)", "Firmware Signing RSA-PSS (development)");
    }

    /**
     * The Plug & Charge demo of docs/cli.md, command by command (issue 6): an EV stand-in gets a contract
     * through Get15118EVCertificate Install, decrypts its key [V2G2-823], authorizes with it (C07), and
     * renews it through Update.
     */
    @Test
    @Order(4)
    void plugAndChargeDemo_evInstallOpenAuthorizeUpdate_M02_C07() throws Exception {
        Path ev = dir.resolve("ev");
        Run init = ocppsec("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", "WMIDEMO0000000001");
        assertThat(init.code()).as(init.err()).isZero();
        Run oem = ocppsec("pnc", "oem-root", "add", ev.resolve("oem-root.pem").toString());
        assertThat(oem.code()).as(oem.err()).isZero();
        assertThat(oem.out()).contains("trusted OEM root", "trusted OEM sub-CA");
        Run contract = ocppsec("pnc", "contract", "add", "--pcid", "WMIDEMO0000000001", "--emaid", "DE-ABC-C00000042");
        assertThat(contract.code()).as(contract.err()).isZero();

        Path req = ev.resolve("install-req.b64");
        Run request = ocppsec("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString());
        assertThat(request.code()).as(request.err()).isZero();
        Path res = ev.resolve("install-res.b64");
        Run install = ocppsec("pnc", "install", "--request", req.toString(), "--out", res.toString(), "--station", "CS-PNC-DEMO");
        assertThat(install.code()).as(install.out() + install.err()).isZero();
        assertThat(install.out()).contains("status: Accepted");
        assertThat(Files.readString(res).strip().length()).as("fits OCPP 2.0.1").isLessThanOrEqualTo(5600);

        Run open = ocppsec("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(open.code()).as(open.out() + open.err()).isZero();
        assertThat(open.out()).contains("ResponseCode OK", "verified", "contract key decrypted", "DE-ABC-C00000042");
        X509Certificate first = io.ocppsec.security.cert.PemCertificates.read(Files.readString(ev.resolve("contract-chain.pem"))).get(0);

        Run authorize = ocppsec("pnc", "authorize", "--emaid", "DE-ABC-C00000042", "--certificate",
                ev.resolve("contract-chain.pem").toString());
        assertThat(authorize.code()).as(authorize.out() + authorize.err()).isZero();
        assertThat(authorize.out()).contains("idTokenInfo.status: Accepted", "certificateStatus:  Accepted");

        Path ureq = ev.resolve("update-req.b64");
        Run urequest = ocppsec("pnc", "ev", "request", "--dir", ev.toString(), "--update", "--out", ureq.toString());
        assertThat(urequest.code()).as(urequest.err()).isZero();
        Path ures = ev.resolve("update-res.b64");
        Run update = ocppsec("pnc", "update", "--request", ureq.toString(), "--out", ures.toString());
        assertThat(update.code()).as(update.out() + update.err()).isZero();
        Run uopen = ocppsec("pnc", "ev", "open", "--dir", ev.toString(), "--response", ures.toString());
        assertThat(uopen.code()).as(uopen.out() + uopen.err()).isZero();
        X509Certificate second = io.ocppsec.security.cert.PemCertificates.read(Files.readString(ev.resolve("contract-chain.pem"))).get(0);
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());

        // cancelled: Authorize says so (C07.FR.13) and the next Install is refused with the EXI answer inside
        assertThat(ocppsec("pnc", "contract", "cancel", "DE-ABC-C00000042", "--token-status", "Blocked").code()).isZero();
        Run refused = ocppsec("pnc", "authorize", "--emaid", "DE-ABC-C00000042", "--certificate",
                ev.resolve("contract-chain.pem").toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("Blocked", "ContractCancelled");
        Path req2 = ev.resolve("install-req-2.b64");
        assertThat(ocppsec("pnc", "ev", "request", "--dir", ev.toString(), "--out", req2.toString()).code()).isZero();
        Path res2 = ev.resolve("install-res-2.b64");
        Run again = ocppsec("pnc", "install", "--request", req2.toString(), "--out", res2.toString());
        assertThat(again.code()).isEqualTo(1);
        assertThat(again.out()).contains("status: Failed", "ContractCanceled");
        Run open2 = ocppsec("pnc", "ev", "open", "--dir", ev.toString(), "--response", res2.toString());
        assertThat(open2.code()).isEqualTo(1);
        assertThat(open2.out()).contains("FAILED_ContractCanceled");
    }

    /**
     * ISO 15118-20 (OCPP 2.1 M01) with the CLI as the EV, against the -20 edition of the development PKI: a secp521r1
     * EV (ECDHCurve SECP521) and an Ed448 EV whose provisioning certificate carries an X448 key (ECDHCurve X448), under a
     * secp521r1 OEM PKI, and the Ed448 EV once more under an OEM PKI wholly on Ed448 (imported without a key,
     * [V2G20-2319]); each trusted, given a contract, requesting, installed through Get15118EVCertificate and opening its
     * contract key.
     */
    @Test
    @Order(6)
    void plugAndChargeDemoIso15118_20_secp521r1AndEd448_M01() throws Exception {
        for (String variant : List.of("secp521r1", "ed448", "ed448-oem")) {
            String key = variant.startsWith("ed448") ? "ed448" : "secp521r1";
            String pcid = switch (variant) {
                case "ed448" -> "WMIDEMO000000ED448";
                case "ed448-oem" -> "WMIDEMO0000OEM0448";
                default -> "WMIDEMO000000P5210";
            };
            String emaid = switch (variant) {
                case "ed448" -> "DE-ABC-C00002048";
                case "ed448-oem" -> "DE-ABC-C00002049";
                default -> "DE-ABC-C00002021";
            };
            Path ev = dir.resolve("ev20-" + variant);
            Run init = ocppsec("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", pcid, "--edition", "20", "--key", key,
                    "--oem-key", variant.equals("ed448-oem") ? "ed448" : "secp521r1");
            assertThat(init.code()).as(init.err()).isZero();
            Run oem = ocppsec("pnc", "oem-root", "add", ev.resolve("oem-root.pem").toString());
            assertThat(oem.code()).as(oem.out() + oem.err()).isZero();
            assertThat(ocppsec("pnc", "contract", "add", "--pcid", pcid, "--emaid", emaid).code()).isZero();

            Path req = ev.resolve("install-req.b64");
            Run request = ocppsec("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString(), "--emaid", emaid);
            assertThat(request.code()).as(request.err()).isZero();
            assertThat(request.out()).contains("ISO 15118-20", key.equals("ed448") ? "Ed448" : "ecdsa-sha512");
            Path res = ev.resolve("install-res.b64");
            Run install = ocppsec("pnc", "install", "--ocpp", "2.1", "--schema", "urn:iso:std:iso:15118:-20:CommonMessages",
                    "--request", req.toString(), "--out", res.toString(), "--station", "CS-PNC-20", "--max-chains", "1");
            assertThat(install.code()).as(install.out() + install.err()).isZero();
            assertThat(install.out()).contains("status: Accepted", "remainingContracts: 0");

            Run open = ocppsec("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
            assertThat(open.code()).as(open.out() + open.err()).isZero();
            assertThat(open.out()).contains("ResponseCode OK", "verified", "contract key decrypted", "eMAID:      " + emaid,
                    "ECDHCurve:  " + (key.equals("ed448") ? "X448" : "SECP521"), "RemainingContractCertificateChains: 0");
            X509Certificate leaf = io.ocppsec.security.cert.PemCertificates.read(Files.readString(ev.resolve("contract-chain.pem"))).get(0);
            PncEv.requireKeyOf(PncEv20.readKey(ev.resolve("contract.key")), leaf, ev.resolve("contract.key"),
                    ev.resolve("contract-chain.pem"));

            Run authorize = ocppsec("pnc", "authorize", "--ocpp", "2.1", "--emaid", emaid, "--certificate",
                    ev.resolve("contract-chain.pem").toString());
            assertThat(authorize.code()).as(authorize.out() + authorize.err()).isZero();
        }
    }

    private static final org.bouncycastle.jce.provider.BouncyCastleProvider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    /** Runs after the enrollment test: the installed sub-CA issues from then on. */
    @Test
    @Order(2)
    void anOfflineRootSignsASubCaRequestedThroughTheCli() throws Exception {
        Path csrFile = dir.resolve("sub-ca.csr");
        Run request = ocppsec("ca", "request-sub-ca", "--subject", "CN=E2E Station CA,O=ocppsec development CPO",
                "--out", csrFile.toString());
        assertThat(request.code()).as(request.err()).isZero();
        Matcher id = Pattern.compile("(?m)^id (\\S+)").matcher(request.out());
        assertThat(id.find()).as(request.out()).isTrue();

        // The file is a CSR an offline root can use: PEM, signed by the key it carries.
        PKCS10CertificationRequest csr;
        try (PEMParser p = new PEMParser(new StringReader(Files.readString(csrFile)))) {
            Object read = p.readObject();
            assertThat(read).as("the CSR file holds a PEM certificate request:%n%s", Files.readString(csrFile))
                    .isInstanceOf(PKCS10CertificationRequest.class);
            csr = (PKCS10CertificationRequest) read;
        }
        assertThat(csr.isSignatureValid(new JcaContentVerifierProviderBuilder().setProvider(BC).build(csr.getSubjectPublicKeyInfo()))).isTrue();
        assertThat(csr.getSubject().toString()).contains("CN=E2E Station CA");

        // The offline root signs it.
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        KeyPair rootKeys = g.generateKeyPair();
        X500Name rootName = new X500Name("CN=E2E Offline Root,O=ocppsec development CPO");
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        Instant now = Instant.now();
        X509Certificate root = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(rootName,
                BigInteger.valueOf(1), Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(3650))),
                rootName, rootKeys.getPublic())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(1))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(rootKeys.getPublic()))
                .build(new JcaContentSignerBuilder("SHA384withECDSA").build(rootKeys.getPrivate())));
        X509Certificate subCa = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                root, BigInteger.valueOf(2),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(1825))), csr.getSubject(),
                new JcaPKCS10CertificationRequest(csr).setProvider(BC).getPublicKey())
                .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(root))
                .build(new JcaContentSignerBuilder("SHA384withECDSA").build(rootKeys.getPrivate())));
        Path chainFile = dir.resolve("sub-ca-chain.pem");
        Files.writeString(chainFile, pem(subCa) + pem(root));

        Run install = ocppsec("ca", "install-sub-ca", "--id", id.group(1), "--chain", chainFile.toString());
        assertThat(install.code()).as(install.err()).isZero();

        // A station certificate now comes from the new sub-CA.
        assertThat(ocppsec("station", "add", "CP-SUB", "--serial", "SN-SUB", "--profile", "3").code()).isZero();
        Path stationCsr = Files.writeString(dir.resolve("cp-sub.csr"), csr("CN=SN-SUB,O=ocppsec development CPO"));
        Path chain = dir.resolve("cp-sub-chain.pem");
        Run sign = ocppsec("cert", "sign", "--station", "CP-SUB", "--csr", stationCsr.toString(), "--out", chain.toString());
        assertThat(sign.code()).as(sign.err()).isZero();
        X509Certificate leaf = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(Files.newInputStream(chain));
        assertThat(leaf.getIssuerX500Principal()).isEqualTo(subCa.getSubjectX500Principal());
        leaf.verify(subCa.getPublicKey());
    }

    /**
     * The terminator side end to end: a terminator token, a station with its OCPP versions, a
     * session reported by a (stand-in) terminator, a call and a password rotation sent through it,
     * and the security events it reported.
     */
    @Test
    @Order(3)
    void anOperatorReachesAStationThroughTheTerminator() throws Exception {
        Run token = ocppsec("token", "create", "--name", "terminator-e2e", "--role", "terminator", "--json");
        assertThat(token.code()).as(token.err()).isZero();
        String terminatorToken = Text.JSON.readTree(token.out()).get("token").asString();

        Run add = ocppsec("station", "add", "CP-TERM", "--serial", "SN-TERM", "--profile", "2", "--ocpp-versions",
                "ocpp2.0.1", "--allow-expired-client-certificate");
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(add.out()).containsPattern("OCPP versions +ocpp2.0.1").containsPattern("expired client cert +accepted");
        assertThat(ocppsec("station", "session", "CP-TERM").out()).contains("is not connected");
        Run offline = ocppsec("station", "call", "CP-TERM", "TriggerMessage", "--payload", "{\"requestedMessage\":\"Heartbeat\"}");
        assertThat(offline.code()).isEqualTo(1);
        assertThat(offline.err()).contains("STATION_OFFLINE");

        String controlToken = "control-" + java.util.UUID.randomUUID() + java.util.UUID.randomUUID();
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer terminator = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        terminator.createContext("/control/v1/stations/CP-TERM/calls", ex -> {
            try (ex) {
                String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                seen.add(body);
                boolean authorized = ("Bearer " + controlToken).equals(ex.getRequestHeaders().getFirst("Authorization"));
                String answer = body.contains("SetVariables")
                        ? "{\"messageId\":\"m2\",\"result\":\"CALLRESULT\",\"payload\":{\"setVariableResult\":[{"
                        + "\"attributeStatus\":\"Accepted\",\"component\":{\"name\":\"SecurityCtrlr\"},"
                        + "\"variable\":{\"name\":\"BasicAuthPassword\"}}]}}"
                        : "{\"messageId\":\"m1\",\"result\":\"CALLRESULT\",\"payload\":{\"status\":\"Accepted\"}}";
                byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(authorized ? 200 : 401, authorized ? bytes.length : -1);
                if (authorized) {
                    ex.getResponseBody().write(bytes);
                }
            }
        });
        terminator.start();
        try {
            HttpClient http = HttpClient.newHttpClient();
            java.util.function.BiFunction<String, String, Integer> put = (path, json) -> {
                try {
                    return http.send(HttpRequest.newBuilder(URI.create(api + path)).header("Authorization", "Bearer " + terminatorToken)
                            .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
                            HttpResponse.BodyHandlers.ofString()).statusCode();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
            assertThat(put.apply("/api/v1/terminator/instances/term-e2e", "{\"controlUrl\":\"http://127.0.0.1:"
                    + terminator.getAddress().getPort() + "\",\"controlToken\":\"" + controlToken + "\"}")).isEqualTo(204);
            assertThat(put.apply("/api/v1/terminator/sessions/cp-term", "{\"terminatorId\":\"term-e2e\",\"securityProfile\":2,"
                    + "\"subprotocol\":\"ocpp2.0.1\",\"clientCertificateSha256\":null,\"remoteAddress\":\"127.0.0.1:5\"}"))
                    .isEqualTo(204);
            assertThat(ocppsec("station", "session", "CP-TERM").out()).containsPattern("terminator +term-e2e");

            Run call = ocppsec("station", "call", "CP-TERM", "TriggerMessage", "--payload", "{\"requestedMessage\":\"Heartbeat\"}");
            assertThat(call.code()).as(call.err()).isZero();
            assertThat(Text.JSON.readTree(call.out()).get("payload").get("status").asString()).isEqualTo("Accepted");
            assertThat(seen.get(seen.size() - 1)).contains("\"action\":\"TriggerMessage\"");

            Run rotate = ocppsec("station", "rotate-password", "CP-TERM", "--send");
            assertThat(rotate.code()).as(rotate.out() + rotate.err()).isZero();
            assertThat(rotate.out()).contains("ACCEPTED");
            String sent = Text.JSON.readTree(seen.get(seen.size() - 1)).get("payload").get("setVariableData").get(0)
                    .get("attributeValue").asString();
            assertThat(rotate.out()).doesNotContain(sent);

            HttpResponse<String> events = http.send(HttpRequest.newBuilder(URI.create(api + "/api/v1/terminator/security-events"))
                    .header("Authorization", "Bearer " + terminatorToken).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("[{\"occurredAt\":\"2026-11-21T19:32:06Z\",\"station\":\"CP-TERM\","
                            + "\"type\":\"InvalidTLSVersion\",\"reason\":\"TLS_VERSION\",\"source\":\"terminator\"}]")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(events.statusCode()).as(events.body()).isEqualTo(202);
            Run list = ocppsec("security-events", "list", "--station", "CP-TERM");
            assertThat(list.code()).as(list.err()).isZero();
            assertThat(list.out()).contains("InvalidTLSVersion", "TLS_VERSION", "terminator");
            assertThat(ocppsec("audit", "verify").code()).isZero();
        } finally {
            terminator.stop(0);
        }
    }

    private static String pem(X509Certificate c) throws Exception {
        return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(c.getEncoded()) + "\n-----END CERTIFICATE-----\n";
    }
}
