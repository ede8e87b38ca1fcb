package io.ocppsec.security.cert;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.message.type.OcspRequestData;
import io.ocppsec.security.testing.SharedDir;
import io.ocppsec.security.testing.TestPki;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.io.InputStream;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CertificateIdentifierTest {

    private static final String SKIP = "../shared not present: vector test skipped";

    private static Path vectors(String folder) {
        Optional<Path> dir = SharedDir.resolve("iso15118/vectors/" + folder);
        Assumptions.assumeTrue(dir.isPresent(), SKIP);
        return dir.get();
    }

    private static List<X509Certificate> certs(Path file) throws Exception {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> out = new ArrayList<>();
            for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                out.add((X509Certificate) c);
            }
            return out;
        }
    }

    // M06 / RFC 6960 CertID: EVerest's SECC leaf B vector (SHA256, issuer = the Sub-CA 2 from the chain file).
    @Test
    void M06_everestSeccLeafHashDataMatchesTheVector() throws Exception {
        Path dir = vectors("everest-ocsp-hashdata");
        X509Certificate leaf = certs(dir.resolve("SECC_LEAF_B.pem")).get(0);
        // The chain file starts with the leaf itself; pick the certificate whose subject is the leaf's issuer.
        X509Certificate issuer = certs(dir.resolve("CPO_CERT_SECC_LEAF_CHAIN_B.pem")).stream()
                .filter(c -> c.getSubjectX500Principal().equals(leaf.getIssuerX500Principal()))
                .findFirst().orElseThrow();
        List<String> expected = Files.readAllLines(dir.resolve("SECC_LEAF_ocsp.hash")).stream()
                .map(String::trim).filter(s -> !s.isEmpty()).toList();
        assertThat(expected.get(0)).isEqualTo("SHA256");

        CertificateHashData data = CertificateIdentifier.of(leaf, issuer, HashAlgorithm.SHA256);
        assertThat(data).isEqualTo(new CertificateHashData(HashAlgorithm.SHA256, expected.get(1), expected.get(2), expected.get(3)));
        assertThat(CertificateIdentifier.identifies(data, leaf, issuer)).isTrue();
        // The leaf is not its own issuer: computing with the wrong issuer is refused, identifies() is false.
        assertThat(CertificateIdentifier.identifies(data, leaf, leaf)).isFalse();
        assertThatThrownBy(() -> CertificateIdentifier.of(leaf, leaf, HashAlgorithm.SHA256)).isInstanceOf(IllegalArgumentException.class);
    }

    // M06 / C07: Josev's MO chain (contract leaf <- sub2 <- sub1 <- root) with responder URLs from AIA.
    @Test
    void M06_josevChainOcspRequestDataMatchesTheVectors() throws Exception {
        Path dir = vectors("josev-sample-certs");
        X509Certificate leaf = certs(dir.resolve("contractLeafCert.der")).get(0);
        X509Certificate sub2 = certs(dir.resolve("moSubCA2Cert.der")).get(0);
        X509Certificate sub1 = certs(dir.resolve("moSubCA1Cert.der")).get(0);
        X509Certificate root = certs(dir.resolve("moRootCACert.der")).get(0);
        X509Certificate[][] pairs = {{leaf, sub2}, {sub2, sub1}, {sub1, root}, {root, root}};

        JsonNode expected = new ObjectMapper().readTree(dir.resolve("expected_ocsp_request_data.json").toFile())
                .get("chain_leaf_to_root");
        assertThat(expected.size()).isEqualTo(4);
        for (int i = 0; i < 4; i++) {
            JsonNode e = expected.get(i);
            OcspRequestData want = new OcspRequestData(HashAlgorithm.valueOf(e.get("hashAlgorithm").asString()),
                    e.get("issuerNameHash").asString(), e.get("issuerKeyHash").asString(),
                    e.get("serialNumber").asString(), e.get("responderURL").asString());
            Optional<OcspRequestData> got = CertificateIdentifier.ocspRequestData(pairs[i][0], pairs[i][1], HashAlgorithm.SHA256);
            assertThat(got).as(e.get("subject").asString()).contains(want);
            assertThat(CertificateIdentifier.ocspResponderUrl(pairs[i][0])).contains("https://www.example.com/");
        }
        X509Certificate noAia = certs(dir.resolve("moRootCACert_no_ocsp.der")).get(0);
        assertThat(CertificateIdentifier.ocspResponderUrl(noAia)).isEmpty();
        assertThat(CertificateIdentifier.ocspRequestData(noAia, noAia, HashAlgorithm.SHA256)).isEmpty();
        // Serial 0x0B is written without its leading zero.
        assertThat(CertificateIdentifier.of(noAia, noAia, HashAlgorithm.SHA256).serialNumber()).isEqualTo("b");
    }

    // RFC 6960 §4.1.1 as OCPP uses it, checked independently with Bouncy Castle on generated certificates:
    // SHA384 and SHA512, a serial whose DER has a leading zero byte, and a root (issuer = itself).
    @Test
    void M04_computedIndependentlyForSha384Sha512AndRoots() throws Exception {
        KeyPair rootKeys = TestPki.ecKeyPair("secp384r1");
        X509Certificate root = TestPki.selfSigned("CN=Test Root,O=Test CSO,C=DE", rootKeys, new BigInteger("00ff00", 16));
        KeyPair leafKeys = TestPki.ecKeyPair("secp256r1");
        // 0x80... needs a leading 0x00 octet in DER to stay positive.
        BigInteger serial = new BigInteger("80000000000000000000000000000000000001", 16);
        X509Certificate leaf = TestPki.issue(new X500Name("CN=SN-42,O=Test CSO"), leafKeys.getPublic(), root,
                rootKeys.getPrivate(), serial, "http://ocsp.example.com/");
        assertThat(leaf.getSerialNumber().toByteArray()[0]).isZero();

        for (HashAlgorithm alg : HashAlgorithm.values()) {
            MessageDigest md = MessageDigest.getInstance(alg.jcaName());
            byte[] issuerDer = new JcaX509CertificateHolder(leaf).getIssuer().getEncoded();
            byte[] rootKey = SubjectPublicKeyInfo.getInstance(root.getPublicKey().getEncoded()).getPublicKeyData().getBytes();
            CertificateHashData d = CertificateIdentifier.of(leaf, root, alg);
            assertThat(d.hashAlgorithm()).isEqualTo(alg);
            assertThat(d.issuerNameHash()).hasSize(alg.length() * 2).isEqualTo(HexFormat.of().formatHex(md.digest(issuerDer)));
            assertThat(d.issuerKeyHash()).hasSize(alg.length() * 2).isEqualTo(HexFormat.of().formatHex(md.digest(rootKey)));
            assertThat(d.serialNumber()).isEqualTo("80000000000000000000000000000000000001");
            assertThat(CertificateIdentifier.identifies(d, leaf, root)).isTrue();

            CertificateHashData r = CertificateIdentifier.of(root, root, alg);
            assertThat(r.serialNumber()).isEqualTo("ff00");
            assertThat(r.issuerKeyHash()).isEqualTo(d.issuerKeyHash());
            assertThat(r.issuerNameHash()).isEqualTo(d.issuerNameHash());
            assertThat(CertificateIdentifier.identifies(r, root, root)).isTrue();
            assertThat(CertificateIdentifier.matches(r, d)).isFalse();
        }
        assertThat(CertificateIdentifier.of(leaf, root, HashAlgorithm.SHA384, "http://x/").responderURL()).isEqualTo("http://x/");
        assertThat(CertificateIdentifier.ocspResponderUrl(leaf)).contains("http://ocsp.example.com/");
    }

    // M04.FR.07: the station's hash data (any hex case, leading zeroes in the serial) matches ours,
    // but only with the same algorithm.
    @Test
    void M04_FR_07_matchingIgnoresCaseAndLeadingZeroesButNotTheAlgorithm() {
        CertificateHashData ours = new CertificateHashData(HashAlgorithm.SHA256, "ab".repeat(32), "cd".repeat(32), "fff");
        CertificateHashData theirs = new CertificateHashData(HashAlgorithm.SHA256, "AB".repeat(32), "Cd".repeat(32), "00FFF");
        assertThat(CertificateIdentifier.matches(ours, theirs)).isTrue();
        assertThat(CertificateIdentifier.matches(theirs, ours)).isTrue();
        assertThat(CertificateIdentifier.matches(ours, new CertificateHashData(HashAlgorithm.SHA256, "ab".repeat(32), "cd".repeat(32), "ffe"))).isFalse();
        assertThat(CertificateIdentifier.matches(ours, new CertificateHashData(HashAlgorithm.SHA256, "ab".repeat(32), "ce".repeat(32), "fff"))).isFalse();
        assertThat(CertificateIdentifier.matches(ours, new CertificateHashData(HashAlgorithm.SHA384, "ab".repeat(48), "cd".repeat(48), "fff"))).isFalse();
        CertificateHashData zero = new CertificateHashData(HashAlgorithm.SHA256, "ab".repeat(32), "cd".repeat(32), "0");
        assertThat(CertificateIdentifier.matches(zero, new CertificateHashData(HashAlgorithm.SHA256, "ab".repeat(32), "cd".repeat(32), "000"))).isTrue();
    }

    // Total: malformed station input gives false and a reason, never an exception.
    @Test
    void M04_malformedHashDataIsRefusedWithAReason() {
        String h = "ab".repeat(32);
        Object[][] cases = {
                {null, HashDataCheck.Field.CERTIFICATE_HASH_DATA, HashDataCheck.Problem.MISSING},
                {new CertificateHashData(null, h, h, "1"), HashDataCheck.Field.HASH_ALGORITHM, HashDataCheck.Problem.MISSING},
                {new CertificateHashData(HashAlgorithm.SHA256, null, h, "1"), HashDataCheck.Field.ISSUER_NAME_HASH, HashDataCheck.Problem.MISSING},
                {new CertificateHashData(HashAlgorithm.SHA256, "", h, "1"), HashDataCheck.Field.ISSUER_NAME_HASH, HashDataCheck.Problem.EMPTY},
                {new CertificateHashData(HashAlgorithm.SHA256, h + "a", h, "1"), HashDataCheck.Field.ISSUER_NAME_HASH, HashDataCheck.Problem.WRONG_LENGTH},
                {new CertificateHashData(HashAlgorithm.SHA384, h, h, "1"), HashDataCheck.Field.ISSUER_NAME_HASH, HashDataCheck.Problem.WRONG_LENGTH},
                {new CertificateHashData(HashAlgorithm.SHA256, "x".repeat(10_000), h, "1"), HashDataCheck.Field.ISSUER_NAME_HASH, HashDataCheck.Problem.TOO_LONG},
                {new CertificateHashData(HashAlgorithm.SHA256, "g" + h.substring(1), h, "1"), HashDataCheck.Field.ISSUER_NAME_HASH, HashDataCheck.Problem.NOT_HEX},
                {new CertificateHashData(HashAlgorithm.SHA256, h, "\uFF10" + h.substring(1), "1"), HashDataCheck.Field.ISSUER_KEY_HASH, HashDataCheck.Problem.NOT_HEX},
                {new CertificateHashData(HashAlgorithm.SHA256, h, h.substring(2), "1"), HashDataCheck.Field.ISSUER_KEY_HASH, HashDataCheck.Problem.WRONG_LENGTH},
                {new CertificateHashData(HashAlgorithm.SHA256, h, h, null), HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.MISSING},
                {new CertificateHashData(HashAlgorithm.SHA256, h, h, ""), HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.EMPTY},
                {new CertificateHashData(HashAlgorithm.SHA256, h, h, "1".repeat(41)), HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.TOO_LONG},
                {new CertificateHashData(HashAlgorithm.SHA256, h, h, "0x1F"), HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.NOT_HEX},
                {new CertificateHashData(HashAlgorithm.SHA256, h, h, "-1"), HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.NOT_HEX},
        };
        CertificateHashData good = new CertificateHashData(HashAlgorithm.SHA256, h, h, "1");
        assertThat(CertificateIdentifier.validate(good).isWellFormed()).isTrue();
        assertThat(CertificateIdentifier.validate(new CertificateHashData(HashAlgorithm.SHA256, h, h, "1".repeat(40))).isWellFormed()).isTrue();
        for (Object[] c : cases) {
            CertificateHashData d = (CertificateHashData) c[0];
            HashDataCheck check = CertificateIdentifier.validate(d);
            assertThat(check).as(String.valueOf(d)).isEqualTo(new HashDataCheck.Malformed(
                    (HashDataCheck.Field) c[1], (HashDataCheck.Problem) c[2]));
            assertThat(((HashDataCheck.Malformed) check).detail()).doesNotContain("abab");
            assertThat(CertificateIdentifier.matches(d, good)).isFalse();
            assertThat(CertificateIdentifier.matches(good, d)).isFalse();
            assertThat(CertificateIdentifier.identifies(d, null, null)).isFalse();
        }
        assertThat(CertificateIdentifier.ocspResponderUrl(null)).isEmpty();
    }

    // Total: random strings in every field never throw.
    @Test
    void M04_matchingIsTotalOnRandomInput() {
        java.util.Random r = new java.util.Random(11);
        String alphabet = "0123456789abcdefABCDEFxX- \u0660";
        for (int i = 0; i < 5_000; i++) {
            String[] f = new String[3];
            for (int k = 0; k < 3; k++) {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(10) == 0 ? r.nextInt(300) : (r.nextBoolean() ? 64 : r.nextInt(50));
                for (int j = 0; j < n; j++) {
                    sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
                }
                f[k] = sb.toString();
            }
            HashAlgorithm alg = HashAlgorithm.values()[r.nextInt(3)];
            CertificateHashData d = new CertificateHashData(alg, f[0], f[1], f[2]);
            assertThat(CertificateIdentifier.validate(d)).isNotNull();
            assertThat(CertificateIdentifier.matches(d, d)).isEqualTo(CertificateIdentifier.validate(d).isWellFormed());
        }
    }
}
