package io.ocppsec.ocpp.message.type;

/**
 * TriggerMessageStatusEnumType: Outcome of TriggerMessage.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum TriggerMessageStatus {
    Accepted,
    Rejected,
    NotImplemented
}
