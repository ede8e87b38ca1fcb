package io.ocppsec.pki.custody.vault;

import static io.ocppsec.pki.custody.CustodyTestSupport.assertJdkVerifies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.CustodyTestSupport;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyCustodyContract;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SignatureChecks;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The Vault Transit backend, through the real vault-java-driver, against {@link VaultStandIn}
 * (no Vault server can be installed here; see the stand-in's fidelity limits).
 */
class VaultTransitCustodyTest extends KeyCustodyContract {
    private static final String TOKEN = "hvs.CAESIstandInToken0123456789abcdef";
    private static VaultStandIn vault;

    @TempDir
    Path dir;
    private VaultTransitCustody custody;

    @BeforeAll
    static void startVault() throws Exception {
        vault = new VaultStandIn(TOKEN, null);
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    @BeforeEach
    void open() {
        custody = VaultTransitCustody.open(settings(TOKEN));
        vault.clearRequests();
    }

    @AfterEach
    void close() {
        custody.close();
    }

    private static VaultSettings settings(String token) {
        return VaultSettings.of(vault.address(), token.toCharArray());
    }

    @Override
    protected KeyCustody custody() {
        return custody;
    }

    @Override
    protected KeyCustody reopen() {
        custody.close();
        custody = VaultTransitCustody.open(settings(TOKEN));
        return custody;
    }

    @Test
    void keysAreCreatedNonExportableWithVaultsTypeNames() {
        String label = uniqueLabel("create");
        custody.generate(label, KeyAlgorithm.EC_P384);
        JsonNode create = vault.requests().stream()
                .filter(r -> r.method().equals("POST") && r.path().equals("/v1/transit/keys/" + label))
                .findFirst().orElseThrow().body();
        assertThat(create.get("type").asString()).isEqualTo("ecdsa-p384");
        assertThat(create.get("exportable").isBoolean()).isTrue();
        assertThat(create.get("exportable").booleanValue()).isFalse();
    }

    @Test
    void signingSendsAPrehashedDigestAndTheMatchingHashAndPadding() throws Exception {
        KeyHandle rsa = custody.generate(uniqueLabel("prehash"), KeyAlgorithm.RSA_2048);
        byte[] data = "hash me locally".getBytes(StandardCharsets.UTF_8);
        vault.clearRequests();
        custody.sign(rsa, SigningAlgorithm.SHA256_WITH_RSA_PSS, data);
        custody.sign(rsa, SigningAlgorithm.SHA256_WITH_RSA, data);
        List<VaultStandIn.Request> signs = vault.requests().stream().filter(r -> r.path().startsWith("/v1/transit/sign/")).toList();
        assertThat(signs).hasSize(2);
        for (VaultStandIn.Request r : signs) {
            JsonNode b = r.body();
            assertThat(Base64.getDecoder().decode(b.get("input").asString())).isEqualTo(SignatureChecks.digest(SigningAlgorithm.SHA256_WITH_RSA, data));
            assertThat(b.get("prehashed").booleanValue()).isTrue();
            assertThat(b.get("hash_algorithm").asString()).isEqualTo("sha2-256");
            assertThat(b.get("marshaling_algorithm").asString()).isEqualTo("asn1");
            assertThat(b.get("key_version").asInt()).isEqualTo(1);
        }
        assertThat(signs.get(0).body().get("signature_algorithm").asString()).isEqualTo("pss");
        assertThat(signs.get(0).body().get("salt_length").asString()).isEqualTo("hash");
        assertThat(signs.get(1).body().get("signature_algorithm").asString()).isEqualTo("pkcs1v15");

        KeyHandle ec = custody.generate(uniqueLabel("prehash-ec"), KeyAlgorithm.EC_P384);
        vault.clearRequests();
        custody.sign(ec, SigningAlgorithm.SHA384_WITH_ECDSA, data);
        JsonNode b = vault.requests().get(0).body();
        assertThat(b.get("hash_algorithm").asString()).isEqualTo("sha2-384");
        assertThat(Base64.getDecoder().decode(b.get("input").asString())).hasSize(48);
        assertThat(b.has("signature_algorithm")).isFalse();
    }

    /**
     * L01.FR.04: a firmware digest goes to Vault as the prehashed input, with the same parameters as
     * sign() uses. A P-384 key signs a SHA-256 digest: Vault's ECDSA signs the prehashed input as
     * given (hash_algorithm matters for RSA only), and the request says sha2-256.
     */
    @Test
    void signDigestSendsTheGivenDigestPrehashedWithTheMatchingHash() throws Exception {
        byte[] image = image(30_000);
        byte[] digest = digestOf(SigningAlgorithm.SHA256_WITH_ECDSA, image);
        KeyHandle ec = custody.generate(uniqueLabel("digest-p384"), KeyAlgorithm.EC_P384);
        vault.clearRequests();
        byte[] ecSig = custody.signDigest(ec, SigningAlgorithm.SHA256_WITH_ECDSA, digest);
        assertJdkVerifies(custody.publicKey(ec), SigningAlgorithm.SHA256_WITH_ECDSA, image, ecSig);
        List<VaultStandIn.Request> signs = signRequests();
        assertThat(signs).hasSize(1);
        JsonNode b = signs.get(0).body();
        assertThat(Base64.getDecoder().decode(b.get("input").asString())).isEqualTo(digest);
        assertThat(b.get("prehashed").booleanValue()).isTrue();
        assertThat(b.get("hash_algorithm").asString()).isEqualTo("sha2-256");
        assertThat(b.get("marshaling_algorithm").asString()).isEqualTo("asn1");
        assertThat(b.get("key_version").asInt()).isEqualTo(1);
        assertThat(b.has("signature_algorithm")).isFalse();

        KeyHandle rsa = custody.generate(uniqueLabel("digest-rsa"), KeyAlgorithm.RSA_3072);
        vault.clearRequests();
        custody.signDigest(rsa, SigningAlgorithm.SHA256_WITH_RSA_PSS, digest);
        custody.signDigest(rsa, SigningAlgorithm.SHA256_WITH_RSA, digest);
        signs = signRequests();
        assertThat(signs).hasSize(2);
        for (VaultStandIn.Request r : signs) {
            assertThat(Base64.getDecoder().decode(r.body().get("input").asString())).isEqualTo(digest);
            assertThat(r.body().get("prehashed").booleanValue()).isTrue();
            assertThat(r.body().get("hash_algorithm").asString()).isEqualTo("sha2-256");
            assertThat(r.body().get("key_version").asInt()).isEqualTo(1);
        }
        assertThat(signs.get(0).body().get("signature_algorithm").asString()).isEqualTo("pss");
        assertThat(signs.get(0).body().get("salt_length").asString()).isEqualTo("hash");
        assertThat(signs.get(1).body().get("signature_algorithm").asString()).isEqualTo("pkcs1v15");
    }

    @Test
    void digestOfTheWrongLengthNeverReachesVault() {
        KeyHandle key = custody.generate(uniqueLabel("digest-short"), KeyAlgorithm.EC_P384);
        vault.clearRequests();
        assertThatThrownBy(() -> custody.signDigest(key, SigningAlgorithm.SHA384_WITH_ECDSA, new byte[32]))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("48-byte SHA-384 digest, not 32 bytes");
        assertThat(vault.requests()).isEmpty();
    }

    @Test
    void signaturesOverADigestStayOnThePinnedKeyVersion() throws Exception {
        String label = uniqueLabel("digest-rotated");
        KeyHandle key = custody.generate(label, KeyAlgorithm.EC_P256);
        var publicKey = custody.publicKey(key);
        vault.rotate("transit", label);
        byte[] image = image(2000);
        assertJdkVerifies(publicKey, SigningAlgorithm.SHA256_WITH_ECDSA, image,
                custody.signDigest(key, SigningAlgorithm.SHA256_WITH_ECDSA, digestOf(SigningAlgorithm.SHA256_WITH_ECDSA, image)));
        assertThat(signRequests()).allSatisfy(r -> assertThat(r.body().get("key_version").asInt()).isEqualTo(1));
    }

    @Test
    void aSignatureOverADigestThatDoesNotVerifyNeverLeavesTheBackend() {
        KeyHandle key = custody.generate(uniqueLabel("digest-oldvault"), KeyAlgorithm.RSA_2048);
        vault.ignoreSaltLength(true); // a Vault too old for salt_length signs PSS with the largest salt
        try {
            assertThatThrownBy(() -> custody.signDigest(key, SigningAlgorithm.SHA256_WITH_RSA_PSS, new byte[32]))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("does not verify");
        } finally {
            vault.ignoreSaltLength(false);
        }
    }

    private static List<VaultStandIn.Request> signRequests() {
        return vault.requests().stream().filter(r -> r.path().startsWith("/v1/transit/sign/")).toList();
    }

    @Test
    void wrongTokenIsAClearErrorThatDoesNotShowTheToken() {
        String label = uniqueLabel("denied");
        KeyHandle key = custody.generate(label, KeyAlgorithm.EC_P256);
        String wrong = "hvs.wrongTokenShouldNeverBePrinted42";
        try (VaultTransitCustody denied = VaultTransitCustody.open(settings(wrong))) {
            assertThatThrownBy(() -> denied.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[] {1}))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("permission denied")
                    .satisfies(e -> assertThat(CustodyTestSupport.everyMessage(e)).doesNotContain(wrong).doesNotContain(TOKEN));
            assertThatThrownBy(() -> denied.generate(uniqueLabel("denied"), KeyAlgorithm.EC_P256))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("permission denied");
            assertThat(denied.toString()).doesNotContain(wrong);
        }
        assertThat(settings(TOKEN).toString()).doesNotContain(TOKEN).contains("token=***");
    }

    @Test
    void importIsRefusedBecauseKeysNeverGoToVault() throws Exception {
        KeyPair pair = CustodyTestSupport.ecKeyPair();
        X509Certificate cert = CustodyTestSupport.selfSignedCa("Imported", pair);
        assertThatThrownBy(() -> custody.importKey(uniqueLabel("import"), pair.getPrivate(), List.of(cert)))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("does not import private keys");
        assertThat(vault.requests()).isEmpty();
    }

    @Test
    void signaturesStayOnThePinnedKeyVersionAfterAVaultSideRotation() throws Exception {
        String label = uniqueLabel("rotated");
        KeyHandle key = custody.generate(label, KeyAlgorithm.EC_P256);
        var publicKey = custody.publicKey(key);
        vault.rotate("transit", label);
        byte[] data = "still version 1".getBytes(StandardCharsets.UTF_8);
        assertJdkVerifies(publicKey, SigningAlgorithm.SHA256_WITH_ECDSA, data, custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data));
    }

    @Test
    void aSignatureThatDoesNotVerifyNeverLeavesTheBackend() {
        KeyHandle key = custody.generate(uniqueLabel("oldvault"), KeyAlgorithm.RSA_2048);
        vault.ignoreSaltLength(true); // a Vault too old for salt_length signs PSS with the largest salt
        try {
            assertThatThrownBy(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_RSA_PSS, new byte[] {1, 2, 3}))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("does not verify");
        } finally {
            vault.ignoreSaltLength(false);
        }
    }

    @Test
    void existingTransitKeyIsUsableByItsName() {
        String label = uniqueLabel("operator");
        custody.generate(label, KeyAlgorithm.EC_P256);
        try (VaultTransitCustody other = VaultTransitCustody.open(settings(TOKEN))) {
            KeyHandle key = other.useExisting(label);
            assertThat(other.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[] {7})).isNotEmpty();
        }
        assertThatThrownBy(() -> custody.useExisting(uniqueLabel("nothere")))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("no Transit key");
    }

    @Test
    void namespaceIsSentWithEveryRequest() throws Exception {
        try (VaultStandIn nsVault = new VaultStandIn(TOKEN, "ops/pki");
                VaultTransitCustody ns = VaultTransitCustody.open(new VaultSettings(nsVault.address(), TOKEN.toCharArray(), "ops/pki",
                        null, null, null, null, null, null))) {
            KeyHandle key = ns.generate("ns-key", KeyAlgorithm.EC_P256);
            ns.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[] {1});
            assertThat(nsVault.requests()).isNotEmpty().allSatisfy(r -> assertThat(r.namespace()).isEqualTo("ops/pki"));
        }
    }

    @Test
    void settingsRefusePlainHttpToAnotherHost() {
        assertThatThrownBy(() -> VaultSettings.of(URI.create("http://vault.example.com:8200"), TOKEN.toCharArray()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("use https");
        assertThat(VaultSettings.of(URI.create("https://vault.example.com:8200"), TOKEN.toCharArray()).transitMount()).isEqualTo("transit");
        assertThatThrownBy(() -> new VaultSettings(URI.create("https://v:8200"), TOKEN.toCharArray(), null, "../sys", null, null, null,
                null, null)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transit mount");
    }

    @Test
    void transitMountThatDoesNotExistIsAClearError() {
        try (VaultTransitCustody c = VaultTransitCustody.open(new VaultSettings(vault.address(), TOKEN.toCharArray(), null, "no-transit",
                null, null, null, null, null))) {
            assertThatThrownBy(() -> c.exists("anything"))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("is the engine mounted there?");
        }
    }

    @Test
    void unreachableVaultIsAClearError() {
        VaultSettings nowhere = new VaultSettings(URI.create("http://127.0.0.1:9"), TOKEN.toCharArray(), null, null, null, null, null,
                Duration.ofSeconds(2), Duration.ofSeconds(2));
        try (VaultTransitCustody c = VaultTransitCustody.open(nowhere)) {
            assertThatThrownBy(() -> c.exists("anything"))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("127.0.0.1:9")
                    .satisfies(e -> assertThat(CustodyTestSupport.everyMessage(e)).doesNotContain(TOKEN));
        }
    }

    @Test
    void opensslVerifiesTransitSignatures() throws Exception {
        assumeTrue(CustodyTestSupport.opensslAvailable(), "openssl CLI not on PATH");
        byte[] data = "transit signature checked by openssl".getBytes(StandardCharsets.UTF_8);
        KeyHandle ec = custody.generate(uniqueLabel("ossl-ec"), KeyAlgorithm.EC_P256);
        CustodyTestSupport.assertOpensslVerifies(dir.resolve("ec"), custody.publicKey(ec), SigningAlgorithm.SHA256_WITH_ECDSA, data,
                custody.sign(ec, SigningAlgorithm.SHA256_WITH_ECDSA, data));
        KeyHandle rsa = custody.generate(uniqueLabel("ossl-rsa"), KeyAlgorithm.RSA_2048);
        CustodyTestSupport.assertOpensslVerifies(dir.resolve("pss"), custody.publicKey(rsa), SigningAlgorithm.SHA256_WITH_RSA_PSS, data,
                custody.sign(rsa, SigningAlgorithm.SHA256_WITH_RSA_PSS, data));
    }

    @Test
    void measureP256SigningRate() throws Exception {
        KeyHandle key = custody.generate(uniqueLabel("rate"), KeyAlgorithm.EC_P256);
        byte[] data = new byte[600];
        double one = CustodyTestSupport.signsPerSecond(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data), 1,
                Duration.ofSeconds(2));
        double four = CustodyTestSupport.signsPerSecond(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data), 4,
                Duration.ofSeconds(2));
        System.out.printf("[measure] vault transit (driver + HTTP/1.1 loopback to the in-JVM stand-in, signature verified locally)"
                + " P-256: %.0f signs/s on 1 thread, %.0f signs/s on 4 threads%n", one, four);
    }
}
