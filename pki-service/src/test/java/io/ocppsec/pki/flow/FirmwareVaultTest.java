package io.ocppsec.pki.flow;

import io.ocppsec.pki.custody.vault.VaultStandIn;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * Firmware signing with the keys in Vault Transit and the secrets in Vault KV v2 — against
 * the stand-in that follows Vault's documented API (no Vault server can be installed here).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class FirmwareVaultTest extends FirmwareCustodyContract {
    static final String TOKEN = "hvs.firmware-test-token-0123456789";
    static VaultStandIn vault;

    @TempDir
    static Path dir;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws Exception {
        vault = new VaultStandIn(TOKEN, null);
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.custody.backend", () -> "vault");
        r.add("ocppsec.custody.secret-store", () -> "vault");
        r.add("ocppsec.custody.vault.address", () -> vault.address().toString());
        r.add("ocppsec.custody.vault.token", () -> TOKEN);
    }

    @AfterAll
    static void stop() {
        if (vault != null) {
            vault.close();
        }
    }

    @LocalServerPort
    int port;

    @Override
    Api api() {
        return new Api(port);
    }

    @Override
    Path dataDir() {
        return dir.resolve("data");
    }

    @Override
    String expectedBackend() {
        return "vault";
    }

    /**
     * A signing key made in Vault by other means (the operator's own tooling) is brought in with the
     * certificate its manufacturer issued for it: the certificate is checked as a station would check
     * it, must carry that key, and the key then signs firmware it never leaves Vault for.
     */
    @org.junit.jupiter.api.Test
    void aKeyAlreadyInVaultIsImportedWithItsManufacturersCertificate() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        java.net.URI keys = vault.address().resolve("/v1/transit/keys/maker-fw-signer");
        java.net.http.HttpResponse<String> made = http.send(java.net.http.HttpRequest.newBuilder(keys).header("X-Vault-Token", TOKEN)
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"ecdsa-p256\"}")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        org.assertj.core.api.Assertions.assertThat(made.statusCode()).as(made.body()).isEqualTo(200);
        String publicPem = Api.JSON.readTree(made.body()).path("data").path("keys").path("1").path("public_key").asString();
        java.security.PublicKey held = new org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter().getPublicKey(
                (org.bouncycastle.asn1.x509.SubjectPublicKeyInfo) new org.bouncycastle.openssl.PEMParser(
                        new java.io.StringReader(publicPem)).readObject());

        // the manufacturer's own root (not ours), and its certificate for the key in Vault
        java.security.KeyPairGenerator g = java.security.KeyPairGenerator.getInstance("EC");
        g.initialize(new java.security.spec.ECGenParameterSpec("secp256r1"));
        java.security.KeyPair rootKey = g.generateKeyPair();
        java.time.Instant now = java.time.Instant.now();
        org.bouncycastle.asn1.x500.X500Name rootName = new org.bouncycastle.asn1.x500.X500Name("O=Maker,CN=Maker Root");
        var rb = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(rootName, java.math.BigInteger.valueOf(now.toEpochMilli()),
                java.util.Date.from(now.minusSeconds(3600)), java.util.Date.from(now.plusSeconds(86400 * 365)), rootName, rootKey.getPublic());
        rb.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(true));
        rb.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.keyCertSign));
        var signer = new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("SHA256withECDSA").build(rootKey.getPrivate());
        var conv = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter();
        java.security.cert.X509Certificate root = conv.getCertificate(rb.build(signer));
        var lb = new org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder(rootName, java.math.BigInteger.valueOf(now.toEpochMilli() + 1),
                java.util.Date.from(now.minusSeconds(3600)), java.util.Date.from(now.plusSeconds(86400 * 30)),
                new org.bouncycastle.asn1.x500.X500Name("O=Maker,CN=Maker Firmware Signing"), held);
        lb.addExtension(org.bouncycastle.asn1.x509.Extension.basicConstraints, true, new org.bouncycastle.asn1.x509.BasicConstraints(false));
        lb.addExtension(org.bouncycastle.asn1.x509.Extension.keyUsage, true,
                new org.bouncycastle.asn1.x509.KeyUsage(org.bouncycastle.asn1.x509.KeyUsage.digitalSignature));
        lb.addExtension(org.bouncycastle.asn1.x509.Extension.extendedKeyUsage, false,
                new org.bouncycastle.asn1.x509.ExtendedKeyUsage(org.bouncycastle.asn1.x509.KeyPurposeId.id_kp_codeSigning));
        java.security.cert.X509Certificate leaf = conv.getCertificate(lb.build(signer));
        String leafPem = io.ocppsec.pki.ca.Pem.certificate(leaf);

        // before its root is trusted the certificate is refused, as a station would refuse it
        Api.Reply early = api().post("/api/v1/firmware/signers/import", Api.object().put("keyLabel", "maker-fw-signer")
                .put("certificate", leafPem), admin());
        org.assertj.core.api.Assertions.assertThat(early.status()).as(early.body()).isEqualTo(422);
        org.assertj.core.api.Assertions.assertThat(early.code()).isEqualTo("UNTRUSTED");
        Api.Reply root201 = api().post("/api/v1/firmware/roots", Api.object().put("certificate", io.ocppsec.pki.ca.Pem.certificate(root)),
                admin());
        org.assertj.core.api.Assertions.assertThat(root201.status()).as(root201.body()).isEqualTo(201);
        // a certificate for another key than the label's is refused
        Api.Reply wrongKey = api().post("/api/v1/firmware/signers/import", Api.object().put("keyLabel", "maker-fw-signer")
                .put("certificate", io.ocppsec.pki.ca.Pem.certificate(root)), admin());
        org.assertj.core.api.Assertions.assertThat(wrongKey.status()).isEqualTo(422);

        Api.Reply imported = api().post("/api/v1/firmware/signers/import", Api.object().put("keyLabel", "maker-fw-signer")
                .put("certificate", leafPem), admin());
        org.assertj.core.api.Assertions.assertThat(imported.status()).as(imported.body()).isEqualTo(201);
        org.assertj.core.api.Assertions.assertThat(imported.json().get("rootId").asString()).isEqualTo(root201.json().get("id").asString());
        byte[] image = new byte[40_000];
        RANDOM.nextBytes(image);
        JsonNode signed = signAndCheck(image, null, imported.json().get("id").asString());
        org.assertj.core.api.Assertions.assertThat(signed.get("signingCertificate").asString()).isEqualTo(leafPem);
    }
}
