package io.ocppsec.pki.ca;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.pki.ca.AnchorChecks.AnchorKeys;
import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.store.CaCertificateRecord.CaRole;
import io.ocppsec.pki.store.Refusal;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;
import org.bouncycastle.cert.X509CertificateHolder;
import org.junit.jupiter.api.Test;

/**
 * The key types an imported anchor may carry: Ed448 only for Plug & Charge anchors (ISO 15118-20 [V2G20-2319]),
 * recorded without a key and with no signing algorithm; manufacturer roots (CA_ENGINE) keep EC and RSA only;
 * Ed25519 is refused either way.
 */
class AnchorChecksTest {

    static X509Certificate ed448MoRoot() {
        KeyPair k = KeyType.ED448.generate();
        return Iso15118Certificates.issue(Iso15118Role.MO_ROOT, Edition.ISO_15118_20,
                Iso15118Certificates.subjectFor(Iso15118Role.MO_ROOT, "Ed448 MO Root", "Some eMSP", null),
                Iso15118Certificates.subjectPublicKeyInfo(k.getPublic()),
                io.ocppsec.iso15118.pki.Issuer.selfSigned(Iso15118Certificates.signer(k.getPrivate(), KeyType.ED448)),
                BigInteger.valueOf(System.nanoTime()), Instant.now().minusSeconds(60), Urls.NONE);
    }

    @Test
    void ed448IsAPlugAndChargeAnchorKey_V2G20_2319_butNotAManufacturerRootKey() throws Exception {
        X509Certificate root = ed448MoRoot();
        AnchorChecks.checkSelfSignedCa(root, AnchorKeys.PLUG_AND_CHARGE);
        assertThat(AnchorChecks.keyAlgorithm(root.getPublicKey(), AnchorKeys.PLUG_AND_CHARGE)).isEqualTo(KeyAlgorithm.ED448);
        assertThatThrownBy(() -> AnchorChecks.checkSelfSignedCa(root)).isInstanceOf(Refusal.class)
                .satisfies(e -> assertThat(((Refusal) e).reason()).isEqualTo("KEY_ALGORITHM_UNSUPPORTED"))
                .hasMessageContaining("only for ISO 15118-20 Plug & Charge anchors");
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        for (AnchorKeys keys : AnchorKeys.values()) {
            assertThatThrownBy(() -> AnchorChecks.keyAlgorithm(ed25519.getPublic(), keys)).isInstanceOf(Refusal.class)
                    .satisfies(e -> assertThat(((Refusal) e).reason()).isEqualTo("KEY_ALGORITHM_UNSUPPORTED"));
        }
    }

    @Test
    void anEd448AnchorIsRecordedWithoutAKeyAndHasNoSigningAlgorithm() throws Exception {
        X509Certificate root = ed448MoRoot();
        X509CertificateHolder h = new X509CertificateHolder(root.getEncoded());
        var record = CaRecords.record("mo-root-20-test", CaRole.MO_ROOT_20, h, null, null, KeyAlgorithm.ED448, Instant.now());
        assertThat(record.keyAlgorithm()).isEqualTo("ED448");
        Issuer anchor = CaRecords.issuer(record, root, List.of());
        assertThat(anchor.key()).isNull();
        assertThat(anchor.signingAlgorithm()).as("the CA never signs for it").isNull();
        // a key in custody with it is refused before anything is written
        assertThatThrownBy(() -> CaRecords.record("x", CaRole.MO_ROOT_20, h, null, new KeyHandle("pkcs12", "x"),
                KeyAlgorithm.ED448, Instant.now())).isInstanceOf(CustodyException.class).hasMessageContaining("never held");
    }
}
