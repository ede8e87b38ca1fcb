package io.ocppsec.ocpp.schema;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/**
 * A JSON integer. As in JSON Schema (draft 6 and later) a number with a zero fractional part
 * counts as an integer. OCPP's integer data type is 32-bit signed (Part 2 §2.1.4), so values
 * outside that range are refused as a data type violation even though the JSON schemas do not
 * say so.
 */
public final class IntegerShape extends Shape {
    private static final BigDecimal INT_MIN = BigDecimal.valueOf(Integer.MIN_VALUE);
    private static final BigDecimal INT_MAX = BigDecimal.valueOf(Integer.MAX_VALUE);

    private final Long minimum;
    private final Long maximum;

    IntegerShape(Long minimum, Long maximum) {
        this.minimum = minimum;
        this.maximum = maximum;
    }

    public Long minimum() {
        return minimum;
    }

    public Long maximum() {
        return maximum;
    }

    @Override
    Violation check(JsonNode value, Path path) {
        if (value == null || !value.isNumber()) {
            return typeMismatch(value, path);
        }
        long v;
        if (value.isIntegralNumber()) {
            if (!value.canConvertToInt()) {
                return outOfRange(path);
            }
            v = value.intValue();
        } else {
            BigDecimal d = value.decimalValue();
            // Compare before any exact conversion: a literal like 1e999999999 must stay cheap.
            if (d.compareTo(INT_MIN) < 0 || d.compareTo(INT_MAX) > 0) {
                return outOfRange(path);
            }
            if (d.signum() != 0 && d.stripTrailingZeros().scale() > 0) {
                return new Violation(RpcErrorCode.TypeConstraintViolation, path.pointer(),
                        "expected integer, got a number with a fraction");
            }
            v = d.intValue();
        }
        if (minimum != null && v < minimum) {
            return new Violation(RpcErrorCode.PropertyConstraintViolation, path.pointer(), "less than minimum " + minimum);
        }
        if (maximum != null && v > maximum) {
            return new Violation(RpcErrorCode.PropertyConstraintViolation, path.pointer(), "greater than maximum " + maximum);
        }
        return null;
    }

    private static Violation outOfRange(Path path) {
        return new Violation(RpcErrorCode.TypeConstraintViolation, path.pointer(),
                "integer outside the 32-bit range of OCPP's integer type");
    }

    @Override
    String typeName() {
        return "integer";
    }
}
