package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Signed firmware (L01) through the API on the development firmware PKI, with the openssl CLI as
 * the independent peer both ways: our signatures verify with {@code openssl dgst -sha256 -verify},
 * and an openssl-made manufacturer PKI and signature verify with us. Every outcome a station would
 * give (InvalidCertificate, RevokedCertificate, InvalidSignature), image URLs through the allow-list
 * and SSRF guard, the size limit, and UpdateFirmware requests checked against the official schemas.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirmwareApiTest {
    static final long MAX_IMAGE = 2L * 1024 * 1024;
    static final SecureRandom RANDOM = new SecureRandom();
    static final AtomicInteger SEQ = new AtomicInteger();

    @TempDir
    static Path dir;

    static final HttpServer images = imageServer();
    static volatile byte[] served = new byte[0];

    /** Serves {@link #served} with a Content-Length (/fw/) or chunked (/chunked/); started before the context reads its port. */
    static HttpServer imageServer() {
        HttpServer images;
        try {
            images = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        images.createContext("/fw/", ex -> {
            byte[] body = served;
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        images.createContext("/chunked/", ex -> {
            byte[] body = served;
            ex.getResponseHeaders().add("Content-Type", "application/octet-stream");
            ex.sendResponseHeaders(200, 0);
            try (OutputStream o = ex.getResponseBody()) {
                for (int i = 0; i < body.length; i += 10_000) {
                    o.write(body, i, Math.min(10_000, body.length - i));
                }
            }
        });
        images.start();
        return images;
    }

    @AfterAll
    static void stop() {
        images.stop(0);
    }

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.firmware.max-image-size", () -> MAX_IMAGE + "B");
        // the test's image server is on loopback: on the allow-list, and its network let through the SSRF guard
        r.add("ocppsec.firmware.allowed-hosts", () -> "localhost:" + images.getAddress().getPort());
        r.add("ocppsec.firmware.allowed-networks", () -> "127.0.0.0/8,::1/128");
    }

    @LocalServerPort
    int port;

    Api api() {
        return new Api(port);
    }

    String admin() throws Exception {
        return Files.readString(dir.resolve("data").resolve("admin-token")).trim();
    }

    String token(String role) throws Exception {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"fw " + role + " " + SEQ.incrementAndGet() + "\",\"role\":\"" + role
                + "\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    static byte[] image(int size) {
        byte[] b = new byte[size];
        RANDOM.nextBytes(b);
        return b;
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }

    static Path file(String name, byte[] content) throws Exception {
        return Files.write(dir.resolve(name), content);
    }

    JsonNode sign(byte[] image, String algorithm) throws Exception {
        ObjectNode b = Api.object().put("sha256", sha256(image)).put("size", image.length);
        if (algorithm != null) {
            b.put("algorithm", algorithm);
        }
        Api.Reply r = api().post("/api/v1/firmware/sign", b, token("operator"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    JsonNode verify(String sha256, String signature, String cert) throws Exception {
        Api.Reply r = api().post("/api/v1/firmware/verify", Api.object().put("sha256", sha256).put("signature", signature)
                .put("signingCertificate", cert), token("csms"));
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json();
    }

    /** openssl's verdict on a signature of ours: base64-decoded, the public key taken from the signing certificate. */
    static Openssl.Result opensslVerify(String name, byte[] image, JsonNode signed, String... sigopts) throws Exception {
        Path img = file(name + ".bin", image);
        Path sig = file(name + ".sig", Base64.getDecoder().decode(signed.get("signature").asString()));
        Openssl.write(dir, name + ".crt", signed.get("signingCertificate").asString());
        Openssl.Result pub = Openssl.run(dir, "openssl", "x509", "-in", name + ".crt", "-pubkey", "-noout", "-out", name + ".pub");
        assertThat(pub.exit()).as(pub.output()).isZero();
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("openssl", "dgst", "-sha256", "-verify", name + ".pub",
                "-signature", sig.getFileName().toString()));
        for (String o : sigopts) {
            cmd.add("-sigopt");
            cmd.add(o);
        }
        cmd.add(img.getFileName().toString());
        return Openssl.run(dir, cmd.toArray(String[]::new));
    }

    @Test
    void theDevelopmentManufacturerRootAndBothSignersExist() throws Exception {
        JsonNode roots = api().get("/api/v1/firmware/roots", token("csms")).json();
        JsonNode dev = roots.valueStream().filter(r -> r.get("developmentKey").asBoolean()).findFirst().orElseThrow();
        assertThat(dev.get("subject").asString()).contains("Manufacturer Root CA (development)");
        assertThat(dev.get("hasKey").asBoolean()).isTrue();
        Api.Reply pem = api().getAccepting("/api/v1/firmware/roots", token("csms"), "application/pem-certificate-chain");
        assertThat(pem.status()).isEqualTo(200);
        assertThat(pem.body()).startsWith("-----BEGIN CERTIFICATE-----");
        JsonNode signers = api().get("/api/v1/firmware/signers", token("csms")).json();
        assertThat(signers.valueStream().map(s -> s.get("algorithm").asString())).contains("ecdsa", "rsa-pss");
        // the signing certificate: code signing only (openssl's own reading of it)
        Openssl.write(dir, "dev-signer.crt", signers.get(0).get("certificate").asString());
        Openssl.Result text = Openssl.run(dir, "openssl", "x509", "-in", "dev-signer.crt", "-noout", "-ext", "keyUsage,extendedKeyUsage,basicConstraints");
        assertThat(text.output()).contains("Digital Signature").contains("Code Signing").contains("CA:FALSE");
    }

    @Test
    void anEcdsaSignatureOfOursVerifiesWithOpensslDgst_L01_FR_04() throws Exception {
        Assumptions.assumeTrue(Openssl.available(), "openssl CLI not installed");
        byte[] image = image(300_000);
        JsonNode signed = sign(image, "ecdsa");
        assertThat(signed.get("algorithm").asString()).isEqualTo("ecdsa");
        assertThat(signed.get("signature").asString().length()).isLessThanOrEqualTo(800);
        assertThat(signed.get("signingCertificate").asString().length()).isLessThanOrEqualTo(5500);
        Openssl.Result ok = opensslVerify("ec", image, signed);
        assertThat(ok.output()).contains("Verified OK");
        // and a byte changed: openssl refuses it too
        image[1234] ^= 1;
        Openssl.Result bad = opensslVerify("ec-tampered", image, signed);
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.output()).containsIgnoringCase("Verification failure");
    }

    @Test
    void anRsaPssSignatureOfOursVerifiesWithOpensslDgst_L01_FR_04() throws Exception {
        Assumptions.assumeTrue(Openssl.available(), "openssl CLI not installed");
        byte[] image = image(100_000);
        JsonNode signed = sign(image, "rsa-pss");
        assertThat(signed.get("algorithm").asString()).isEqualTo("rsa-pss");
        assertThat(opensslVerify("pss", image, signed, "rsa_padding_mode:pss", "rsa_pss_saltlen:32").output()).contains("Verified OK");
        // PKCS#1 v1.5 is not what we signed
        assertThat(opensslVerify("pss-as-pkcs1", image, signed).exit()).isNotZero();
    }

    @Test
    void signingAnUploadedImageStreamsIt() throws Exception {
        byte[] image = image(500_000);
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api().base() + "/api/v1/firmware/sign?algorithm=ecdsa"))
                .header("Authorization", "Bearer " + token("operator"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode signed = Api.JSON.readTree(r.body());
        assertThat(signed.get("sha256").asString()).isEqualTo(sha256(image));
        assertThat(signed.get("size").asLong()).isEqualTo(image.length);
        JsonNode v = verify(sha256(image), signed.get("signature").asString(), signed.get("signingCertificate").asString());
        assertThat(v.get("outcome").asString()).isEqualTo("Valid");
    }

    @Test
    void anUploadOverTheLimitIs413() throws Exception {
        byte[] image = new byte[(int) MAX_IMAGE + 1];
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create(api().base() + "/api/v1/firmware/sign"))
                .header("Authorization", "Bearer " + token("operator"))
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofByteArray(image)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(413);
        assertThat(r.body()).contains("IMAGE_TOO_LARGE");
    }

    @Test
    void ourSignatureIsValidAndEveryDefectHasItsOutcome_A00_FR_707() throws Exception {
        byte[] image = image(200_000);
        JsonNode signed = sign(image, null);
        String sig = signed.get("signature").asString();
        String cert = signed.get("signingCertificate").asString();

        JsonNode valid = verify(sha256(image), sig, cert);
        assertThat(valid.get("valid").asBoolean()).isTrue();
        assertThat(valid.get("outcome").asString()).isEqualTo("Valid");
        // our own responder answers for our signing certificates
        assertThat(valid.get("revocation").asString()).isEqualTo("GOOD");
        assertThat(valid.get("path")).hasSize(2);

        // a byte of the image changed, the image truncated: the signature does not match (L01.FR.03)
        byte[] tampered = image.clone();
        tampered[77] ^= 0x40;
        assertThat(verify(sha256(tampered), sig, cert).get("outcome").asString()).isEqualTo("InvalidSignature");
        byte[] truncated = java.util.Arrays.copyOf(image, image.length - 1);
        JsonNode t = verify(sha256(truncated), sig, cert);
        assertThat(t.get("outcome").asString()).isEqualTo("InvalidSignature");
        assertThat(t.get("reason").asString()).isEqualTo("SIGNATURE_MISMATCH");

        // a signature that is not base64
        JsonNode notBase64 = verify(sha256(image), "not base64 at all!", cert);
        assertThat(notBase64.get("outcome").asString()).isEqualTo("InvalidSignature");
        assertThat(notBase64.get("reason").asString()).isEqualTo("SIGNATURE_NOT_BASE64");

        // the RSA signer's certificate with the ECDSA signature: the wrong certificate
        JsonNode rsa = sign(image, "rsa-pss");
        JsonNode wrongCert = verify(sha256(image), sig, rsa.get("signingCertificate").asString());
        assertThat(wrongCert.get("outcome").asString()).isEqualTo("InvalidSignature");

        // a certificate that is not PEM (L01.FR.21/22: InvalidCertificate)
        assertThat(verify(sha256(image), sig, "garbage").get("outcome").asString()).isEqualTo("InvalidCertificate");
    }

    @Test
    void aRevokedSigningCertificateIsRevokedCertificateAndNoLongerSigns_TC_L_04() throws Exception {
        Api.Reply created = api().post("/api/v1/firmware/signers", Api.object().put("keyAlgorithm", "ec-p384"), admin());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().get("id").asString();
        String serial = created.json().get("serial").asString();
        byte[] image = image(50_000);
        Api.Reply s = api().post("/api/v1/firmware/sign", Api.object().put("sha256", sha256(image)).put("signer", id), token("operator"));
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        String sig = s.json().get("signature").asString();
        String cert = s.json().get("signingCertificate").asString();
        assertThat(verify(sha256(image), sig, cert).get("outcome").asString()).isEqualTo("Valid");

        Api.Reply revoked = api().post("/api/v1/certificates/" + serial + "/revoke", Api.object().put("reason", "keyCompromise"),
                token("operator"));
        assertThat(revoked.status()).as(revoked.body()).isEqualTo(200);

        JsonNode v = verify(sha256(image), sig, cert);
        assertThat(v.get("outcome").asString()).isEqualTo("RevokedCertificate");
        assertThat(v.get("revocation").asString()).isEqualTo("REVOKED");
        Api.Reply again = api().post("/api/v1/firmware/sign", Api.object().put("sha256", sha256(image)).put("signer", id),
                token("operator"));
        assertThat(again.status()).as(again.body()).isEqualTo(422);
        assertThat(again.code()).isEqualTo("SIGNER_REVOKED");
    }

    /** A manufacturer PKI made with openssl alone: a root, and a code-signing certificate under it. */
    static void opensslManufacturer(String name, String eku) {
        Openssl.write(dir, name + "-ext.cnf", "[v3]\nbasicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\n"
                + (eku == null ? "" : "extendedKeyUsage=" + eku + "\n") + "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n");
        Openssl.write(dir, name + "-ca.cnf", "[v3ca]\nbasicConstraints=critical,CA:TRUE\nkeyUsage=critical,keyCertSign,cRLSign\n"
                + "subjectKeyIdentifier=hash\n[req]\ndistinguished_name=dn\n[dn]\n");
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + "-root.key");
        run("openssl", "req", "-x509", "-new", "-key", name + "-root.key", "-subj", "/O=Example Charger Maker/CN=" + name + " Root",
                "-days", "3650", "-sha256", "-config", name + "-ca.cnf", "-extensions", "v3ca", "-out", name + "-root.crt");
        run("openssl", "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", name + "-signer.key");
        run("openssl", "req", "-new", "-key", name + "-signer.key", "-subj", "/O=Example Charger Maker/CN=" + name + " Firmware Signing",
                "-out", name + "-signer.csr");
        run("openssl", "x509", "-req", "-in", name + "-signer.csr", "-CA", name + "-root.crt", "-CAkey", name + "-root.key",
                "-CAcreateserial", "-days", "365", "-sha256", "-extfile", name + "-ext.cnf", "-extensions", "v3", "-out", name + "-signer.crt");
    }

    static String run(String... cmd) {
        Openssl.Result r = Openssl.run(dir, cmd);
        assertThat(r.exit()).as(String.join(" ", cmd) + "\n" + r.output()).isZero();
        return r.output();
    }

    @Test
    void anOpensslMadeSignatureVerifiesWithUs_onceItsRootIsTrusted() throws Exception {
        Assumptions.assumeTrue(Openssl.available(), "openssl CLI not installed");
        opensslManufacturer("acme", "codeSigning");
        byte[] image = image(400_000);
        file("acme.img", image);
        run("openssl", "dgst", "-sha256", "-sign", "acme-signer.key", "-out", "acme.sig", "acme.img");
        String sig = Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("acme.sig")));
        String cert = Files.readString(dir.resolve("acme-signer.crt"));

        // not trusted yet: InvalidCertificate (L01.FR.21/22)
        JsonNode untrusted = verify(sha256(image), sig, cert);
        assertThat(untrusted.get("outcome").asString()).isEqualTo("InvalidCertificate");
        assertThat(untrusted.get("reason").asString()).isEqualTo("UNTRUSTED");

        Api.Reply add = api().post("/api/v1/firmware/roots", Api.object().put("certificate",
                Files.readString(dir.resolve("acme-root.crt"))), admin());
        assertThat(add.status()).as(add.body()).isEqualTo(201);
        assertThat(add.json().get("hasKey").asBoolean()).isFalse();
        // trusting it again changes nothing
        Api.Reply again = api().post("/api/v1/firmware/roots", Api.object().put("certificate",
                Files.readString(dir.resolve("acme-root.crt"))), admin());
        assertThat(again.json().get("id").asString()).as(again.body()).isEqualTo(add.json().get("id").asString());
        // a certificate the CA holds in another role (the CSMS root) is not a manufacturer root
        Api.Reply csmsRoot = api().getAccepting("/api/v1/ca/chain", admin(), "application/pem-certificate-chain");
        Api.Reply misuse = api().post("/api/v1/firmware/roots", Api.object().put("certificate", csmsRoot.body().substring(0,
                csmsRoot.body().indexOf("-----END CERTIFICATE-----") + 26)), admin());
        assertThat(misuse.status()).as(misuse.body()).isEqualTo(409);

        // the image uploaded as multipart, as a CSMS without the image's hash would send it
        JsonNode v = multipartVerify(image, sig, cert);
        assertThat(v.get("outcome").asString()).as(v.toString()).isEqualTo("Valid");
        // no revocation source in an openssl-made certificate: soft-fail says so
        assertThat(v.get("revocation").asString()).isIn("UNAVAILABLE", "UNKNOWN");

        // removed again: untrusted again
        Api.Reply remove = api().delete("/api/v1/firmware/roots/" + add.json().get("sha256Fingerprint").asString(), admin());
        assertThat(remove.status()).isEqualTo(204);
        assertThat(verify(sha256(image), sig, cert).get("outcome").asString()).isEqualTo("InvalidCertificate");
    }

    @Test
    void aServerAuthCertificateIsNotAFirmwareSigningCertificate() throws Exception {
        Assumptions.assumeTrue(Openssl.available(), "openssl CLI not installed");
        opensslManufacturer("tls", "serverAuth");
        Api.Reply add = api().post("/api/v1/firmware/roots", Api.object().put("certificate",
                Files.readString(dir.resolve("tls-root.crt"))), admin());
        assertThat(add.status()).as(add.body()).isEqualTo(201);
        byte[] image = image(10_000);
        file("tls.img", image);
        run("openssl", "dgst", "-sha256", "-sign", "tls-signer.key", "-out", "tls.sig", "tls.img");
        JsonNode v = verify(sha256(image), Base64.getEncoder().encodeToString(Files.readAllBytes(dir.resolve("tls.sig"))),
                Files.readString(dir.resolve("tls-signer.crt")));
        assertThat(v.get("outcome").asString()).isEqualTo("InvalidCertificate");
        assertThat(v.get("reason").asString()).isEqualTo("NOT_CODE_SIGNING");
    }

    @Test
    void anOversizedTextPartOfAnUploadIsRefusedUnread() throws Exception {
        HttpResponse<String> r = multipart(image(1000), "A".repeat(5000), "x");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(400);
        assertThat(r.body()).contains("PART_TOO_LARGE");
    }

    JsonNode multipartVerify(byte[] image, String signature, String cert) throws Exception {
        HttpResponse<String> r = multipart(image, signature, cert);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Api.JSON.readTree(r.body());
    }

    HttpResponse<String> multipart(byte[] image, String signature, String cert) throws Exception {
        String boundary = "----ocppsec" + RANDOM.nextLong();
        java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
        b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"signature\"\r\n\r\n" + signature + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"signingCertificate\"\r\n\r\n" + cert + "\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        b.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"fw.bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        b.write(image);
        b.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII));
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(api().base() + "/api/v1/firmware/verify"))
                .header("Authorization", "Bearer " + token("csms"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArray(b.toByteArray())).build(), HttpResponse.BodyHandlers.ofString());
        return r;
    }

    @Test
    void anImageIsFetchedFromAnAllowedUrlAndHashedAsItStreams() throws Exception {
        byte[] image = image(700_000);
        served = image;
        JsonNode signed = sign(image, "ecdsa");
        for (String path : new String[] {"/fw/image.bin", "/chunked/image.bin"}) {
            Api.Reply r = api().post("/api/v1/firmware/verify", Api.object()
                    .put("location", "http://localhost:" + images.getAddress().getPort() + path)
                    .put("signature", signed.get("signature").asString())
                    .put("signingCertificate", signed.get("signingCertificate").asString()), token("csms"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(r.json().get("outcome").asString()).isEqualTo("Valid");
            assertThat(r.json().get("size").asLong()).isEqualTo(image.length);
        }
        // larger than the limit: 413, whether announced or streamed
        served = new byte[(int) MAX_IMAGE + 10];
        for (String path : new String[] {"/fw/big.bin", "/chunked/big.bin"}) {
            Api.Reply big = api().post("/api/v1/firmware/verify", Api.object()
                    .put("location", "http://localhost:" + images.getAddress().getPort() + path)
                    .put("signature", signed.get("signature").asString())
                    .put("signingCertificate", signed.get("signingCertificate").asString()), token("csms"));
            assertThat(big.status()).as(big.body()).isEqualTo(413);
        }
    }

    @Test
    void urlsOffTheAllowListOrToPrivateAddressesAreNeverFetched() throws Exception {
        JsonNode signed = sign(image(1000), "ecdsa");
        for (String url : new String[] {
                "http://127.0.0.1:" + images.getAddress().getPort() + "/fw/x.bin", // not on the allow-list (by address)
                "http://example.invalid/fw.bin",                                    // not on the allow-list
                "file:///etc/passwd",                                               // not http(s)
                "http://user:pw@localhost/fw.bin"}) {                               // credentials
            Api.Reply r = api().post("/api/v1/firmware/verify", Api.object().put("location", url)
                    .put("signature", signed.get("signature").asString())
                    .put("signingCertificate", signed.get("signingCertificate").asString()), token("csms"));
            assertThat(r.status()).as(url + " " + r.body()).isEqualTo(422);
            assertThat(r.code()).isEqualTo("URL_NOT_ALLOWED");
        }
    }

    @Test
    void updateFirmwareRequestsAreSchemaValidFor201And21AndRefusedWhenTheStationWouldReject() throws Exception {
        OfficialSchemas.require();
        byte[] image = image(20_000);
        JsonNode signed = sign(image, "ecdsa");
        for (String version : new String[] {"2.0.1", "2.1"}) {
            ObjectNode body = Api.object().put("ocppVersion", version).put("requestId", 42).put("retries", 3).put("retryInterval", 60)
                    .put("location", "https://firmware.example.com/charger-1.2.3.bin")
                    .put("retrieveDateTime", "2026-12-01T02:00:00Z").put("installDateTime", "2026-12-01T03:00:00Z")
                    .put("signature", signed.get("signature").asString())
                    .put("signingCertificate", signed.get("signingCertificate").asString())
                    .put("sha256", sha256(image));
            Api.Reply r = api().post("/api/v1/firmware/update-firmware", body, token("csms"));
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            JsonNode req = r.json().get("request");
            assertThat(OfficialSchemas.requestViolations("ocpp" + version, "UpdateFirmware", req)).isEmpty();
            assertThat(req.get("requestId").asInt()).isEqualTo(42);
            assertThat(req.get("firmware").get("signature").asString()).isEqualTo(signed.get("signature").asString());
            assertThat(r.json().get("validation").get("outcome").asString()).isEqualTo("Valid");
        }
        // 2.1: retries must be >= 0
        Api.Reply neg = api().post("/api/v1/firmware/update-firmware", Api.object().put("ocppVersion", "2.1").put("retries", -1)
                .put("location", "https://firmware.example.com/x.bin").put("signature", signed.get("signature").asString())
                .put("signingCertificate", signed.get("signingCertificate").asString()).put("sha256", sha256(image)), token("csms"));
        assertThat(neg.status()).as(neg.body()).isEqualTo(400);
        // a tampered image: the station would answer InvalidSignature, so no request
        byte[] other = image(20_000);
        Api.Reply bad = api().post("/api/v1/firmware/update-firmware", Api.object().put("location", "https://firmware.example.com/x.bin")
                .put("signature", signed.get("signature").asString())
                .put("signingCertificate", signed.get("signingCertificate").asString()).put("sha256", sha256(other)), token("csms"));
        assertThat(bad.status()).as(bad.body()).isEqualTo(422);
        assertThat(bad.code()).isEqualTo("FIRMWARE_INVALID_SIGNATURE");
        assertThat(bad.json().get("validation").get("outcome").asString()).isEqualTo("InvalidSignature");
        // L01.FR.11: unsigned updates are not built
        Api.Reply unsigned = api().post("/api/v1/firmware/update-firmware", Api.object().put("location", "https://firmware.example.com/x.bin"),
                token("csms"));
        assertThat(unsigned.status()).isEqualTo(400);
        assertThat(unsigned.code()).isEqualTo("SIGNED_FIRMWARE_REQUIRED");
        // a location it cannot fetch, no sha256: cannot be checked
        Api.Reply cannot = api().post("/api/v1/firmware/update-firmware", Api.object().put("location", "https://firmware.example.com/x.bin")
                .put("signature", signed.get("signature").asString())
                .put("signingCertificate", signed.get("signingCertificate").asString()), token("csms"));
        assertThat(cannot.status()).isEqualTo(422);
        assertThat(cannot.code()).isEqualTo("CANNOT_VALIDATE");
    }

    @Test
    void signingTakesAnOperatorAndManagingRootsAnAdmin() throws Exception {
        Api.Reply csmsSigns = api().post("/api/v1/firmware/sign", Api.object().put("sha256", sha256(image(10))), token("csms"));
        assertThat(csmsSigns.status()).isEqualTo(403);
        Api.Reply operatorAddsRoot = api().post("/api/v1/firmware/roots", Api.object().put("certificate", "x"), token("operator"));
        assertThat(operatorAddsRoot.status()).isEqualTo(403);
        Api.Reply badSha = api().post("/api/v1/firmware/sign", Api.object().put("sha256", "abc"), token("operator"));
        assertThat(badSha.status()).isEqualTo(400);
        assertThat(badSha.code()).isEqualTo("BAD_SHA256");
    }
}
