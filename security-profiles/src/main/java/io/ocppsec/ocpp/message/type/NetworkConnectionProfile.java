package io.ocppsec.ocpp.message.type;

/**
 * NetworkConnectionProfileType (SetNetworkProfile). {@code ocppVersion} is required in OCPP 2.0.1
 * (use {@link OcppVersionEnum#OCPP20} for 2.0.1) and optional and ignored in 2.1; {@code identity}
 * and {@code basicAuthPassword} are new in 2.1. {@link #toString()} leaves the password out.
 */
public record NetworkConnectionProfile(
        OcppVersionEnum ocppVersion,
        OcppTransport ocppTransport,
        String ocppCsmsUrl,
        Integer messageTimeout,
        Integer securityProfile,
        OcppInterface ocppInterface,
        Apn apn,
        Vpn vpn,
        String identity,
        String basicAuthPassword) {

    @Override
    public String toString() {
        return "NetworkConnectionProfile[ocppVersion=" + ocppVersion + ", ocppTransport=" + ocppTransport
                + ", ocppCsmsUrl=" + ocppCsmsUrl + ", messageTimeout=" + messageTimeout
                + ", securityProfile=" + securityProfile + ", ocppInterface=" + ocppInterface
                + ", apn=" + apn + ", vpn=" + vpn + ", identity=" + identity
                + ", basicAuthPassword=" + (basicAuthPassword == null ? null : "<redacted>") + "]";
    }
}
