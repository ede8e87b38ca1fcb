package io.ocppsec.ocpp.message.type;

/**
 * CertificateStatusSourceEnumType: OCPP 2.1: where a certificate status comes from.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum CertificateStatusSource {
    CRL,
    OCSP
}
