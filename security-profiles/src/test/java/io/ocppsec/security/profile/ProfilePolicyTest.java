package io.ocppsec.security.profile;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.security.SpecEdition;
import org.junit.jupiter.api.Test;

import static io.ocppsec.security.profile.SecurityProfile.TLS_BASIC_AUTH;
import static io.ocppsec.security.profile.SecurityProfile.TLS_CLIENT_CERTIFICATE;
import static io.ocppsec.security.profile.SecurityProfile.UNSECURED_TRANSPORT_BASIC_AUTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ProfilePolicyTest {

    private static final ConnectionEvidence WS_BASIC = ConnectionEvidence.plainWithBasic();
    private static final ConnectionEvidence WS_NOTHING = new ConnectionEvidence(false, false, false);
    private static final ConnectionEvidence TLS_BASIC = ConnectionEvidence.tlsWithBasic();
    private static final ConnectionEvidence TLS_NOTHING = new ConnectionEvidence(true, false, false);
    private static final ConnectionEvidence TLS_CERT = ConnectionEvidence.tlsWithClientCertificate();
    private static final ConnectionEvidence TLS_CERT_BASIC = new ConnectionEvidence(true, true, true);

    private static Admission.Reason refused(Admission a) {
        assertThat(a).isInstanceOf(Admission.Refuse.class);
        return ((Admission.Refuse) a).reason();
    }

    // A00.FR.202/203: profile 1 = plain ws with Basic credentials.
    @Test
    void A00_FR_203_profile1NeedsBasicAuthOverWs() {
        StationSecurityState sp1 = StationSecurityState.of(UNSECURED_TRANSPORT_BASIC_AUTH);
        assertThat(ProfilePolicy.admit(sp1, WS_BASIC)).isEqualTo(new Admission.Admit(UNSECURED_TRANSPORT_BASIC_AUTH));
        assertThat(refused(ProfilePolicy.admit(sp1, WS_NOTHING))).isEqualTo(Admission.Reason.BASIC_AUTH_REQUIRED);
    }

    // A00.FR.302/312: profile 2 = TLS and Basic credentials.
    @Test
    void A00_FR_302_profile2NeedsTlsAndBasicAuth() {
        StationSecurityState sp2 = StationSecurityState.of(TLS_BASIC_AUTH);
        assertThat(ProfilePolicy.admit(sp2, TLS_BASIC)).isEqualTo(new Admission.Admit(TLS_BASIC_AUTH));
        assertThat(refused(ProfilePolicy.admit(sp2, TLS_NOTHING))).isEqualTo(Admission.Reason.BASIC_AUTH_REQUIRED);
        // Requested-not-required client certificates: a certificate alongside Basic is tolerated on SP2.
        assertThat(ProfilePolicy.admit(sp2, TLS_CERT_BASIC)).isEqualTo(new Admission.Admit(TLS_BASIC_AUTH));
    }

    // A00.FR.401/407: profile 3 = TLS and a client certificate; Basic not needed.
    @Test
    void A00_FR_407_profile3NeedsAClientCertificate() {
        StationSecurityState sp3 = StationSecurityState.of(TLS_CLIENT_CERTIFICATE);
        assertThat(ProfilePolicy.admit(sp3, TLS_CERT)).isEqualTo(new Admission.Admit(TLS_CLIENT_CERTIFICATE));
        assertThat(ProfilePolicy.admit(sp3, TLS_CERT_BASIC)).isEqualTo(new Admission.Admit(TLS_CLIENT_CERTIFICATE));
        // Floor == configured == 3: a cert-less TLS connection is below the floor.
        assertThat(refused(ProfilePolicy.admit(sp3, TLS_NOTHING))).isEqualTo(Admission.Reason.BELOW_FLOOR);
        StationSecurityState sp3FloorLower = new StationSecurityState(TLS_CLIENT_CERTIFICATE, UNSECURED_TRANSPORT_BASIC_AUTH, false);
        assertThat(refused(ProfilePolicy.admit(sp3FloorLower, TLS_NOTHING))).isEqualTo(Admission.Reason.CLIENT_CERTIFICATE_REQUIRED);
        assertThat(Admission.Reason.CLIENT_CERTIFICATE_REQUIRED.requirement()).isEqualTo("A00.FR.407");
    }

    // A00.FR.002: a station that connects with a different profile than configured is refused.
    @Test
    void A00_FR_002_differentProfileThanConfiguredIsRefused() {
        StationSecurityState sp1 = StationSecurityState.of(UNSECURED_TRANSPORT_BASIC_AUTH);
        assertThat(refused(ProfilePolicy.admit(sp1, TLS_BASIC))).isEqualTo(Admission.Reason.PROFILE_MISMATCH);
        assertThat(refused(ProfilePolicy.admit(sp1, TLS_CERT))).isEqualTo(Admission.Reason.PROFILE_MISMATCH);

        StationSecurityState sp2 = StationSecurityState.of(TLS_BASIC_AUTH);
        assertThat(refused(ProfilePolicy.admit(sp2, TLS_CERT))).isEqualTo(Admission.Reason.PROFILE_MISMATCH);

        StationSecurityState sp3FloorLower = new StationSecurityState(TLS_CLIENT_CERTIFICATE, UNSECURED_TRANSPORT_BASIC_AUTH, false);
        assertThat(refused(ProfilePolicy.admit(sp3FloorLower, TLS_BASIC))).isEqualTo(Admission.Reason.PROFILE_MISMATCH);
        assertThat(refused(ProfilePolicy.admit(sp3FloorLower, WS_BASIC))).isEqualTo(Admission.Reason.PROFILE_MISMATCH);
        StationSecurityState sp2FloorLower = new StationSecurityState(TLS_BASIC_AUTH, UNSECURED_TRANSPORT_BASIC_AUTH, false);
        assertThat(refused(ProfilePolicy.admit(sp2FloorLower, WS_BASIC))).isEqualTo(Admission.Reason.PROFILE_MISMATCH);
        Admission.Refuse r = (Admission.Refuse) ProfilePolicy.admit(sp1, TLS_BASIC);
        assertThat(r.expected()).isEqualTo(UNSECURED_TRANSPORT_BASIC_AUTH);
        assertThat(r.shown()).isEqualTo(TLS_BASIC_AUTH);
        assertThat(r.reason().requirement()).isEqualTo("A00.FR.002");
    }

    // A05.FR.07 / TC_A_19_CSMS: after an upgrade the station may not connect with a lower profile anymore.
    @Test
    void A05_FR_07_afterUpgradeALowerProfileIsRefused() {
        StationSecurityState upgraded = StationSecurityState.of(UNSECURED_TRANSPORT_BASIC_AUTH).afterUpgradeTo(TLS_BASIC_AUTH);
        assertThat(upgraded.floor()).isEqualTo(TLS_BASIC_AUTH);
        assertThat(ProfilePolicy.admit(upgraded, TLS_BASIC)).isEqualTo(new Admission.Admit(TLS_BASIC_AUTH));
        assertThat(refused(ProfilePolicy.admit(upgraded, WS_BASIC))).isEqualTo(Admission.Reason.BELOW_FLOOR);
        assertThat(Admission.Reason.BELOW_FLOOR.requirement()).isEqualTo("A05.FR.07");

        StationSecurityState sp3 = upgraded.afterUpgradeTo(TLS_CLIENT_CERTIFICATE);
        assertThat(refused(ProfilePolicy.admit(sp3, TLS_BASIC))).isEqualTo(Admission.Reason.BELOW_FLOOR);
        assertThat(refused(ProfilePolicy.admit(sp3, WS_BASIC))).isEqualTo(Admission.Reason.BELOW_FLOOR);
        assertThat(ProfilePolicy.admit(sp3, TLS_CERT)).isEqualTo(new Admission.Admit(TLS_CLIENT_CERTIFICATE));
        assertThatThrownBy(() -> sp3.afterUpgradeTo(TLS_BASIC_AUTH)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new StationSecurityState(TLS_BASIC_AUTH, TLS_CLIENT_CERTIFICATE, true))
                .isInstanceOf(IllegalArgumentException.class);
    }

    // A05: upgrades (and keeping the same profile) are always allowed, in every edition.
    @Test
    void A05_upgradesAndSameProfileAreAllowed() {
        for (SpecEdition e : SpecEdition.values()) {
            for (SecurityProfile from : SecurityProfile.values()) {
                for (SecurityProfile to : SecurityProfile.values()) {
                    if (!to.lowerThan(from)) {
                        ProfileChange c = ProfilePolicy.checkProfileChange(e, from, to, false);
                        assertThat(c).isEqualTo(new ProfileChange.Allowed(from, to));
                        assertThat(((ProfileChange.Allowed) c).isDowngrade()).isFalse();
                    }
                }
            }
        }
    }

    // A00.FR.005 (2.0.1 Edition 3 text): lowering the profile MUST NOT be done via OCPP, even with the flag.
    @Test
    void A00_FR_005_edition3NeverLowersTheProfileViaOcpp() {
        ProfileChange c = ProfilePolicy.checkProfileChange(SpecEdition.OCPP_201_EDITION_3, TLS_CLIENT_CERTIFICATE, TLS_BASIC_AUTH, true);
        assertThat(c).isInstanceOf(ProfileChange.Refused.class);
        assertThat(((ProfileChange.Refused) c).requirement()).isEqualTo("A00.FR.005");
        assertThat(((ProfileChange.Refused) c).reasonCode()).isEqualTo("NoSecurityDowngrade");
        assertThat(ProfilePolicy.checkProfileChange(SpecEdition.OCPP_201_EDITION_3, TLS_BASIC_AUTH, UNSECURED_TRANSPORT_BASIC_AUTH, true).isAllowed()).isFalse();
        assertThat(ProfilePolicy.checkProfileChange(OcppVersion.OCPP_1_6, TLS_CLIENT_CERTIFICATE, TLS_BASIC_AUTH, true).isAllowed()).isFalse();
    }

    // A05.FR.08 / B09.FR.31 old text (errata 2025-09, 2.1): 3 -> 2 allowed when AllowSecurityProfileDowngrade is true.
    @Test
    void A05_FR_08_downgrade3To2AllowedWhenStationAllowsIt() {
        for (SpecEdition e : new SpecEdition[] {SpecEdition.OCPP_201_ERRATA_2025_09, SpecEdition.OCPP_21_EDITION_1}) {
            ProfileChange c = ProfilePolicy.checkProfileChange(e, TLS_CLIENT_CERTIFICATE, TLS_BASIC_AUTH, true);
            assertThat(c).isEqualTo(new ProfileChange.Allowed(TLS_CLIENT_CERTIFICATE, TLS_BASIC_AUTH));
            assertThat(((ProfileChange.Allowed) c).isDowngrade()).isTrue();
        }
        assertThat(ProfilePolicy.checkProfileChange(OcppVersion.OCPP_2_0_1, TLS_CLIENT_CERTIFICATE, TLS_BASIC_AUTH, true).isAllowed()).isTrue();
        assertThat(ProfilePolicy.checkProfileChange(OcppVersion.OCPP_2_1, TLS_CLIENT_CERTIFICATE, TLS_BASIC_AUTH, true).isAllowed()).isTrue();
        StationSecurityState lowered = new StationSecurityState(TLS_CLIENT_CERTIFICATE, TLS_CLIENT_CERTIFICATE, true)
                .afterPermittedDowngradeTo(TLS_BASIC_AUTH);
        assertThat(ProfilePolicy.admit(lowered, TLS_BASIC)).isEqualTo(new Admission.Admit(TLS_BASIC_AUTH));
    }

    // A05.FR.10 / B09.FR.04 (errata 2025-09, 2.1): without AllowSecurityProfileDowngrade no downgrade at all.
    @Test
    void A05_FR_10_B09_FR_04_noDowngradeWithoutTheFlag() {
        for (OcppVersion v : new OcppVersion[] {OcppVersion.OCPP_2_0_1, OcppVersion.OCPP_2_1}) {
            ProfileChange c = ProfilePolicy.checkProfileChange(v, TLS_CLIENT_CERTIFICATE, TLS_BASIC_AUTH, false);
            assertThat(c).isInstanceOf(ProfileChange.Refused.class);
            assertThat(((ProfileChange.Refused) c).reasonCode()).isEqualTo(ProfileChange.NO_SECURITY_DOWNGRADE);
            assertThat(((ProfileChange.Refused) c).requirement()).isEqualTo("A05.FR.10");
        }
    }

    // A05.FR.09 / B09.FR.31 (errata 2025-09, 2.1): never to profile 1, even with the flag.
    @Test
    void A05_FR_09_B09_FR_31_neverDowngradeToProfile1() {
        for (SpecEdition e : SpecEdition.values()) {
            for (SecurityProfile from : new SecurityProfile[] {TLS_BASIC_AUTH, TLS_CLIENT_CERTIFICATE}) {
                for (boolean flag : new boolean[] {true, false}) {
                    ProfileChange c = ProfilePolicy.checkProfileChange(e, from, UNSECURED_TRANSPORT_BASIC_AUTH, flag);
                    assertThat(c).isInstanceOf(ProfileChange.Refused.class);
                    assertThat(((ProfileChange.Refused) c).reasonCode()).isEqualTo("NoSecurityDowngrade");
                }
            }
        }
        assertThat(((ProfileChange.Refused) ProfilePolicy.checkProfileChange(SpecEdition.OCPP_21_EDITION_1,
                TLS_CLIENT_CERTIFICATE, UNSECURED_TRANSPORT_BASIC_AUTH, true)).requirement()).isEqualTo("A05.FR.09");
        assertThatThrownBy(() -> StationSecurityState.of(TLS_BASIC_AUTH).afterPermittedDowngradeTo(UNSECURED_TRANSPORT_BASIC_AUTH))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
