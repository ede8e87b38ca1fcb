package io.ocppsec.iso15118.pki;

import io.ocppsec.iso15118.envelope.Iso15118_2Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.envelope.Unsealed;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Damaged input never escapes as an exception: mutated certificates (those the JDK still parses)
 * give a typed validation result, random envelope fields a typed refusal. Fixed seeds, so a
 * failure reproduces.
 */
class MalformedInputTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void mutatedCertificatesGiveATypedResult() throws Exception {
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_2, "DEABCC123ABC56", T0,
                Urls.ocsp("http://ocsp.example.com/"));
        Iso15118ChainValidator v = new Iso15118ChainValidator(TrustAnchors.none().withMoRoot(c.root().cert()), Leniency.strict());
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        Random rnd = new Random(15118);
        int parsed = 0;
        int valid = 0;
        for (int i = 0; i < 600; i++) {
            int which = rnd.nextInt(3);
            List<X509Certificate> wire = new ArrayList<>(c.wire());
            byte[] der = wire.get(which).getEncoded();
            int flips = 1 + rnd.nextInt(3);
            for (int f = 0; f < flips; f++) {
                der[rnd.nextInt(der.length)] ^= (byte) (1 << rnd.nextInt(8));
            }
            X509Certificate mutated;
            try {
                mutated = (X509Certificate) cf.generateCertificate(new ByteArrayInputStream(der));
            } catch (Exception e) {
                continue;                       // the JDK refuses it before we see it
            }
            parsed++;
            wire.set(which, mutated);
            ChainValidation r = v.validate(wire, Iso15118Role.CONTRACT, Edition.ISO_15118_2, T0.plus(Duration.ofDays(1)));
            for (Iso15118Role role : Iso15118Role.values()) {
                Iso15118Profile.check(mutated, role, Edition.ISO_15118_2, Leniency.strict());
            }
            if (r.isValid()) {
                valid++;
            }
        }
        assertThat(parsed).isGreaterThan(100);
        // a flipped bit anywhere in a signed certificate must never leave it valid
        assertThat(valid).isZero();
    }

    /**
     * Found by the mutation test above: a critical flag re-written as BER TRUE (0x7F instead of
     * 0xFF) leaves the content equal, and a verifier that re-encodes the TBS in DER (BC's
     * X509CertificateHolder.isSignatureValid) still accepts it. The bytes signed are the bytes
     * received, so it is a signature error here.
     */
    @Test
    void aBerVariantOfASignedCertificateIsASignatureError() throws Exception {
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_2, "DEABCC123ABC56", T0, Urls.NONE);
        String hex = java.util.HexFormat.of().formatHex(c.leaf().cert().getEncoded());
        String basicConstraints = "0603551d130101ff";
        assertThat(hex).contains(basicConstraints);
        byte[] ber = java.util.HexFormat.of().parseHex(hex.replace(basicConstraints, "0603551d1301017f"));
        X509Certificate variant = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(ber));
        assertThat(new org.bouncycastle.cert.X509CertificateHolder(ber).isSignatureValid(
                new org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder().setProvider(Iso15118Crypto.provider())
                        .build(c.subCa2().cert()))).as("BC re-encodes and accepts").isTrue();
        ChainValidation r = new Iso15118ChainValidator(TrustAnchors.none().withMoRoot(c.root().cert()), Leniency.strict())
                .validate(List.of(variant, c.subCa2().cert(), c.subCa1().cert()), Iso15118Role.CONTRACT, Edition.ISO_15118_2,
                        T0.plus(Duration.ofDays(1)));
        assertThat(r).isInstanceOf(ChainValidation.Invalid.class);
        assertThat(((ChainValidation.Invalid) r).kind()).isEqualTo(ChainValidation.Kind.SIGNATURE_ERROR);
    }

    @Test
    void randomEnvelopeFieldsAreRefusedNotThrown() {
        KeyPair contract = KeyType.SECP256R1.generate();
        KeyPair oem = KeyType.SECP256R1.generate();
        SealedKey good = Iso15118_2Envelope.wrap((ECPrivateKey) contract.getPrivate(), (ECPublicKey) oem.getPublic());
        Random rnd = new Random(815);
        for (int i = 0; i < 300; i++) {
            byte[] enc = new byte[rnd.nextBoolean() ? 48 : rnd.nextInt(100)];
            rnd.nextBytes(enc);
            byte[] dh = rnd.nextBoolean() ? good.dhPublicKey() : new byte[rnd.nextInt(70)];
            if (dh.length > 0 && rnd.nextBoolean()) {
                rnd.nextBytes(dh);
                dh[0] = 0x04;
            }
            Unsealed u = Iso15118_2Envelope.unwrap(new SealedKey(enc, dh), oem.getPrivate(), (ECPublicKey) contract.getPublic());
            assertThat(u).isInstanceOf(Unsealed.Refused.class);
        }
    }
}
