package io.ocppsec.security.tls;

import io.ocppsec.security.event.SecurityEventType;
import io.ocppsec.security.profile.SecurityProfile;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLParameters;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TlsPolicyTest {

    private final TlsPolicy policy = TlsPolicy.standard();

    private static TlsCheck.Refused refused(TlsCheck c) {
        assertThat(c).isInstanceOf(TlsCheck.Refused.class);
        return (TlsCheck.Refused) c;
    }

    // A00.FR.313/416: only TLS 1.2 or above.
    @Test
    void A00_FR_313_onlyTls12AndTls13AreEnabled() {
        assertThat(policy.enabledProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(policy.check("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256").isAccepted()).isTrue();
        assertThat(policy.check("TLSv1.3", "TLS_AES_128_GCM_SHA256").isAccepted()).isTrue();
    }

    // A00.FR.315/418, TC_A_06_CSMS: TLS 1.1, 1.0, SSLv3 are refused with the InvalidTLSVersion event.
    @Test
    void A00_FR_315_olderTlsAndSslAreRefused() {
        for (String old : new String[] {"TLSv1.1", "TLSv1", "TLSv1.0", "SSLv3", "SSLv2Hello", "NONE", "", "tlsv1.2", null}) {
            TlsCheck.Refused r = refused(policy.check(old, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"));
            assertThat(r.reason()).as(String.valueOf(old)).isEqualTo(TlsCheck.Reason.PROTOCOL_NOT_ALLOWED);
            assertThat(r.event()).isEqualTo(SecurityEventType.INVALID_TLS_VERSION);
            assertThat(r.event().wireName()).isEqualTo("InvalidTLSVersion");
        }
        TlsPolicy only13 = new TlsPolicy(List.of(TlsProtocol.TLS_1_3), List.of(CipherSuite.TLS_AES_128_GCM_SHA256), ClientAuth.NONE);
        assertThat(refused(only13.check("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")).reason())
                .isEqualTo(TlsCheck.Reason.PROTOCOL_NOT_ENABLED);
    }

    // A00.FR.318/421: the CSMS supports the four TLS 1.2 suites; each is accepted, in IANA and OpenSSL form.
    @Test
    void A00_FR_318_theFourTls12SuitesAreAccepted() {
        String[][] suites = {
                {"TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256"},
                {"TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384"},
                {"TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256"},
                {"TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384"},
        };
        for (String[] s : suites) {
            TlsCheck iana = policy.check("TLSv1.2", s[0]);
            TlsCheck openssl = policy.check("TLSv1.2", s[1]);
            assertThat(iana.isAccepted()).as(s[0]).isTrue();
            assertThat(openssl).isEqualTo(iana);
            assertThat(CipherSuite.toIanaName(s[1])).contains(s[0]);
            assertThat(CipherSuite.toOpenSslName(s[0])).contains(s[1]);
            assertThat(policy.check("TLSv1.2", "SSL_" + s[0].substring(4))).isEqualTo(iana);
        }
        assertThat(policy.openSslTls12CipherSuites()).containsExactly(
                "ECDHE-ECDSA-AES128-GCM-SHA256", "ECDHE-ECDSA-AES256-GCM-SHA384", "AES128-GCM-SHA256", "AES256-GCM-SHA384");
        assertThat(policy.enabledCipherSuites()).containsExactly(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256",
                "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
                "TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384");
    }

    // A00.FR.313 ("TLS v1.2 or above"): the TLS 1.3 suites BoringSSL always enables are accepted.
    @Test
    void A00_FR_313_tls13SuitesAreAccepted() {
        for (String s : new String[] {"TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256"}) {
            assertThat(policy.check("TLSv1.3", s).isAccepted()).as(s).isTrue();
        }
        assertThat(policy.tls13CipherSuites()).containsExactly(
                "TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384", "TLS_CHACHA20_POLY1305_SHA256");
        TlsCheck.Refused mismatch = refused(policy.check("TLSv1.2", "TLS_AES_128_GCM_SHA256"));
        assertThat(mismatch.reason()).isEqualTo(TlsCheck.Reason.CIPHER_SUITE_PROTOCOL_MISMATCH);
        assertThat(refused(policy.check("TLSv1.3", "TLS_RSA_WITH_AES_128_GCM_SHA256")).reason())
                .isEqualTo(TlsCheck.Reason.CIPHER_SUITE_PROTOCOL_MISMATCH);
    }

    // A00.FR.320/322 (A00.FR.423/425): CBC, 3DES, NULL, RC4, anonymous suites are refused with InvalidTLSCipherSuite.
    @Test
    void A00_FR_322_cbcTripleDesNullAndOtherSuitesAreRefused() {
        for (String s : new String[] {
                "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", "TLS_ECDH_ECDSA_WITH_AES_128_CBC_SHA256",
                "TLS_RSA_WITH_AES_128_CBC_SHA", "ECDHE-RSA-AES128-SHA", "TLS_RSA_WITH_3DES_EDE_CBC_SHA", "DES-CBC3-SHA",
                "TLS_RSA_WITH_NULL_SHA256", "SSL_RSA_WITH_NULL_MD5", "NULL-SHA256", "TLS_RSA_WITH_RC4_128_SHA",
                "TLS_DH_anon_WITH_AES_128_GCM_SHA256", "SSL_NULL_WITH_NULL_NULL", "", null, "x".repeat(100_000),
                "tls_ecdhe_ecdsa_with_aes_128_gcm_sha256"}) {
            TlsCheck.Refused r = refused(policy.check("TLSv1.2", s));
            assertThat(r.reason()).as(String.valueOf(s)).isEqualTo(TlsCheck.Reason.CIPHER_SUITE_NOT_ALLOWED);
            assertThat(r.event()).isEqualTo(SecurityEventType.INVALID_TLS_CIPHER_SUITE);
            assertThat(r.detail().length()).isLessThan(100);
        }
        // ECDHE_RSA GCM is strong but not one of the four: OCPP lists exactly these, so it is not enabled.
        assertThat(policy.check("TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").isAccepted()).isFalse();
    }

    // A00.FR.319 note 1: where forward secrecy is mandatory, the TLS_RSA suites are dropped.
    @Test
    void A00_FR_319_forwardSecrecyOnlyDropsTheRsaKeyExchangeSuites() {
        TlsPolicy fs = policy.withForwardSecrecyOnly();
        assertThat(fs.cipherSuites()).allMatch(CipherSuite::forwardSecrecy).hasSize(5);
        assertThat(fs.enabledCipherSuites()).doesNotContain("TLS_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_256_GCM_SHA384");
        TlsCheck.Refused r = refused(fs.check("TLSv1.2", "AES128-GCM-SHA256"));
        assertThat(r.reason()).isEqualTo(TlsCheck.Reason.CIPHER_SUITE_NOT_ENABLED);
        assertThat(r.event()).isEqualTo(SecurityEventType.INVALID_TLS_CIPHER_SUITE);
        assertThat(fs.check("TLSv1.2", "ECDHE-ECDSA-AES256-GCM-SHA384").isAccepted()).isTrue();
    }

    // A00.FR.321: no TLS compression; renegotiation is never allowed either.
    @Test
    void A00_FR_321_noCompressionAndNoRenegotiation() {
        assertThat(policy.compressionAllowed()).isFalse();
        assertThat(policy.renegotiationAllowed()).isFalse();
    }

    // A00.FR.312 / A00.FR.401: profile 1 has no TLS; profile 2 no client certificate; profile 3 requests one.
    @Test
    void A00_FR_312_policyPerProfile() {
        assertThat(TlsPolicy.forProfile(SecurityProfile.UNSECURED_TRANSPORT_BASIC_AUTH)).isEmpty();
        assertThat(TlsPolicy.forProfile(SecurityProfile.TLS_BASIC_AUTH)).contains(TlsPolicy.standard());
        TlsPolicy sp3 = TlsPolicy.forProfile(SecurityProfile.TLS_CLIENT_CERTIFICATE).orElseThrow();
        assertThat(sp3.clientAuth()).isEqualTo(ClientAuth.OPTIONAL);

        SSLParameters p = sp3.apply(new SSLParameters());
        assertThat(p.getWantClientAuth()).isTrue();
        assertThat(p.getNeedClientAuth()).isFalse();
        assertThat(p.getProtocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(p.getUseCipherSuitesOrder()).isTrue();
        SSLParameters need = sp3.withClientAuth(ClientAuth.REQUIRED).apply(new SSLParameters());
        assertThat(need.getNeedClientAuth()).isTrue();
        SSLParameters none = TlsPolicy.standard().apply(need);
        assertThat(none.getNeedClientAuth()).isFalse();
        assertThat(none.getWantClientAuth()).isFalse();
    }

    @Test
    void A00_FR_318_policyNeedsASuiteForEachEnabledProtocol() {
        assertThatThrownBy(() -> new TlsPolicy(List.of(), List.of(CipherSuite.values()), ClientAuth.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlsPolicy(List.of(TlsProtocol.TLS_1_2), List.of(CipherSuite.TLS_AES_128_GCM_SHA256), ClientAuth.NONE))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new TlsPolicy(List.of(TlsProtocol.TLS_1_2, TlsProtocol.TLS_1_2),
                List.of(CipherSuite.values()), ClientAuth.NONE)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CipherSuite.fromName("x".repeat(1000))).isEmpty();
    }
}
