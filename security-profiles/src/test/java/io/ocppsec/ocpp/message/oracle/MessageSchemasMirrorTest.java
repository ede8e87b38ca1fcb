package io.ocppsec.ocpp.message.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.ocpp.message.MessageSchemas;
import io.ocppsec.ocpp.schema.ArrayShape;
import io.ocppsec.ocpp.schema.BooleanShape;
import io.ocppsec.ocpp.schema.IntegerShape;
import io.ocppsec.ocpp.schema.NumberShape;
import io.ocppsec.ocpp.schema.ObjectShape;
import io.ocppsec.ocpp.schema.Shape;
import io.ocppsec.ocpp.schema.StringShape;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * Compares our hand-written rules ({@link MessageSchemas}, and {@code CoreSchemas} for the untyped
 * core actions) with the official schemas node by node:
 * same properties, same required ones, same closedness, same types, lengths, enumerations,
 * minimums, item counts and date-time formats. The example-based {@link SchemaOracleTest} judges
 * behaviour; this test names the exact schema path of any structural difference, and catches the
 * one thing examples drawn from the official schema cannot: a property our rules accept that the
 * official schema does not have at all.
 *
 * <p>Schema paths are written as {@code <$id>#<JSON Pointer into the schema document>}, following
 * {@code $ref}s, e.g. {@code urn:SignCertificateRequest#/definitions/CertificateHashDataType/properties/serialNumber}.
 */
@DisplayName("MessageSchemas mirror the official schemas structurally")
class MessageSchemasMirrorTest {

    static java.util.stream.Stream<SchemaOracleTest.Case> cases() {
        return SchemaOracleTest.cases();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void sameStructureAsOfficialSchema(SchemaOracleTest.Case c) {
        OfficialSchemas official = OfficialSchemas.of(c.version());
        JsonNode schema = official.schema(c.action(), c.kind());
        ObjectShape shape = c.rules(c.version());
        assertThat(schema).as("official schema of %s", c).isNotNull();
        assertThat(shape).as("our rules of %s", c).isNotNull();
        List<String> differences = new ArrayList<>();
        new Mirror(schema, OfficialSchemas.id(c.version(), c.action(), c.kind()), differences).compare(schema, "", shape);
        assertThat(differences).as("structural differences of %s from %s", c, OfficialSchemas.fileName(c.version()))
                .isEmpty();
    }

    /** Walks an official schema and one of our shapes in step. */
    static final class Mirror {
        private final JsonNode definitions;
        private final String id;
        private final List<String> out;

        Mirror(JsonNode root, String id, List<String> out) {
            this.definitions = root.path("definitions");
            this.id = id;
            this.out = out;
        }

        void compare(JsonNode schema, String where, Shape shape) {
            String path = where;
            JsonNode s = schema;
            while (s.has("$ref")) {
                String ref = s.get("$ref").stringValue();
                path = ref.substring(1);
                s = definitions.get(ref.substring("#/definitions/".length()));
            }
            String type = s.path("type").asString("");
            switch (type) {
                case "object" -> {
                    if (!(shape instanceof ObjectShape o)) {
                        differ(path, "official type object, ours " + kind(shape));
                        return;
                    }
                    boolean closed = s.path("additionalProperties").isBoolean() && !s.get("additionalProperties").booleanValue();
                    if (closed != o.isClosed()) {
                        differ(path, "official additionalProperties " + (closed ? "false" : "allowed")
                                + ", ours " + (o.isClosed() ? "closed" : "open"));
                    }
                    Set<String> officialProps = new LinkedHashSet<>(s.path("properties").propertyNames());
                    Set<String> required = new LinkedHashSet<>();
                    s.path("required").forEach(r -> required.add(r.stringValue()));
                    Set<String> onlyOurs = new TreeSet<>(o.properties().keySet());
                    onlyOurs.removeAll(officialProps);
                    for (String extra : onlyOurs) {
                        differ(path + "/properties/" + extra, "property not in the official schema, but accepted by ours"
                                + (o.properties().get(extra).required() ? " (and required)" : ""));
                    }
                    for (String name : officialProps) {
                        ObjectShape.Property p = o.properties().get(name);
                        String pp = path + "/properties/" + name;
                        if (p == null) {
                            differ(pp, "property of the official schema" + (required.contains(name) ? " (required)" : "")
                                    + " missing from ours");
                            continue;
                        }
                        if (p.required() != required.contains(name)) {
                            differ(pp, "official " + (required.contains(name) ? "required" : "optional")
                                    + ", ours " + (p.required() ? "required" : "optional"));
                        }
                        compare(s.get("properties").get(name), pp, p.shape());
                    }
                }
                case "array" -> {
                    if (!(shape instanceof ArrayShape a)) {
                        differ(path, "official type array, ours " + kind(shape));
                        return;
                    }
                    int min = s.path("minItems").asInt(0);
                    int max = s.has("maxItems") ? s.get("maxItems").intValue() : -1;
                    if (min != a.minItems()) {
                        differ(path, "official minItems " + min + ", ours " + a.minItems());
                    }
                    if (max != a.maxItems()) {
                        differ(path, "official maxItems " + (max < 0 ? "none" : max) + ", ours "
                                + (a.maxItems() < 0 ? "none" : a.maxItems()));
                    }
                    compare(s.get("items"), path + "/items", a.items());
                }
                case "string" -> {
                    if (!(shape instanceof StringShape str)) {
                        differ(path, "official type string, ours " + kind(shape));
                        return;
                    }
                    int max = s.has("maxLength") ? s.get("maxLength").intValue() : -1;
                    if (max != str.maxLength()) {
                        differ(path, "official maxLength " + (max < 0 ? "none" : max) + ", ours "
                                + (str.maxLength() < 0 ? "none" : str.maxLength()));
                    }
                    Set<String> officialEnum = null;
                    if (s.has("enum")) {
                        officialEnum = new LinkedHashSet<>();
                        for (JsonNode v : s.get("enum")) {
                            officialEnum.add(v.stringValue());
                        }
                    }
                    Set<String> ourEnum = str.allowedValues() == null ? null : new LinkedHashSet<>(str.allowedValues());
                    if (!Objects.equals(officialEnum, ourEnum)) {
                        differ(path, "official enum " + officialEnum + ", ours " + ourEnum);
                    }
                    boolean dateTime = "date-time".equals(s.path("format").asString(""));
                    if (dateTime != str.isDateTime()) {
                        differ(path, "official format " + (dateTime ? "date-time" : "none") + ", ours "
                                + (str.isDateTime() ? "date-time" : "none"));
                    }
                }
                case "integer" -> {
                    if (!(shape instanceof IntegerShape i)) {
                        differ(path, "official type integer, ours " + kind(shape));
                        return;
                    }
                    Long min = s.has("minimum") ? s.get("minimum").longValue() : null;
                    Long max = s.has("maximum") ? s.get("maximum").longValue() : null;
                    if (!Objects.equals(min, i.minimum()) || !Objects.equals(max, i.maximum())) {
                        differ(path, "official minimum/maximum " + min + "/" + max + ", ours " + i.minimum() + "/" + i.maximum());
                    }
                }
                case "number" -> {
                    if (!(shape instanceof NumberShape n)) {
                        differ(path, "official type number, ours " + kind(shape));
                        return;
                    }
                    java.math.BigDecimal min = s.has("minimum") ? s.get("minimum").decimalValue() : null;
                    if (min == null ? n.minimum() != null : n.minimum() == null || min.compareTo(n.minimum()) != 0) {
                        differ(path, "official minimum " + min + ", ours " + n.minimum());
                    }
                }
                case "boolean" -> {
                    if (!(shape instanceof BooleanShape)) {
                        differ(path, "official type boolean, ours " + kind(shape));
                    }
                }
                default -> differ(path, "official schema uses type '" + type + "' which this test does not know");
            }
        }

        private void differ(String schemaPath, String what) {
            out.add(id + "#" + schemaPath + ": " + what);
        }

        private static String kind(Shape shape) {
            return shape == null ? "nothing" : shape.getClass().getSimpleName();
        }
    }
}
