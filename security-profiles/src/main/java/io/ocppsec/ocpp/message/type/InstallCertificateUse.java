package io.ocppsec.ocpp.message.type;

/**
 * InstallCertificateUseEnumType: Root certificate kinds InstallCertificate installs. OEMRootCertificate is new in OCPP 2.1.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum InstallCertificateUse {
    V2GRootCertificate,
    MORootCertificate,
    CSMSRootCertificate,
    ManufacturerRootCertificate,
    OEMRootCertificate
}
