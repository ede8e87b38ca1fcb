package io.ocppsec.ocpp.schema;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * A JSON object with named properties, each required or optional. Every OCPP 2.0.1/2.1 object is
 * closed (no properties beyond its own) except CustomDataType, which only requires a vendorId.
 */
public final class ObjectShape extends Shape {

    /** One property of an object. */
    public record Property(Shape shape, boolean required) {
    }

    private final Map<String, Property> properties;
    /** The required property names in declaration order (checked on every message). */
    private final String[] required;
    private final boolean closed;

    ObjectShape(Map<String, Property> properties, boolean closed) {
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        this.required = this.properties.entrySet().stream().filter(e -> e.getValue().required())
                .map(Map.Entry::getKey).toArray(String[]::new);
        this.closed = closed;
    }

    /** The properties in declaration order. */
    public Map<String, Property> properties() {
        return properties;
    }

    /** Whether properties other than the declared ones are refused. */
    public boolean isClosed() {
        return closed;
    }

    @Override
    Violation check(JsonNode value, Path path) {
        if (value == null || !value.isObject()) {
            return typeMismatch(value, path);
        }
        for (String name : required) {
            if (!value.has(name)) {
                return new Violation(RpcErrorCode.OccurrenceConstraintViolation, path.property(name).pointer(),
                        "required field is missing");
            }
        }
        for (Map.Entry<String, JsonNode> field : value.properties()) {
            Property p = properties.get(field.getKey());
            if (p == null) {
                if (closed) {
                    return new Violation(RpcErrorCode.OccurrenceConstraintViolation, path.property(field.getKey()).pointer(),
                            "field is not part of this message");
                }
                continue;
            }
            Violation v = p.shape().check(field.getValue(), path.property(field.getKey()));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    @Override
    String typeName() {
        return "object";
    }
}
