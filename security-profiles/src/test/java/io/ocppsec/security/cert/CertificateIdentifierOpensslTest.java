package io.ocppsec.security.cert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.security.testing.TestPki;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * M06 / OCSPRequestData: our CertificateHashData equals the CertID the {@code openssl ocsp}
 * client computes for the same certificate and issuer, an implementation independent of ours.
 */
class CertificateIdentifierOpensslTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(HashAlgorithm.class)
    void M06_hashDataEqualsTheCertIdOfOpensslOcsp(HashAlgorithm alg) throws Exception {
        assumeTrue(opensslAvailable(), "openssl CLI not found: independent-peer test skipped");
        KeyPair rootKeys = TestPki.ecKeyPair("secp384r1");
        X509Certificate root = TestPki.selfSigned("CN=ocppsec test root,O=ocppsec", rootKeys, BigInteger.valueOf(1));
        // A serial whose top byte is zero in DER, to exercise "without leading zeroes".
        BigInteger serial = new BigInteger("00a1b2c3d4e5f60718293a4b5c6d7e8f", 16);
        X509Certificate leaf = TestPki.issue(new X500Name("CN=CP-0042,O=ocppsec CPO"),
                TestPki.ecKeyPair("secp256r1").getPublic(), root, rootKeys.getPrivate(), serial, "http://ocsp.example.test/");

        Path rootPem = write("root.pem", root);
        Path leafPem = write("leaf.pem", leaf);
        Path req = dir.resolve("req.der");
        String digest = "-" + alg.jcaName().replace("-", "").toLowerCase();
        // openssl wants the digest before -cert.
        run("openssl", "ocsp", "-issuer", rootPem.toString(), digest, "-cert", leafPem.toString(),
                "-no_nonce", "-reqout", req.toString());
        String text = run("openssl", "ocsp", "-reqin", req.toString(), "-req_text");

        CertificateHashData ours = CertificateIdentifier.of(leaf, root, alg);
        assertThat(ours.issuerNameHash()).isEqualToIgnoringCase(field(text, "Issuer Name Hash"));
        assertThat(ours.issuerKeyHash()).isEqualToIgnoringCase(field(text, "Issuer Key Hash"));
        assertThat(new BigInteger(ours.serialNumber(), 16)).isEqualTo(new BigInteger(field(text, "Serial Number"), 16));
        assertThat(ours.serialNumber()).isEqualTo("a1b2c3d4e5f60718293a4b5c6d7e8f");
    }

    @org.junit.jupiter.api.Test
    void sha256FingerprintIsWhatOpensslPrints() throws Exception {
        assumeTrue(opensslAvailable(), "openssl CLI not found: independent-peer test skipped");
        KeyPair keys = TestPki.ecKeyPair("secp256r1");
        X509Certificate root = TestPki.selfSigned("CN=ocppsec fingerprint root,O=ocppsec", keys, BigInteger.valueOf(7));
        String text = run("openssl", "x509", "-noout", "-fingerprint", "-sha256", "-in", write("fp.pem", root).toString());
        assertThat("sha256 Fingerprint=" + CertificateFingerprint.sha256(root)).isEqualToIgnoringCase(text.strip());
        assertThat(CertificateFingerprint.sha256(root)).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    private Path write(String name, X509Certificate cert) throws Exception {
        Path p = dir.resolve(name);
        String b64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(cert.getEncoded());
        Files.writeString(p, "-----BEGIN CERTIFICATE-----\n" + b64 + "\n-----END CERTIFICATE-----\n");
        return p;
    }

    /** A hex field of {@code -req_text}; openssl continues long values on the next line after a backslash. */
    private static String field(String text, String name) {
        Matcher m = Pattern.compile(Pattern.quote(name) + ":\\s*((?:[0-9A-Fa-f]+\\\\\\R)*[0-9A-Fa-f]+)").matcher(text);
        assertThat(m.find()).as("openssl output has %s", name).isTrue();
        return m.group(1).replaceAll("\\\\\\R", "");
    }

    private static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(List.of(cmd)).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("%s\n%s", new ArrayList<>(List.of(cmd)), out).isZero();
        return out;
    }
}
