package io.ocppsec.pki.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.pki.custody.pkcs12.Pkcs12Custody;
import io.ocppsec.pki.custody.vault.VaultSettings;
import io.ocppsec.pki.custody.vault.VaultStandIn;
import io.ocppsec.pki.custody.vault.VaultTransitCustody;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The factory: configuration in, the right backends out, clear errors for what is missing. */
class CustodyBackendsTest {
    @TempDir
    Path dataDir;

    @Test
    void defaultsArePkcs12WithAGeneratedPasswordKeptInTheFileSecretStore() throws Exception {
        KeyHandle key;
        try (CustodyBackends.Custody c = CustodyBackends.open(CustodyConfig.defaults(dataDir))) {
            assertThat(c.keys()).isInstanceOf(Pkcs12Custody.class);
            assertThat(c.secrets()).isInstanceOf(FileSecretStore.class);
            key = c.keys().generate("root-2026", KeyAlgorithm.EC_P256);
        }
        assertThat(dataDir.resolve("ca.p12")).exists();
        Path secret = dataDir.resolve("secrets").resolve(CustodyBackends.PKCS12_PASSWORD_SECRET);
        assertThat(Files.readString(secret)).hasSizeGreaterThanOrEqualTo(43);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
        try (CustodyBackends.Custody again = CustodyBackends.open(CustodyConfig.defaults(dataDir))) {
            assertThat(again.keys().exists("root-2026")).isTrue();
            assertThat(again.keys().sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[] {1})).isNotEmpty();
        }
    }

    @Test
    void configuredPasswordIsUsedAndNotStored() {
        char[] password = "configured-password-77".toCharArray();
        CustodyConfig config = new CustodyConfig("PKCS12", null, dataDir, new CustodyConfig.Pkcs12(dataDir.resolve("keys/own.p12"), password),
                null, null);
        try (CustodyBackends.Custody c = CustodyBackends.open(config)) {
            c.keys().generate("k", KeyAlgorithm.EC_P256);
        }
        assertThat(dataDir.resolve("keys/own.p12")).exists();
        assertThat(dataDir.resolve("secrets").resolve(CustodyBackends.PKCS12_PASSWORD_SECRET)).doesNotExist();
        assertThat(password).isEqualTo("configured-password-77".toCharArray()); // the caller's array is left alone
        assertThat(config.toString()).doesNotContain("configured-password-77");
    }

    @Test
    void existingKeystoreWithoutAnyPasswordIsAClearError() throws Exception {
        try (CustodyBackends.Custody c = CustodyBackends.open(CustodyConfig.defaults(dataDir))) {
            c.keys().generate("k", KeyAlgorithm.EC_P256);
        }
        Files.delete(dataDir.resolve("secrets").resolve(CustodyBackends.PKCS12_PASSWORD_SECRET));
        assertThatThrownBy(() -> CustodyBackends.open(CustodyConfig.defaults(dataDir)))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("exists but no password is configured")
                .hasMessageContaining("ocppsec.custody.pkcs12.password");
    }

    @Test
    void vaultBackendAndVaultSecretsComeFromTheVaultSettings() throws Exception {
        String token = "hvs.factoryToken000111222333";
        try (VaultStandIn vault = new VaultStandIn(token, null);
                CustodyBackends.Custody c = CustodyBackends.open(new CustodyConfig("vault", "vault", dataDir, null, null,
                        VaultSettings.of(vault.address(), token.toCharArray())))) {
            assertThat(c.keys()).isInstanceOf(VaultTransitCustody.class);
            KeyHandle key = c.keys().generate("vault-root", KeyAlgorithm.EC_P256);
            assertThat(key.backend()).isEqualTo("vault");
            c.secrets().put("something", "kept in vault");
            assertThat(c.secrets().get("something")).contains("kept in vault");
        }
        assertThat(dataDir.resolve("secrets")).doesNotExist();
    }

    @Test
    void pkcs12PasswordCanLiveInVault() throws Exception {
        String token = "hvs.factoryToken444555666777";
        try (VaultStandIn vault = new VaultStandIn(token, null)) {
            CustodyConfig config = new CustodyConfig("pkcs12", "vault", dataDir, null, null, VaultSettings.of(vault.address(), token.toCharArray()));
            try (CustodyBackends.Custody c = CustodyBackends.open(config)) {
                c.keys().generate("k", KeyAlgorithm.EC_P256);
                assertThat(c.secrets().get(CustodyBackends.PKCS12_PASSWORD_SECRET)).isPresent();
            }
            try (CustodyBackends.Custody again = CustodyBackends.open(config)) {
                assertThat(again.keys().exists("k")).isTrue();
            }
        }
    }

    @Test
    void missingSettingsAreClearErrors() {
        assertThatThrownBy(() -> CustodyBackends.open(new CustodyConfig("hsm", null, dataDir, null, null, null)))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("unknown key custody backend 'hsm'");
        assertThatThrownBy(() -> CustodyBackends.open(new CustodyConfig(null, "etcd", dataDir, null, null, null)))
                .hasMessageContaining("unknown secret store 'etcd'");
        assertThatThrownBy(() -> CustodyBackends.open(new CustodyConfig("pkcs11", null, dataDir, null, null, null)))
                .hasMessageContaining("ocppsec.custody.pkcs11.library");
        assertThatThrownBy(() -> CustodyBackends.open(new CustodyConfig("pkcs11", null, dataDir,
                null, new CustodyConfig.Pkcs11(Path.of("/usr/lib/softhsm/libsofthsm2.so"), null, 0, null, null), null)))
                .hasMessageContaining("no PKCS#11 PIN")
                .hasMessageContaining(CustodyBackends.PKCS11_PIN_SECRET);
        assertThatThrownBy(() -> CustodyBackends.open(new CustodyConfig("vault", null, dataDir, null, null, null)))
                .hasMessageContaining("ocppsec.custody.vault.address");
    }
}
