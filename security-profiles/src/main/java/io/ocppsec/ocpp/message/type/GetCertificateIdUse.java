package io.ocppsec.ocpp.message.type;

/**
 * GetCertificateIdUseEnumType: Certificate kinds a station reports in GetInstalledCertificateIds. OEMRootCertificate is new in OCPP 2.1.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum GetCertificateIdUse {
    V2GRootCertificate,
    MORootCertificate,
    CSMSRootCertificate,
    V2GCertificateChain,
    ManufacturerRootCertificate,
    OEMRootCertificate
}
