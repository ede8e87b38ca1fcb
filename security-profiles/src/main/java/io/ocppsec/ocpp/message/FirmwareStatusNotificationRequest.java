package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.FirmwareStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;

/** FirmwareStatusNotificationRequest (L01); {@code statusInfo} is new in OCPP 2.1. */
public record FirmwareStatusNotificationRequest(
        FirmwareStatus status,
        Integer requestId,
        StatusInfo statusInfo) implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.FirmwareStatusNotification;
    }
}
