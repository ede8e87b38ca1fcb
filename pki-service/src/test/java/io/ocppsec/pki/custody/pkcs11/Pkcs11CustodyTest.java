package io.ocppsec.pki.custody.pkcs11;

import static io.ocppsec.pki.custody.CustodyTestSupport.assertJdkVerifies;
import static io.ocppsec.pki.custody.pkcs11.SoftHsmToken.LIBRARY;
import static io.ocppsec.pki.custody.pkcs11.SoftHsmToken.PIN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.pki.custody.CustodyBackends;
import io.ocppsec.pki.custody.CustodyConfig;
import io.ocppsec.pki.custody.CustodyException;
import io.ocppsec.pki.custody.CustodyTestSupport;
import io.ocppsec.pki.custody.FileSecretStore;
import io.ocppsec.pki.custody.KeyAlgorithm;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyCustodyContract;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECPrivateKeySpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.ASN1Encoding;
import org.bouncycastle.asn1.ASN1Sequence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PKCS#11 backend against a real SoftHSM2 token (see {@link SoftHsmToken} for the setup and
 * when these tests skip).
 */
class Pkcs11CustodyTest extends KeyCustodyContract {
    @TempDir
    Path dir;
    private Pkcs11Custody custody;

    @BeforeEach
    void open() {
        custody = Pkcs11Custody.open(Pkcs11Config.bySlot(LIBRARY, SoftHsmToken.slot(), PIN.toCharArray()));
    }

    @AfterEach
    void close() {
        if (custody != null) {
            custody.close();
        }
    }

    @Override
    protected KeyCustody custody() {
        return custody;
    }

    @Override
    protected KeyCustody reopen() {
        custody.close();
        custody = Pkcs11Custody.open(Pkcs11Config.bySlot(LIBRARY, SoftHsmToken.slot(), PIN.toCharArray()));
        return custody;
    }

    @Test
    void generatedPrivateKeysAreSensitiveNeverExtractableAndSignOnly() throws Exception {
        String label = uniqueLabel("sealed");
        KeyHandle key = custody.generate(label, KeyAlgorithm.EC_P256);
        PrivateKey onToken = custody.tokenPrivateKey(key);
        assertThat(onToken.getEncoded()).as("PKCS#8 encoding of a token key").isNull();
        assertThatThrownBy(() -> KeyFactory.getInstance("EC").getKeySpec(onToken, ECPrivateKeySpec.class))
                .as("the private value cannot be read out through a key factory")
                .isInstanceOf(Exception.class);
        assertThatThrownBy(() -> KeyFactory.getInstance("EC").getKeySpec(onToken, PKCS8EncodedKeySpec.class))
                .isInstanceOf(Exception.class);

        // What the token itself says about the object (pkcs11-tool reads the attributes).
        assumeTrue(SoftHsmToken.onPath("pkcs11-tool"), "pkcs11-tool (opensc) not installed");
        String objects = SoftHsmToken.pkcs11Tool("--list-objects", "--type", "privkey");
        String id = HexFormat.of().formatHex(label.getBytes(StandardCharsets.UTF_8));
        Matcher block = Pattern.compile("Private Key Object;[^\\n]*\\n(?:\\s+[^\\n]*\\n)*?\\s+ID:\\s+" + id
                + "\\n\\s+Usage:\\s+([^\\n]*)\\n\\s+Access:\\s+([^\\n]*)").matcher(objects);
        assertThat(block.find()).as("private key object with CKA_ID %s in:%n%s", id, objects).isTrue();
        assertThat(block.group(1)).as("usage").isEqualTo("sign");
        assertThat(block.group(2)).contains("sensitive", "always sensitive", "never extractable", "local");
    }

    @Test
    void importIsRefusedWithTheWayToUseAnExistingKey() throws Exception {
        KeyPair pair = CustodyTestSupport.ecKeyPair();
        X509Certificate cert = CustodyTestSupport.selfSignedCa("Imported", pair);
        assertThatThrownBy(() -> custody.importKey(uniqueLabel("import"), pair.getPrivate(), List.of(cert)))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("does not import private keys")
                .hasMessageContaining("label");
    }

    @Test
    void ecKeyMadeByPkcs11ToolIsUsableByItsLabel() throws Exception {
        useKeyMadeByPkcs11Tool("EC:prime256v1", KeyAlgorithm.EC_P256);
    }

    @Test
    void rsaKeyMadeByPkcs11ToolIsUsableByItsLabel() throws Exception {
        useKeyMadeByPkcs11Tool("rsa:2048", KeyAlgorithm.RSA_2048);
    }

    private void useKeyMadeByPkcs11Tool(String keyType, KeyAlgorithm expected) throws Exception {
        assumeTrue(SoftHsmToken.onPath("pkcs11-tool"), "pkcs11-tool (opensc) not installed");
        String label = uniqueLabel("ceremony");
        String id = HexFormat.of().formatHex(label.getBytes(StandardCharsets.UTF_8));
        SoftHsmToken.pkcs11Tool("--keypairgen", "--key-type", keyType, "--label", label, "--id", id);

        // Without its certificate the key is invisible to SunPKCS11: the error says what to do.
        assertThatThrownBy(() -> custody.useExisting(label))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("certificate object that has the same CKA_ID");

        // The key ceremony's certificate for it (here issued by a test CA), written beside the key.
        Path pubDer = dir.resolve(label + ".pub.der");
        SoftHsmToken.pkcs11Tool("--read-object", "--type", "pubkey", "--id", id, "--output-file", pubDer.toString());
        PublicKey pub = KeyFactory.getInstance(expected.family()).generatePublic(new X509EncodedKeySpec(Files.readAllBytes(pubDer)));
        KeyPair root = CustodyTestSupport.ecKeyPair();
        X509Certificate rootCert = CustodyTestSupport.selfSignedCa("Ceremony Root", root);
        X509Certificate cert = CustodyTestSupport.issue("Ceremony CA " + label, pub, rootCert, root.getPrivate(), true);
        Path certDer = dir.resolve(label + ".crt.der");
        Files.write(certDer, cert.getEncoded());
        SoftHsmToken.pkcs11Tool("--write-object", certDer.toString(), "--type", "cert", "--id", id, "--label", label);

        assertThat(custody.exists(label)).isTrue();
        KeyHandle key = custody.useExisting(label);
        assertThat(key).isEqualTo(new KeyHandle(Pkcs11Custody.NAME, label));
        assertThat(custody.publicKey(key).getEncoded()).isEqualTo(pub.getEncoded());
        byte[] data = "signed by a ceremony key".getBytes(StandardCharsets.UTF_8);
        for (SigningAlgorithm s : CustodyTestSupport.applicable(expected)) {
            assertJdkVerifies(pub, s, data, custody.sign(key, s, data));
        }
        // It signs digests made elsewhere too (RSA-PSS through the token's raw RSA on a key made by another tool).
        byte[] image = image(5000);
        for (SigningAlgorithm s : CustodyTestSupport.applicable(expected)) {
            assertJdkVerifies(pub, s, image, custody.signDigest(key, s, digestOf(s, image)));
        }
        // A handle stored earlier works after a restart without useExisting.
        KeyCustody again = reopen();
        assertJdkVerifies(pub, SigningAlgorithm.forKey(expected), data, again.sign(key, SigningAlgorithm.forKey(expected), data));
    }

    @Test
    void wrongPinIsAClearErrorThatDoesNotShowThePin() {
        String wrong = "not-the-pin-6620";
        // PKCS#11 login state belongs to the application, not to a session: while another
        // custody of this JVM is logged in to the token, the module does not check a PIN again.
        custody.close();
        assertThatThrownBy(() -> Pkcs11Custody.open(Pkcs11Config.bySlot(LIBRARY, SoftHsmToken.slot(), wrong.toCharArray())))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("wrong PIN")
                .satisfies(e -> assertThat(CustodyTestSupport.everyMessage(e)).doesNotContain(wrong).doesNotContain(PIN));
        assertThat(Pkcs11Config.bySlot(LIBRARY, 1, PIN.toCharArray()).toString()).doesNotContain(PIN);
        assertThat(custody.toString()).doesNotContain(PIN);
    }

    @Test
    void closingOneCustodyDoesNotBreakAnotherOnTheSameToken() {
        KeyHandle key = custody.generate(uniqueLabel("shared"), KeyAlgorithm.EC_P256);
        Pkcs11Custody second = Pkcs11Custody.open(Pkcs11Config.bySlot(LIBRARY, SoftHsmToken.slot(), PIN.toCharArray()));
        second.close(); // logs the whole application out of the token
        byte[] data = {1, 2, 3};
        assertThat(custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data)).isNotEmpty();
    }

    @Test
    void signDigestLogsInAgainAfterAnotherCustodyLoggedTheApplicationOut() throws Exception {
        KeyHandle ec = custody.generate(uniqueLabel("relogin-ec"), KeyAlgorithm.EC_P384);
        KeyHandle rsa = custody.generate(uniqueLabel("relogin-rsa"), KeyAlgorithm.RSA_2048);
        byte[] image = image(4000);
        for (SigningAlgorithm s : List.of(SigningAlgorithm.SHA256_WITH_ECDSA, SigningAlgorithm.SHA256_WITH_RSA_PSS,
                SigningAlgorithm.SHA256_WITH_RSA)) {
            KeyHandle key = s.isEcdsa() ? ec : rsa;
            PublicKey pub = custody.publicKey(key); // the key is known (cached) before the logout
            Pkcs11Custody second = Pkcs11Custody.open(Pkcs11Config.bySlot(LIBRARY, SoftHsmToken.slot(), PIN.toCharArray()));
            second.close(); // logs the whole application out of the token
            assertJdkVerifies(pub, s, image, custody.signDigest(key, s, digestOf(s, image)));
        }
    }

    /** A key first used after another custody logged the application out is found after logging in again. */
    @Test
    void keyFirstUsedAfterAnotherCustodyLoggedTheApplicationOutIsFound() throws Exception {
        KeyHandle ec = custody.generate(uniqueLabel("unused-ec"), KeyAlgorithm.EC_P256);
        KeyHandle rsa = custody.generate(uniqueLabel("unused-rsa"), KeyAlgorithm.RSA_2048);
        byte[] image = image(1000);
        reopen(); // nothing cached
        Pkcs11Custody second = Pkcs11Custody.open(Pkcs11Config.bySlot(LIBRARY, SoftHsmToken.slot(), PIN.toCharArray()));
        second.close();
        byte[] ecSig = custody.sign(ec, SigningAlgorithm.SHA256_WITH_ECDSA, image);
        assertJdkVerifies(custody.publicKey(ec), SigningAlgorithm.SHA256_WITH_ECDSA, image, ecSig);
        second = Pkcs11Custody.open(Pkcs11Config.bySlot(LIBRARY, SoftHsmToken.slot(), PIN.toCharArray()));
        second.close();
        byte[] pssSig = custody.signDigest(rsa, SigningAlgorithm.SHA256_WITH_RSA_PSS, digestOf(SigningAlgorithm.SHA256_WITH_RSA_PSS, image));
        assertJdkVerifies(custody.publicKey(rsa), SigningAlgorithm.SHA256_WITH_RSA_PSS, image, pssSig);
    }

    /**
     * SunPKCS11's RSASSA-PSS hashes its input, so PSS over a digest made elsewhere needs the token's
     * raw RSA (CKM_RSA_X_509). With that mechanism disabled, as a stricter HSM would, the refusal
     * says why; signing data with PSS, and PKCS#1 or ECDSA over a digest, still work.
     */
    @Test
    void pssOverADigestWithoutRawRsaOnTheTokenIsAClearError() throws Exception {
        KeyHandle rsa = custody.generate(uniqueLabel("no-raw-rsa"), KeyAlgorithm.RSA_2048);
        KeyHandle ec = custody.generate(uniqueLabel("no-raw-rsa-ec"), KeyAlgorithm.EC_P256);
        byte[] image = image(4000);
        byte[] digest = digestOf(SigningAlgorithm.SHA256_WITH_RSA_PSS, image);
        try (Pkcs11Custody strict = Pkcs11Custody.open(Pkcs11Config.bySlot(LIBRARY, SoftHsmToken.slot(), PIN.toCharArray()),
                "pkcs11-tool", "disabledMechanisms = {\n  CKM_RSA_X_509\n}\n")) {
            assertThatThrownBy(() -> strict.signDigest(rsa, SigningAlgorithm.SHA256_WITH_RSA_PSS, digest))
                    .isInstanceOf(CustodyException.class)
                    .hasMessageContaining("CKM_RSA_X_509")
                    .hasMessageContaining("RSA-PSS signature over a precomputed digest")
                    .hasMessageContaining(rsa.id());
            PublicKey pub = strict.publicKey(rsa);
            assertJdkVerifies(pub, SigningAlgorithm.SHA256_WITH_RSA_PSS, image, strict.sign(rsa, SigningAlgorithm.SHA256_WITH_RSA_PSS, image));
            assertJdkVerifies(pub, SigningAlgorithm.SHA256_WITH_RSA, image, strict.signDigest(rsa, SigningAlgorithm.SHA256_WITH_RSA, digest));
            assertJdkVerifies(strict.publicKey(ec), SigningAlgorithm.SHA256_WITH_ECDSA, image,
                    strict.signDigest(ec, SigningAlgorithm.SHA256_WITH_ECDSA, digest));
        }
    }

    /** SunPKCS11's NONEwithECDSA returns DER (not the raw r||s that CKM_ECDSA gives), as X.509 and firmware signatures carry it. */
    @Test
    void ecdsaSignatureOverADigestIsDer() throws Exception {
        for (KeyAlgorithm a : List.of(KeyAlgorithm.EC_P256, KeyAlgorithm.EC_P384)) {
            KeyHandle key = custody.generate(uniqueLabel("der"), a);
            byte[] sig = custody.signDigest(key, SigningAlgorithm.SHA256_WITH_ECDSA, new byte[32]);
            ASN1Sequence seq = ASN1Sequence.getInstance(sig);
            assertThat(seq.size()).isEqualTo(2);
            assertThat(seq.getEncoded(ASN1Encoding.DER)).as("strict DER").isEqualTo(sig);
        }
    }

    @Test
    void tokenIsFoundByItsLabel() {
        SoftHsmToken.slot();
        assumeTrue(SoftHsmToken.onPath("pkcs11-tool"), "pkcs11-tool (opensc) not installed");
        String label = uniqueLabel("bylabel");
        custody.generate(label, KeyAlgorithm.EC_P256);
        custody.close();
        custody = Pkcs11Custody.open(Pkcs11Config.byTokenLabel(LIBRARY, SoftHsmToken.TOKEN_LABEL, PIN.toCharArray()));
        assertThat(custody.exists(label)).isTrue();
        assertThat(custody.toString()).contains(SoftHsmToken.TOKEN_LABEL);
        assertThatThrownBy(() -> Pkcs11Custody.open(Pkcs11Config.byTokenLabel(LIBRARY, "no-such-token", PIN.toCharArray())))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("no PKCS#11 token labelled 'no-such-token'");
    }

    @Test
    void factoryOpensTheTokenWithThePinFromTheSecretStore() {
        String label = uniqueLabel("factory");
        custody.generate(label, KeyAlgorithm.EC_P256);
        custody.close();
        new FileSecretStore(dir.resolve("secrets")).put(CustodyBackends.PKCS11_PIN_SECRET, PIN);
        CustodyConfig config = new CustodyConfig("pkcs11", "file", dir, null,
                new CustodyConfig.Pkcs11(LIBRARY, SoftHsmToken.slot(), null, null, null), null);
        try (CustodyBackends.Custody c = CustodyBackends.open(config)) {
            assertThat(c.keys()).isInstanceOf(Pkcs11Custody.class);
            assertThat(c.keys().exists(label)).isTrue();
        }
    }

    @Test
    void missingModuleIsAClearError() {
        assertThatThrownBy(() -> Pkcs11Custody.open(Pkcs11Config.bySlotListIndex(Path.of("/nonexistent/libpkcs11.so"), 0,
                PIN.toCharArray())))
                .isInstanceOf(CustodyException.class)
                .hasMessageContaining("/nonexistent/libpkcs11.so does not exist");
    }

    @Test
    void attachedChainIsStoredOnTheTokenAndSurvivesAReopen() throws Exception {
        KeyHandle key = custody.generate(uniqueLabel("tokenchain"), KeyAlgorithm.EC_P384);
        assertThat(custody.certificateChain(key).get(0).getSubjectX500Principal().getName()).contains("placeholder");
        KeyPair root = CustodyTestSupport.ecKeyPair();
        X509Certificate rootCert = CustodyTestSupport.selfSignedCa("Token Root", root);
        X509Certificate leaf = CustodyTestSupport.issue("Token Sub", custody.publicKey(key), rootCert, root.getPrivate(), true);
        custody.attachCertificateChain(key, List.of(leaf, rootCert));
        reopen();
        assertThat(custody.certificateChain(key)).containsExactly(leaf, rootCert);
        byte[] data = "still the same key".getBytes(StandardCharsets.UTF_8);
        assertJdkVerifies(leaf.getPublicKey(), SigningAlgorithm.SHA384_WITH_ECDSA, data,
                custody.sign(key, SigningAlgorithm.SHA384_WITH_ECDSA, data));
    }

    @Test
    void opensslVerifiesTokenSignatures() throws Exception {
        assumeTrue(CustodyTestSupport.opensslAvailable(), "openssl CLI not on PATH");
        byte[] data = "token signature checked by openssl".getBytes(StandardCharsets.UTF_8);
        KeyHandle ec = custody.generate(uniqueLabel("ossl-ec"), KeyAlgorithm.EC_P256);
        CustodyTestSupport.assertOpensslVerifies(dir.resolve("ec"), custody.publicKey(ec), SigningAlgorithm.SHA256_WITH_ECDSA, data,
                custody.sign(ec, SigningAlgorithm.SHA256_WITH_ECDSA, data));
        KeyHandle rsa = custody.generate(uniqueLabel("ossl-rsa"), KeyAlgorithm.RSA_2048);
        for (SigningAlgorithm s : List.of(SigningAlgorithm.SHA256_WITH_RSA, SigningAlgorithm.SHA256_WITH_RSA_PSS)) {
            CustodyTestSupport.assertOpensslVerifies(dir.resolve(s.name()), custody.publicKey(rsa), s, data, custody.sign(rsa, s, data));
        }
    }

    @Test
    void measureRsaPssOverADigestRate() throws Exception {
        KeyHandle key = custody.generate(uniqueLabel("rate-pss"), KeyAlgorithm.RSA_2048);
        byte[] data = new byte[600];
        byte[] digest = digestOf(SigningAlgorithm.SHA256_WITH_RSA_PSS, data);
        double overData = CustodyTestSupport.signsPerSecond(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_RSA_PSS, data), 1,
                Duration.ofSeconds(2));
        double overDigest = CustodyTestSupport.signsPerSecond(
                () -> custody.signDigest(key, SigningAlgorithm.SHA256_WITH_RSA_PSS, digest), 1, Duration.ofSeconds(2));
        System.out.printf("[measure] pkcs11 (SunPKCS11 + SoftHSM2) RSA-2048 PSS: sign %.0f/s (CKM_SHA256_RSA_PKCS_PSS, pooled),"
                + " signDigest %.0f/s (BC PSS encoding + CKM_RSA_X_509, verified locally), 1 thread%n", overData, overDigest);
    }

    @Test
    void measureP256SigningRate() throws Exception {
        KeyHandle key = custody.generate(uniqueLabel("rate"), KeyAlgorithm.EC_P256);
        byte[] data = new byte[600];
        double one = CustodyTestSupport.signsPerSecond(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data), 1,
                Duration.ofSeconds(2));
        double two = CustodyTestSupport.signsPerSecond(() -> custody.sign(key, SigningAlgorithm.SHA256_WITH_ECDSA, data), 2,
                Duration.ofSeconds(2));
        System.out.printf("[measure] pkcs11 (SunPKCS11 + SoftHSM2) P-256 SHA256withECDSA: %.0f signs/s on 1 thread, %.0f signs/s on 2 threads%n",
                one, two);
    }
}
