package io.ocppsec.security.firmware;

import static io.ocppsec.security.firmware.FirmwarePki.cert;
import static io.ocppsec.security.firmware.FirmwarePki.pem;
import static io.ocppsec.security.firmware.FirmwarePki.root;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.security.firmware.FirmwareVerification.Outcome;
import io.ocppsec.security.firmware.FirmwareVerifier.RevocationPolicy;
import io.ocppsec.security.testing.TestPki;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.crypto.signers.PlainDSAEncoding;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The firmware signing certificate and signature checks a station makes (L01.FR.21/22 →
 * InvalidCertificate, L01.FR.03 → InvalidSignature, RevokedCertificate) and that the CSMS makes
 * before sending UpdateFirmware (A00.FR.707), against a manufacturer PKI built in the test.
 */
class FirmwareVerifierTest {
    private static final long MAX = 64L << 20;
    private static final SecureRandom RANDOM = new SecureRandom();

    static KeyPair rootKeys;
    static X509Certificate mfrRoot;
    static KeyPair interKeys;
    static X509Certificate intermediate;
    static KeyPair signerKeys;
    static X509Certificate signer;
    static X509Certificate signerUnderIntermediate;

    @TempDir
    static Path dir;
    static Path image;
    static ImageDigest digest;

    /** Every revocation question asked: certificate and issuer subjects. */
    private final List<String> asked = Collections.synchronizedList(new ArrayList<>());

    @BeforeAll
    static void pki() throws Exception {
        rootKeys = TestPki.ecKeyPair("secp384r1");
        mfrRoot = root("O=Example Mfr,CN=Example Manufacturer Root", rootKeys);
        interKeys = TestPki.ecKeyPair("secp256r1");
        intermediate = cert("O=Example Mfr,CN=Example Firmware CA", interKeys.getPublic()).ca(0)
                .issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        signerKeys = TestPki.ecKeyPair("secp256r1");
        signer = cert("O=Example Mfr,CN=Example Firmware Signing", signerKeys.getPublic())
                .issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        signerUnderIntermediate = cert("O=Example Mfr,CN=Example Firmware Signing 2", signerKeys.getPublic())
                .issuedBy(intermediate, interKeys.getPrivate()).build();

        image = dir.resolve("firmware.bin");
        byte[] bytes = new byte[300_001];
        RANDOM.nextBytes(bytes);
        Files.write(image, bytes);
        digest = ImageDigests.sha256(image, MAX);
    }

    private RevocationCheck answering(RevocationCheck.Status status) {
        return (c, issuer) -> {
            asked.add(c.getSubjectX500Principal().getName() + " <- " + issuer.getSubjectX500Principal().getName());
            return status;
        };
    }

    private FirmwareVerifier verifier(RevocationCheck.Status status, RevocationPolicy policy) {
        return new FirmwareVerifier(List.of(mfrRoot), answering(status), policy);
    }

    private FirmwareVerifier verifier() {
        return verifier(RevocationCheck.Status.GOOD, RevocationPolicy.REQUIRE);
    }

    private static String sign(KeyPair keys, byte[] sha256) {
        return FirmwareSignatures.encode(FirmwareSignatures.sign(keys.getPrivate(),
                FirmwareSignatures.algorithmFor(keys.getPublic()), sha256));
    }

    private static FirmwareVerification check(FirmwareVerifier v, byte[] sha256, String sig, String pem) {
        return v.verify(sha256, sig, pem, Instant.now());
    }

    // ------------------------------------------------------------------ valid

    @Test
    void A00_FR_707_L01_FR_04_signatureOverTheWholeImageBySigningCertUnderTheRootIsValid() {
        FirmwareVerification r = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(signer));

        assertThat(r.outcome()).isEqualTo(Outcome.Valid);
        assertThat(r.valid()).isTrue();
        assertThat(r.reason()).isEqualTo("VALID");
        assertThat(r.path()).containsExactly(signer, mfrRoot);
        assertThat(r.revocation()).isEqualTo("GOOD");
        assertThat(asked).containsExactly("CN=Example Firmware Signing,O=Example Mfr <- CN=Example Manufacturer Root,O=Example Mfr");
    }

    @Test
    void validThroughAnIntermediate_revocationAskedForSignerAndIntermediateNotRoot() {
        FirmwareVerification r = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()),
                pem(signerUnderIntermediate, intermediate));

        assertThat(r.outcome()).isEqualTo(Outcome.Valid);
        assertThat(r.path()).containsExactly(signerUnderIntermediate, intermediate, mfrRoot);
        assertThat(asked).containsExactly(
                "CN=Example Firmware Signing 2,O=Example Mfr <- CN=Example Firmware CA,O=Example Mfr",
                "CN=Example Firmware CA,O=Example Mfr <- CN=Example Manufacturer Root,O=Example Mfr");
    }

    @Test
    void intermediatesMayComeInAnyOrderAndACopyOfTheRootIsIgnored() {
        KeyPair aKeys = TestPki.ecKeyPair("secp256r1");
        KeyPair bKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate a = cert("CN=Firmware CA A", aKeys.getPublic()).ca(1).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        X509Certificate b = cert("CN=Firmware CA B", bKeys.getPublic()).ca(0).issuedBy(a, aKeys.getPrivate()).build();
        X509Certificate leaf = cert("CN=Deep Signer", signerKeys.getPublic()).issuedBy(b, bKeys.getPrivate()).build();

        FirmwareVerification r = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf, mfrRoot, a, b));

        assertThat(r.outcome()).isEqualTo(Outcome.Valid);
        assertThat(r.path()).containsExactly(leaf, b, a, mfrRoot);
    }

    @Test
    void L01_FR_04_rsaPssSignerIsValid() {
        KeyPair rsa = TestPki.rsaKeyPair(3072);
        X509Certificate rsaSigner = cert("CN=RSA Firmware Signing", rsa.getPublic()).issuedBy(mfrRoot, rootKeys.getPrivate()).build();

        FirmwareVerification r = check(verifier(), digest.sha256(), sign(rsa, digest.sha256()), pem(rsaSigner));

        assertThat(r.outcome()).isEqualTo(Outcome.Valid);
    }

    @Test
    void anRsaManufacturerRootWorksToo() {
        KeyPair rsaRootKeys = TestPki.rsaKeyPair(3072);
        X509Certificate rsaRoot = root("O=RSA Mfr,CN=RSA Manufacturer Root", rsaRootKeys);
        X509Certificate leaf = cert("O=RSA Mfr,CN=EC Signer Under RSA Root", signerKeys.getPublic())
                .issuedBy(rsaRoot, rsaRootKeys.getPrivate()).build();
        X509Certificate forged = cert("O=RSA Mfr,CN=Forged Under RSA Root", signerKeys.getPublic()).noKeyIds()
                .issuedBy("O=RSA Mfr,CN=RSA Manufacturer Root", TestPki.rsaKeyPair(3072).getPrivate()).build();
        FirmwareVerifier v = new FirmwareVerifier(List.of(mfrRoot, rsaRoot), answering(RevocationCheck.Status.GOOD),
                RevocationPolicy.REQUIRE);
        String sig = sign(signerKeys, digest.sha256());

        assertThat(check(v, digest.sha256(), sig, pem(leaf)).path()).containsExactly(leaf, rsaRoot);
        assertThat(check(v, digest.sha256(), sig, pem(forged)).reason()).isEqualTo("BAD_CHAIN_SIGNATURE");
    }

    @Test
    void anIssuerWithTheRightNameButAnotherKeyIsSkippedWhenTheRightOneIsThere() {
        // Two roots with one name (a root renewed with a new key): the signer's AKI picks the new one.
        KeyPair newKeys = TestPki.ecKeyPair("secp384r1");
        X509Certificate renewed = root("O=Example Mfr,CN=Example Manufacturer Root", newKeys);
        X509Certificate leaf = cert("CN=Signer Under Renewed Root", signerKeys.getPublic())
                .issuedBy(renewed, newKeys.getPrivate()).build();
        FirmwareVerifier v = new FirmwareVerifier(List.of(mfrRoot, renewed), answering(RevocationCheck.Status.GOOD),
                RevocationPolicy.REQUIRE);

        assertThat(check(v, digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf)).path()).containsExactly(leaf, renewed);
        // Without key identifiers both are tried by name; the signature decides.
        X509Certificate plain = cert("CN=Signer Without Key Ids", signerKeys.getPublic()).noKeyIds()
                .issuedBy(renewed, newKeys.getPrivate()).build();
        assertThat(check(v, digest.sha256(), sign(signerKeys, digest.sha256()), pem(plain)).path()).containsExactly(plain, renewed);
    }

    // ------------------------------------------------------------------ the signature (L01.FR.03 → InvalidSignature)

    @Test
    void L01_FR_03_aTamperedByteOfTheImageIsInvalidSignature() throws Exception {
        String sig = sign(signerKeys, digest.sha256());
        byte[] bytes = Files.readAllBytes(image);
        bytes[150_000] ^= 0x01;
        Path tampered = dir.resolve("tampered.bin");
        Files.write(tampered, bytes);

        FirmwareVerification r = check(verifier(), ImageDigests.sha256(tampered, MAX).sha256(), sig, pem(signer));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidSignature);
        assertThat(r.reason()).isEqualTo("SIGNATURE_MISMATCH");
        assertThat(r.path()).containsExactly(signer, mfrRoot);
        assertThat(r.message()).contains("CN=Example Firmware Signing").doesNotContain(sig);
    }

    @Test
    void L01_FR_03_aTruncatedImageIsInvalidSignature() throws Exception {
        byte[] bytes = Files.readAllBytes(image);
        Path truncated = dir.resolve("truncated.bin");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1));

        FirmwareVerification r = check(verifier(), ImageDigests.sha256(truncated, MAX).sha256(),
                sign(signerKeys, digest.sha256()), pem(signer));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidSignature);
        assertThat(r.reason()).isEqualTo("SIGNATURE_MISMATCH");
    }

    @Test
    void L01_FR_03_aSignatureByAnotherKeyThanTheCertificatesIsInvalidSignature() {
        KeyPair other = TestPki.ecKeyPair("secp256r1");

        FirmwareVerification r = check(verifier(), digest.sha256(), sign(other, digest.sha256()), pem(signer));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidSignature);
        assertThat(r.reason()).isEqualTo("SIGNATURE_MISMATCH");
    }

    @Test
    void L01_FR_03_aRawRAndSEcdsaSignatureIsInvalidSignature() throws Exception {
        byte[] der = FirmwareSignatures.sign(signerKeys.getPrivate(), FirmwareSignatureAlgorithm.ECDSA_SHA256, digest.sha256());
        BigInteger n = ((java.security.interfaces.ECPublicKey) signerKeys.getPublic()).getParams().getOrder();
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(n, der);
        byte[] raw = PlainDSAEncoding.INSTANCE.encode(n, rs[0], rs[1]);

        FirmwareVerification r = check(verifier(), digest.sha256(), FirmwareSignatures.encode(raw), pem(signer));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidSignature);
        assertThat(r.reason()).isEqualTo("SIGNATURE_MISMATCH");
    }

    @Test
    void L01_FR_03_signatureThatIsNotBase64EmptyOrTooLongIsInvalidSignature() {
        String good = sign(signerKeys, digest.sha256());
        assertThat(check(verifier(), digest.sha256(), good.substring(1) + "!", pem(signer)).reason()).isEqualTo("SIGNATURE_NOT_BASE64");
        assertThat(check(verifier(), digest.sha256(), good.substring(0, 20) + "\n" + good.substring(20), pem(signer)).reason())
                .isEqualTo("SIGNATURE_NOT_BASE64");
        assertThat(check(verifier(), digest.sha256(), "", pem(signer)).reason()).isEqualTo("SIGNATURE_EMPTY");
        assertThat(check(verifier(), digest.sha256(), null, pem(signer)).reason()).isEqualTo("SIGNATURE_EMPTY");
        FirmwareVerification tooLong = check(verifier(), digest.sha256(), "A".repeat(801), pem(signer));
        assertThat(tooLong.reason()).isEqualTo("SIGNATURE_TOO_LONG");
        for (String sig : new String[] {good.substring(1) + "!", "", "A".repeat(801)}) {
            FirmwareVerification r = check(verifier(), digest.sha256(), sig, pem(signer));
            assertThat(r.outcome()).isEqualTo(Outcome.InvalidSignature);
            assertThat(r.path()).containsExactly(signer, mfrRoot);
        }
    }

    @Test
    void aDigestThatIsNot32BytesIsAProgrammingError() {
        assertThatThrownBy(() -> check(verifier(), new byte[31], "AAAA", pem(signer))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> check(verifier(), null, "AAAA", pem(signer))).isInstanceOf(IllegalArgumentException.class);
    }

    // ------------------------------------------------------------------ the certificate (L01.FR.21/22 → InvalidCertificate)

    @Test
    void L01_FR_22_aSignerUnderAnUntrustedRootIsInvalidCertificate() {
        KeyPair otherKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate otherRoot = root("O=Elsewhere,CN=Someone Else Root", otherKeys);
        X509Certificate leaf = cert("CN=Foreign Signer", signerKeys.getPublic()).issuedBy(otherRoot, otherKeys.getPrivate()).build();

        FirmwareVerification r = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("UNTRUSTED");
        assertThat(r.message()).contains("CN=Someone Else Root");
        assertThat(r.path()).isEmpty();
        assertThat(r.revocation()).isEqualTo("NOT_CHECKED");
        assertThat(asked).isEmpty();
        // The untrusted root sent along does not help.
        assertThat(check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf, otherRoot)).reason())
                .isEqualTo("UNTRUSTED");
    }

    @Test
    void L01_FR_22_aSignerClaimingTheRootsNameButSignedByAnotherKeyIsBadChainSignature() {
        KeyPair impostor = TestPki.ecKeyPair("secp384r1");
        X509Certificate leaf = cert("CN=Impostor Signer", signerKeys.getPublic()).noKeyIds()
                .issuedBy("O=Example Mfr,CN=Example Manufacturer Root", impostor.getPrivate()).build();

        FirmwareVerification r = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("BAD_CHAIN_SIGNATURE");
    }

    @Test
    void L01_FR_22_anExpiredOrNotYetValidCertificateIsInvalidCertificate() {
        Instant now = Instant.now();
        X509Certificate expired = cert("CN=Expired Signer", signerKeys.getPublic())
                .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        X509Certificate future = cert("CN=Future Signer", signerKeys.getPublic())
                .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(30))).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        String sig = sign(signerKeys, digest.sha256());

        FirmwareVerification e = check(verifier(), digest.sha256(), sig, pem(expired));
        assertThat(e.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(e.reason()).isEqualTo("EXPIRED");
        assertThat(e.message()).startsWith("The signing certificate \"CN=Expired Signer\" expired");
        assertThat(e.path()).containsExactly(expired, mfrRoot);

        FirmwareVerification f = check(verifier(), digest.sha256(), sig, pem(future));
        assertThat(f.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(f.reason()).isEqualTo("NOT_YET_VALID");

        // The same certificates are valid at a time inside their validity.
        assertThat(verifier().verify(digest.sha256(), sig, pem(expired), now.minus(Duration.ofDays(2))).valid()).isTrue();
        assertThat(asked).hasSize(1);
    }

    @Test
    void L01_FR_22_anExpiredIntermediateIsNamed() {
        Instant now = Instant.now();
        KeyPair keys = TestPki.ecKeyPair("secp256r1");
        X509Certificate oldCa = cert("CN=Old Firmware CA", keys.getPublic()).ca(0)
                .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        X509Certificate leaf = cert("CN=Signer Under Old CA", signerKeys.getPublic()).issuedBy(oldCa, keys.getPrivate()).build();

        FirmwareVerification r = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf, oldCa));

        assertThat(r.reason()).isEqualTo("EXPIRED");
        assertThat(r.message()).startsWith("The intermediate certificate \"CN=Old Firmware CA\" expired");
    }

    @Test
    void L01_FR_21_aSignerWithoutCodeSigningIsInvalidCertificate() {
        X509Certificate serverAuth = cert("CN=TLS Server Not Signer", signerKeys.getPublic()).eku(KeyPurposeId.id_kp_serverAuth)
                .issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        X509Certificate noEku = cert("CN=No EKU Signer", signerKeys.getPublic()).eku((KeyPurposeId[]) null)
                .issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        String sig = sign(signerKeys, digest.sha256());

        FirmwareVerification a = check(verifier(), digest.sha256(), sig, pem(serverAuth));
        assertThat(a.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(a.reason()).isEqualTo("NOT_CODE_SIGNING");
        FirmwareVerification b = check(verifier(), digest.sha256(), sig, pem(noEku));
        assertThat(b.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(b.reason()).isEqualTo("NOT_CODE_SIGNING");
        assertThat(b.message()).contains("no extended key usage");
    }

    @Test
    void L01_FR_21_aKeyUsageWithoutDigitalSignatureIsInvalidCertificate() {
        X509Certificate keyEncipherment = cert("CN=Key Encipherment Only", signerKeys.getPublic()).keyUsage(KeyUsage.keyEncipherment)
                .issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        X509Certificate noKeyUsage = cert("CN=No Key Usage", signerKeys.getPublic()).keyUsage(null)
                .issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        String sig = sign(signerKeys, digest.sha256());

        assertThat(check(verifier(), digest.sha256(), sig, pem(keyEncipherment)).reason()).isEqualTo("NO_DIGITAL_SIGNATURE");
        // No key usage at all is allowed: only extendedKeyUsage codeSigning is required.
        assertThat(check(verifier(), digest.sha256(), sig, pem(noKeyUsage)).valid()).isTrue();
    }

    @Test
    void L01_FR_21_aCaCertificateMayNotSignFirmware() {
        KeyPair caKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate caSigner = cert("CN=CA That Signs Firmware", caKeys.getPublic()).ca(0)
                .keyUsage(KeyUsage.keyCertSign | KeyUsage.digitalSignature).eku(KeyPurposeId.id_kp_codeSigning)
                .issuedBy(mfrRoot, rootKeys.getPrivate()).build();

        FirmwareVerification r = check(verifier(), digest.sha256(), sign(caKeys, digest.sha256()), pem(caSigner));
        assertThat(r.reason()).isEqualTo("SIGNER_IS_CA");

        // The root itself as signing certificate.
        FirmwareVerification rootSigned = check(verifier(), digest.sha256(), sign(rootKeys, digest.sha256()), pem(mfrRoot));
        assertThat(rootSigned.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(rootSigned.reason()).isEqualTo("SIGNER_IS_CA");
    }

    @Test
    void aSelfSignedEndEntityThatIsTrustedAsARootStillCannotSign() {
        KeyPair keys = TestPki.ecKeyPair("secp256r1");
        X509Certificate selfSigned = cert("CN=Self Signed Signer", keys.getPublic()).issuedBy("CN=Self Signed Signer", keys.getPrivate()).build();
        FirmwareVerifier v = new FirmwareVerifier(List.of(mfrRoot, selfSigned), answering(RevocationCheck.Status.GOOD),
                RevocationPolicy.REQUIRE);

        FirmwareVerification r = check(v, digest.sha256(), sign(keys, digest.sha256()), pem(selfSigned));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("SIGNER_IS_ROOT");
    }

    @Test
    void L01_FR_22_anIssuerThatIsNotACaIsInvalidCertificate() {
        KeyPair keys = TestPki.ecKeyPair("secp256r1");
        X509Certificate notCa = cert("CN=Not A CA", keys.getPublic()).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        X509Certificate leaf = cert("CN=Signer Under Non CA", signerKeys.getPublic()).issuedBy(notCa, keys.getPrivate()).build();
        X509Certificate caWithoutCertSign = cert("CN=CA Without keyCertSign", keys.getPublic()).ca(null)
                .keyUsage(KeyUsage.digitalSignature).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        X509Certificate leaf2 = cert("CN=Signer Under CA Without keyCertSign", signerKeys.getPublic())
                .issuedBy(caWithoutCertSign, keys.getPrivate()).build();
        String sig = sign(signerKeys, digest.sha256());

        FirmwareVerification r = check(verifier(), digest.sha256(), sig, pem(leaf, notCa));
        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("ISSUER_NOT_CA");
        assertThat(r.message()).contains("CN=Not A CA");
        assertThat(check(verifier(), digest.sha256(), sig, pem(leaf2, caWithoutCertSign)).reason()).isEqualTo("ISSUER_NOT_CA");
    }

    @Test
    void L01_FR_22_aPathLengthConstraintIsEnforced() {
        KeyPair strictKeys = TestPki.ecKeyPair("secp384r1");
        X509Certificate strictRoot = cert("CN=Root Without Intermediates", strictKeys.getPublic()).ca(0)
                .issuedBy("CN=Root Without Intermediates", strictKeys.getPrivate()).build();
        KeyPair caKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate ca = cert("CN=Forbidden Intermediate", caKeys.getPublic()).ca(null).issuedBy(strictRoot, strictKeys.getPrivate()).build();
        X509Certificate leaf = cert("CN=Signer Too Deep", signerKeys.getPublic()).issuedBy(ca, caKeys.getPrivate()).build();
        FirmwareVerifier v = new FirmwareVerifier(List.of(strictRoot), answering(RevocationCheck.Status.GOOD), RevocationPolicy.REQUIRE);

        FirmwareVerification r = check(v, digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf, ca));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("PATH_LENGTH");
        // Directly under the same root it is fine.
        X509Certificate direct = cert("CN=Signer Direct", signerKeys.getPublic()).issuedBy(strictRoot, strictKeys.getPrivate()).build();
        assertThat(check(v, digest.sha256(), sign(signerKeys, digest.sha256()), pem(direct)).valid()).isTrue();
    }

    @Test
    @Timeout(20)
    void L01_FR_22_twoCasThatIssuedEachOtherEndInChainLoop() {
        KeyPair aKeys = TestPki.ecKeyPair("secp256r1");
        KeyPair bKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate a = cert("CN=Loop CA A", aKeys.getPublic()).ca(null).noKeyIds().issuedBy("CN=Loop CA B", bKeys.getPrivate()).build();
        X509Certificate b = cert("CN=Loop CA B", bKeys.getPublic()).ca(null).noKeyIds().issuedBy("CN=Loop CA A", aKeys.getPrivate()).build();
        X509Certificate leaf = cert("CN=Signer In A Loop", signerKeys.getPublic()).noKeyIds().issuedBy("CN=Loop CA A", aKeys.getPrivate()).build();

        FirmwareVerification r = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf, a, b));

        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("CHAIN_LOOP");
        assertThat(r.path()).isEmpty();
        assertThat(asked).isEmpty();
    }

    @Test
    @Timeout(20)
    void L01_FR_22_aCertificateIssuingItselfThatIsNoRootEnds() {
        // Self-signed (subject = issuer, its own key signed it): an untrusted root.
        KeyPair selfKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate selfSigned = cert("CN=Self Issued CA", selfKeys.getPublic()).ca(null)
                .issuedBy("CN=Self Issued CA", selfKeys.getPrivate()).build();
        X509Certificate leaf = cert("CN=Signer Under Self Issued", signerKeys.getPublic()).issuedBy(selfSigned, selfKeys.getPrivate()).build();
        FirmwareVerification r = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf, selfSigned));
        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("UNTRUSTED");
        assertThat(r.message()).contains("self-signed").contains("CN=Self Issued CA");

        // Subject = issuer but signed by another key: a name loop, nowhere to go.
        KeyPair otherKeys = TestPki.ecKeyPair("secp256r1");
        X509Certificate selfIssued = cert("CN=Self Named CA", selfKeys.getPublic()).ca(null).noKeyIds()
                .issuedBy("CN=Self Named CA", otherKeys.getPrivate()).build();
        X509Certificate leaf2 = cert("CN=Signer Under Self Named", signerKeys.getPublic()).noKeyIds()
                .issuedBy(selfIssued, selfKeys.getPrivate()).build();
        FirmwareVerification r2 = check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(leaf2, selfIssued));
        assertThat(r2.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r2.reason()).isEqualTo("CHAIN_LOOP");

        // A self-signed signing certificate.
        X509Certificate selfSignedLeaf = cert("CN=Self Signed Leaf", signerKeys.getPublic())
                .issuedBy("CN=Self Signed Leaf", signerKeys.getPrivate()).build();
        assertThat(check(verifier(), digest.sha256(), sign(signerKeys, digest.sha256()), pem(selfSignedLeaf)).reason())
                .isEqualTo("UNTRUSTED");
    }

    @Test
    void thePemIsBoundedAndMustHoldCertificates() {
        String sig = sign(signerKeys, digest.sha256());
        assertThat(check(verifier(), digest.sha256(), sig, null).reason()).isEqualTo("NO_CERTIFICATE");
        assertThat(check(verifier(), digest.sha256(), sig, "  \n").reason()).isEqualTo("NO_CERTIFICATE");
        assertThat(check(verifier(), digest.sha256(), sig, "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n").reason())
                .isEqualTo("NO_CERTIFICATE");
        assertThat(check(verifier(), digest.sha256(), sig, "not a certificate").reason()).isEqualTo("CERTIFICATE_UNREADABLE");
        String whole = pem(signer);
        String broken = whole.substring(0, 200) + whole.substring(240);
        assertThat(check(verifier(), digest.sha256(), sig, broken).reason()).isEqualTo("CERTIFICATE_UNREADABLE");
        assertThat(check(verifier(), digest.sha256(), sig, pem(signer) + " ".repeat(10_001 - pem(signer).length())).reason())
                .isEqualTo("CERTIFICATE_UNREADABLE");
        assertThat(check(verifier(), digest.sha256(), sig, " ".repeat(10_001)).reason()).isEqualTo("CERTIFICATE_UNREADABLE");
        FirmwareVerification five = check(verifier(), digest.sha256(), sig, pem(signer, intermediate, intermediate, intermediate, intermediate));
        assertThat(five.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(five.reason()).isEqualTo("CHAIN_TOO_LONG");
        // Exactly 10,000 characters is still read.
        String padded = pem(signer) + " ".repeat(10_000 - pem(signer).length());
        assertThat(check(verifier(), digest.sha256(), sig, padded).valid()).isTrue();
    }

    @Test
    void aCriticalExtensionThatIsNotProcessedIsInvalidCertificate() {
        // RFC 5280 §4.2: nameConstraints marked critical on an intermediate is not enforced here, so refused.
        KeyPair keys = TestPki.ecKeyPair("secp256r1");
        X509Certificate constrained = cert("CN=Name Constrained CA", keys.getPublic()).ca(0)
                .critical(org.bouncycastle.asn1.x509.Extension.nameConstraints).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        X509Certificate leaf = cert("CN=Signer Under Constrained CA", signerKeys.getPublic()).issuedBy(constrained, keys.getPrivate()).build();
        X509Certificate policies = cert("CN=Signer With Critical Policies", signerKeys.getPublic())
                .critical(org.bouncycastle.asn1.x509.Extension.certificatePolicies).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        String sig = sign(signerKeys, digest.sha256());

        FirmwareVerification r = check(verifier(), digest.sha256(), sig, pem(leaf, constrained));
        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("UNSUPPORTED_CRITICAL_EXTENSION");
        assertThat(r.message()).contains("2.5.29.30").contains("CN=Name Constrained CA");
        // certificatePolicies needs no processing when any policy is acceptable.
        assertThat(check(verifier(), digest.sha256(), sig, pem(policies)).valid()).isTrue();
    }

    @Test
    void noConfiguredRootTrustsNothing() {
        FirmwareVerifier v = new FirmwareVerifier(List.of(), null, RevocationPolicy.OFF);
        FirmwareVerification r = check(v, digest.sha256(), sign(signerKeys, digest.sha256()), pem(signer));
        assertThat(r.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(r.reason()).isEqualTo("UNTRUSTED");
        assertThatThrownBy(() -> new FirmwareVerifier(List.of(mfrRoot), null, RevocationPolicy.REQUIRE))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void certificateChecksComeBeforeTheSignature() {
        Instant now = Instant.now();
        X509Certificate expired = cert("CN=Expired And Bad Signature", signerKeys.getPublic())
                .validity(now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1))).issuedBy(mfrRoot, rootKeys.getPrivate()).build();
        assertThat(check(verifier(), digest.sha256(), "!!!!", pem(expired)).outcome()).isEqualTo(Outcome.InvalidCertificate);
    }

    // ------------------------------------------------------------------ revocation

    @Test
    void aRevokedSigningCertificateIsRevokedCertificate() {
        FirmwareVerification r = check(verifier(RevocationCheck.Status.REVOKED, RevocationPolicy.SOFT_FAIL), digest.sha256(),
                sign(signerKeys, digest.sha256()), pem(signer));

        assertThat(r.outcome()).isEqualTo(Outcome.RevokedCertificate);
        assertThat(r.reason()).isEqualTo("REVOKED");
        assertThat(r.revocation()).isEqualTo("REVOKED");
        assertThat(r.message()).contains("CN=Example Firmware Signing");
    }

    @Test
    void aRevokedIntermediateIsRevokedCertificate() {
        RevocationCheck intermediateRevoked = (c, issuer) -> c.equals(intermediate) ? RevocationCheck.Status.REVOKED
                : RevocationCheck.Status.UNAVAILABLE;
        FirmwareVerifier v = new FirmwareVerifier(List.of(mfrRoot), intermediateRevoked, RevocationPolicy.REQUIRE);

        FirmwareVerification r = check(v, digest.sha256(), sign(signerKeys, digest.sha256()), pem(signerUnderIntermediate, intermediate));

        assertThat(r.outcome()).isEqualTo(Outcome.RevokedCertificate);
        assertThat(r.message()).startsWith("The intermediate certificate \"CN=Example Firmware CA");
    }

    @Test
    void requireTurnsAnUnavailableOrUnknownStatusIntoInvalidCertificate() {
        String sig = sign(signerKeys, digest.sha256());
        FirmwareVerification unavailable = check(verifier(RevocationCheck.Status.UNAVAILABLE, RevocationPolicy.REQUIRE),
                digest.sha256(), sig, pem(signer));
        assertThat(unavailable.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(unavailable.reason()).isEqualTo("REVOCATION_UNAVAILABLE");
        assertThat(unavailable.revocation()).isEqualTo("UNAVAILABLE");

        FirmwareVerification unknown = check(verifier(RevocationCheck.Status.UNKNOWN, RevocationPolicy.REQUIRE),
                digest.sha256(), sig, pem(signer));
        assertThat(unknown.outcome()).isEqualTo(Outcome.InvalidCertificate);
        assertThat(unknown.reason()).isEqualTo("REVOCATION_UNKNOWN");

        RevocationCheck failing = (c, issuer) -> {
            throw new IllegalStateException("responder down");
        };
        FirmwareVerification thrown = check(new FirmwareVerifier(List.of(mfrRoot), failing, RevocationPolicy.REQUIRE),
                digest.sha256(), sig, pem(signer));
        assertThat(thrown.reason()).isEqualTo("REVOCATION_UNAVAILABLE");
        assertThat(thrown.message()).doesNotContain("responder down");
    }

    @Test
    void softFailPassesAnUnavailableStatusAndSaysSo() {
        FirmwareVerification r = check(verifier(RevocationCheck.Status.UNAVAILABLE, RevocationPolicy.SOFT_FAIL), digest.sha256(),
                sign(signerKeys, digest.sha256()), pem(signer));

        assertThat(r.outcome()).isEqualTo(Outcome.Valid);
        assertThat(r.revocation()).isEqualTo("UNAVAILABLE");
    }

    @Test
    void offAsksNothing() {
        FirmwareVerification r = check(verifier(RevocationCheck.Status.REVOKED, RevocationPolicy.OFF), digest.sha256(),
                sign(signerKeys, digest.sha256()), pem(signer));

        assertThat(r.outcome()).isEqualTo(Outcome.Valid);
        assertThat(r.revocation()).isEqualTo("NOT_CHECKED");
        assertThat(asked).isEmpty();
    }

    // ------------------------------------------------------------------ sharing

    @Test
    void oneVerifierServesConcurrentCallers() throws Exception {
        FirmwareVerifier v = verifier();
        String sig = sign(signerKeys, digest.sha256());
        byte[] otherDigest = digest.sha256();
        otherDigest[0] ^= 1;
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Outcome>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                boolean good = i % 2 == 0;
                String chainPem = i % 4 < 2 ? pem(signer) : pem(signerUnderIntermediate, intermediate);
                results.add(pool.submit(() -> v.verify(good ? digest.sha256() : otherDigest, sig, chainPem, Instant.now()).outcome()));
            }
            for (int i = 0; i < results.size(); i++) {
                assertThat(results.get(i).get()).isEqualTo(i % 2 == 0 ? Outcome.Valid : Outcome.InvalidSignature);
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
