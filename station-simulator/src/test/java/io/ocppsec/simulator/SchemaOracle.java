package io.ocppsec.simulator;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.simulator.testing.StandInCsms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official OCPP JSON schemas from {@code <ocppsec.shared.dir>/ocpp-schemas} (read only, never
 * copied), as an independent oracle for what the simulator sends: draft-07 with {@code format}
 * asserted, compiled once per message. The same approach as security-profiles' schema oracle tests.
 */
final class SchemaOracle implements StandInCsms.FrameCheck {
    static final String SKIP_MESSAGE = "../shared/ocpp-schemas not found: the official-schema checks of the simulator "
            + "are skipped";

    private static final JsonMapper READER = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER)
                    .build()));
    private static final Map<OcppVersion, Map<String, JsonNode>> LOADED = new EnumMap<>(OcppVersion.class);

    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    /** The folder of the official schemas. */
    static Path directory() {
        String shared = System.getProperty("ocppsec.shared.dir");
        return (shared == null || shared.isBlank() ? Path.of("..", "..", "shared") : Path.of(shared)).resolve("ocpp-schemas");
    }

    static boolean available() {
        return Files.isRegularFile(directory().resolve("ocpp2_0_1.json")) && Files.isRegularFile(directory().resolve("ocpp2_1.json"));
    }

    /** The oracle; skips the calling test (with a clear message) when the schemas are absent. */
    static SchemaOracle require() {
        Assumptions.assumeTrue(available(), SKIP_MESSAGE + " (looked in " + directory().toAbsolutePath().normalize() + ")");
        return new SchemaOracle();
    }

    @Override
    public Optional<String> check(OcppVersion version, String action, boolean request, JsonNode payload) {
        String id = id(version, action, request);
        JsonNode schema = schemas(version).get(id);
        if (schema == null) {
            return Optional.of("no official schema " + id);
        }
        Schema s = compiled.computeIfAbsent(version + " " + id, k -> {
            Schema c = REGISTRY.getSchema(SchemaLocation.of(id), schema);
            c.initializeValidators();
            return c;
        });
        List<Error> errors = s.validate(payload);
        return errors.isEmpty() ? Optional.empty()
                : Optional.of(errors.stream().map(Error::toString).collect(Collectors.joining("; ")));
    }

    static String id(OcppVersion version, String action, boolean request) {
        return switch (version) {
            case OCPP_2_0_1 -> "urn:" + action + (request ? ".req" : ".conf");
            case OCPP_2_1 -> "urn:" + action + (request ? "Request" : "Response");
            case OCPP_1_6 -> throw new IllegalArgumentException("not simulated");
        };
    }

    private static Map<String, JsonNode> schemas(OcppVersion version) {
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(version, v -> {
                Path file = directory().resolve(v == OcppVersion.OCPP_2_0_1 ? "ocpp2_0_1.json" : "ocpp2_1.json");
                try {
                    Map<String, JsonNode> byId = new HashMap<>();
                    for (JsonNode n : READER.readTree(Files.readString(file))) {
                        byId.put(n.get("$id").stringValue(), n);
                    }
                    return byId;
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
