package io.ocppsec.ocpp.message.type;

/**
 * RegistrationStatusEnumType: BootNotificationResponse status.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum RegistrationStatus {
    Accepted,
    Pending,
    Rejected
}
