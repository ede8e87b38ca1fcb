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
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;

/**
 * The official OCPP JSON schemas from {@code <ocppsec.shared.dir>/ocpp-schemas} (read in place,
 * never copied) as the oracle for what pki-service sends to stations: draft-07 with {@code format}
 * asserted, as the simulator's and security-profiles' schema oracles do.
 */
final class OfficialSchemas {
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER).build()));
    private static final Map<String, Map<String, JsonNode>> LOADED = new ConcurrentHashMap<>();
    private static final Map<String, Schema> COMPILED = new ConcurrentHashMap<>();

    private OfficialSchemas() {
    }

    static Path directory() {
        String shared = System.getProperty("ocppsec.shared.dir");
        return (shared == null || shared.isBlank() ? Path.of("..", "..", "shared") : Path.of(shared)).resolve("ocpp-schemas");
    }

    /** Skips the calling test, with the reason, when the schemas are not there. */
    static void require() {
        Assumptions.assumeTrue(Files.isRegularFile(directory().resolve("ocpp2_0_1.json"))
                && Files.isRegularFile(directory().resolve("ocpp2_1.json")),
                "official OCPP schemas not found in " + directory().toAbsolutePath().normalize());
    }

    /**
     * The violations of a request payload of {@code action} in {@code subprotocol} (ocpp2.0.1 or
     * ocpp2.1); empty when valid. Skips the calling test when the schemas are not there.
     */
    static List<String> requestViolations(String subprotocol, String action, JsonNode payload) {
        require();
        boolean v201 = switch (subprotocol) {
            case "ocpp2.0.1" -> true;
            case "ocpp2.1" -> false;
            default -> throw new IllegalArgumentException("no schemas for " + subprotocol);
        };
        String id = v201 ? "urn:" + action + ".req" : "urn:" + action + "Request";
        JsonNode schema = schemas(v201 ? "ocpp2_0_1.json" : "ocpp2_1.json").get(id);
        if (schema == null) {
            return List.of("no official schema " + id);
        }
        Schema s = COMPILED.computeIfAbsent(subprotocol + " " + id, k -> {
            Schema c = REGISTRY.getSchema(SchemaLocation.of(id), schema);
            c.initializeValidators();
            return c;
        });
        return s.validate(payload).stream().map(Error::toString).collect(Collectors.toList());
    }

    /** The violations of a response payload of {@code action}; empty when valid. Skips when the schemas are absent. */
    static List<String> responseViolations(String subprotocol, String action, JsonNode payload) {
        require();
        boolean v201 = switch (subprotocol) {
            case "ocpp2.0.1" -> true;
            case "ocpp2.1" -> false;
            default -> throw new IllegalArgumentException("no schemas for " + subprotocol);
        };
        String id = v201 ? "urn:" + action + ".conf" : "urn:" + action + "Response";
        JsonNode schema = schemas(v201 ? "ocpp2_0_1.json" : "ocpp2_1.json").get(id);
        if (schema == null) {
            return List.of("no official schema " + id);
        }
        Schema s = COMPILED.computeIfAbsent(subprotocol + " " + id, k -> {
            Schema c = REGISTRY.getSchema(SchemaLocation.of(id), schema);
            c.initializeValidators();
            return c;
        });
        return s.validate(payload).stream().map(Error::toString).collect(Collectors.toList());
    }

    private static Map<String, JsonNode> schemas(String file) {
        return LOADED.computeIfAbsent(file, f -> {
            try {
                Map<String, JsonNode> byId = new HashMap<>();
                for (JsonNode n : Api.JSON.readTree(Files.readString(directory().resolve(f)))) {
                    byId.put(n.get("$id").stringValue(), n);
                }
                return byId;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }
}
