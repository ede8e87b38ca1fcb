package io.ocppsec.ocpp.message.type;

/**
 * CertificateStatusEnumType: OCPP 2.1 GetCertificateChainStatus: revocation status of one certificate.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum CertificateStatusEnum {
    Good,
    Revoked,
    Unknown,
    Failed
}
