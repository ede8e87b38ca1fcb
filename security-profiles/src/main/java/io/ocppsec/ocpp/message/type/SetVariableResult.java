package io.ocppsec.ocpp.message.type;

/** SetVariableResultType: the station's answer for one SetVariableData. */
public record SetVariableResult(
        Attribute attributeType,
        SetVariableStatus attributeStatus,
        StatusInfo attributeStatusInfo,
        Component component,
        Variable variable) {
}
