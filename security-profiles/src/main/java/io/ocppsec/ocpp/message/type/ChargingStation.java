package io.ocppsec.ocpp.message.type;

/**
 * ChargingStationType from BootNotification. With security profile 3 its {@code serialNumber} must
 * match the client certificate's CN (B01.FR.11/12).
 */
public record ChargingStation(
        String serialNumber,
        String model,
        Modem modem,
        String vendorName,
        String firmwareVersion) {
}
