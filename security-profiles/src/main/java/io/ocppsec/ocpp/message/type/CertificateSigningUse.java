package io.ocppsec.ocpp.message.type;

/**
 * CertificateSigningUseEnumType: What a signed certificate is for. V2G20Certificate is new in OCPP 2.1.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum CertificateSigningUse {
    ChargingStationCertificate,
    V2GCertificate,
    V2G20Certificate
}
