package io.ocppsec.pki.custody;

import static io.ocppsec.pki.custody.CustodyTestSupport.assertJdkVerifies;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What every {@link KeyCustody} backend must do, run against each real backend by a subclass:
 * keys of the CA's types sign with every fitting algorithm and an independent verifier accepts
 * the result; digests made elsewhere are signed as the same verifiers expect; keys survive a
 * reopen; labels are unique; errors are clear.
 */
public abstract class KeyCustodyContract {
    private static final AtomicInteger COUNTER = new AtomicInteger();
    private static final SecureRandom RANDOM = new SecureRandom();

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

    /**
     * Ed448 is only ever the key of an imported ISO 15118-20 trust anchor ([V2G20-2319]): no backend makes one
     * for us, and the refusal says why (and leaves the label free).
     */
    @Test
    void anEd448KeyIsNeverGenerated_itIsForImportedIso15118_20AnchorsOnly() {
        String label = uniqueLabel("ed448");
        assertThatThrownBy(() -> custody().generate(label, KeyAlgorithm.ED448))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("ED448 keys are never held by the CA")
                .hasMessageContaining("imported ISO 15118-20 trust anchor");
        assertThat(custody().exists(label)).isFalse();
    }

    /** Nor is one brought in: a backend that imports keys refuses an Ed448 one, the others refuse every import. */
    @Test
    void anEd448KeyIsNeverImported() throws Exception {
        KeyPair ed = java.security.KeyPairGenerator.getInstance("Ed448").generateKeyPair();
        X509Certificate cert = new org.bouncycastle.cert.jcajce.JcaX509CertificateConverter().getCertificate(
                new org.bouncycastle.cert.X509v3CertificateBuilder(new org.bouncycastle.asn1.x500.X500Name("CN=Ed448 Anchor"),
                        java.math.BigInteger.TEN, java.util.Date.from(java.time.Instant.now().minusSeconds(60)),
                        java.util.Date.from(java.time.Instant.now().plusSeconds(3600)),
                        new org.bouncycastle.asn1.x500.X500Name("CN=Ed448 Anchor"),
                        org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(ed.getPublic().getEncoded()))
                        .build(new org.bouncycastle.operator.jcajce.JcaContentSignerBuilder("Ed448").build(ed.getPrivate())));
        String label = uniqueLabel("ed448-import");
        assertThatThrownBy(() -> custody().importKey(label, ed.getPrivate(), List.of(cert)))
                .isInstanceOf(CustodyException.class);
        assertThat(custody().exists(label)).isFalse();
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

    // --- signDigest: a firmware image is hashed while it streams past, the key signs the digest ----

    /** Random bytes standing in for a firmware image. */
    protected static byte[] image(int size) {
        byte[] image = new byte[size];
        RANDOM.nextBytes(image);
        return image;
    }

    protected static byte[] digestOf(SigningAlgorithm algorithm, byte[] data) throws Exception {
        return MessageDigest.getInstance(algorithm.digest()).digest(data);
    }

    /**
     * L01.FR.04 / L01.FR.09: the signature over the image's hash is one a station verifies over the
     * image: the JDK's SHA-xxxwithECDSA, RSASSA-PSS (SHA-256, MGF1-SHA-256, salt 32) and
     * SHA256withRSA accept it over the image and reject it over a changed image; for ECDSA also
     * NONEwithECDSA over the digest. EC keys sign digests of every ECDSA length, so P-384 signs
     * SHA-256 (the firmware case) and P-256 signs SHA-384 and SHA-512.
     */
    @ParameterizedTest
    @EnumSource(value = KeyAlgorithm.class, names = {"EC_P256", "EC_P384", "RSA_2048", "RSA_3072"})
    void signDigestOfAnImagesHashVerifiesOverTheImage(KeyAlgorithm algorithm) throws Exception {
        KeyHandle key = custody().generate(uniqueLabel("digest"), algorithm);
        PublicKey publicKey = custody().publicKey(key);
        byte[] image = image(64 * 1024);
        for (SigningAlgorithm s : CustodyTestSupport.applicable(algorithm)) {
            byte[] digest = digestOf(s, image);
            byte[] sig = custody().signDigest(key, s, digest);
            assertJdkVerifies(publicKey, s, image, sig);
            if (s.isEcdsa()) {
                assertThat(CustodyTestSupport.jdkVerifiesEcdsaOverDigest(publicKey, digest, sig)).as("NONEwithECDSA, %s", s).isTrue();
            }
        }
    }

    /** L01.FR.04: openssl checks the signatures over the digest alone (pkeyutl, no data). */
    @Test
    void opensslVerifiesSignaturesOverADigest(@TempDir Path dir) throws Exception {
        assumeTrue(CustodyTestSupport.opensslAvailable(), "openssl CLI not on PATH");
        byte[] image = image(10_000);
        KeyHandle ec = custody().generate(uniqueLabel("ossl-digest-ec"), KeyAlgorithm.EC_P384);
        byte[] digest = digestOf(SigningAlgorithm.SHA256_WITH_ECDSA, image);
        CustodyTestSupport.assertOpensslVerifiesDigest(dir.resolve("ec"), custody().publicKey(ec), SigningAlgorithm.SHA256_WITH_ECDSA,
                digest, custody().signDigest(ec, SigningAlgorithm.SHA256_WITH_ECDSA, digest));
        KeyHandle rsa = custody().generate(uniqueLabel("ossl-digest-rsa"), KeyAlgorithm.RSA_2048);
        for (SigningAlgorithm s : List.of(SigningAlgorithm.SHA256_WITH_RSA_PSS, SigningAlgorithm.SHA256_WITH_RSA)) {
            CustodyTestSupport.assertOpensslVerifiesDigest(dir.resolve(s.name()), custody().publicKey(rsa), s, digest,
                    custody().signDigest(rsa, s, digest));
        }
    }

    /** PKCS#1 v1.5 is deterministic: signing the digest gives the very bytes signing the data gives. */
    @Test
    void pkcs1SignatureOverADigestIsTheSignatureOverTheData() throws Exception {
        KeyHandle rsa = custody().generate(uniqueLabel("pkcs1-same"), KeyAlgorithm.RSA_2048);
        byte[] data = image(3000);
        assertThat(custody().signDigest(rsa, SigningAlgorithm.SHA256_WITH_RSA, digestOf(SigningAlgorithm.SHA256_WITH_RSA, data)))
                .isEqualTo(custody().sign(rsa, SigningAlgorithm.SHA256_WITH_RSA, data));
    }

    @Test
    void digestOfTheWrongLengthIsRefused() throws Exception {
        KeyHandle ec = custody().generate(uniqueLabel("digest-len"), KeyAlgorithm.EC_P256);
        for (int length : new int[] {0, 20, 31, 33, 48, 64}) {
            assertThatThrownBy(() -> custody().signDigest(ec, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[length]))
                    .as("%d bytes", length)
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("SHA256withECDSA signs a 32-byte SHA-256 digest, not " + length + " bytes");
        }
        assertThatThrownBy(() -> custody().signDigest(ec, SigningAlgorithm.SHA384_WITH_ECDSA, new byte[32]))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("48-byte SHA-384 digest, not 32 bytes");
        assertThatThrownBy(() -> custody().signDigest(ec, SigningAlgorithm.SHA256_WITH_ECDSA, null))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("no digest to sign");
        KeyHandle rsa = custody().generate(uniqueLabel("digest-len-rsa"), KeyAlgorithm.RSA_2048);
        assertThatThrownBy(() -> custody().signDigest(rsa, SigningAlgorithm.SHA256_WITH_RSA_PSS, new byte[48]))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("32-byte SHA-256 digest, not 48 bytes");
    }

    @Test
    void digestAlgorithmThatDoesNotFitTheKeyIsRefused() {
        KeyHandle ec = custody().generate(uniqueLabel("digest-fit"), KeyAlgorithm.EC_P384);
        assertThatThrownBy(() -> custody().signDigest(ec, SigningAlgorithm.SHA256_WITH_RSA_PSS, new byte[32]))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("does not fit");
        KeyHandle rsa = custody().generate(uniqueLabel("digest-fit-rsa"), KeyAlgorithm.RSA_2048);
        assertThatThrownBy(() -> custody().signDigest(rsa, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[32]))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("does not fit");
        assertThatThrownBy(() -> custody().signDigest(rsa, null, new byte[32]))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("a signing algorithm is required");
    }

    @Test
    void signDigestWithAnUnknownKeyIsAClearError() {
        KeyHandle missing = new KeyHandle(custody().name(), uniqueLabel("missing-digest"));
        assertThatThrownBy(() -> custody().signDigest(missing, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[32]))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining(missing.id());
    }
}
