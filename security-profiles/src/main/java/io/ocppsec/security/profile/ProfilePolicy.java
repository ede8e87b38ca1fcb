package io.ocppsec.security.profile;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.security.SpecEdition;

import java.util.Objects;

/**
 * The CSMS-side security-profile rules of OCPP 2.0.1/2.1 block A00 and use case A05.
 *
 * <h2>Admission ({@link #admit})</h2>
 * Decides at the WebSocket upgrade, from what the connection showed ({@link ConnectionEvidence}),
 * whether a station may proceed:
 * <ol>
 *   <li>A05.FR.07: after an upgrade the station may not connect with a lower profile anymore: a
 *       shown profile below the station's floor is refused ({@link Admission.Reason#BELOW_FLOOR}).</li>
 *   <li>A00.FR.002: a station that connects with a different profile than configured is refused
 *       ({@link Admission.Reason#PROFILE_MISMATCH}).</li>
 *   <li>Profile 1 requires Basic credentials over plain ws; profile 2 requires TLS and Basic
 *       credentials; profile 3 requires TLS and a client certificate, Basic is not needed (and
 *       ignored if sent).</li>
 * </ol>
 * One tolerance, because our wss listener <em>requests</em> client certificates without requiring
 * them (design §3): a profile-2 station that presents a client certificate <em>and</em> valid Basic
 * credentials is admitted as profile 2; its certificate is not used for anything. Refusing it would
 * punish stations whose TLS stack answers every certificate request. A profile-2 station that
 * presents a certificate but no Basic credentials is trying profile 3 and is refused as a mismatch.
 *
 * <h2>Profile changes ({@link #checkProfileChange})</h2>
 * Whether the CSMS may send SetNetworkProfile / NetworkConfigurationPriority with another profile:
 * <ul>
 *   <li>Upgrades and "no change" are always allowed (A05).</li>
 *   <li>OCPP 2.0.1 Edition 3 (A00.FR.005 old text): lowering is never done via OCPP.</li>
 *   <li>2.0.1 errata 2025-09 and OCPP 2.1 (A00.FR.005 new text, A05.FR.08-10, B09.FR.04/31):
 *       3 → 2 only when the station's AllowSecurityProfileDowngrade is true; never to profile 1.
 *       A refusal carries the reasonCode {@code NoSecurityDowngrade}.</li>
 * </ul>
 * Which text applies is a {@link SpecEdition}; the overload taking an {@link OcppVersion} uses
 * {@link SpecEdition#latest(OcppVersion)}, i.e. the errata rules for 2.0.1.
 */
public final class ProfilePolicy {

    private ProfilePolicy() {
    }

    /** Decides whether a connection with {@code evidence} is admitted for a station in {@code state}. */
    public static Admission admit(StationSecurityState state, ConnectionEvidence evidence) {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(evidence, "evidence");
        SecurityProfile configured = state.configured();
        SecurityProfile shown = evidence.shownProfile();

        if (shown.lowerThan(state.floor())) {
            return new Admission.Refuse(Admission.Reason.BELOW_FLOOR, configured, shown);
        }
        if (evidence.tls() != configured.usesTls()) {
            return new Admission.Refuse(Admission.Reason.PROFILE_MISMATCH, configured, shown);
        }
        // Credentials of the other kind mean the station runs another profile; none at all
        // means it is missing the one this profile needs.
        if (configured.usesBasicAuth() && !evidence.basicAuthPresented()) {
            return new Admission.Refuse(evidence.clientCertificatePresented()
                    ? Admission.Reason.PROFILE_MISMATCH : Admission.Reason.BASIC_AUTH_REQUIRED, configured, shown);
        }
        if (configured.usesClientCertificate() && !evidence.clientCertificatePresented()) {
            return new Admission.Refuse(evidence.basicAuthPresented()
                    ? Admission.Reason.PROFILE_MISMATCH : Admission.Reason.CLIENT_CERTIFICATE_REQUIRED, configured, shown);
        }
        return new Admission.Admit(configured);
    }

    /**
     * Whether the CSMS may move a station from {@code current} to {@code requested} via OCPP, under
     * the newest text of {@code version} ({@link SpecEdition#latest(OcppVersion)}).
     */
    public static ProfileChange checkProfileChange(OcppVersion version, SecurityProfile current,
                                                   SecurityProfile requested, boolean allowDowngrade) {
        return checkProfileChange(SpecEdition.latest(Objects.requireNonNull(version, "version")),
                current, requested, allowDowngrade);
    }

    /**
     * Whether the CSMS may move a station from {@code current} to {@code requested} via OCPP under
     * the given specification text.
     *
     * @param allowDowngrade the station's SecurityCtrlr.AllowSecurityProfileDowngrade (false if not implemented)
     */
    public static ProfileChange checkProfileChange(SpecEdition edition, SecurityProfile current,
                                                   SecurityProfile requested, boolean allowDowngrade) {
        Objects.requireNonNull(edition, "edition");
        Objects.requireNonNull(current, "current");
        Objects.requireNonNull(requested, "requested");
        if (!requested.lowerThan(current)) {
            return new ProfileChange.Allowed(current, requested);
        }
        if (!edition.hasErrata202509Rules()) {
            return new ProfileChange.Refused(ProfileChange.NO_SECURITY_DOWNGRADE, "A00.FR.005",
                    "OCPP 2.0.1 Edition 3 does not allow lowering the security profile via OCPP");
        }
        if (requested == SecurityProfile.UNSECURED_TRANSPORT_BASIC_AUTH) {
            return new ProfileChange.Refused(ProfileChange.NO_SECURITY_DOWNGRADE, "A05.FR.09",
                    "a station never downgrades to security profile 1 via OCPP (also B09.FR.31)");
        }
        if (!allowDowngrade) {
            return new ProfileChange.Refused(ProfileChange.NO_SECURITY_DOWNGRADE, "A05.FR.10",
                    "the station does not allow security profile downgrades (AllowSecurityProfileDowngrade; also B09.FR.04)");
        }
        // Only 3 -> 2 is left: requested is lower than current and not 1.
        return new ProfileChange.Allowed(current, requested);
    }
}
