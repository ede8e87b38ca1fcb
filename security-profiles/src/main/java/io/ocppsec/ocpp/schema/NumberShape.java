package io.ocppsec.ocpp.schema;

import io.ocppsec.ocpp.rpc.RpcErrorCode;
import java.math.BigDecimal;
import tools.jackson.databind.JsonNode;

/** A JSON number (OCPP decimal), optionally with a minimum. */
public final class NumberShape extends Shape {
    private final BigDecimal minimum;

    NumberShape(BigDecimal minimum) {
        this.minimum = minimum;
    }

    public BigDecimal minimum() {
        return minimum;
    }

    @Override
    Violation check(JsonNode value, Path path) {
        if (value == null || !value.isNumber()) {
            return typeMismatch(value, path);
        }
        if (minimum != null && value.decimalValue().compareTo(minimum) < 0) {
            return new Violation(RpcErrorCode.PropertyConstraintViolation, path.pointer(),
                    "less than minimum " + minimum.toPlainString());
        }
        return null;
    }

    @Override
    String typeName() {
        return "number";
    }
}
