package io.ocppsec.ocpp.schema;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import tools.jackson.databind.JsonNode;

/** A JSON array of items of one shape, with a minimum and optionally a maximum number of items. */
public final class ArrayShape extends Shape {
    private final Shape items;
    private final int minItems;
    private final int maxItems;

    ArrayShape(Shape items, int minItems, int maxItems) {
        this.items = items;
        this.minItems = minItems;
        this.maxItems = maxItems;
    }

    public Shape items() {
        return items;
    }

    public int minItems() {
        return minItems;
    }

    /** The maximum number of items, or -1. */
    public int maxItems() {
        return maxItems;
    }

    @Override
    Violation check(JsonNode value, Path path) {
        if (value == null || !value.isArray()) {
            return typeMismatch(value, path);
        }
        int n = value.size();
        if (n < minItems) {
            return new Violation(RpcErrorCode.OccurrenceConstraintViolation, path.pointer(),
                    "fewer than " + minItems + " item" + (minItems == 1 ? "" : "s"));
        }
        if (maxItems >= 0 && n > maxItems) {
            return new Violation(RpcErrorCode.OccurrenceConstraintViolation, path.pointer(),
                    "more than " + maxItems + " items");
        }
        for (int i = 0; i < n; i++) {
            Violation v = items.check(value.get(i), path.index(i));
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    @Override
    String typeName() {
        return "array";
    }
}
