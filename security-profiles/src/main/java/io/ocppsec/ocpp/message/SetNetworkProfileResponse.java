package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.SetNetworkProfileStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;

/** SetNetworkProfileResponse. */
public record SetNetworkProfileResponse(SetNetworkProfileStatus status, StatusInfo statusInfo) implements OcppResponse {

    @Override
    public Action ocppAction() {
        return Action.SetNetworkProfile;
    }
}
