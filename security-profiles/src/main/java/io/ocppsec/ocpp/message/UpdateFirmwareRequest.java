package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.Firmware;

/**
 * UpdateFirmwareRequest (L01). For a secure update L01.FR.11 requires the signing certificate
 * (and in practice the signature) in {@link Firmware}.
 */
public record UpdateFirmwareRequest(
        Integer retries,
        Integer retryInterval,
        Integer requestId,
        Firmware firmware) implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.UpdateFirmware;
    }
}
