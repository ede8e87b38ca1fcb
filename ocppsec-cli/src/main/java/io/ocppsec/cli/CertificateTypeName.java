package io.ocppsec.cli;

/** The OCPP certificate types a station enrolls for (CertificateSigningUseEnumType). */
enum CertificateTypeName {
    ChargingStationCertificate, V2GCertificate, V2G20Certificate
}
