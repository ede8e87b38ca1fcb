package io.ocppsec.pki.broker;

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
import tools.jackson.databind.json.JsonMapper;

/**
 * The official OCPP JSON schemas from {@code <ocppsec.shared.dir>/ocpp-schemas} (read in place,
 * never copied) as the oracle for what the broker accepts and answers: draft-07, formats asserted.
 */
final class OfficialSchemas {
    private static final JsonMapper READER = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER).build()));
    private final Map<String, Schema> compiled = new HashMap<>();

    static Path directory() {
        String shared = System.getProperty("ocppsec.shared.dir");
        return (shared == null || shared.isBlank() ? Path.of("..", "..", "shared") : Path.of(shared)).resolve("ocpp-schemas");
    }

    /** The oracle; skips the calling test with a message when the schemas are absent. */
    static OfficialSchemas require() {
        Assumptions.assumeTrue(Files.isRegularFile(directory().resolve("ocpp2_1.json")),
                "../shared/ocpp-schemas not found: official-schema checks skipped (looked in "
                        + directory().toAbsolutePath().normalize() + ")");
        OfficialSchemas s = new OfficialSchemas();
        s.load("ocpp2_0_1.json");
        s.load("ocpp2_1.json");
        return s;
    }

    private void load(String file) {
        try {
            for (JsonNode n : READER.readTree(Files.readString(directory().resolve(file)))) {
                String id = n.get("$id").stringValue();
                Schema c = REGISTRY.getSchema(SchemaLocation.of(id), n);
                c.initializeValidators();
                compiled.put(id, c);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Errors of {@code payload} against the schema of {@code action} (request or response) in {@code version}. */
    String errors(String version, String action, boolean request, JsonNode payload) {
        String id = version.equals("2.0.1") ? "urn:" + action + (request ? ".req" : ".conf")
                : "urn:" + action + (request ? "Request" : "Response");
        Schema s = compiled.get(id);
        if (s == null) {
            return "no official schema " + id;
        }
        List<Error> errors = s.validate(payload);
        return errors.stream().map(Error::toString).collect(Collectors.joining("; "));
    }
}
