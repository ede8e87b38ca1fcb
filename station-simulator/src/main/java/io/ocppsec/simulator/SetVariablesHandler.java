package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.message.SetVariablesRequest;
import io.ocppsec.ocpp.message.SetVariablesResponse;
import io.ocppsec.ocpp.message.type.Attribute;
import io.ocppsec.ocpp.message.type.SetVariableData;
import io.ocppsec.ocpp.message.type.SetVariableResult;
import io.ocppsec.ocpp.message.type.SetVariableStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;
import io.ocppsec.security.SpecEdition;
import io.ocppsec.security.auth.PasswordCheck;
import io.ocppsec.security.auth.PasswordPolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * SetVariables (B05) as far as security goes: {@code SecurityCtrlr.BasicAuthPassword} (A01) is
 * kept and used from the next connection; any other variable of SecurityCtrlr is UnknownVariable,
 * any other component UnknownComponent (the simulator has no further device model).
 */
final class SetVariablesHandler implements CsmsCallHandler {
    static final String SECURITY_CTRLR = "SecurityCtrlr";
    static final String BASIC_AUTH_PASSWORD = "BasicAuthPassword";

    @Override
    public Reply handle(OcppRequest request, StationContext station) {
        List<SetVariableResult> results = new ArrayList<>();
        for (SetVariableData d : ((SetVariablesRequest) request).setVariableData()) {
            results.add(result(d, station));
        }
        return Reply.of(new SetVariablesResponse(results));
    }

    private static SetVariableResult result(SetVariableData d, StationContext station) {
        if (!SECURITY_CTRLR.equals(d.component().name()) || d.component().evse() != null) {
            return answer(d, SetVariableStatus.UnknownComponent, null);
        }
        if (!BASIC_AUTH_PASSWORD.equals(d.variable().name()) || d.variable().instance() != null) {
            return answer(d, SetVariableStatus.UnknownVariable, null);
        }
        if (d.attributeType() != null && d.attributeType() != Attribute.Actual) {
            return answer(d, SetVariableStatus.NotSupportedAttributeType, null);
        }
        PasswordPolicy policy = PasswordPolicy.of(SpecEdition.latest(station.version()), PasswordPolicy.MAX_LIMIT_CEILING);
        PasswordCheck check = policy.check(d.attributeValue());
        if (check instanceof PasswordCheck.Unacceptable bad) {
            return answer(d, SetVariableStatus.Rejected, StatusInfo.of("InvalidValue",
                    "the password breaks A00.FR.205: " + bad.reason()));
        }
        station.changePassword(d.attributeValue().toCharArray());
        return answer(d, SetVariableStatus.Accepted, null);
    }

    private static SetVariableResult answer(SetVariableData d, SetVariableStatus status, StatusInfo info) {
        return new SetVariableResult(d.attributeType(), status, info, d.component(), d.variable());
    }
}
