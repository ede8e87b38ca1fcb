package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.StatusInfo;
import io.ocppsec.ocpp.message.type.UpdateFirmwareStatus;

/** UpdateFirmwareResponse. */
public record UpdateFirmwareResponse(UpdateFirmwareStatus status, StatusInfo statusInfo) implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.UpdateFirmware;
    }
}
