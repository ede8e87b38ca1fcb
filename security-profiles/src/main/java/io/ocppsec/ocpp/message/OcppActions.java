package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.OcppVersion;
import java.util.Set;

/**
 * Every action name of OCPP 2.0.1 and 2.1 (not only the security ones), so that a receiver can
 * tell an action it does not know at all (CALLERROR NotImplemented) from one it knows but does not
 * handle (NotSupported), OCPP-J §4.3.
 */
public final class OcppActions {
    private OcppActions() {
    }

    private static final Set<String> V201 = Set.of(
            "Authorize", "BootNotification", "CancelReservation", "CertificateSigned", "ChangeAvailability",
            "ClearCache", "ClearChargingProfile", "ClearDisplayMessage", "ClearVariableMonitoring",
            "ClearedChargingLimit", "CostUpdated", "CustomerInformation", "DataTransfer", "DeleteCertificate",
            "FirmwareStatusNotification", "Get15118EVCertificate", "GetBaseReport", "GetCertificateStatus",
            "GetChargingProfiles", "GetCompositeSchedule", "GetDisplayMessages", "GetInstalledCertificateIds",
            "GetLocalListVersion", "GetLog", "GetMonitoringReport", "GetReport", "GetTransactionStatus",
            "GetVariables", "Heartbeat", "InstallCertificate", "LogStatusNotification", "MeterValues",
            "NotifyChargingLimit", "NotifyCustomerInformation", "NotifyDisplayMessages", "NotifyEVChargingNeeds",
            "NotifyEVChargingSchedule", "NotifyEvent", "NotifyMonitoringReport", "NotifyReport", "PublishFirmware",
            "PublishFirmwareStatusNotification", "ReportChargingProfiles", "RequestStartTransaction",
            "RequestStopTransaction", "ReservationStatusUpdate", "ReserveNow", "Reset", "SecurityEventNotification",
            "SendLocalList", "SetChargingProfile", "SetDisplayMessage", "SetMonitoringBase", "SetMonitoringLevel",
            "SetNetworkProfile", "SetVariableMonitoring", "SetVariables", "SignCertificate", "StatusNotification",
            "TransactionEvent", "TriggerMessage", "UnlockConnector", "UnpublishFirmware", "UpdateFirmware");

    private static final Set<String> V21_ADDED = Set.of(
            "AFRRSignal", "AdjustPeriodicEventStream", "BatterySwap", "ChangeTransactionTariff", "ClearDERControl",
            "ClearTariffs", "ClosePeriodicEventStream", "GetCertificateChainStatus", "GetDERControl",
            "GetPeriodicEventStream", "GetTariffs", "NotifyAllowedEnergyTransfer", "NotifyDERAlarm",
            "NotifyDERStartStop", "NotifyPriorityCharging", "NotifySettlement", "NotifyWebPaymentStarted",
            "OpenPeriodicEventStream", "PullDynamicScheduleUpdate", "ReportDERControl", "RequestBatterySwap",
            "SetDERControl", "SetDefaultTariff", "UpdateDynamicSchedule", "UsePriorityCharging", "VatNumberValidation");

    /** OCPP 2.1 actions sent with the SEND message type (no response). */
    private static final Set<String> V21_SEND = Set.of("NotifyPeriodicEventStream");

    /** Whether {@code action} is a CALL action of {@code version}. */
    public static boolean isCallAction(OcppVersion version, String action) {
        return switch (version) {
            case OCPP_2_0_1 -> V201.contains(action);
            case OCPP_2_1 -> V201.contains(action) || V21_ADDED.contains(action);
            case OCPP_1_6 -> false;
        };
    }

    /** Whether {@code action} is a SEND action of {@code version} (OCPP 2.1 only). */
    public static boolean isSendAction(OcppVersion version, String action) {
        return version == OcppVersion.OCPP_2_1 && V21_SEND.contains(action);
    }
}
