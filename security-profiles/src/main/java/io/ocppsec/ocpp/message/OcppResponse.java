package io.ocppsec.ocpp.message;

/** The payload of a CALLRESULT. */
public sealed interface OcppResponse extends OcppMessage permits
        AuthorizeResponse, BootNotificationResponse, CertificateSignedResponse, DeleteCertificateResponse,
        FirmwareStatusNotificationResponse, Get15118EVCertificateResponse, GetCertificateChainStatusResponse,
        GetCertificateStatusResponse, GetInstalledCertificateIdsResponse, InstallCertificateResponse,
        SecurityEventNotificationResponse, SetNetworkProfileResponse, SetVariablesResponse, SignCertificateResponse,
        TriggerMessageResponse, UpdateFirmwareResponse {
}
