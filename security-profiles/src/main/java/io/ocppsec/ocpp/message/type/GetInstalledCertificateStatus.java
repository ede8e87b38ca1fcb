package io.ocppsec.ocpp.message.type;

/**
 * GetInstalledCertificateStatusEnumType: Outcome of GetInstalledCertificateIds.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum GetInstalledCertificateStatus {
    Accepted,
    NotFound
}
