package io.ocppsec.security.cert;

/**
 * What the CSMS's station record says about a Charging Station, for binding a profile-3 client
 * certificate to it ({@link ClientCertificateIdentityPolicy}). Any field may be null when unknown.
 *
 * @param identity     the OCPP identity (connection URL segment)
 * @param serialNumber the station's unique serial number (chargingStation.serialNumber, A00.FR.511)
 * @param organization the CSO organization the station belongs to (SecurityCtrlr.OrganizationName)
 */
public record StationFacts(String identity, String serialNumber, String organization) {
}
