package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.message.TriggerMessageRequest;
import io.ocppsec.ocpp.message.TriggerMessageResponse;
import io.ocppsec.ocpp.message.type.MessageTrigger;
import io.ocppsec.ocpp.message.type.StatusInfo;
import io.ocppsec.ocpp.message.type.TriggerMessageStatus;

/**
 * TriggerMessage (F06): SignChargingStationCertificate (A02), BootNotification and Heartbeat are
 * Accepted and sent after the response (F06.FR.04); BootNotification is Rejected once the boot was
 * Accepted (F06.FR.17); anything else is NotImplemented.
 */
final class TriggerMessageHandler implements CsmsCallHandler {
    @Override
    public Reply handle(OcppRequest request, StationContext station) {
        MessageTrigger what = ((TriggerMessageRequest) request).requestedMessage();
        switch (what) {
            case SignChargingStationCertificate:
                return Reply.then(accepted(), station::enrollOnTrigger);
            case Heartbeat:
                return Reply.then(accepted(), station::heartbeatOnTrigger);
            case BootNotification:
                if (station.bootAccepted()) {
                    return Reply.of(new TriggerMessageResponse(TriggerMessageStatus.Rejected,
                            StatusInfo.of("AlreadyAccepted", "the boot notification was accepted already (F06.FR.17)")));
                }
                return Reply.then(accepted(), station::bootOnTrigger);
            default:
                return Reply.of(new TriggerMessageResponse(TriggerMessageStatus.NotImplemented,
                        StatusInfo.of("NotSimulated", "the simulator does not send " + what)));
        }
    }

    private static TriggerMessageResponse accepted() {
        return new TriggerMessageResponse(TriggerMessageStatus.Accepted, null);
    }
}
