package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Firmware signing with the keys in one custody backend (issue 7: "a manufacturer or CPO can sign
 * images without the key ever leaving the HSM or Vault"): the development manufacturer root and its
 * ECDSA and RSA-PSS signers are made in the backend, a new P-384 signer too, and every signature the
 * backend makes over an image's SHA-256 verifies with openssl and with our own check.
 */
abstract class FirmwareCustodyContract {
    static final SecureRandom RANDOM = new SecureRandom();

    abstract Api api();

    abstract Path dataDir();

    abstract String expectedBackend();

    String admin() throws Exception {
        return Files.readString(dataDir().resolve("admin-token")).trim();
    }

    JsonNode signAndCheck(byte[] image, String algorithm, String signer) throws Exception {
        String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(image));
        var body = Api.object().put("sha256", sha).put("size", image.length);
        if (algorithm != null) {
            body.put("algorithm", algorithm);
        }
        if (signer != null) {
            body.put("signer", signer);
        }
        Api.Reply s = api().post("/api/v1/firmware/sign", body, admin());
        assertThat(s.status()).as(s.body()).isEqualTo(200);
        JsonNode signed = s.json();
        Api.Reply v = api().post("/api/v1/firmware/verify", Api.object().put("sha256", sha)
                .put("signature", signed.get("signature").asString())
                .put("signingCertificate", signed.get("signingCertificate").asString()), admin());
        assertThat(v.status()).as(v.body()).isEqualTo(200);
        assertThat(v.json().get("outcome").asString()).as(v.body()).isEqualTo("Valid");
        if (Openssl.available()) {
            Path dir = Files.createTempDirectory(dataDir().getParent(), "fw");
            Files.write(dir.resolve("image"), image);
            Files.write(dir.resolve("sig"), Base64.getDecoder().decode(signed.get("signature").asString()));
            Openssl.write(dir, "cert.pem", signed.get("signingCertificate").asString());
            assertThat(Openssl.run(dir, "openssl", "x509", "-in", "cert.pem", "-pubkey", "-noout", "-out", "pub.pem").exit()).isZero();
            List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "dgst", "-sha256", "-verify", "pub.pem", "-signature", "sig"));
            if ("rsa-pss".equals(signed.get("algorithm").asString())) {
                cmd.addAll(List.of("-sigopt", "rsa_padding_mode:pss"));
            }
            cmd.add("image");
            Openssl.Result r = Openssl.run(dir, cmd.toArray(String[]::new));
            assertThat(r.output()).as(String.join(" ", cmd)).contains("Verified OK");
        }
        return signed;
    }

    @Test
    void theDevelopmentSignersKeysAreInTheBackendAndSignImages_L01_FR_04() throws Exception {
        JsonNode ca = api().get("/api/v1/ca", admin()).json();
        List<JsonNode> firmware = ca.findValues("role").stream().filter(r -> r.asString().equals("FIRMWARE_SIGNER")).toList();
        assertThat(firmware).hasSizeGreaterThanOrEqualTo(2);
        assertThat(ca.toString()).contains(expectedBackend() + ":firmware-signer-");
        byte[] image = new byte[250_000];
        RANDOM.nextBytes(image);
        assertThat(signAndCheck(image, "ecdsa", null).get("algorithm").asString()).isEqualTo("ecdsa");
        assertThat(signAndCheck(image, "rsa-pss", null).get("algorithm").asString()).isEqualTo("rsa-pss");
    }

    @Test
    void aNewP384SignerIsMadeInTheBackend() throws Exception {
        Api.Reply created = api().post("/api/v1/firmware/signers", Api.object().put("keyAlgorithm", "ec-p384"), admin());
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        assertThat(created.json().get("keyAlgorithm").asString()).isEqualTo("EC_P384");
        byte[] image = new byte[10_000];
        RANDOM.nextBytes(image);
        signAndCheck(image, null, created.json().get("id").asString());
    }
}
