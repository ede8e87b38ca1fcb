package io.ocppsec.ocpp.message.type;

/**
 * Iso15118EVCertificateStatusEnumType: Outcome of Get15118EVCertificate.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum Iso15118EVCertificateStatus {
    Accepted,
    Failed
}
