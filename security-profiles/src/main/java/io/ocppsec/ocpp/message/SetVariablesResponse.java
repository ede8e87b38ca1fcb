package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.SetVariableResult;
import java.util.List;

/** SetVariablesResponse: one result per SetVariableData. */
public record SetVariablesResponse(List<SetVariableResult> setVariableResult) implements OcppResponse {

    public SetVariablesResponse {
        setVariableResult = setVariableResult == null ? null : List.copyOf(setVariableResult);
    }

    @Override
    public Action ocppAction() {
        return Action.SetVariables;
    }
}
