package io.ocppsec.ocpp.message.type;

/**
 * SetNetworkProfileStatusEnumType: Outcome of SetNetworkProfile.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum SetNetworkProfileStatus {
    Accepted,
    Rejected,
    Failed
}
