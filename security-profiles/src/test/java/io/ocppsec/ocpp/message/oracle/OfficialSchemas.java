package io.ocppsec.ocpp.message.oracle;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.Action;
import io.ocppsec.ocpp.message.OcppCodec.Kind;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The official OCPP JSON schemas (third party, read only) from {@code <ocppsec.shared.dir>/ocpp-schemas},
 * parsed once per version, with a networknt validator compiled once per message schema.
 *
 * <p>The files are never copied into the project. When the folder or a file is absent (a fresh
 * clone without {@code ../shared}) {@link #of(OcppVersion)} aborts the calling test with an
 * assumption failure, so the suite skips instead of failing.
 *
 * <p>networknt is configured for draft-07 with {@code format} <em>asserted</em>
 * ({@code formatAssertionsEnabled(true)}): a malformed {@code date-time} is an error, not just an
 * annotation, and JSON Pointers are used as instance locations.
 */
final class OfficialSchemas {
    static final String SHARED_DIR_PROPERTY = "ocppsec.shared.dir";
    static final String SKIP_MESSAGE = "../shared/ocpp-schemas not found: schema oracle tests skipped";

    private static final Map<OcppVersion, OfficialSchemas> LOADED = new EnumMap<>(OcppVersion.class);
    private static final JsonMapper READER = JsonMapper.builder().build();
    private static final SchemaRegistry REGISTRY = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_7,
            b -> b.schemaRegistryConfig(SchemaRegistryConfig.builder()
                    .formatAssertionsEnabled(true)
                    .pathType(PathType.JSON_POINTER)
                    .build()));

    private final OcppVersion version;
    private final Map<String, JsonNode> byId;
    private final Map<String, Set<String>> enumDefinitions;
    private final Map<String, Schema> compiled = new ConcurrentHashMap<>();

    private OfficialSchemas(OcppVersion version, JsonNode array) {
        this.version = version;
        Map<String, JsonNode> ids = new LinkedHashMap<>();
        Map<String, Set<String>> enums = new LinkedHashMap<>();
        for (JsonNode schema : array) {
            ids.put(schema.get("$id").stringValue(), schema);
            for (Map.Entry<String, JsonNode> d : schema.path("definitions").properties()) {
                JsonNode values = d.getValue().get("enum");
                if (values != null) {
                    Set<String> set = enums.computeIfAbsent(d.getKey(), k -> new LinkedHashSet<>());
                    values.forEach(v -> set.add(v.stringValue()));
                }
            }
        }
        this.byId = Collections.unmodifiableMap(ids);
        this.enumDefinitions = Collections.unmodifiableMap(enums);
    }

    /** The folder holding the official schemas. */
    static Path directory() {
        String shared = System.getProperty(SHARED_DIR_PROPERTY);
        return (shared == null || shared.isBlank() ? Path.of("..", "..", "shared") : Path.of(shared)).resolve("ocpp-schemas");
    }

    /** Whether the schemas of {@code version} can be read (no assumption, for providers). */
    static boolean available(OcppVersion version) {
        return Files.isRegularFile(directory().resolve(fileName(version)));
    }

    /**
     * The official schemas of {@code version}; aborts (skips) the calling test when they are absent.
     */
    static OfficialSchemas of(OcppVersion version) {
        Path dir = directory();
        Assumptions.assumeTrue(Files.isDirectory(dir), SKIP_MESSAGE);
        Path file = dir.resolve(fileName(version));
        Assumptions.assumeTrue(Files.isRegularFile(file), file + " not found: schema oracle tests skipped");
        synchronized (LOADED) {
            return LOADED.computeIfAbsent(version, v -> {
                try {
                    return new OfficialSchemas(v, READER.readTree(Files.readString(file)));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    static String fileName(OcppVersion version) {
        return switch (version) {
            case OCPP_1_6 -> "ocpp1_6.json";
            case OCPP_2_0_1 -> "ocpp2_0_1.json";
            case OCPP_2_1 -> "ocpp2_1.json";
        };
    }

    /** The {@code $id} of a message schema: {@code urn:X.req/.conf} in 2.0.1, {@code urn:XRequest/Response} in 2.1. */
    static String id(OcppVersion version, Action action, Kind kind) {
        return id(version, action.wireName(), kind);
    }

    /** The {@code $id} of the message schema of an action given by its wire name. */
    static String id(OcppVersion version, String action, Kind kind) {
        boolean request = kind == Kind.REQUEST;
        return switch (version) {
            case OCPP_2_0_1 -> "urn:" + action + (request ? ".req" : ".conf");
            case OCPP_2_1 -> "urn:" + action + (request ? "Request" : "Response");
            case OCPP_1_6 -> throw new IllegalArgumentException("no typed messages for OCPP 1.6");
        };
    }

    OcppVersion version() {
        return version;
    }

    /** The raw schema of a message (with its {@code definitions}), or null when this version lacks it. */
    JsonNode schema(Action action, Kind kind) {
        return schema(action.wireName(), kind);
    }

    /** The raw schema of a message by its action's wire name, or null when this version lacks it. */
    JsonNode schema(String action, Kind kind) {
        return byId.get(id(version, action, kind));
    }

    boolean has(Action action, Kind kind) {
        return schema(action, kind) != null;
    }

    boolean has(String action, Kind kind) {
        return schema(action, kind) != null;
    }

    /** Every enumeration definition of this version's file by name ({@code CertificateSigningUseEnumType}, ...). */
    Map<String, Set<String>> enumDefinitions() {
        return enumDefinitions;
    }

    /** networknt's errors for {@code payload}; empty when the official schema accepts it. */
    List<Error> errors(Action action, Kind kind, JsonNode payload) {
        return errors(action.wireName(), kind, payload);
    }

    /** networknt's errors for {@code payload} of the action with this wire name. */
    List<Error> errors(String action, Kind kind, JsonNode payload) {
        String id = id(version, action, kind);
        Schema schema = compiled.computeIfAbsent(id, k -> {
            JsonNode node = byId.get(k);
            if (node == null) {
                throw new IllegalArgumentException(k + " is not in " + fileName(version));
            }
            Schema s = REGISTRY.getSchema(SchemaLocation.of(k), node);
            s.initializeValidators();
            return s;
        });
        return schema.validate(payload);
    }

    boolean accepts(Action action, Kind kind, JsonNode payload) {
        return errors(action, kind, payload).isEmpty();
    }

    /**
     * The JSON Pointers an error can be said to point at: its instance location and, for
     * {@code required} / {@code additionalProperties} (reported on the parent object), the property
     * below it.
     */
    static List<String> pointers(Error e) {
        List<String> out = new ArrayList<>(2);
        String location = e.getInstanceLocation() == null ? "" : e.getInstanceLocation().toString();
        out.add(location);
        if (e.getProperty() != null) {
            out.add(location + "/" + SchemaExamples.escape(e.getProperty()));
        }
        return out;
    }
}
