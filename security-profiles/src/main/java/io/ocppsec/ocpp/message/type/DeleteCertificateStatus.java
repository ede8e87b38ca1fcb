package io.ocppsec.ocpp.message.type;

/**
 * DeleteCertificateStatusEnumType: Outcome of DeleteCertificate.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum DeleteCertificateStatus {
    Accepted,
    Failed,
    NotFound
}
