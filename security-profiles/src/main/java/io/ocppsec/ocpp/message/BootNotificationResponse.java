package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.RegistrationStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;
import java.time.OffsetDateTime;

/** BootNotificationResponse: registration status, the CSMS clock and the heartbeat/retry interval in seconds. */
public record BootNotificationResponse(
        OffsetDateTime currentTime,
        Integer interval,
        RegistrationStatus status,
        StatusInfo statusInfo) implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.BootNotification;
    }
}
