package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.BootReason;
import io.ocppsec.ocpp.message.type.ChargingStation;

/** BootNotificationRequest. */
public record BootNotificationRequest(ChargingStation chargingStation, BootReason reason) implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.BootNotification;
    }
}
