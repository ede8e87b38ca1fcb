package io.ocppsec.iso15118.pki;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The validator remembers verified signatures (by certificate bytes and issuer key) so an OEM
 * sub-CA is not re-verified for every EV. What it remembers must never vouch for anything else.
 */
class VerifiedLinksTest {
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1));

    @Test
    void aRememberedSignatureDoesNotVouchForAnImpostorRootWithTheSameName() {
        TestPki.Chain genuine = TestPki.chain(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, "WMI0123456789ABCD", T0, Urls.NONE);
        Iso15118ChainValidator trusting = new Iso15118ChainValidator(TrustAnchors.none().withOemRoot(genuine.root().cert()), Leniency.strict());
        assertThat(trusting.validate(genuine.wire(), Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, Instant.now()).isValid())
                .isTrue();
        // same subject name as the genuine root, another key: the chain's top sub-CA was not signed by it
        TestPki.Node impostor = TestPki.root(Iso15118Role.OEM_ROOT, Edition.ISO_15118_2, Iso15118Role.OEM_ROOT.name() + " Root", T0);
        assertThat(impostor.cert().getSubjectX500Principal()).isEqualTo(genuine.root().cert().getSubjectX500Principal());
        Iso15118ChainValidator fooled = new Iso15118ChainValidator(TrustAnchors.none().withOemRoot(impostor.cert()), Leniency.strict());
        ChainValidation v = fooled.validate(genuine.wire(), Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, Instant.now());
        assertThat(v.isValid()).isFalse();
    }

    @Test
    void aRememberedSignatureDoesNotVouchForOtherBytes() throws Exception {
        TestPki.Chain genuine = TestPki.chain(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, "WMI0123456789ABCD", T0, Urls.NONE);
        assertThat(Iso15118ChainValidator.signedBy(genuine.leaf().cert(), genuine.subCa2().cert())).isTrue();
        byte[] der = genuine.leaf().cert().getEncoded();
        der[der.length - 5] ^= 0x01; // inside the signature value
        var tampered = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(der));
        assertThat(Iso15118ChainValidator.signedBy(tampered, genuine.subCa2().cert())).isFalse();
        assertThat(Iso15118ChainValidator.signedBy(genuine.leaf().cert(), genuine.subCa2().cert())).as("still remembered").isTrue();
    }
}
