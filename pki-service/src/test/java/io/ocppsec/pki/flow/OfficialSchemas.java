package io.ocppsec.pki.flow;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;

/**
 * The official OCPP JSON schemas from {@code <ocppsec.shared.dir>/ocpp-schemas} (read, never
 * copied) as the oracle for what pki-service sends to stations: draft-07, formats asserted. The
 * same approach as the station simulator's and security-profiles' schema oracles.
 */
final class OfficialSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER).build()));
    private static final Map<String, Map<String, JsonNode>> LOADED = new HashMap<>();

    private OfficialSchemas() {
    }

    static Path directory() {
        String shared = System.getProperty("ocppsec.shared.dir");
        return (shared == null || shared.isBlank() ? Path.of("..", "..", "shared") : Path.of(shared)).resolve("ocpp-schemas");
    }

    /**
     * The schema violations of a request payload for {@code subprotocol} (ocpp2.0.1 or ocpp2.1);
     * empty when it is valid. Skips the test when the schemas are not there.
     */
    static List<String> requestViolations(String subprotocol, String action, JsonNode payload) {
        boolean v21 = "ocpp2.1".equals(subprotocol);
        Path file = directory().resolve(v21 ? "ocpp2_1.json" : "ocpp2_0_1.json");
        Assumptions.assumeTrue(Files.isRegularFile(file), "official OCPP schemas not found at " + file.toAbsolutePath());
        String id = v21 ? "urn:" + action + "Request" : "urn:" + action + ".req";
        JsonNode schema;
        synchronized (LOADED) {
            schema = LOADED.computeIfAbsent(file.toString(), f -> {
                try {
                    Map<String, JsonNode> byId = new HashMap<>();
                    for (JsonNode n : Api.JSON.readTree(Files.readString(file))) {
                        byId.put(n.get("$id").stringValue(), n);
                    }
                    return byId;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).get(id);
        }
        if (schema == null) {
            return List.of("no official schema " + id);
        }
        Schema s = REGISTRY.getSchema(SchemaLocation.of(id), schema);
        s.initializeValidators();
        List<Error> errors = s.validate(payload);
        return errors.stream().map(Error::toString).collect(Collectors.toList());
    }
}
