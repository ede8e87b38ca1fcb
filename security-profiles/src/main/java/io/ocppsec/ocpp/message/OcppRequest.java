package io.ocppsec.ocpp.message;

/** The payload of a CALL. */
public sealed interface OcppRequest extends OcppMessage permits
        AuthorizeRequest, BootNotificationRequest, CertificateSignedRequest, DeleteCertificateRequest,
        FirmwareStatusNotificationRequest, Get15118EVCertificateRequest, GetCertificateChainStatusRequest,
        GetCertificateStatusRequest, GetInstalledCertificateIdsRequest, InstallCertificateRequest,
        SecurityEventNotificationRequest, SetNetworkProfileRequest, SetVariablesRequest, SignCertificateRequest,
        TriggerMessageRequest, UpdateFirmwareRequest {
}
