package io.ocppsec.ocpp.message.type;

/**
 * UpdateFirmwareStatusEnumType: Outcome of UpdateFirmware (InvalidCertificate/RevokedCertificate: the station refused the signing certificate).
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum UpdateFirmwareStatus {
    Accepted,
    Rejected,
    AcceptedCanceled,
    InvalidCertificate,
    RevokedCertificate
}
