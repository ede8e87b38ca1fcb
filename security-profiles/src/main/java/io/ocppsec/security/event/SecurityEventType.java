package io.ocppsec.security.event;

import io.ocppsec.security.SpecEdition;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The security events of the OCPP 2.0.1 and 2.1 appendices ({@code security_events.csv}), with
 * their exact wire names and criticality. A critical event is one the Charging Station pushes to
 * the CSMS with a SecurityEventNotificationRequest and queues while offline (A04.FR.01/02); the
 * other events are only required in the station's security log.
 *
 * <p>The CSMS also uses these names for its own log, e.g. {@link #INVALID_TLS_VERSION} when it
 * refuses a handshake (A00.FR.315/418) or {@link #INVALID_CHARGING_STATION_CERTIFICATE} when a
 * client certificate fails (A00.FR.408).
 *
 * <p>The 2.0.1 appendix (CSV v1.4) lists 20 events; the 2.1 appendix (CSV v2.0) adds
 * {@code DiscardedRenewedClientCertificate}, which the 2.0.1 errata 2025-09 also brought to 2.0.1
 * together with A02.FR.29 / A03.FR.25.
 */
public enum SecurityEventType {
    FIRMWARE_UPDATED("FirmwareUpdated", true,
            "The station's firmware was replaced."),
    FAILED_TO_AUTHENTICATE_AT_CSMS("FailedToAuthenticateAtCsms", false,
            "The CSMS did not accept the station's credentials."),
    CSMS_FAILED_TO_AUTHENTICATE("CsmsFailedToAuthenticate", false,
            "The CSMS could not prove its identity to the station."),
    SETTING_SYSTEM_TIME("SettingSystemTime", true,
            "The station's clock was set."),
    STARTUP_OF_THE_DEVICE("StartupOfTheDevice", true,
            "The station booted."),
    RESET_OR_REBOOT("ResetOrReboot", true,
            "The station was reset or rebooted."),
    SECURITY_LOG_WAS_CLEARED("SecurityLogWasCleared", true,
            "The station's security log was emptied."),
    RECONFIGURATION_OF_SECURITY_PARAMETERS("ReconfigurationOfSecurityParameters", false,
            "Security settings (such as the Basic-auth password or the security profile) were changed."),
    MEMORY_EXHAUSTION("MemoryExhaustion", true,
            "The station ran out of memory, possibly due to a flood of messages."),
    INVALID_MESSAGES("InvalidMessages", false,
            "The station received messages that are not valid OCPP."),
    ATTEMPTED_REPLAY_ATTACKS("AttemptedReplayAttacks", false,
            "The station saw messages that look replayed."),
    TAMPER_DETECTION_ACTIVATED("TamperDetectionActivated", true,
            "The station's physical tamper detection fired."),
    INVALID_FIRMWARE_SIGNATURE("InvalidFirmwareSignature", true,
            "A firmware image's signature did not verify."),
    INVALID_FIRMWARE_SIGNING_CERTIFICATE("InvalidFirmwareSigningCertificate", true,
            "The certificate that signed a firmware image is not valid."),
    INVALID_CSMS_CERTIFICATE("InvalidCsmsCertificate", true,
            "The CSMS's TLS server certificate is not valid."),
    INVALID_CHARGING_STATION_CERTIFICATE("InvalidChargingStationCertificate", true,
            "A Charging Station certificate (client certificate) is not valid."),
    INVALID_TLS_VERSION("InvalidTLSVersion", true,
            "The peer only offered a TLS or SSL version older than TLS 1.2."),
    INVALID_TLS_CIPHER_SUITE("InvalidTLSCipherSuite", true,
            "The peer only offered cipher suites that are not allowed."),
    MAINTENANCE_LOGIN_ACCEPTED("MaintenanceLoginAccepted", true,
            "Someone logged in to the station's local maintenance interface."),
    MAINTENANCE_LOGIN_FAILED("MaintenanceLoginFailed", true,
            "A login to the station's local maintenance interface failed."),
    DISCARDED_RENEWED_CLIENT_CERTIFICATE("DiscardedRenewedClientCertificate", true,
            "The station could not connect with its renewed client certificate and discarded it.",
            SpecEdition.OCPP_201_ERRATA_2025_09);

    private static final int MAX_WIRE_LENGTH = 50;

    private final String wireName;
    private final boolean critical;
    private final String description;
    private final SpecEdition introducedIn;

    SecurityEventType(String wireName, boolean critical, String description) {
        this(wireName, critical, description, SpecEdition.OCPP_201_EDITION_3);
    }

    SecurityEventType(String wireName, boolean critical, String description, SpecEdition introducedIn) {
        this.wireName = wireName;
        this.critical = critical;
        this.description = description;
        this.introducedIn = introducedIn;
    }

    /** The exact value of {@code SecurityEventNotificationRequest.type}, e.g. {@code InvalidTLSVersion}. */
    public String wireName() {
        return wireName;
    }

    /** The "Critical" column of the appendix: pushed to the CSMS and queued while offline (A04.FR.01/02). */
    public boolean critical() {
        return critical;
    }

    /** One line saying what happened, in our words (not the appendix text). */
    public String description() {
        return description;
    }

    /**
     * The first specification text that lists this event: {@link SpecEdition#OCPP_201_EDITION_3}
     * for the original twenty (present in 2.0.1 and 2.1), {@link SpecEdition#OCPP_201_ERRATA_2025_09}
     * for {@code DiscardedRenewedClientCertificate} (also in 2.1 appendix v2.0).
     */
    public SpecEdition introducedIn() {
        return introducedIn;
    }

    /** Whether the appendix of the given specification text lists this event. */
    public boolean definedIn(SpecEdition edition) {
        if (edition == null) {
            return false;
        }
        return introducedIn == SpecEdition.OCPP_201_EDITION_3 || edition.hasErrata202509Rules();
    }

    /** All events the appendix of the given text lists, in appendix order. */
    public static List<SecurityEventType> definedFor(SpecEdition edition) {
        List<SecurityEventType> list = new ArrayList<>();
        for (SecurityEventType t : values()) {
            if (t.definedIn(edition)) {
                list.add(t);
            }
        }
        return Collections.unmodifiableList(list);
    }

    /**
     * The event for a wire name, exact and case-sensitive; empty for anything else (the field is a
     * free string of at most 50 characters, so a station may send names we do not know).
     */
    public static Optional<SecurityEventType> fromWire(String type) {
        if (type == null || type.isEmpty() || type.length() > MAX_WIRE_LENGTH) {
            return Optional.empty();
        }
        for (SecurityEventType t : values()) {
            if (t.wireName.equals(type)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return wireName;
    }
}
