package io.ocppsec.pki.custody.vault;

import io.github.jopenlibs.vault.json.JsonObject;
import io.github.jopenlibs.vault.json.JsonValue;
import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.SecretStore;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Secrets in Vault's KV version 2 engine: secret {@code name} is the field {@code value} of
 * {@code <kv-mount>/data/<prefix>/<name>} ({@code GET} reads {@code data.data.value},
 * {@code POST} writes {@code {"data":{"value":...}}}, making a new version). A missing secret, or
 * one whose latest version is deleted, is {@link Optional#empty()}.
 *
 * <p>Thread-safe. Secret values never appear in a message or log line.
 */
public final class VaultKvSecretStore implements SecretStore {
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final VaultClient client;
    private final String dataPath;

    private VaultKvSecretStore(VaultClient client, String dataPath) {
        this.client = client;
        this.dataPath = dataPath;
    }

    /** A store on the KV v2 engine described by {@code settings}. */
    public static VaultKvSecretStore open(VaultSettings settings) {
        return new VaultKvSecretStore(new VaultClient(settings), settings.kvMount() + "/data/" + settings.kvPrefix() + "/");
    }

    @Override
    public Optional<String> get(String name) {
        String op = "read secret " + checked(name);
        VaultClient.Answer a = client.read(dataPath + name, op);
        if (a.isAbsent()) {
            return Optional.empty();
        }
        if (a.status() != 200) {
            throw client.refusal(a, op);
        }
        JsonValue inner = a.data().get("data");
        if (inner == null || inner.isNull()) {
            return Optional.empty(); // latest version deleted or destroyed
        }
        if (!inner.isObject()) {
            throw new CustodyException(client.where() + " answered the request to " + op + " without a KV v2 data object"
                    + " (is " + dataPath + " on a KV version 2 mount?)");
        }
        JsonValue value = inner.asObject().get("value");
        if (value == null || value.isNull()) {
            return Optional.empty();
        }
        if (!value.isString()) {
            throw new CustodyException("secret " + name + " in " + client.where() + " has a 'value' that is not a string");
        }
        return Optional.of(value.asString());
    }

    @Override
    public void put(String name, String value) {
        if (value == null) {
            throw new CustodyException("a secret value is required");
        }
        String op = "write secret " + checked(name);
        VaultClient.Answer a = client.write(dataPath + name, Map.of("data", new JsonObject().add("value", value)), op);
        if (a.status() / 100 != 2) {
            throw client.refusal(a, op);
        }
    }

    @Override
    public String toString() {
        return "VaultKvSecretStore[" + client.where() + ", " + dataPath + "]";
    }

    private static String checked(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new CustodyException("invalid secret name: use 1 to 128 characters from A-Z a-z 0-9 . _ -, starting with a letter or digit");
        }
        return name;
    }
}
