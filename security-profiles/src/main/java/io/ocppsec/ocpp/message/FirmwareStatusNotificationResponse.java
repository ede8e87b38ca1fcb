package io.ocppsec.ocpp.message;

/** FirmwareStatusNotificationResponse: empty. */
public record FirmwareStatusNotificationResponse() implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.FirmwareStatusNotification;
    }
}
