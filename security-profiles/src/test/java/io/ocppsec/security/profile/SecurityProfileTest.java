package io.ocppsec.security.profile;

import org.junit.jupiter.api.Test;

import static io.ocppsec.security.profile.SecurityProfile.TLS_BASIC_AUTH;
import static io.ocppsec.security.profile.SecurityProfile.TLS_CLIENT_CERTIFICATE;
import static io.ocppsec.security.profile.SecurityProfile.UNSECURED_TRANSPORT_BASIC_AUTH;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecurityProfileTest {

    // Part 2 §A.1.3 table: profile 1 = ws + Basic, 2 = TLS + Basic, 3 = TLS + client certificate.
    @Test
    void A00_profileTableOfPart2() {
        assertThat(UNSECURED_TRANSPORT_BASIC_AUTH.number()).isEqualTo(1);
        assertThat(UNSECURED_TRANSPORT_BASIC_AUTH.usesTls()).isFalse();
        assertThat(UNSECURED_TRANSPORT_BASIC_AUTH.usesBasicAuth()).isTrue();
        assertThat(UNSECURED_TRANSPORT_BASIC_AUTH.usesClientCertificate()).isFalse();
        assertThat(TLS_BASIC_AUTH.number()).isEqualTo(2);
        assertThat(TLS_BASIC_AUTH.usesTls()).isTrue();
        assertThat(TLS_BASIC_AUTH.usesBasicAuth()).isTrue();
        assertThat(TLS_BASIC_AUTH.usesClientCertificate()).isFalse();
        assertThat(TLS_CLIENT_CERTIFICATE.number()).isEqualTo(3);
        assertThat(TLS_CLIENT_CERTIFICATE.usesTls()).isTrue();
        assertThat(TLS_CLIENT_CERTIFICATE.usesBasicAuth()).isFalse();
        assertThat(TLS_CLIENT_CERTIFICATE.usesClientCertificate()).isTrue();
    }

    // Part 2 §A.1.3: "no security" (profile 0) is not a valid implementation; only 1..3 exist.
    @Test
    void A00_fromNumberKnowsOnlyOneToThree() {
        assertThat(SecurityProfile.fromNumber(1)).contains(UNSECURED_TRANSPORT_BASIC_AUTH);
        assertThat(SecurityProfile.fromNumber(2)).contains(TLS_BASIC_AUTH);
        assertThat(SecurityProfile.fromNumber(3)).contains(TLS_CLIENT_CERTIFICATE);
        assertThat(SecurityProfile.fromNumber(0)).isEmpty();
        assertThat(SecurityProfile.fromNumber(4)).isEmpty();
        assertThat(SecurityProfile.fromNumber(-1)).isEmpty();
        assertThat(SecurityProfile.fromNumber(Integer.MIN_VALUE)).isEmpty();
    }

    // The evidence shows: plain ws -> 1, TLS without client certificate -> 2, TLS with one -> 3.
    @Test
    void A00_connectionEvidenceShowsAProfile() {
        assertThat(new ConnectionEvidence(false, false, true).shownProfile()).isEqualTo(UNSECURED_TRANSPORT_BASIC_AUTH);
        assertThat(new ConnectionEvidence(false, false, false).shownProfile()).isEqualTo(UNSECURED_TRANSPORT_BASIC_AUTH);
        assertThat(new ConnectionEvidence(true, false, true).shownProfile()).isEqualTo(TLS_BASIC_AUTH);
        assertThat(new ConnectionEvidence(true, false, false).shownProfile()).isEqualTo(TLS_BASIC_AUTH);
        assertThat(new ConnectionEvidence(true, true, false).shownProfile()).isEqualTo(TLS_CLIENT_CERTIFICATE);
        assertThat(new ConnectionEvidence(true, true, true).shownProfile()).isEqualTo(TLS_CLIENT_CERTIFICATE);
        assertThatThrownBy(() -> new ConnectionEvidence(false, true, false)).isInstanceOf(IllegalArgumentException.class);
    }
}
