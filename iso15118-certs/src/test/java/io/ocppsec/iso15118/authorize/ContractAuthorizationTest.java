package io.ocppsec.iso15118.authorize;

import io.ocppsec.iso15118.pki.Craft;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.SharedVectors;
import io.ocppsec.iso15118.pki.TestPki;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.ocpp.message.type.AuthorizationStatus;
import io.ocppsec.ocpp.message.type.AuthorizeCertificateStatus;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.message.type.OcspRequestData;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;
import org.bouncycastle.cert.ocsp.CertificateID;
import org.bouncycastle.operator.DigestCalculator;
import org.bouncycastle.operator.jcajce.JcaDigestCalculatorProviderBuilder;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The C07 decision table (reference/ocpp-security.md §5), row by row, with chains issued by
 * {@link io.ocppsec.iso15118.pki.Iso15118Certificates}. The lookups are plain in-memory stand-ins
 * for the service's OCSP broker and contract store (no crypto is faked).
 */
class ContractAuthorizationTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NOW = T0.plus(Duration.ofDays(30));
    private static final String EMAID = "DE-ABC-C123ABC56";
    private static final String OCSP = "http://ocsp.mo.example.com/";

    private final TestPki.Chain chain = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_2, EMAID, T0, Urls.ocsp(OCSP));
    private final TrustAnchors anchors = TrustAnchors.none().withMoRoot(chain.root().cert());
    private final Ocsp ocsp = new Ocsp();
    private final Map<String, AuthorizationStatus> store = new HashMap<>(Map.of("DEABCC123ABC56", AuthorizationStatus.Accepted));

    /** In-memory OCSP answers by serial (hex); default GOOD; records every request. */
    static final class Ocsp implements RevocationLookup {
        final Map<String, Status> bySerial = new HashMap<>();
        final List<OcspRequestData> requests = new ArrayList<>();
        RuntimeException failure;

        @Override
        public Status status(OcspRequestData request) {
            requests.add(request);
            if (failure != null) {
                throw failure;
            }
            return bySerial.getOrDefault(request.serialNumber().toLowerCase(), Status.GOOD);
        }
    }

    private ContractAuthorization authorization() {
        return new ContractAuthorization(new Iso15118ChainValidator(anchors, Leniency.strict()), ocsp, store::get);
    }

    private static String serial(X509Certificate c) {
        return c.getSerialNumber().toString(16);
    }

    /** The hash data a station computes for leaf and Sub-CAs (independently: BC's OCSP CertificateID). */
    static List<OcspRequestData> stationHashData(List<X509Certificate> leafToRoot, String url) throws Exception {
        return stationHashData(leafToRoot, url, HashAlgorithm.SHA256);
    }

    static List<OcspRequestData> stationHashData(List<X509Certificate> leafToRoot, String url, HashAlgorithm alg) throws Exception {
        List<OcspRequestData> out = new ArrayList<>();
        for (int i = 0; i < leafToRoot.size() - 1; i++) {
            out.add(stationEntry(leafToRoot.get(i), leafToRoot.get(i + 1), url, alg));
        }
        return out;
    }

    /** One entry as a station computes it with {@code alg} (BC's OCSP CertificateID); a root is its own issuer. */
    static OcspRequestData stationEntry(X509Certificate cert, X509Certificate issuer, String url, HashAlgorithm alg) throws Exception {
        var oid = switch (alg) {
            case SHA256 -> NISTObjectIdentifiers.id_sha256;
            case SHA384 -> NISTObjectIdentifiers.id_sha384;
            case SHA512 -> NISTObjectIdentifiers.id_sha512;
        };
        DigestCalculator digest = new JcaDigestCalculatorProviderBuilder().build().get(new AlgorithmIdentifier(oid));
        CertificateID id = new CertificateID(digest, new JcaX509CertificateHolder(issuer), cert.getSerialNumber());
        return new OcspRequestData(alg, HexFormat.of().formatHex(id.getIssuerNameHash()),
                HexFormat.of().formatHex(id.getIssuerKeyHash()), id.getSerialNumber().toString(16), url);
    }

    private List<X509Certificate> leafToRoot() {
        return List.of(chain.leaf().cert(), chain.subCa2().cert(), chain.subCa1().cert(), chain.root().cert());
    }

    private static void assertDecision(Decision d, AuthorizationStatus token, AuthorizeCertificateStatus cert) {
        assertThat(d.certificateStatus()).as(d.reason()).isEqualTo(cert);
        assertThat(d.idTokenStatus()).as(d.reason()).isEqualTo(token);
    }

    // ---------------------------------------------------------------- rows

    @Test
    void noCertificateAndNoHashDataIsNoCertificateAvailable() {
        assertDecision(authorization().decide(EMAID, List.of(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.NoCertificateAvailable);
        assertDecision(authorization().decide(EMAID, null, null, NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.NoCertificateAvailable);
        assertDecision(authorization().decidePem(EMAID, null, null, NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.NoCertificateAvailable);
        assertThat(ocsp.requests).isEmpty();
    }

    @Test
    void tc_c_50_hashDataOnlyOcspGoodIsAcceptedAccepted_C07_FR_05() throws Exception {
        List<OcspRequestData> hd = stationHashData(leafToRoot(), OCSP);
        Decision d = authorization().decide(EMAID, List.of(), hd, NOW);
        assertDecision(d, AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        assertThat(ocsp.requests).containsExactlyElementsOf(hd);
    }

    @Test
    void tc_c_51_hashDataRevokedLeafIsCertificateRevokedInvalid_C07_FR_16() throws Exception {
        ocsp.bySerial.put(serial(chain.leaf().cert()), RevocationLookup.Status.REVOKED);
        assertDecision(authorization().decide(EMAID, List.of(), stationHashData(leafToRoot(), OCSP), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertificateRevoked);
    }

    @Test
    void revokedSubCaIsCertificateRevokedToo_C07_FR_16() {
        ocsp.bySerial.put(serial(chain.subCa1().cert()), RevocationLookup.Status.REVOKED);
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertificateRevoked);
        // revoked wins over a missing answer for another certificate
        ocsp.bySerial.put(serial(chain.leaf().cert()), RevocationLookup.Status.UNAVAILABLE);
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertificateRevoked);
    }

    @Test
    void tc_c_52_certificateWithoutHashDataTheCsmsComputesTheHashData_C07_FR_06() throws Exception {
        Decision d = authorization().decide(EMAID, chain.wire(), List.of(), NOW);
        assertDecision(d, AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        // leaf, Sub-CA 2, Sub-CA 1 — not the root — each with the responder URL of its AIA
        assertThat(ocsp.requests).containsExactlyElementsOf(stationHashData(leafToRoot(), OCSP));
        assertThat(d.checked()).isEqualTo(ocsp.requests);
    }

    @Test
    void tc_c_52_fromPemAsTheAuthorizeRequestCarriesIt() throws Exception {
        StringBuilder pem = new StringBuilder();
        for (X509Certificate c : chain.wire()) {
            pem.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        assertDecision(authorization().decidePem(EMAID, pem.toString(), null, NOW),
                AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        assertDecision(authorization().decidePem(EMAID, "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", null, NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
    }

    @Test
    void leafCnMustBeTheEmaid() {
        assertDecision(authorization().decide("DE-ABC-C123ABC57", chain.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        // separators and case do not matter
        assertDecision(authorization().decide("deabcc123abc56", chain.wire(), List.of(), NOW),
                AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        assertDecision(authorization().decide(null, chain.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
    }

    @Test
    void invalidChainsAreCertChainError() {
        TestPki.Chain foreign = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_2, EMAID, T0, Urls.ocsp(OCSP));
        assertDecision(authorization().decide(EMAID, foreign.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);          // unknown root
        assertDecision(authorization().decide(EMAID, List.of(chain.leaf().cert(), chain.subCa1().cert()), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);          // missing Sub-CA 2
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), T0.minusSeconds(60)),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);          // not yet valid
        assertThat(ocsp.requests).isEmpty();
    }

    @Test
    void expiredChainIsCertificateExpiredExpired() {
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), T0.plus(Duration.ofDays(800))),
                AuthorizationStatus.Expired, AuthorizeCertificateStatus.CertificateExpired);
    }

    @Test
    void badSignatureIsSignatureError() {
        TestPki.Node forged = Craft.node(Iso15118Role.CONTRACT, EMAID, chain.subCa2(), T0,
                s -> s.signingKey = KeyType.SECP256R1.generate().getPrivate());
        assertDecision(authorization().decide(EMAID, List.of(forged.cert(), chain.subCa2().cert(), chain.subCa1().cert()), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.SignatureError);
    }

    @Test
    void ocspUnavailableOrUnknownIsCertChainError() {
        ocsp.bySerial.put(serial(chain.subCa2().cert()), RevocationLookup.Status.UNAVAILABLE);
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        ocsp.bySerial.put(serial(chain.subCa2().cert()), RevocationLookup.Status.UNKNOWN);
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        ocsp.bySerial.clear();
        ocsp.failure = new IllegalStateException("broker down");
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
    }

    @Test
    void aChainWithoutOcspUrlBorrowsTheStationsResponderUrlOrIsCertChainError() throws Exception {
        TestPki.Chain noAia = TestPki.chainUnder(chain.root(), Iso15118Role.CONTRACT, Edition.ISO_15118_2, EMAID, T0, Urls.NONE, true);
        assertDecision(authorization().decide(EMAID, noAia.wire(), List.of(), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        List<OcspRequestData> hd = stationHashData(List.of(noAia.leaf().cert(), noAia.subCa2().cert(), noAia.subCa1().cert(),
                noAia.root().cert()), "http://station.example/ocsp");
        assertDecision(authorization().decide(EMAID, noAia.wire(), hd, NOW),
                AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        assertThat(ocsp.requests).extracting(OcspRequestData::responderURL).containsOnly("http://station.example/ocsp");
    }

    // ------------------------------------------- C07.FR.06 / TC_C_52: certificate and station hash data together

    @Test
    void tc_c_52_certificateWithMatchingStationHashData_isAcceptedAsBefore_theRootTolerated_C07_FR_06() throws Exception {
        List<OcspRequestData> supplied = new ArrayList<>(stationHashData(leafToRoot(), "http://station.example/ocsp"));
        supplied.add(stationEntry(chain.root().cert(), chain.root().cert(), OCSP, HashAlgorithm.SHA256)); // names the root
        Decision d = authorization().decide(EMAID, chain.wire(), supplied, NOW);
        assertDecision(d, AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        // what is checked is still computed from the chain (the AIA URLs), never the root
        assertThat(ocsp.requests).containsExactlyElementsOf(stationHashData(leafToRoot(), OCSP));
        // uppercase hex and serial leading zeroes name the same certificate
        OcspRequestData leaf = supplied.get(0);
        OcspRequestData shouted = new OcspRequestData(leaf.hashAlgorithm(), leaf.issuerNameHash().toUpperCase(),
                leaf.issuerKeyHash().toUpperCase(), "00" + leaf.serialNumber().toUpperCase(), leaf.responderURL());
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(shouted), NOW),
                AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
    }

    @Test
    void tc_c_52_stationHashDataForAnotherContractThanTheCertificateSentIsCertChainError_C07_FR_06() throws Exception {
        // another contract under the same MO root: its own Sub-CAs, its own leaf
        TestPki.Chain other = TestPki.chainUnder(chain.root(), Iso15118Role.CONTRACT, Edition.ISO_15118_2, "DE-ABC-C123ABC57", T0,
                Urls.ocsp(OCSP), true);
        List<OcspRequestData> ours = stationHashData(leafToRoot(), OCSP);
        List<OcspRequestData> theirs = stationHashData(List.of(other.leaf().cert(), other.subCa2().cert(), other.subCa1().cert(),
                other.root().cert()), OCSP);
        Decision d = authorization().decide(EMAID, chain.wire(), theirs, NOW);
        assertDecision(d, AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        assertThat(d.reason()).isEqualTo("iso15118CertificateHashData entry 1 does not describe a certificate of the contract chain sent");
        // one foreign entry among matching ones is enough, and is named
        d = authorization().decide(EMAID, chain.wire(), List.of(ours.get(1), theirs.get(0), ours.get(0)), NOW);
        assertDecision(d, AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        assertThat(d.reason()).contains("entry 2 does not describe a certificate of the contract chain sent");
        // our leaf's issuer hashes with another serial: not a certificate of this chain either
        OcspRequestData leaf = ours.get(0);
        OcspRequestData wrongSerial = new OcspRequestData(HashAlgorithm.SHA256, leaf.issuerNameHash(), leaf.issuerKeyHash(),
                chain.leaf().cert().getSerialNumber().add(java.math.BigInteger.ONE).toString(16), OCSP);
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(wrongSerial), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        assertThat(ocsp.requests).as("nothing is looked up for a contradictory request").isEmpty();
    }

    @Test
    void tc_c_52_aMalformedStationHashDataEntryBesideTheCertificateIsCertChainError_C07_FR_06() throws Exception {
        OcspRequestData good = stationHashData(leafToRoot(), OCSP).get(0);
        for (OcspRequestData bad : java.util.Arrays.asList(
                new OcspRequestData(HashAlgorithm.SHA256, "zz" + good.issuerNameHash().substring(2), good.issuerKeyHash(), good.serialNumber(), OCSP),
                new OcspRequestData(HashAlgorithm.SHA512, good.issuerNameHash(), good.issuerKeyHash(), good.serialNumber(), OCSP),
                new OcspRequestData(HashAlgorithm.SHA256, good.issuerNameHash(), good.issuerKeyHash(), "", OCSP),
                new OcspRequestData(HashAlgorithm.SHA256, good.issuerNameHash(), good.issuerKeyHash(), good.serialNumber(), " "),
                null)) {
            Decision d = authorization().decide(EMAID, chain.wire(), java.util.Arrays.asList(good, bad), NOW);
            assertDecision(d, AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
            assertThat(d.reason()).startsWith("iso15118CertificateHashData entry 2: ");
        }
        assertThat(ocsp.requests).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(value = HashAlgorithm.class, names = {"SHA384", "SHA512"})
    void tc_c_52_stationHashDataWithSha384OrSha512ThatMatchesIsAccepted_andLendsItsResponderUrl_C07_FR_06(HashAlgorithm alg)
            throws Exception {
        List<OcspRequestData> supplied = stationHashData(leafToRoot(), "http://station.example/ocsp", alg);
        assertThat(supplied.get(0).issuerNameHash()).hasSize(alg.length() * 2);
        assertDecision(authorization().decide(EMAID, chain.wire(), supplied, NOW),
                AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        // a chain without AIA borrows the URL of the entry that matches, whatever its algorithm; we check with SHA-256
        TestPki.Chain noAia = TestPki.chainUnder(chain.root(), Iso15118Role.CONTRACT, Edition.ISO_15118_2, EMAID, T0, Urls.NONE, true);
        List<X509Certificate> noAiaPath = List.of(noAia.leaf().cert(), noAia.subCa2().cert(), noAia.subCa1().cert(), noAia.root().cert());
        ocsp.requests.clear();
        assertDecision(authorization().decide(EMAID, noAia.wire(), stationHashData(noAiaPath, "http://station.example/ocsp", alg), NOW),
                AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        assertThat(ocsp.requests).containsExactlyElementsOf(stationHashData(noAiaPath, "http://station.example/ocsp"));
    }

    @ParameterizedTest
    @EnumSource(value = AuthorizationStatus.class, names = {"Blocked", "Expired", "Invalid", "Unknown"})
    void validCertificateButCancelledContract_C07_FR_13(AuthorizationStatus token) {
        store.put("DEABCC123ABC56", token);
        Decision d = authorization().decide(EMAID, chain.wire(), List.of(), NOW);
        assertDecision(d, token, AuthorizeCertificateStatus.ContractCancelled);
    }

    @ParameterizedTest
    @EnumSource(value = AuthorizationStatus.class, names = {"Accepted", "ConcurrentTx", "NoCredit", "NotAllowedTypeEVSE",
        "NotAtThisLocation", "NotAtThisTime"})
    void validCertificateOtherTokenStatusPassesThrough_C07_FR_14(AuthorizationStatus token) {
        store.put("DEABCC123ABC56", token);
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), NOW), token, AuthorizeCertificateStatus.Accepted);
    }

    @Test
    void unknownEmaidInTheStoreIsContractCancelledUnknown() {
        store.clear();
        assertDecision(authorization().decide(EMAID, chain.wire(), List.of(), NOW),
                AuthorizationStatus.Unknown, AuthorizeCertificateStatus.ContractCancelled);
    }

    @Test
    void hashDataWithoutAnIdTokenIsContractCancelledUnknownWithoutAskingTheStore() throws Exception {
        TokenStatusLookup failing = e -> {
            throw new AssertionError("the store must not be asked");
        };
        ContractAuthorization a = new ContractAuthorization(new Iso15118ChainValidator(anchors, Leniency.strict()), ocsp, failing);
        for (String token : new String[] {null, " ", "X".repeat(256)}) {
            assertDecision(a.decide(token, List.of(), stationHashData(leafToRoot(), OCSP), NOW),
                    AuthorizationStatus.Unknown, AuthorizeCertificateStatus.ContractCancelled);
        }
    }

    @Test
    void malformedOrTooManyHashDataIsCertChainError() throws Exception {
        List<OcspRequestData> hd = stationHashData(leafToRoot(), OCSP);
        OcspRequestData good = hd.get(0);
        for (OcspRequestData bad : List.of(
                new OcspRequestData(HashAlgorithm.SHA256, "zz" + good.issuerNameHash().substring(2), good.issuerKeyHash(), good.serialNumber(), OCSP),
                new OcspRequestData(HashAlgorithm.SHA384, good.issuerNameHash(), good.issuerKeyHash(), good.serialNumber(), OCSP),
                new OcspRequestData(HashAlgorithm.SHA256, good.issuerNameHash(), good.issuerKeyHash(), good.serialNumber(), ""),
                new OcspRequestData(HashAlgorithm.SHA256, good.issuerNameHash(), good.issuerKeyHash(), "1".repeat(41), OCSP))) {
            assertDecision(authorization().decide(EMAID, List.of(), List.of(bad), NOW),
                    AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        }
        assertDecision(authorization().decide(EMAID, List.of(), List.of(good, good, good, good, good), NOW),
                AuthorizationStatus.Invalid, AuthorizeCertificateStatus.CertChainError);
        assertThat(ocsp.requests).isEmpty();
    }

    @Test
    void staticFormWithV2gRootedContractChain() {
        TestPki.Node v2g = TestPki.root(Iso15118Role.V2G_ROOT, Edition.ISO_15118_2, "V2G", T0);
        TestPki.Chain c = TestPki.chainUnder(v2g, Iso15118Role.CONTRACT, Edition.ISO_15118_2, EMAID, T0, Urls.ocsp(OCSP), false);
        Decision d = ContractAuthorization.decide(EMAID, c.wire(), List.of(), TrustAnchors.none().withV2gRoot(v2g.cert()), NOW,
                ocsp, store::get);
        assertDecision(d, AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        assertThat(ocsp.requests).hasSize(2);   // leaf and the lone Sub-CA 2
    }

    @Test
    void iso15118_20ContractChainIsValidatedWithTheMinus20Profile() {
        TestPki.Chain c20 = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_20, EMAID, T0, Urls.ocsp(OCSP));
        Decision d = ContractAuthorization.decide(EMAID, c20.wire(), List.of(), TrustAnchors.none().withMoRoot(c20.root().cert()),
                NOW, ocsp, store::get);
        assertDecision(d, AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
    }

    @Test
    void josevSampleChainTheComputedHashDataMatchesTheExpectedVector() throws Exception {
        X509Certificate root = SharedVectors.cert("josev-sample-certs/moRootCACert.der");
        List<X509Certificate> wire = List.of(SharedVectors.cert("josev-sample-certs/contractLeafCert.der"),
                SharedVectors.cert("josev-sample-certs/moSubCA2Cert.der"), SharedVectors.cert("josev-sample-certs/moSubCA1Cert.der"));
        JsonNode expected = JsonMapper.builder().build()
                .readTree(Files.readString(SharedVectors.file("josev-sample-certs/expected_ocsp_request_data.json")))
                .get("chain_leaf_to_root");
        store.put("UKSWI123456791A", AuthorizationStatus.Accepted);
        Decision d = ContractAuthorization.decide("UKSWI123456791A", wire, List.of(), TrustAnchors.none().withMoRoot(root),
                Instant.parse("2026-06-01T00:00:00Z"), ocsp, store::get);
        assertDecision(d, AuthorizationStatus.Accepted, AuthorizeCertificateStatus.Accepted);
        assertThat(ocsp.requests).hasSize(3);
        for (int i = 0; i < 3; i++) {
            OcspRequestData got = ocsp.requests.get(i);
            JsonNode e = expected.get(i);
            assertThat(got.issuerNameHash()).isEqualToIgnoringCase(e.get("issuerNameHash").asString());
            assertThat(got.issuerKeyHash()).isEqualToIgnoringCase(e.get("issuerKeyHash").asString());
            assertThat(got.serialNumber()).isEqualToIgnoringCase(e.get("serialNumber").asString());
            assertThat(got.responderURL()).isEqualTo(e.get("responderURL").asString());
        }
    }
}
