package io.ocppsec.ocpp.message.type;

/**
 * AttributeEnumType: Which attribute of a device-model variable is meant (default Actual).
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum Attribute {
    Actual,
    Target,
    MinSet,
    MaxSet
}
