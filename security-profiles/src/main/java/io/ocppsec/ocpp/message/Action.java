package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.OcppVersion;
import java.util.Optional;

/**
 * The OCPP actions this service reads and writes as typed messages: the security actions of
 * OCPP 2.0.1 and 2.1 plus the messages they depend on (BootNotification, Authorize, SetVariables,
 * SetNetworkProfile, TriggerMessage, UpdateFirmware). The constant names are the wire names.
 */
public enum Action {
    Authorize(Initiator.CHARGING_STATION, AuthorizeRequest.class, AuthorizeResponse.class, OcppVersion.OCPP_2_0_1),
    BootNotification(Initiator.CHARGING_STATION, BootNotificationRequest.class, BootNotificationResponse.class, OcppVersion.OCPP_2_0_1),
    CertificateSigned(Initiator.CSMS, CertificateSignedRequest.class, CertificateSignedResponse.class, OcppVersion.OCPP_2_0_1),
    DeleteCertificate(Initiator.CSMS, DeleteCertificateRequest.class, DeleteCertificateResponse.class, OcppVersion.OCPP_2_0_1),
    FirmwareStatusNotification(Initiator.CHARGING_STATION, FirmwareStatusNotificationRequest.class, FirmwareStatusNotificationResponse.class, OcppVersion.OCPP_2_0_1),
    Get15118EVCertificate(Initiator.CHARGING_STATION, Get15118EVCertificateRequest.class, Get15118EVCertificateResponse.class, OcppVersion.OCPP_2_0_1),
    GetCertificateChainStatus(Initiator.CHARGING_STATION, GetCertificateChainStatusRequest.class, GetCertificateChainStatusResponse.class, OcppVersion.OCPP_2_1),
    GetCertificateStatus(Initiator.CHARGING_STATION, GetCertificateStatusRequest.class, GetCertificateStatusResponse.class, OcppVersion.OCPP_2_0_1),
    GetInstalledCertificateIds(Initiator.CSMS, GetInstalledCertificateIdsRequest.class, GetInstalledCertificateIdsResponse.class, OcppVersion.OCPP_2_0_1),
    InstallCertificate(Initiator.CSMS, InstallCertificateRequest.class, InstallCertificateResponse.class, OcppVersion.OCPP_2_0_1),
    SecurityEventNotification(Initiator.CHARGING_STATION, SecurityEventNotificationRequest.class, SecurityEventNotificationResponse.class, OcppVersion.OCPP_2_0_1),
    SetNetworkProfile(Initiator.CSMS, SetNetworkProfileRequest.class, SetNetworkProfileResponse.class, OcppVersion.OCPP_2_0_1),
    SetVariables(Initiator.CSMS, SetVariablesRequest.class, SetVariablesResponse.class, OcppVersion.OCPP_2_0_1),
    SignCertificate(Initiator.CHARGING_STATION, SignCertificateRequest.class, SignCertificateResponse.class, OcppVersion.OCPP_2_0_1),
    TriggerMessage(Initiator.CSMS, TriggerMessageRequest.class, TriggerMessageResponse.class, OcppVersion.OCPP_2_0_1),
    UpdateFirmware(Initiator.CSMS, UpdateFirmwareRequest.class, UpdateFirmwareResponse.class, OcppVersion.OCPP_2_0_1);

    /** Which side sends the CALL. */
    public enum Initiator { CHARGING_STATION, CSMS }

    private final Initiator initiator;
    private final Class<? extends OcppRequest> requestType;
    private final Class<? extends OcppResponse> responseType;
    private final OcppVersion since;

    Action(Initiator initiator, Class<? extends OcppRequest> requestType,
           Class<? extends OcppResponse> responseType, OcppVersion since) {
        this.initiator = initiator;
        this.requestType = requestType;
        this.responseType = responseType;
        this.since = since;
    }

    public String wireName() {
        return name();
    }

    public Initiator initiator() {
        return initiator;
    }

    public Class<? extends OcppRequest> requestType() {
        return requestType;
    }

    public Class<? extends OcppResponse> responseType() {
        return responseType;
    }

    /** Whether this action exists in {@code version} (GetCertificateChainStatus is new in 2.1). */
    public boolean existsIn(OcppVersion version) {
        return version.hasTypedMessages() && version.atLeast(since);
    }

    /** The action with this wire name (case-sensitive, OCPP-J §4.2.1). */
    public static Optional<Action> fromWire(String name) {
        if (name != null) {
            for (Action a : values()) {
                if (a.name().equals(name)) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
