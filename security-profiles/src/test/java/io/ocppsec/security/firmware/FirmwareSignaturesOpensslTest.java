package io.ocppsec.security.firmware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.security.testing.TestPki;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * L01.FR.04 with {@code openssl} (3.0) as the independent peer: what {@code openssl dgst -sha256
 * -sign} and {@code openssl pkeyutl -sign} make over an image verifies with
 * {@link FirmwareSignatures#verify} over {@link ImageDigests#sha256(Path, long)} (ECDSA P-256 and
 * P-384; RSA-PSS with openssl's default salt, 32, digest-length and other salts), and what
 * {@link FirmwareSignatures#sign} makes verifies with {@code openssl dgst -verify} and
 * {@code openssl pkeyutl -verify}. This is how a manufacturer signs images and how stations
 * (EVerest's libevse-security) check them.
 */
class FirmwareSignaturesOpensslTest {
    @TempDir
    Path dir;
    Path image;
    ImageDigest digest;

    @BeforeEach
    void image() throws Exception {
        assumeTrue(ImageDigestsTest.opensslAvailable(), "openssl CLI not found: independent-peer test skipped");
        byte[] bytes = new byte[(1 << 20) + 4099];
        new Random(42).nextBytes(bytes);
        image = dir.resolve("firmware.bin");
        Files.write(image, bytes);
        digest = ImageDigests.sha256(image, bytes.length);
    }

    // ------------------------------------------------------------------ openssl signs, we verify

    @ParameterizedTest
    @ValueSource(strings = {"P-256", "P-384"})
    void L01_FR_04_opensslDgstEcdsaSignatureVerifies(String curve) throws Exception {
        Path key = opensslKey("ec_paramgen_curve:" + curve, "EC");
        Path sig = dir.resolve("sig.der");
        run("openssl", "dgst", "-sha256", "-sign", key.toString(), "-out", sig.toString(), image.toString());

        PublicKey pub = publicKeyOf(key);
        byte[] signature = Files.readAllBytes(sig);
        assertThat(FirmwareSignatures.verify(pub, digest.sha256(), signature)).isTrue();
        // The field as it travels in UpdateFirmware.
        assertThat(FirmwareSignatures.verify(pub, digest.sha256(), FirmwareSignatures.decode(base64(signature)))).isTrue();
        assertThat(FirmwareSignatures.verify(pub, tampered(digest.sha256()), signature)).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "rsa_pss_saltlen:max", "rsa_pss_saltlen:32", "rsa_pss_saltlen:digest", "rsa_pss_saltlen:0",
        "rsa_pss_saltlen:100"})
    void L01_FR_04_opensslDgstRsaPssSignatureVerifiesWhateverTheSalt(String saltOption) throws Exception {
        Path key = opensslKey("rsa_keygen_bits:2048", "RSA");
        Path sig = dir.resolve("sig.bin");
        List<String> cmd = new ArrayList<>(List.of("openssl", "dgst", "-sha256", "-sign", key.toString(),
                "-sigopt", "rsa_padding_mode:pss"));
        if (!saltOption.isEmpty()) {
            cmd.addAll(List.of("-sigopt", saltOption));
        }
        cmd.addAll(List.of("-out", sig.toString(), image.toString()));
        run(cmd.toArray(new String[0]));

        PublicKey pub = publicKeyOf(key);
        byte[] signature = Files.readAllBytes(sig);
        assertThat(FirmwareSignatures.verify(pub, digest.sha256(), signature)).isTrue();
        assertThat(FirmwareSignatures.verify(pub, tampered(digest.sha256()), signature)).isFalse();
    }

    @Test
    void L01_FR_04_opensslPkeyutlSignatureOverTheDigestFileVerifies() throws Exception {
        Path digestFile = dir.resolve("image.sha256");
        Files.write(digestFile, digest.sha256());
        Path ec = opensslKey("ec_paramgen_curve:P-256", "EC");
        Path rsa = opensslKey("rsa_keygen_bits:3072", "RSA");
        Path ecSig = dir.resolve("ec.sig");
        Path rsaSig = dir.resolve("rsa.sig");
        run("openssl", "pkeyutl", "-sign", "-inkey", ec.toString(), "-in", digestFile.toString(), "-out", ecSig.toString(),
                "-pkeyopt", "digest:sha256");
        run("openssl", "pkeyutl", "-sign", "-inkey", rsa.toString(), "-in", digestFile.toString(), "-out", rsaSig.toString(),
                "-pkeyopt", "digest:sha256", "-pkeyopt", "rsa_padding_mode:pss", "-pkeyopt", "rsa_pss_saltlen:32");

        assertThat(FirmwareSignatures.verify(publicKeyOf(ec), digest.sha256(), Files.readAllBytes(ecSig))).isTrue();
        assertThat(FirmwareSignatures.verify(publicKeyOf(rsa), digest.sha256(), Files.readAllBytes(rsaSig))).isTrue();
    }

    // ------------------------------------------------------------------ we sign, openssl verifies

    @ParameterizedTest
    @ValueSource(strings = {"secp256r1", "secp384r1", "secp521r1"})
    void L01_FR_04_ourEcdsaSignatureVerifiesWithOpensslDgstAndPkeyutl(String curve) throws Exception {
        KeyPair keys = TestPki.ecKeyPair(curve);
        byte[] signature = FirmwareSignatures.sign(keys.getPrivate(), FirmwareSignatureAlgorithm.ECDSA_SHA256, digest.sha256());
        Path pub = writePublic(keys.getPublic());
        Path sig = dir.resolve("ours.sig");
        Files.write(sig, signature);

        assertThat(verifyDgst(pub, sig, image)).isTrue();
        assertThat(verifyPkeyutl(pub, sig, digest.sha256())).isTrue();
        // openssl is not vacuous: another image fails.
        assertThat(verifyDgst(pub, sig, tamperedImage())).isFalse();
    }

    @Test
    void L01_FR_04_ourRsaPssSignatureVerifiesWithOpensslDgstAndPkeyutl() throws Exception {
        KeyPair keys = TestPki.rsaKeyPair(3072);
        byte[] signature = FirmwareSignatures.sign(keys.getPrivate(), FirmwareSignatureAlgorithm.RSA_PSS_SHA256, digest.sha256());
        Path pub = writePublic(keys.getPublic());
        Path sig = dir.resolve("ours.sig");
        Files.write(sig, signature);

        assertThat(verifyDgst(pub, sig, image, "-sigopt", "rsa_padding_mode:pss")).isTrue();
        assertThat(verifyDgst(pub, sig, image, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32")).isTrue();
        // We sign with a 32-byte salt exactly: a verifier that insists on 20 refuses.
        assertThat(verifyDgst(pub, sig, image, "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:20")).isFalse();
        assertThat(verifyPkeyutl(pub, sig, digest.sha256(), "-pkeyopt", "rsa_padding_mode:pss")).isTrue();
        assertThat(verifyDgst(pub, sig, tamperedImage(), "-sigopt", "rsa_padding_mode:pss")).isFalse();
    }

    @Test
    void ourPrivateKeyExportedToOpensslSignsWhatWeVerify() throws Exception {
        // The same key on both sides: openssl reads our PKCS#8 and signs; we verify.
        KeyPair keys = TestPki.ecKeyPair("secp256r1");
        Path key = dir.resolve("ours.key.pem");
        Files.writeString(key, pem("PRIVATE KEY", keys.getPrivate().getEncoded()));
        Path sig = dir.resolve("theirs.sig");
        run("openssl", "dgst", "-sha256", "-sign", key.toString(), "-out", sig.toString(), image.toString());
        assertThat(FirmwareSignatures.verify(keys.getPublic(), digest.sha256(), Files.readAllBytes(sig))).isTrue();
    }

    // ------------------------------------------------------------------ helpers

    private Path opensslKey(String option, String kind) throws Exception {
        Path key = dir.resolve(kind + "-" + option.replace(':', '-') + ".pem");
        run("openssl", "genpkey", "-algorithm", kind, "-pkeyopt", option, "-out", key.toString());
        return key;
    }

    /** The public key of an openssl key file, as openssl writes it ({@code pkey -pubout}). */
    private PublicKey publicKeyOf(Path opensslKey) throws Exception {
        String text = run("openssl", "pkey", "-in", opensslKey.toString(), "-pubout");
        byte[] der = Base64.getMimeDecoder().decode(text.replaceAll("-----[A-Z ]+-----", ""));
        String alg = opensslKey.getFileName().toString().startsWith("RSA") ? "RSA" : "EC";
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
    }

    private Path writePublic(PublicKey key) throws Exception {
        Path p = dir.resolve("pub-" + System.nanoTime() + ".pem");
        Files.writeString(p, pem("PUBLIC KEY", key.getEncoded()));
        return p;
    }

    private Path tamperedImage() throws Exception {
        byte[] bytes = Files.readAllBytes(image);
        bytes[bytes.length / 3] ^= 0x40;
        Path p = dir.resolve("tampered.bin");
        Files.write(p, bytes);
        return p;
    }

    private static byte[] tampered(byte[] sha256) {
        byte[] t = sha256.clone();
        t[7] ^= 0x10;
        return t;
    }

    private static boolean verifyDgst(Path pub, Path sig, Path file, String... options) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "dgst", "-sha256", "-verify", pub.toString(), "-signature", sig.toString()));
        cmd.addAll(List.of(options));
        cmd.add(file.toString());
        return exit(cmd) == 0;
    }

    private boolean verifyPkeyutl(Path pub, Path sig, byte[] sha256, String... options) throws Exception {
        Path digestFile = dir.resolve("digest-" + System.nanoTime() + ".bin");
        Files.write(digestFile, sha256);
        List<String> cmd = new ArrayList<>(List.of("openssl", "pkeyutl", "-verify", "-pubin", "-inkey", pub.toString(),
                "-in", digestFile.toString(), "-sigfile", sig.toString(), "-pkeyopt", "digest:sha256"));
        cmd.addAll(List.of(options));
        return exit(cmd) == 0;
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static String base64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    private static int exit(List<String> cmd) throws Exception {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return p.exitValue();
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s\n%s", List.of(cmd), out).isZero();
        return out;
    }
}
