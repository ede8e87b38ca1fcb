package io.ocppsec.ocpp.message.type;

/**
 * GetCertificateStatusEnumType: Whether the OCSP status could be retrieved (not whether the certificate is good).
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum GetCertificateStatusEnum {
    Accepted,
    Failed
}
