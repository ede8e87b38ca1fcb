package io.ocppsec.ocpp.schema;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import tools.jackson.databind.JsonNode;

/**
 * One node of a message's rules: what a JSON value at some place in an OCPP payload must look
 * like. The shapes mirror the subset of JSON Schema the official OCPP schemas use (object with
 * required and closed properties, string with maxLength / enum / date-time, integer and number
 * with minimum, boolean, array with min/max items), written out by hand per version in
 * {@code MessageSchemas} and held against the official schemas by the oracle tests.
 */
public abstract sealed class Shape
        permits ObjectShape, StringShape, IntegerShape, NumberShape, BooleanShape, ArrayShape {

    Shape() {
    }

    /** Checks a payload against this shape; empty when it conforms. */
    public final java.util.Optional<Violation> validate(JsonNode value) {
        return java.util.Optional.ofNullable(check(value, Path.ROOT));
    }

    /** The first violation at or below {@code path}, or {@code null}. */
    abstract Violation check(JsonNode value, Path path);

    /** A short human name of the JSON type this shape expects, for messages. */
    abstract String typeName();

    final Violation typeMismatch(JsonNode value, Path path) {
        String got = value == null || value.isMissingNode() ? "nothing" : value.isNull() ? "null" : value.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        return new Violation(RpcErrorCode.TypeConstraintViolation, path.pointer(), "expected " + typeName() + ", got " + got);
    }
}
