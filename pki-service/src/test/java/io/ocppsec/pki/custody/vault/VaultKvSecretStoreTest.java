package io.ocppsec.pki.custody.vault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.CustodyTestSupport;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The KV v2 secret store, through the real vault-java-driver, against {@link VaultStandIn}. */
class VaultKvSecretStoreTest {
    private static final String TOKEN = "hvs.kvStandInToken9876543210fedcba";
    private static VaultStandIn vault;

    @BeforeAll
    static void startVault() throws Exception {
        vault = new VaultStandIn(TOKEN, null, Set.of("transit"), Set.of("secret", "team/kv"));
    }

    @AfterAll
    static void stopVault() {
        vault.close();
    }

    private static VaultKvSecretStore store(String token, String mount, String prefix) {
        return VaultKvSecretStore.open(new VaultSettings(vault.address(), token.toCharArray(), null, null, mount, prefix, null, null, null));
    }

    @Test
    void secretRoundTripsThroughKvV2DataPaths() {
        VaultKvSecretStore store = store(TOKEN, null, null);
        assertThat(store.get("pkcs12-password")).isEmpty();
        vault.clearRequests();
        store.put("pkcs12-password", "s3cret value with spaces & ünïcode");
        assertThat(store.get("pkcs12-password")).contains("s3cret value with spaces & ünïcode");
        VaultStandIn.Request write = vault.requests().get(0);
        assertThat(write.method()).isEqualTo("POST");
        assertThat(write.path()).isEqualTo("/v1/secret/data/ocppsec/pkcs12-password");
        JsonNode body = write.body();
        assertThat(body.get("data").get("value").asString()).isEqualTo("s3cret value with spaces & ünïcode");
        assertThat(vault.requests().get(1).path()).isEqualTo("/v1/secret/data/ocppsec/pkcs12-password");
    }

    @Test
    void putMakesANewVersionAndGetReturnsTheLatest() {
        VaultKvSecretStore store = store(TOKEN, "team/kv", "svc/ocppsec");
        store.put("pin", "one");
        store.put("pin", "two");
        assertThat(store.get("pin")).contains("two");
        assertThat(vault.requests().stream().filter(r -> r.path().equals("/v1/team/kv/data/svc/ocppsec/pin"))).isNotEmpty();
    }

    @Test
    void wrongTokenIsAClearErrorThatShowsNeitherTokenNorSecret() {
        store(TOKEN, null, null).put("guarded", "the-secret-value-123");
        String wrong = "hvs.notTheRightTokenAtAll000";
        VaultKvSecretStore denied = store(wrong, null, null);
        assertThatThrownBy(() -> denied.get("guarded"))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("permission denied")
                .satisfies(e -> assertThat(CustodyTestSupport.everyMessage(e)).doesNotContain(wrong, TOKEN, "the-secret-value-123"));
        assertThatThrownBy(() -> denied.put("guarded", "attempted-overwrite-456"))
                .isInstanceOf(CustodyException.class)
                .satisfies(e -> assertThat(CustodyTestSupport.everyMessage(e)).doesNotContain("attempted-overwrite-456"));
    }

    @Test
    void unmountedPathIsAClearError() {
        VaultKvSecretStore store = store(TOKEN, "nokv", null);
        // Vault answers 404 both for a missing secret and for a path no engine handles; only
        // the second carries an error text ("no handler for route").
        assertThatThrownBy(() -> store.get("x"))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("is the engine mounted there?");
        assertThatThrownBy(() -> store.put("x", "y"))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("is the engine mounted there?");
    }

    @Test
    void secretNamesCannotEscapeThePrefix() {
        VaultKvSecretStore store = store(TOKEN, null, null);
        for (String bad : new String[] {"../other", "a/b", "", " x"}) {
            assertThatThrownBy(() -> store.get(bad)).isInstanceOf(CustodyException.class).hasMessageContaining("invalid secret name");
        }
    }
}
