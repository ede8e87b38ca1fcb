package io.ocppsec.ocpp.message.type;

/**
 * CertificateSignedStatusEnumType: Whether the station accepted the chain sent by CertificateSigned.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum CertificateSignedStatus {
    Accepted,
    Rejected
}
