package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.CertificateSigningUse;
import io.ocppsec.ocpp.message.type.Evse;
import io.ocppsec.ocpp.message.type.MessageTrigger;

/** TriggerMessageRequest; {@code customTrigger} is new in OCPP 2.1. */
public record TriggerMessageRequest(MessageTrigger requestedMessage, Evse evse, String customTrigger)
        implements OcppRequest {

    /**
     * A02: ask the station for a new CSR of the given use (null = the combined certificate, which
     * the station then uses for both).
     */
    public static TriggerMessageRequest signCertificate(CertificateSigningUse use) {
        MessageTrigger trigger = use == null ? MessageTrigger.SignCombinedCertificate : switch (use) {
            case ChargingStationCertificate -> MessageTrigger.SignChargingStationCertificate;
            case V2GCertificate -> MessageTrigger.SignV2GCertificate;
            case V2G20Certificate -> MessageTrigger.SignV2G20Certificate;
        };
        return new TriggerMessageRequest(trigger, null, null);
    }

    @Override
    public Action ocppAction() {
        return Action.TriggerMessage;
    }
}
