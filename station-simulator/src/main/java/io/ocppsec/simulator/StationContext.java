package io.ocppsec.simulator;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.CertificateSignedRequest;
import java.util.List;

/** What the CSMS call handlers may see and do of their station. Called on the station's event loop only. */
interface StationContext {

    SimulatorConfig config();

    StationState state();

    /** The version of the connection the call came on. */
    OcppVersion version();

    /** Whether the BootNotification of this connection was Accepted. */
    boolean bootAccepted();

    /** The configured trust anchors and the installed roots, configured first. */
    List<InstalledCertificate> installedCertificates();

    /** Checks and stores a chain for the pending enrollment (A02/A03). */
    CsmsCallHandler.Reply certificateSigned(CertificateSignedRequest request);

    /** Starts an enrollment (TriggerMessage SignChargingStationCertificate). */
    void enrollOnTrigger();

    /** Sends BootNotification with reason Triggered. */
    void bootOnTrigger();

    /** Sends a Heartbeat. */
    void heartbeatOnTrigger();

    /** Keeps the password the CSMS set and uses it from the next connection. */
    void changePassword(char[] password);

    void emit(StationEvent event);
}
