package io.ocppsec.ocpp.message;

/** SecurityEventNotificationResponse: empty; A04.FR.03 requires the CSMS to send it. */
public record SecurityEventNotificationResponse() implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.SecurityEventNotification;
    }
}
