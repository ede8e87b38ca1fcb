package io.ocppsec.ocpp.schema;

import tools.jackson.databind.JsonNode;

/** A JSON boolean. */
public final class BooleanShape extends Shape {
    static final BooleanShape INSTANCE = new BooleanShape();

    private BooleanShape() {
    }

    @Override
    Violation check(JsonNode value, Path path) {
        return value != null && value.isBoolean() ? null : typeMismatch(value, path);
    }

    @Override
    String typeName() {
        return "boolean";
    }
}
