package io.ocppsec.ocpp.message.type;

/**
 * APNAuthenticationEnumType: How the modem authenticates to the APN.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum ApnAuthentication {
    PAP,
    CHAP,
    NONE,
    AUTO
}
