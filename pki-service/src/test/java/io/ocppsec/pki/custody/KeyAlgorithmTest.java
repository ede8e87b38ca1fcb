package io.ocppsec.pki.custody;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * {@link KeyAlgorithm#ED448} names the key of an imported ISO 15118-20 trust anchor ([V2G20-2319], [V2G20-2674]:
 * secp521r1 or Ed448), never one of ours: nothing in custody makes, reads in or signs with one, and each refusal
 * says so.
 */
class KeyAlgorithmTest {

    @Test
    void onlyEcAndRsaAreKeysTheCaHolds() {
        assertThat(Arrays.stream(KeyAlgorithm.values()).filter(KeyAlgorithm::custodial))
                .containsExactly(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384, KeyAlgorithm.EC_P521,
                        KeyAlgorithm.RSA_2048, KeyAlgorithm.RSA_3072, KeyAlgorithm.RSA_4096);
        assertThat(KeyAlgorithm.ED448.isEc()).isFalse();
        assertThat(KeyAlgorithm.ED448.isRsa()).as("not EC is not RSA").isFalse();
        assertThat(KeyAlgorithm.ED448.family()).isEqualTo("EdDSA");
        assertThat(KeyAlgorithm.EC_P521.requireCustodial()).isSameAs(KeyAlgorithm.EC_P521);
        assertThatThrownBy(KeyAlgorithm.ED448::requireCustodial).isInstanceOf(CustodyException.class)
                .hasMessageContaining("ED448 keys are never held by the CA")
                .hasMessageContaining("imported ISO 15118-20 trust anchor")
                .hasMessageContaining("EC P-256/P-384/P-521 or RSA 2048/3072/4096");
    }

    @Test
    void anApiNamesOnlyKeysTheCaHolds() {
        assertThat(KeyAlgorithm.custodialValueOf("EC_P384")).isEqualTo(KeyAlgorithm.EC_P384);
        assertThat(KeyAlgorithm.custodialValueOf("RSA_4096")).isEqualTo(KeyAlgorithm.RSA_4096);
        assertThatThrownBy(() -> KeyAlgorithm.custodialValueOf("ED448")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a key type the CA holds");
        assertThatThrownBy(() -> KeyAlgorithm.custodialValueOf("EC_P224")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void thereIsNoSigningAlgorithmForAnEd448Key() {
        assertThatThrownBy(() -> SigningAlgorithm.forKey(KeyAlgorithm.ED448)).isInstanceOf(CustodyException.class)
                .hasMessageContaining("never signs with an Ed448 key");
        for (SigningAlgorithm s : SigningAlgorithm.values()) {
            assertThatThrownBy(() -> KeyFacts.requireFits(KeyAlgorithm.ED448, s)).as(s.name())
                    .isInstanceOf(CustodyException.class).hasMessageContaining("never held by the CA");
        }
        assertThat(SigningAlgorithm.forKey(KeyAlgorithm.EC_P521)).isEqualTo(SigningAlgorithm.SHA512_WITH_ECDSA);
    }

    @Test
    void anEd448PublicKeyIsNotOneOfOurs() throws Exception {
        KeyPair ed448 = KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        assertThatThrownBy(() -> KeyFacts.algorithmOf(ed448.getPublic())).isInstanceOf(CustodyException.class)
                .hasMessageContaining("ED448 keys are never held by the CA");
        KeyPair ed25519 = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThatThrownBy(() -> KeyFacts.algorithmOf(ed25519.getPublic())).isInstanceOf(CustodyException.class)
                .hasMessageContaining("unsupported key algorithm 1.3.101.112");
    }
}
