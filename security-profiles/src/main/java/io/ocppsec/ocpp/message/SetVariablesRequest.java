package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.Component;
import io.ocppsec.ocpp.message.type.SetVariableData;
import io.ocppsec.ocpp.message.type.Variable;
import java.util.List;

/** SetVariablesRequest; the security use is the Basic-auth password change of A01. */
public record SetVariablesRequest(List<SetVariableData> setVariableData) implements OcppRequest {

    public SetVariablesRequest {
        setVariableData = setVariableData == null ? null : List.copyOf(setVariableData);
    }

    /** A01.FR.02: set {@code SecurityCtrlr.BasicAuthPassword}. */
    public static SetVariablesRequest basicAuthPassword(String newPassword) {
        return new SetVariablesRequest(List.of(new SetVariableData(
                null, newPassword, Component.of("SecurityCtrlr"), Variable.of("BasicAuthPassword"))));
    }

    @Override
    public Action ocppAction() {
        return Action.SetVariables;
    }
}
