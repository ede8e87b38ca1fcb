package io.ocppsec.pki.custody;

import static io.ocppsec.pki.custody.CustodyTestSupport.assertJdkVerifies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link KeyCustody} backend must do, run against each real backend by a subclass:
 * keys of the CA's types sign with every fitting algorithm and an independent verifier accepts
 * the result; keys survive a reopen; labels are unique; errors are clear.
 */
public abstract class KeyCustodyContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    /** The backend under test, open. */
    protected abstract KeyCustody custody();

    /** Closes the backend and opens the same key store again; {@link #custody()} returns the new one. */
    protected abstract KeyCustody reopen();

    /** A label no other test uses (tokens and Vault outlive a single test). */
    protected static String uniqueLabel(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "RSA_2048"})
    void generatedKeySignsWithEveryApplicableAlgorithmAndTheJdkVerifies(KeyAlgorithm algorithm) throws Exception {
        KeyHandle key = custody().generate(uniqueLabel("sign"), algorithm);
        assertThat(key.backend()).isEqualTo(custody().name());
        assertThat(KeyFacts.algorithmOf(custody().publicKey(key))).isEqualTo(algorithm);
        byte[] data = ("to be signed by " + algorithm).getBytes(StandardCharsets.UTF_8);
        for (SigningAlgorithm s : CustodyTestSupport.applicable(algorithm)) {
            byte[] sig = custody().sign(key, s, data);
            assertJdkVerifies(custody().publicKey(key), s, data, sig);
        }
    }

    @Test
    void generatedKeySurvivesAReopen() throws Exception {
        String label = uniqueLabel("reopen");
        KeyHandle key = custody().generate(label, KeyAlgorithm.EC_P256);
        byte[] before = custody().publicKey(key).getEncoded();
        KeyCustody again = reopen();
        assertThat(again.exists(label)).isTrue();
        assertThat(again.publicKey(key).getEncoded()).isEqualTo(before);
        byte[] data = "after reopen".getBytes(StandardCharsets.UTF_8);
        assertJdkVerifies(again.publicKey(key), SigningAlgorithm.SHA256_WITH_ECDSA, data,
                again.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data));
    }

    @Test
    void labelsAreUnique() {
        String label = uniqueLabel("dup");
        custody().generate(label, KeyAlgorithm.EC_P256);
        assertThatThrownBy(() -> custody().generate(label, KeyAlgorithm.EC_P384))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining(label)
                .hasMessageContaining("already exists");
    }

    @Test
    void existsTellsGeneratedKeysFromUnknownOnes() {
        String label = uniqueLabel("exists");
        assertThat(custody().exists(label)).isFalse();
        custody().generate(label, KeyAlgorithm.EC_P256);
        assertThat(custody().exists(label)).isTrue();
    }

    @Test
    void unknownKeyIsAClearError() {
        KeyHandle missing = new KeyHandle(custody().name(), uniqueLabel("missing"));
        assertThatThrownBy(() -> custody().sign(missing, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[] {1}))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining(missing.id());
    }

    @Test
    void signingAlgorithmThatDoesNotFitTheKeyIsRefused() {
        KeyHandle ec = custody().generate(uniqueLabel("fit"), KeyAlgorithm.EC_P256);
        assertThatThrownBy(() -> custody().sign(ec, SigningAlgorithm.SHA256_WITH_RSA, new byte[] {1}))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("does not fit");
    }

    @Test
    void invalidLabelsAreRefused() {
        for (String bad : new String[] {"", "../escape", "a/b", "with space", "-leading-dash", "x".repeat(129)}) {
            assertThatThrownBy(() -> custody().generate(bad, KeyAlgorithm.EC_P256))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("invalid key label");
        }
    }

    @Test
    void handleOfAnotherBackendIsRefused() {
        String label = uniqueLabel("foreign");
        custody().generate(label, KeyAlgorithm.EC_P256);
        KeyHandle foreign = new KeyHandle("elsewhere", label);
        assertThatThrownBy(() -> custody().publicKey(foreign))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("elsewhere");
    }

    @Test
    void chainWhoseLeafCarriesAnotherKeyIsRefused() throws Exception {
        KeyHandle key = custody().generate(uniqueLabel("wrongchain"), KeyAlgorithm.EC_P256);
        KeyPair other = CustodyTestSupport.ecKeyPair();
        X509Certificate cert = CustodyTestSupport.selfSignedCa("other", other);
        assertThatThrownBy(() -> custody().attachCertificateChain(key, List.of(cert)))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("does not carry this key's public key");
    }

    @Test
    void chainIssuedForTheKeyIsAcceptedAndTheKeyStillSigns() throws Exception {
        KeyHandle key = custody().generate(uniqueLabel("chain"), KeyAlgorithm.EC_P256);
        KeyPair root = CustodyTestSupport.ecKeyPair();
        X509Certificate rootCert = CustodyTestSupport.selfSignedCa("Test Root", root);
        X509Certificate leaf = CustodyTestSupport.issue("Test Sub CA", custody().publicKey(key), rootCert, root.getPrivate(), true);
        custody().attachCertificateChain(key, List.of(leaf, rootCert));
        byte[] data = "after attach".getBytes(StandardCharsets.UTF_8);
        assertJdkVerifies(custody().publicKey(key), SigningAlgorithm.SHA256_WITH_ECDSA, data,
                custody().sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data));
    }

    @Test
    void chainGivenInTheWrongOrderIsRefused() throws Exception {
        KeyHandle key = custody().generate(uniqueLabel("order"), KeyAlgorithm.EC_P256);
        KeyPair root = CustodyTestSupport.ecKeyPair();
        X509Certificate rootCert = CustodyTestSupport.selfSignedCa("Order Root", root);
        X509Certificate leaf = CustodyTestSupport.issue("Order Sub CA", custody().publicKey(key), rootCert, root.getPrivate(), true);
        KeyPair unrelated = CustodyTestSupport.ecKeyPair();
        X509Certificate unrelatedCert = CustodyTestSupport.selfSignedCa("Unrelated", unrelated);
        assertThatThrownBy(() -> custody().attachCertificateChain(key, List.of(leaf, unrelatedCert)))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("is not the issuer");
    }
}
