package io.ocppsec.security.profile;

import java.util.Optional;

/**
 * The three OCPP security profiles (2.0.1/2.1 Part 2 §A.1.3): how a Charging Station and the CSMS
 * authenticate each other and protect the channel. A station uses exactly one at a time
 * (A00.FR.001); running without any of them is not a valid implementation.
 */
public enum SecurityProfile {
    /** Profile 1: plain {@code ws://}, the station authenticates with HTTP Basic (A00.FR.2xx). */
    UNSECURED_TRANSPORT_BASIC_AUTH(1, false, true, false),
    /** Profile 2: {@code wss://} with a CSMS server certificate, the station uses HTTP Basic (A00.FR.3xx). */
    TLS_BASIC_AUTH(2, true, true, false),
    /** Profile 3: {@code wss://}, the station authenticates with a TLS client certificate (A00.FR.4xx). */
    TLS_CLIENT_CERTIFICATE(3, true, false, true);

    private final int number;
    private final boolean tls;
    private final boolean basicAuth;
    private final boolean clientCertificate;

    SecurityProfile(int number, boolean tls, boolean basicAuth, boolean clientCertificate) {
        this.number = number;
        this.tls = tls;
        this.basicAuth = basicAuth;
        this.clientCertificate = clientCertificate;
    }

    /** The number used on the wire ({@code securityProfile} of NetworkConnectionProfile, SecurityCtrlr.SecurityProfile). */
    public int number() {
        return number;
    }

    /** Whether the channel is TLS ({@code wss://}). */
    public boolean usesTls() {
        return tls;
    }

    /** Whether the station authenticates with HTTP Basic. */
    public boolean usesBasicAuth() {
        return basicAuth;
    }

    /** Whether the station authenticates with a TLS client certificate. */
    public boolean usesClientCertificate() {
        return clientCertificate;
    }

    /** Whether this profile is less secure than {@code other}. */
    public boolean lowerThan(SecurityProfile other) {
        return number < other.number;
    }

    /** The profile for a wire number; empty for anything but 1, 2, 3 (0 = "no security" is not valid). */
    public static Optional<SecurityProfile> fromNumber(int number) {
        for (SecurityProfile p : values()) {
            if (p.number == number) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }
}
