package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.StatusInfo;
import io.ocppsec.ocpp.message.type.TriggerMessageStatus;

/** TriggerMessageResponse. */
public record TriggerMessageResponse(TriggerMessageStatus status, StatusInfo statusInfo) implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.TriggerMessage;
    }
}
