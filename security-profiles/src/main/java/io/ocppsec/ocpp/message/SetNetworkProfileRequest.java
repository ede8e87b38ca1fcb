package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.NetworkConnectionProfile;

/** SetNetworkProfileRequest (A05, B09). */
public record SetNetworkProfileRequest(Integer configurationSlot, NetworkConnectionProfile connectionData)
        implements OcppRequest {

    @Override
    public Action ocppAction() {
        return Action.SetNetworkProfile;
    }
}
