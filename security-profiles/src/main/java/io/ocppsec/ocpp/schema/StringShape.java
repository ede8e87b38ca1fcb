package io.ocppsec.ocpp.schema;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A JSON string, optionally limited in length (counted in Unicode code points, as JSON Schema
 * counts), restricted to an enumeration, or required to be an RFC 3339 date-time.
 */
public final class StringShape extends Shape {
    private final int maxLength;
    private final Set<String> allowed;
    private final List<String> allowedInOrder;
    private final boolean dateTime;

    StringShape(int maxLength, List<String> allowed, boolean dateTime) {
        this.maxLength = maxLength;
        this.allowedInOrder = allowed == null ? null : List.copyOf(allowed);
        this.allowed = allowed == null ? null : Set.copyOf(allowed);
        this.dateTime = dateTime;
    }

    /** The maximum length in code points, or -1. */
    public int maxLength() {
        return maxLength;
    }

    /** The enumeration, in schema order, or null when any string of the right length is allowed. */
    public List<String> allowedValues() {
        return allowedInOrder;
    }

    public boolean isDateTime() {
        return dateTime;
    }

    @Override
    Violation check(JsonNode value, Path path) {
        if (value == null || !value.isString()) {
            return typeMismatch(value, path);
        }
        String s = value.stringValue();
        if (maxLength >= 0 && s.length() > maxLength && s.codePointCount(0, s.length()) > maxLength) {
            return new Violation(RpcErrorCode.PropertyConstraintViolation, path.pointer(),
                    "longer than " + maxLength + " characters");
        }
        if (allowed != null && !allowed.contains(s)) {
            return new Violation(RpcErrorCode.PropertyConstraintViolation, path.pointer(),
                    "not one of the allowed values " + abbreviatedValues());
        }
        if (dateTime && !OcppDateTime.isValid(s)) {
            return new Violation(RpcErrorCode.TypeConstraintViolation, path.pointer(),
                    "not an RFC 3339 date-time");
        }
        return null;
    }

    private String abbreviatedValues() {
        String all = String.join(", ", allowedInOrder);
        return all.length() <= 160 ? "[" + all + "]" : "[" + all.substring(0, 157) + "...]";
    }

    @Override
    String typeName() {
        return dateTime ? "date-time string" : "string";
    }
}
