package io.ocppsec.ocpp.message.type;

/**
 * SetVariableDataType. When the variable is a write-only secret (SecurityCtrlr.BasicAuthPassword,
 * NetworkConfiguration.BasicAuthPassword) {@link #toString()} leaves the value out (A01.FR.09).
 */
public record SetVariableData(
        Attribute attributeType,
        String attributeValue,
        Component component,
        Variable variable) {

    /**
     * Whether this sets a password, whose value must never be logged. (Not named like a bean
     * getter on purpose: it must not become a JSON property.)
     */
    public boolean holdsSecret() {
        return variable != null && "BasicAuthPassword".equals(variable.name());
    }

    @Override
    public String toString() {
        return "SetVariableData[attributeType=" + attributeType
                + ", attributeValue=" + (holdsSecret() ? "<redacted>" : attributeValue)
                + ", component=" + component + ", variable=" + variable + "]";
    }
}
