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
        DigestCalculator sha256 = new JcaDigestCalculatorProviderBuilder().build()
                .get(new AlgorithmIdentifier(NISTObjectIdentifiers.id_sha256));
        List<OcspRequestData> out = new ArrayList<>();
        for (int i = 0; i < leafToRoot.size() - 1; i++) {
            CertificateID id = new CertificateID(sha256, new JcaX509CertificateHolder(leafToRoot.get(i + 1)),
                    leafToRoot.get(i).getSerialNumber());
            out.add(new OcspRequestData(HashAlgorithm.SHA256, HexFormat.of().formatHex(id.getIssuerNameHash()),
                    HexFormat.of().formatHex(id.getIssuerKeyHash()), id.getSerialNumber().toString(16), url));
        }
        return out;
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
