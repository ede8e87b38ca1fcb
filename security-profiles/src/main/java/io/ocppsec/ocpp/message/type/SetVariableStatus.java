package io.ocppsec.ocpp.message.type;

/**
 * SetVariableStatusEnumType: Outcome of one SetVariableData.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum SetVariableStatus {
    Accepted,
    Rejected,
    UnknownComponent,
    UnknownVariable,
    NotSupportedAttributeType,
    RebootRequired
}
