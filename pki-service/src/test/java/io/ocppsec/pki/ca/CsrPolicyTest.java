package io.ocppsec.pki.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.pki.store.Refusal;
import java.security.KeyPair;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;
import org.junit.jupiter.api.Test;

/** The CSR policy: proof of possession, key policy, no SHA-1, well-formed input (A02/A03, A00.FR.5xx). */
class CsrPolicyTest {
    private final CsrPolicy policy = new CsrPolicy();
    private static final String SUBJECT = "CN=SN-1,O=CPO";

    private static String reasonOf(Runnable r) {
        try {
            r.run();
        } catch (Refusal refusal) {
            return refusal.reason();
        }
        throw new AssertionError("expected a refusal");
    }

    @Test
    void A00_FR_503_ecP256AndP384AreAcceptedForTheStationCertificate() {
        assertThat(policy.check(Csrs.p256(SUBJECT), CertificateType.ChargingStationCertificate).keyType())
                .isEqualTo(CertificateType.KeyType.P256);
        String p384 = Csrs.pem(Csrs.csr(SUBJECT, Csrs.ec("secp384r1"), "SHA384withECDSA"));
        assertThat(policy.check(p384, CertificateType.ChargingStationCertificate).keyType()).isEqualTo(CertificateType.KeyType.P384);
    }

    @Test
    void A00_FR_502_rsaNeedsAtLeast2048Bits() {
        String rsa2048 = Csrs.pem(Csrs.csr(SUBJECT, Csrs.rsa(2048, 65537), "SHA256withRSA"));
        assertThat(policy.check(rsa2048, CertificateType.ChargingStationCertificate).keyType()).isEqualTo(CertificateType.KeyType.RSA);
        String rsa1024 = Csrs.pem(Csrs.csr(SUBJECT, Csrs.rsa(1024, 65537), "SHA256withRSA"));
        assertThat(reasonOf(() -> policy.check(rsa1024, CertificateType.ChargingStationCertificate))).isEqualTo("KEY_TOO_SMALL");
    }

    @Test
    void rsaWithASmallPublicExponentIsRefused() {
        String e3 = Csrs.pem(Csrs.csr(SUBJECT, Csrs.rsa(2048, 3), "SHA256withRSA"));
        assertThat(reasonOf(() -> policy.check(e3, CertificateType.ChargingStationCertificate))).isEqualTo("KEY_TYPE_NOT_ALLOWED");
    }

    @Test
    void rsaPssSignedCsrIsAccepted() {
        String pss = Csrs.pem(Csrs.csr(SUBJECT, Csrs.rsa(2048, 65537), "SHA256withRSAandMGF1"));
        assertThat(policy.check(pss, CertificateType.ChargingStationCertificate).keyType()).isEqualTo(CertificateType.KeyType.RSA);
    }

    @Test
    void A00_FR_504_sha1SignedCsrIsRefused() {
        String sha1 = Csrs.pem(Csrs.csr(SUBJECT, Csrs.ec("secp256r1"), "SHA1withECDSA"));
        assertThat(reasonOf(() -> policy.check(sha1, CertificateType.ChargingStationCertificate)))
                .isEqualTo("CSR_SIGNATURE_ALGORITHM_NOT_ALLOWED");
        String rsaSha1 = Csrs.pem(Csrs.csr(SUBJECT, Csrs.rsa(2048, 65537), "SHA1withRSA"));
        assertThat(reasonOf(() -> policy.check(rsaSha1, CertificateType.ChargingStationCertificate)))
                .isEqualTo("CSR_SIGNATURE_ALGORITHM_NOT_ALLOWED");
    }

    @Test
    void proofOfPossessionBrokenSignatureIsRefused() throws Exception {
        PKCS10CertificationRequest good = Csrs.csr(SUBJECT, Csrs.ec("secp256r1"), "SHA256withECDSA");
        byte[] der = good.getEncoded();
        der[der.length - 5] ^= 0x01; // inside the signature value
        assertThat(reasonOf(() -> policy.check(Pem.encode("CERTIFICATE REQUEST", der), CertificateType.ChargingStationCertificate)))
                .isIn("CSR_SIGNATURE_INVALID", "CSR_MALFORMED");
        // A CSR whose key is swapped for another: signature made with a different key.
        KeyPair a = Csrs.ec("secp256r1");
        KeyPair b = Csrs.ec("secp256r1");
        PKCS10CertificationRequest mixed = Csrs.csr(SUBJECT, new KeyPair(a.getPublic(), b.getPrivate()), "SHA256withECDSA");
        assertThat(reasonOf(() -> policy.check(Csrs.pem(mixed), CertificateType.ChargingStationCertificate)))
                .isEqualTo("CSR_SIGNATURE_INVALID");
    }

    @Test
    void V2G_iso15118_2_takesP256Only_andV2G20TakesP521Only() {
        String p256 = Csrs.p256(SUBJECT);
        String p521 = Csrs.pem(Csrs.csr(SUBJECT, Csrs.ec("secp521r1"), "SHA512withECDSA"));
        String rsa = Csrs.pem(Csrs.csr(SUBJECT, Csrs.rsa(2048, 65537), "SHA256withRSA"));
        assertThat(policy.check(p256, CertificateType.V2GCertificate).keyType()).isEqualTo(CertificateType.KeyType.P256);
        assertThat(reasonOf(() -> policy.check(rsa, CertificateType.V2GCertificate))).isEqualTo("KEY_TYPE_NOT_ALLOWED");
        assertThat(policy.check(p521, CertificateType.V2G20Certificate).keyType()).isEqualTo(CertificateType.KeyType.P521);
        assertThat(reasonOf(() -> policy.check(p256, CertificateType.V2G20Certificate))).isEqualTo("KEY_TYPE_NOT_ALLOWED");
        assertThat(reasonOf(() -> policy.check(p521, CertificateType.ChargingStationCertificate))).isEqualTo("KEY_TYPE_NOT_ALLOWED");
    }

    @Test
    void curvesOutsideThePolicyAreRefused() {
        String k1 = Csrs.pem(Csrs.csr(SUBJECT, Csrs.ec("secp256k1"), "SHA256withECDSA"));
        assertThat(reasonOf(() -> policy.check(k1, CertificateType.ChargingStationCertificate))).isEqualTo("KEY_TYPE_NOT_ALLOWED");
    }

    @Test
    void garbageIsRefusedWithAReason() {
        assertThat(reasonOf(() -> policy.check(null, CertificateType.ChargingStationCertificate))).isEqualTo("CSR_MALFORMED");
        assertThat(reasonOf(() -> policy.check("hello", CertificateType.ChargingStationCertificate))).isEqualTo("CSR_MALFORMED");
        assertThat(reasonOf(() -> policy.check("-----BEGIN CERTIFICATE REQUEST-----\n!!!\n-----END CERTIFICATE REQUEST-----",
                CertificateType.ChargingStationCertificate))).isEqualTo("CSR_MALFORMED");
        assertThat(reasonOf(() -> policy.check("-----BEGIN CERTIFICATE REQUEST-----\nAAAA\n-----END CERTIFICATE REQUEST-----",
                CertificateType.ChargingStationCertificate))).isEqualTo("CSR_MALFORMED");
        String one = Csrs.p256(SUBJECT);
        assertThat(reasonOf(() -> policy.check(one + one, CertificateType.ChargingStationCertificate))).isEqualTo("CSR_MALFORMED");
        assertThat(reasonOf(() -> policy.check("x".repeat(20_000), CertificateType.ChargingStationCertificate))).isEqualTo("CSR_TOO_LARGE");
        assertThatThrownBy(() -> CertificateType.parse("Bogus")).isInstanceOf(Refusal.class);
    }

    @Test
    void theLegacyNewCertificateRequestLabelIsAccepted() {
        String pem = Csrs.p256(SUBJECT).replace("CERTIFICATE REQUEST", "NEW CERTIFICATE REQUEST");
        assertThat(policy.check(pem, CertificateType.ChargingStationCertificate).sha256()).hasSize(64);
    }
}
