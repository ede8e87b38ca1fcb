package io.ocppsec.iso15118.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.iso15118.envelope.Iso15118_20Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.envelope.Unsealed;
import io.ocppsec.iso15118.exi.Iso15118_20;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateChain;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Iso15118_20.EcdhCurve;
import io.ocppsec.iso15118.exi.Iso15118_20.EncryptedKeyType;
import io.ocppsec.iso15118.exi.Iso15118_20.Header;
import io.ocppsec.iso15118.exi.Iso15118_20.ResponseCode;
import io.ocppsec.iso15118.exi.Iso15118_20.SignedInstallationData;
import io.ocppsec.iso15118.exi.Iso15118_20Codec;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.pki.AlternatePublicKey;
import io.ocppsec.iso15118.pki.ChainValidation;
import io.ocppsec.iso15118.pki.Craft;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.TestPki;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.provisioning.ContractInstallation.Contract;
import io.ocppsec.iso15118.provisioning.ContractInstallation20.OcppParameters;
import io.ocppsec.iso15118.provisioning.ContractInstallation20.Outcome;
import io.ocppsec.iso15118.provisioning.ContractInstallation20.Refusal;
import io.ocppsec.iso15118.provisioning.ContractInstallation20.SignedElement;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * ISO 15118-20 contract certificate installation end to end (issue 6 scopes 4–6, OCPP 2.1 M01): a request
 * built by our -20 codec and signed with a generated P-521 OEM key, our response verified with the CPS leaf, the
 * contract key opened by the EV with its OEM key and matched to the contract certificate; several contracts
 * delivered one per request with remainingContracts counting down; every refusal a signed, well-formed answer.
 * An Ed448 OEM certificate with an X448 Alternate Subject Public Key gets its secp521r1 contract key under an X448
 * ECDH [V2G20-2534]; without a usable one, UNSUPPORTED_KEY.
 */
class ContractInstallation20Test {
    static final Edition E = Edition.ISO_15118_20;
    static final String PCID = "WMI0123456789ABCDE"; // 18 characters, as the -20 envelope AAD needs [V2G20-2492]
    static final String EMAID = "DE-ABC-C123ABC56";
    static final byte[] SESSION = {8, 7, 6, 5, 4, 3, 2, 1};
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1));
    static final Urls OCSP = Urls.ocsp("http://ocsp.example.com/");

    static TestPki.Node v2gRoot;
    static TestPki.Chain cps;
    static TestPki.Chain mo;
    static TestPki.Chain oem;
    static ContractInstallation20 installation;
    static final Map<String, List<Contract>> byPcid = new ConcurrentHashMap<>();

    @BeforeAll
    static void pki() {
        v2gRoot = TestPki.root(Iso15118Role.V2G_ROOT, E, "V2G Root 20", T0);
        cps = TestPki.chainUnder(v2gRoot, Iso15118Role.CPS_LEAF, E, "CPS Leaf 20", T0, Urls.NONE, true);
        mo = TestPki.chain(Iso15118Role.CONTRACT, E, "DEABCC000000001", T0, OCSP);
        oem = TestPki.chain(Iso15118Role.OEM_PROVISIONING, E, PCID, T0, Urls.NONE);
        Iso15118ChainValidator validator = new Iso15118ChainValidator(
                new TrustAnchors(List.of(v2gRoot.cert()), List.of(mo.root().cert()), List.of(oem.root().cert())), Leniency.strict());
        var settings = new ContractInstallation20.Settings(cps.wire(), v2gRoot.cert(),
                ExiSigner.ecdsaP521(cps.leaf().keys().getPrivate()), validator, List.of(oem.subCa2().cert(), oem.subCa1().cert()),
                Clock.systemUTC());
        installation = new ContractInstallation20(settings, pcid -> byPcid.getOrDefault(pcid, List.of()), (emaid, key) -> List.of(
                Iso15118Certificates.issue(Iso15118Role.CONTRACT, E, Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, "Test MO", "DE"),
                        Iso15118Certificates.subjectPublicKeyInfo(key),
                        Issuer.ca(mo.subCa2().cert(), Iso15118Certificates.signer(mo.subCa2().keys().getPrivate(), KeyType.SECP521R1)),
                        TestPki.nextSerial(), Instant.now().minusSeconds(60), OCSP),
                mo.subCa2().cert(), mo.subCa1().cert()));
        byPcid.put(PCID, List.of(new Contract(EMAID, true)));
    }

    static RootCertificateId ours() {
        return new RootCertificateId(v2gRoot.cert().getSubjectX500Principal().getName(), v2gRoot.cert().getSerialNumber());
    }

    static CertificateChain oemChain(TestPki.Node leaf, boolean withSubs) throws Exception {
        return new CertificateChain("id1", leaf.cert().getEncoded(), withSubs
                ? List.of(oem.subCa2().cert().getEncoded(), oem.subCa1().cert().getEncoded()) : List.of());
    }

    static CertificateInstallationReq unsigned(CertificateChain chain, List<RootCertificateId> roots, int max, List<String> prioritized) {
        return new CertificateInstallationReq(new Header(SESSION, BigInteger.valueOf(1_700_000_000L), null), chain, roots, max, prioritized);
    }

    /** The EV's side: signs OEMProvisioningCertificateChain (Id id1) with its OEM provisioning key, as Josev's -20 EVCC does. */
    static byte[] signed(CertificateInstallationReq req, PrivateKey key) throws Exception {
        XmlSignature sig = ExiSignatures.sign(Map.of(req.oemProvisioningChain().id(),
                Iso15118_20Codec.encodeOemProvisioningChainFragment(req.oemProvisioningChain())), ExiSigner.ecdsaP521(key));
        return Iso15118_20Codec.encode(withSignature(req, sig));
    }

    static CertificateInstallationReq withSignature(CertificateInstallationReq req, XmlSignature sig) {
        return new CertificateInstallationReq(new Header(req.header().sessionId(), req.header().timeStamp(), sig),
                req.oemProvisioningChain(), req.rootCertificateIds(), req.maximumContractCertificateChains(), req.prioritizedEmaids());
    }

    static byte[] request(TestPki.Node leaf, int max, List<String> prioritized) throws Exception {
        return signed(unsigned(oemChain(leaf, true), List.of(ours()), max, prioritized), leaf.keys().getPrivate());
    }

    /** Every answer, refusals included, is a -20 CertificateInstallationRes signed by the CPS leaf over SignedInstallationData. */
    static CertificateInstallationRes answered(Outcome o, ResponseCode expected, Refusal refusal) throws Exception {
        assertThat(o).isInstanceOf(Outcome.Answered.class);
        Outcome.Answered a = (Outcome.Answered) o;
        assertThat(a.code()).as(a.reason()).isEqualTo(expected);
        assertThat(a.refusal()).as(a.reason()).isEqualTo(refusal);
        Iso15118_20.Message m = Iso15118_20Codec.decode(a.exi());
        assertThat(m).isInstanceOf(CertificateInstallationRes.class);
        CertificateInstallationRes res = (CertificateInstallationRes) m;
        assertThat(res.header().sessionId()).isEqualTo(SESSION);
        assertThat(res.header().timeStamp().longValueExact()).isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(600L));
        assertThat(res.responseCode()).isEqualTo(expected);
        assertThat(res.remainingContractCertificateChains()).isEqualTo(a.remaining());
        var data = res.signedInstallationData();
        assertThat(ExiSignatures.verify(res.header().signature(), Map.of(data.id(), Iso15118_20Codec.encodeFragment(data)),
                cps.leaf().cert().getPublicKey()).isValid()).isTrue();
        assertThat(cert(res.cpsChain().certificate())).isEqualTo(cps.leaf().cert());
        return res;
    }

    static X509Certificate cert(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    static List<X509Certificate> contractChain(CertificateInstallationRes res) throws Exception {
        List<X509Certificate> chain = new ArrayList<>();
        chain.add(cert(res.signedInstallationData().contractChain().certificate()));
        for (byte[] sub : res.signedInstallationData().contractChain().subCertificates()) {
            chain.add(cert(sub));
        }
        return chain;
    }

    static byte[] ski(X509Certificate c) {
        return SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(
                c.getExtensionValue(Extension.subjectKeyIdentifier.getId())).getOctets()).getKeyIdentifier();
    }

    /** The EV opens the SECP521 envelope with its OEM key; the AAD is PCID ‖ contract SKI hex [V2G20-2492]. */
    static Unsealed open(CertificateInstallationRes res, PrivateKey oemKey) throws Exception {
        X509Certificate contract = contractChain(res).get(0);
        var d = res.signedInstallationData();
        return Iso15118_20Envelope.unwrapSecp521(new SealedKey(d.encryptedPrivateKey(), d.dhPublicKey()), oemKey,
                (ECPublicKey) contract.getPublicKey(), PCID, ski(contract));
    }

    @Test
    void installRoundTrip_theEvOpensTheP521ContractKeyWithItsOemKey_M01() throws Exception {
        Outcome o = installation.handle(request(oem.leaf(), 1, null));
        CertificateInstallationRes res = answered(o, ResponseCode.OK, Refusal.NONE);
        Outcome.Answered a = (Outcome.Answered) o;
        assertThat(a.emaid()).isEqualTo("DEABCC123ABC56");
        assertThat(a.remaining()).isZero();
        assertThat(a.signedElement()).isEqualTo(SignedElement.OEM_PROVISIONING_CHAIN);
        // OCPP 2.1 Get15118EVCertificateResponse.exiResponse holds at most 17,000 base64 characters
        assertThat(java.util.Base64.getEncoder().encodeToString(a.exi()).length()).isLessThanOrEqualTo(17_000);
        var d = res.signedInstallationData();
        assertThat(d.ecdhCurve()).isEqualTo(EcdhCurve.SECP521);
        assertThat(d.encryptedKeyType()).isEqualTo(EncryptedKeyType.SECP521);
        assertThat(d.encryptedPrivateKey()).hasSize(94);
        assertThat(d.dhPublicKey()).hasSize(133);

        List<X509Certificate> chain = contractChain(res);
        assertThat(chain.get(0).getSubjectX500Principal().getName()).contains("CN=" + EMAID);
        ChainValidation v = new Iso15118ChainValidator(new TrustAnchors(List.of(), List.of(mo.root().cert()), List.of()), Leniency.strict())
                .validate(chain, Iso15118Role.CONTRACT, E, Instant.now());
        assertThat(v.isValid()).as(v.toString()).isTrue();
        assertThat(((ECPublicKey) chain.get(0).getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(521);

        Unsealed opened = open(res, oem.leaf().keys().getPrivate());
        assertThat(opened).isInstanceOf(Unsealed.Opened.class);
        // the opened key is the contract certificate's: it signs, the certificate's key verifies
        var key = (ECPrivateKey) ((Unsealed.Opened) opened).contractKey();
        java.security.Signature s = java.security.Signature.getInstance("SHA512withECDSA");
        s.initSign(key);
        s.update(SESSION);
        byte[] sig = s.sign();
        s.initVerify(chain.get(0).getPublicKey());
        s.update(SESSION);
        assertThat(s.verify(sig)).isTrue();
        // another EV's key (or the wrong PCID in the AAD) cannot open it
        assertThat(open(res, KeyType.SECP521R1.generate().getPrivate())).isInstanceOf(Unsealed.Refused.class);
    }

    @Test
    void anOemChainWithoutSubCertificatesIsCompletedFromTheKnownOemSubCas() throws Exception {
        byte[] req = signed(unsigned(oemChain(oem.leaf(), false), List.of(ours()), 1, null), oem.leaf().keys().getPrivate());
        answered(installation.handle(req), ResponseCode.OK, Refusal.NONE);
    }

    @Test
    void aSignatureOverTheWholeRequestIsAcceptedToo_V2G20_1548() throws Exception {
        // the other reading (an earlier EVerest libiso15118 d20): the CertificateInstallationReq fragment without Header.Signature
        CertificateInstallationReq req = unsigned(oemChain(oem.leaf(), true), List.of(ours()), 1, null);
        XmlSignature sig = ExiSignatures.sign(Map.of("id1", Iso15118_20Codec.encodeFragment(req)),
                ExiSigner.ecdsaP521(oem.leaf().keys().getPrivate()));
        Outcome o = installation.handle(Iso15118_20Codec.encode(withSignature(req, sig)));
        answered(o, ResponseCode.OK, Refusal.NONE);
        assertThat(((Outcome.Answered) o).signedElement()).isEqualTo(SignedElement.WHOLE_REQUEST);

        // ... and that reading also fails when anything of the request changes after signing
        CertificateInstallationReq changed = unsigned(oemChain(oem.leaf(), true), List.of(ours()), 2, null);
        answered(installation.handle(Iso15118_20Codec.encode(withSignature(changed, sig))), ResponseCode.FAILED_SignatureError,
                Refusal.SIGNATURE);
    }

    @Test
    void twoContractsForOnePcidComeOneAfterTheOtherInPrioritizedOrder_M01_FR_04_06_07() throws Exception {
        String pcid = "WMI0000000000TWO00";
        TestPki.Node car = TestPki.issue(Iso15118Role.OEM_PROVISIONING, E, pcid, oem.subCa2(), T0, Urls.NONE);
        byPcid.put(pcid, List.of(new Contract("DE-ABC-C00000001", true), new Contract("DE-ABC-C00000002", true)));
        // the EV prefers the second one
        byte[] req = signed(unsigned(oemChain(car, true), List.of(ours()), 5, List.of("DEABCC00000002")), car.keys().getPrivate());

        Outcome first = installation.handle(req, OcppParameters.none(), 0);
        CertificateInstallationRes r1 = answered(first, ResponseCode.OK, Refusal.NONE);
        assertThat(((Outcome.Answered) first).emaid()).isEqualTo("DEABCC00000002");
        assertThat(((Outcome.Answered) first).remaining()).isEqualTo(1);
        assertThat(r1.remainingContractCertificateChains()).isEqualTo(1);

        Outcome second = installation.handle(req, OcppParameters.none(), 1);
        CertificateInstallationRes r2 = answered(second, ResponseCode.OK, Refusal.NONE);
        assertThat(((Outcome.Answered) second).emaid()).isEqualTo("DEABCC00000001");
        assertThat(r2.remainingContractCertificateChains()).isZero();
        assertThat(contractChain(r2).get(0).getSubjectX500Principal().getName()).contains("CN=DE-ABC-C00000001");

        // a further request of the same series: nothing left
        answered(installation.handle(req, OcppParameters.none(), 2), ResponseCode.WARNING_NoCertificateAvailable,
                Refusal.NO_MORE_CONTRACTS);
    }

    @Test
    void ocppPrioritizedEmaidsAndMaximumApplyAfterTheExiOnes() throws Exception {
        String pcid = "WMI0000000000THREE";
        TestPki.Node car = TestPki.issue(Iso15118Role.OEM_PROVISIONING, E, pcid, oem.subCa2(), T0, Urls.NONE);
        byPcid.put(pcid, List.of(new Contract("DEABCC00000011", true), new Contract("DEABCC00000012", true),
                new Contract("DEABCC00000013", true)));
        byte[] noExiPriority = signed(unsigned(oemChain(car, true), List.of(ours()), 3, null), car.keys().getPrivate());
        Outcome o = installation.handle(noExiPriority, new OcppParameters(2, List.of("DE-ABC-C00000013")), 0);
        answered(o, ResponseCode.OK, Refusal.NONE);
        assertThat(((Outcome.Answered) o).emaid()).isEqualTo("DEABCC00000013");
        assertThat(((Outcome.Answered) o).remaining()).isEqualTo(1); // capped by OCPP's maximum 2

        // the EXI's own list comes first; OCPP's list orders what it leaves
        byte[] exiPriority = signed(unsigned(oemChain(car, true), List.of(ours()), 3, List.of("DEABCC00000012")),
                car.keys().getPrivate());
        OcppParameters ocpp = new OcppParameters(null, List.of("DEABCC00000013"));
        assertThat(((Outcome.Answered) installation.handle(exiPriority, ocpp, 0)).emaid()).isEqualTo("DEABCC00000012");
        assertThat(((Outcome.Answered) installation.handle(exiPriority, ocpp, 1)).emaid()).isEqualTo("DEABCC00000013");
        Outcome last = installation.handle(exiPriority, ocpp, 2);
        assertThat(((Outcome.Answered) last).emaid()).isEqualTo("DEABCC00000011");
        assertThat(((Outcome.Answered) last).remaining()).isZero();

        // the EXI MaximumContractCertificateChains caps as well
        byte[] maxOne = signed(unsigned(oemChain(car, true), List.of(ours()), 1, null), car.keys().getPrivate());
        assertThat(((Outcome.Answered) installation.handle(maxOne, OcppParameters.none(), 0)).remaining()).isZero();
        answered(installation.handle(maxOne, OcppParameters.none(), 1), ResponseCode.WARNING_NoCertificateAvailable,
                Refusal.NO_MORE_CONTRACTS);
    }

    @Test
    void aRequestSignedWithAnotherKeyGetsFailedSignatureError() throws Exception {
        byte[] req = signed(unsigned(oemChain(oem.leaf(), true), List.of(ours()), 1, null), KeyType.SECP521R1.generate().getPrivate());
        answered(installation.handle(req), ResponseCode.FAILED_SignatureError, Refusal.SIGNATURE);
    }

    @Test
    void anUnsignedRequestGetsFailedSignatureError() throws Exception {
        byte[] req = Iso15118_20Codec.encode(unsigned(oemChain(oem.leaf(), true), List.of(ours()), 1, null));
        answered(installation.handle(req), ResponseCode.FAILED_SignatureError, Refusal.SIGNATURE);
    }

    @Test
    void unknownRootIdsGetWarningNoCertificateAvailable() throws Exception {
        byte[] req = signed(unsigned(oemChain(oem.leaf(), true),
                List.of(new RootCertificateId("CN=Somebody Else's V2G Root,DC=V2G", BigInteger.valueOf(77))), 1, null),
                oem.leaf().keys().getPrivate());
        answered(installation.handle(req), ResponseCode.WARNING_NoCertificateAvailable, Refusal.UNKNOWN_ROOT);
    }

    @Test
    void anExpiredOemCertificateGetsWarningCertificateExpired() throws Exception {
        KeyPair kp = KeyType.SECP521R1.generate();
        Instant start = Instant.now().minus(Duration.ofDays(40));
        X509Certificate expired = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, E,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, PCID, "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                Issuer.ca(oem.subCa2().cert(), Iso15118Certificates.signer(oem.subCa2().keys().getPrivate(), KeyType.SECP521R1)),
                TestPki.nextSerial(), start, start.plus(Duration.ofDays(10)), Urls.NONE);
        byte[] req = request(new TestPki.Node(Iso15118Role.OEM_PROVISIONING, expired, kp), 1, null);
        answered(installation.handle(req), ResponseCode.WARNING_CertificateExpired, Refusal.OEM_CERTIFICATE_EXPIRED);
    }

    @Test
    void anOemChainFromAnUntrustedOemGetsWarningCertificateValidationError() throws Exception {
        TestPki.Chain other = TestPki.chain(Iso15118Role.OEM_PROVISIONING, E, PCID, T0, Urls.NONE);
        CertificateChain chain = new CertificateChain("id1", other.leaf().cert().getEncoded(),
                List.of(other.subCa2().cert().getEncoded(), other.subCa1().cert().getEncoded()));
        byte[] req = signed(unsigned(chain, List.of(ours()), 1, null), other.leaf().keys().getPrivate());
        answered(installation.handle(req), ResponseCode.WARNING_CertificateValidationError, Refusal.OEM_CHAIN);
    }

    @Test
    void anIso15118_2OemChainIsRefusedByTheMinus20Profile() throws Exception {
        // secp256r1 + ecdsa-with-SHA256 is the -2 profile; -20 wants secp521r1 + ecdsa-with-SHA512 or Ed448
        TestPki.Chain old = TestPki.chain(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, PCID, T0, Urls.NONE);
        CertificateChain chain = new CertificateChain("id1", old.leaf().cert().getEncoded(),
                List.of(old.subCa2().cert().getEncoded(), old.subCa1().cert().getEncoded()));
        CertificateInstallationReq req = unsigned(chain, List.of(ours()), 1, null);
        XmlSignature sig = ExiSignatures.sign(Map.of("id1", Iso15118_20Codec.encodeOemProvisioningChainFragment(chain)),
                ExiSigner.ecdsaP256(old.leaf().keys().getPrivate()));
        // an ecdsa-sha256 signature is no -20 SignatureMethod: refused before the chain is looked at
        answered(installation.handle(Iso15118_20Codec.encode(withSignature(req, sig))), ResponseCode.FAILED_SignatureError,
                Refusal.SIGNATURE);
    }

    @Test
    void noContractForThePcidGetsWarningNoContractMatchingPcidFound() throws Exception {
        TestPki.Node stranger = TestPki.issue(Iso15118Role.OEM_PROVISIONING, E, "WMI9999999999ZZZZZ", oem.subCa2(), T0, Urls.NONE);
        answered(installation.handle(request(stranger, 1, null)), ResponseCode.WARNING_NoContractMatchingPCIDFound,
                Refusal.NO_CONTRACT);
    }

    @Test
    void aCancelledContractIsNeverDelivered() throws Exception {
        String pcid = "WMI0000000000CANC0";
        TestPki.Node car = TestPki.issue(Iso15118Role.OEM_PROVISIONING, E, pcid, oem.subCa2(), T0, Urls.NONE);
        byPcid.put(pcid, List.of(new Contract("DE-ABC-C000CANC0", false)));
        answered(installation.handle(request(car, 4, null)), ResponseCode.WARNING_NoContractMatchingPCIDFound,
                Refusal.CONTRACT_CANCELLED);

        // next to an active one, the cancelled one is skipped and not counted in remainingContracts
        byPcid.put(pcid, List.of(new Contract("DE-ABC-C000CANC0", false), new Contract("DE-ABC-C000ACTV0", true)));
        Outcome o = installation.handle(request(car, 4, List.of("DEABCC000CANC0")));
        answered(o, ResponseCode.OK, Refusal.NONE);
        assertThat(((Outcome.Answered) o).emaid()).isEqualTo("DEABCC000ACTV0");
        assertThat(((Outcome.Answered) o).remaining()).isZero();
    }

    @Test
    void aPcidThatIsNot18CharactersCannotBeSealed() throws Exception {
        String pcid = "WMI0123456789SHRT"; // 17: a valid -2 PCID, but the -20 AAD needs 18 [V2G20-2492]
        TestPki.Node car = TestPki.issue(Iso15118Role.OEM_PROVISIONING, E, pcid, oem.subCa2(), T0, Urls.NONE);
        byPcid.put(pcid, List.of(new Contract(EMAID, true)));
        answered(installation.handle(request(car, 1, null)), ResponseCode.FAILED, Refusal.INTERNAL);
    }

    @Test
    void bytesThatAreNoMinus20RequestCannotBeAnswered() throws Exception {
        assertThat(installation.handle(new byte[] {(byte) 0x80, 0x12})).isInstanceOf(Outcome.Unanswerable.class);
        assertThat(installation.handle(new byte[0])).isInstanceOf(Outcome.Unanswerable.class);
        assertThat(installation.handle(null)).isInstanceOf(Outcome.Unanswerable.class);
        // our own answer fed back is no request
        byte[] answer = ((Outcome.Answered) installation.handle(request(oem.leaf(), 1, null))).exi();
        assertThat(installation.handle(answer)).isInstanceOf(Outcome.Unanswerable.class);
    }

    @Test
    void theChosenCurveFollowsTheOemCertificate_V2G20_2534() throws Exception {
        // secp521r1: the OEM key itself
        var p521 = ContractInstallation20.receiverFor(oem.leaf().cert());
        assertThat(p521).isEqualTo(new ContractInstallation20.Receiver.Key(EcdhCurve.SECP521, oem.leaf().cert().getPublicKey()));
        // Ed448 with an X448 alternate key: X448 with that key
        KeyPair x448 = TestPki.x448();
        var alt = ContractInstallation20.receiverFor(TestPki.oemProvisioningWithX448("WMI0000000000CURVE", oem.subCa2(), T0, x448).cert());
        assertThat(alt).isInstanceOf(ContractInstallation20.Receiver.Key.class);
        assertThat(((ContractInstallation20.Receiver.Key) alt).curve()).isEqualTo(EcdhCurve.X448);
        assertThat(((ContractInstallation20.Receiver.Key) alt).key().getEncoded()).isEqualTo(x448.getPublic().getEncoded());
        // Ed448 without it, a -2 (P-256) certificate: none
        assertThat(ContractInstallation20.receiverFor(ed448OemCertificate("WMI0000000000CURVE", Craft.asIs()).cert()))
                .isInstanceOf(ContractInstallation20.Receiver.None.class);
        assertThat(ContractInstallation20.receiverFor(TestPki.chain(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, PCID, T0,
                Urls.NONE).leaf().cert())).isInstanceOf(ContractInstallation20.Receiver.None.class);
    }

    @Test
    void settingsRefuseAnIso15118_2CpsSigner() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new ContractInstallation20.Settings(cps.wire(), v2gRoot.cert(),
                        ExiSigner.ecdsaP256(KeyType.SECP256R1.generate().getPrivate()),
                        new Iso15118ChainValidator(TrustAnchors.none(), Leniency.strict()), List.of(), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    static ContractInstallation20 withCpsSigner(List<X509Certificate> cpsChain, ExiSigner signer) {
        Iso15118ChainValidator validator = new Iso15118ChainValidator(
                new TrustAnchors(List.of(v2gRoot.cert()), List.of(mo.root().cert()), List.of(oem.root().cert())), Leniency.strict());
        return new ContractInstallation20(new ContractInstallation20.Settings(cpsChain, v2gRoot.cert(), signer, validator,
                List.of(), Clock.systemUTC()), pcid -> byPcid.getOrDefault(pcid, List.of()), (emaid, key) -> List.of(
                Iso15118Certificates.issue(Iso15118Role.CONTRACT, E, Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, "Test MO", "DE"),
                        Iso15118Certificates.subjectPublicKeyInfo(key),
                        Issuer.ca(mo.subCa2().cert(), Iso15118Certificates.signer(mo.subCa2().keys().getPrivate(), KeyType.SECP521R1)),
                        TestPki.nextSerial(), Instant.now().minusSeconds(60), OCSP),
                mo.subCa2().cert()));
    }

    @Test
    void aCustodyBackendReturningDerEcdsaSignsTheResponse() throws Exception {
        // an HSM/Vault-style signer: SHA512withECDSA in DER, converted to r||s 66+66 [V2G20-1000]
        PrivateKey cpsKey = cps.leaf().keys().getPrivate();
        ExiSigner custody = ExiSigner.fromDerEcdsa(io.ocppsec.iso15118.xmldsig.ExiSignatureAlgorithm.ECDSA_SHA512,
                ((ECPrivateKey) cpsKey).getParams().getOrder(), data -> {
                    java.security.Signature s = java.security.Signature.getInstance("SHA512withECDSA");
                    s.initSign(cpsKey);
                    s.update(data);
                    return s.sign();
                });
        Outcome o = withCpsSigner(cps.wire(), custody).handle(request(oem.leaf(), 1, null));
        CertificateInstallationRes res = answered(o, ResponseCode.OK, Refusal.NONE);
        assertThat(res.header().signature().signatureValue()).hasSize(132);
        assertThat(res.signedInstallationData().contractChain().subCertificates()).hasSize(1);
        assertThat(open(res, oem.leaf().keys().getPrivate())).isInstanceOf(Unsealed.Opened.class);
    }

    @Test
    void anEd448CpsLeafSignsWithEd448() throws Exception {
        KeyPair ed = KeyType.ED448.generate();
        X509Certificate leaf = Iso15118Certificates.issue(Iso15118Role.CPS_LEAF, E,
                Iso15118Certificates.subjectFor(Iso15118Role.CPS_LEAF, "CPS Leaf Ed448", "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(ed.getPublic()),
                Issuer.ca(cps.subCa2().cert(), Iso15118Certificates.signer(cps.subCa2().keys().getPrivate(), KeyType.SECP521R1)),
                TestPki.nextSerial(), T0, Urls.NONE);
        Outcome o = withCpsSigner(List.of(leaf, cps.subCa2().cert(), cps.subCa1().cert()), ExiSigner.ed448(ed.getPrivate()))
                .handle(request(oem.leaf(), 1, null));
        assertThat(o).isInstanceOf(Outcome.Answered.class);
        CertificateInstallationRes res = (CertificateInstallationRes) Iso15118_20Codec.decode(((Outcome.Answered) o).exi());
        assertThat(res.responseCode()).isEqualTo(ResponseCode.OK);
        assertThat(res.header().signature().signedInfo().signatureMethod())
                .isEqualTo(io.ocppsec.iso15118.xmldsig.ExiSignatureAlgorithm.ED448.signatureMethod());
        var d = res.signedInstallationData();
        assertThat(ExiSignatures.verify(res.header().signature(), Map.of(d.id(), Iso15118_20Codec.encodeFragment(d)),
                ed.getPublic()).isValid()).isTrue();
        assertThat(ExiSignatures.verify(res.header().signature(), Map.of(d.id(), Iso15118_20Codec.encodeFragment(d)),
                cps.leaf().cert().getPublicKey()).isValid()).isFalse();
    }

    /** An Ed448 OEM provisioning certificate under the OEM Sub-CA 2 (P-521), crafted: the alternate key is the test's choice. */
    static TestPki.Node ed448OemCertificate(String pcid, java.util.function.Consumer<Craft.Spec> alternateKey) {
        return Craft.node(Iso15118Role.OEM_PROVISIONING, pcid, oem.subCa2(), T0, s -> {
            s.keys = KeyType.ED448.generate();
            s.signatureAlgorithm = "SHA512withECDSA";
            s.put(Extension.subjectKeyIdentifier, false, new org.bouncycastle.cert.bc.BcX509ExtensionUtils()
                    .createTruncatedSubjectKeyIdentifier(SubjectPublicKeyInfo.getInstance(s.keys.getPublic().getEncoded())));
            alternateKey.accept(s);
        });
    }

    /** The EV's request, signed with Ed448 over OEMProvisioningCertificateChain [V2G20-2319]. */
    static byte[] ed448Request(TestPki.Node car) throws Exception {
        CertificateChain chain = oemChain(car, true);
        CertificateInstallationReq req = unsigned(chain, List.of(ours()), 1, null);
        XmlSignature sig = ExiSignatures.sign(Map.of("id1", Iso15118_20Codec.encodeOemProvisioningChainFragment(chain)),
                ExiSigner.ed448(car.keys().getPrivate()));
        return Iso15118_20Codec.encode(withSignature(req, sig));
    }

    /** The EV with an Ed448 OEM certificate opens with the private key of its X448 alternate key [V2G20-2534]. */
    static Unsealed openX448(SignedInstallationData d, PrivateKey x448, X509Certificate contract) {
        return Iso15118_20Envelope.unwrap(Iso15118_20Envelope.Ecdh.X448, Iso15118_20Envelope.ContractKey.SECP521,
                new SealedKey(d.encryptedPrivateKey(), d.dhPublicKey()), x448, contract.getPublicKey(), PCID_X448, ski(contract));
    }

    static final String PCID_X448 = "WMI0000000000X4480";

    @Test
    void anEd448OemCertificateWithAnX448AlternateKeyGetsItsP521ContractKeyUnderX448_V2G20_2534_2495_2500() throws Exception {
        KeyPair evX448 = TestPki.x448();
        TestPki.Node car = TestPki.oemProvisioningWithX448(PCID_X448, oem.subCa2(), T0, evX448);
        byPcid.put(PCID_X448, List.of(new Contract(EMAID, true)));

        Outcome o = installation.handle(ed448Request(car));
        // OK, signed by the CPS leaf (answered() verifies the signature over SignedInstallationData)
        CertificateInstallationRes res = answered(o, ResponseCode.OK, Refusal.NONE);
        assertThat(((Outcome.Answered) o).signedElement()).isEqualTo(SignedElement.OEM_PROVISIONING_CHAIN);
        SignedInstallationData d = res.signedInstallationData();
        assertThat(d.ecdhCurve()).isEqualTo(EcdhCurve.X448);
        assertThat(d.dhPublicKey()).hasSize(56); // the ephemeral X448 key, no padding to 133 [V2G20-2495]
        // the contract certificate is secp521r1 (the mandatory default [V2G20-2674]), so SECP521_EncryptedPrivateKey
        // carries its key under the X448 session key [V2G20-2500], [V2G20-2493] NOTE 1
        assertThat(d.encryptedKeyType()).isEqualTo(EncryptedKeyType.SECP521);
        assertThat(d.encryptedPrivateKey()).hasSize(94);

        List<X509Certificate> chain = contractChain(res);
        X509Certificate contract = chain.get(0);
        assertThat(((ECPublicKey) contract.getPublicKey()).getParams().getCurve().getField().getFieldSize()).isEqualTo(521);
        ChainValidation v = new Iso15118ChainValidator(new TrustAnchors(List.of(), List.of(mo.root().cert()), List.of()), Leniency.strict())
                .validate(chain, Iso15118Role.CONTRACT, E, Instant.now());
        assertThat(v.isValid()).as(v.toString()).isTrue();

        // the EV opens it with its X448 private key; the key is the contract certificate's (checked by unwrap, and it signs)
        Unsealed opened = openX448(d, evX448.getPrivate(), contract);
        assertThat(opened).isInstanceOf(Unsealed.Opened.class);
        java.security.Signature sig = java.security.Signature.getInstance("SHA512withECDSA");
        sig.initSign((ECPrivateKey) ((Unsealed.Opened) opened).contractKey());
        sig.update(SESSION);
        byte[] sv = sig.sign();
        sig.initVerify(contract.getPublicKey());
        sig.update(SESSION);
        assertThat(sig.verify(sv)).isTrue();

        // tampered: a DHPublicKey or ciphertext changed in transit does not open (GCM); another EV's key neither
        byte[] dh = d.dhPublicKey();
        dh[7] ^= 0x01;
        assertThat(openX448(new SignedInstallationData(d.id(), d.contractChain(), d.ecdhCurve(), dh, d.encryptedKeyType(),
                d.encryptedPrivateKey()), evX448.getPrivate(), contract)).isInstanceOf(Unsealed.Refused.class);
        byte[] enc = d.encryptedPrivateKey();
        enc[40] ^= 0x01;
        Unsealed tampered = openX448(new SignedInstallationData(d.id(), d.contractChain(), d.ecdhCurve(), d.dhPublicKey(),
                d.encryptedKeyType(), enc), evX448.getPrivate(), contract);
        assertThat(((Unsealed.Refused) tampered).reason()).isEqualTo(Unsealed.Reason.DECRYPTION_FAILED);
        assertThat(openX448(d, TestPki.x448().getPrivate(), contract)).isInstanceOf(Unsealed.Refused.class);
        // ... and the response signature no longer verifies over the changed SignedInstallationData
        SignedInstallationData changed = new SignedInstallationData(d.id(), d.contractChain(), d.ecdhCurve(), d.dhPublicKey(),
                d.encryptedKeyType(), enc);
        assertThat(ExiSignatures.verify(res.header().signature(), Map.of(changed.id(), Iso15118_20Codec.encodeFragment(changed)),
                cps.leaf().cert().getPublicKey()).isValid()).isFalse();
        // read as a P-521 ECDH (ECDHCurve ignored), the 56-byte DHPublicKey is refused
        assertThat(Iso15118_20Envelope.unwrapSecp521(new SealedKey(d.encryptedPrivateKey(), d.dhPublicKey()), car.keys().getPrivate(),
                (ECPublicKey) contract.getPublicKey(), PCID_X448, ski(contract))).isInstanceOf(Unsealed.Refused.class);
    }

    @Test
    void anEd448OemCertificateWithoutAnX448AlternateKeyGetsUnsupportedKey_V2G20_2534() throws Exception {
        // the signature and the chain verify; there is no key to seal the contract key for
        String pcid = "WMI0000000000ED448";
        TestPki.Node car = ed448OemCertificate(pcid, Craft.asIs());
        byPcid.put(pcid, List.of(new Contract(EMAID, true)));
        Outcome o = installation.handle(ed448Request(car));
        answered(o, ResponseCode.FAILED, Refusal.UNSUPPORTED_KEY);
        assertThat(((Outcome.Answered) o).signedElement()).isEqualTo(SignedElement.OEM_PROVISIONING_CHAIN);
        assertThat(((Outcome.Answered) o).reason()).contains("no X448 Alternate Subject Public Key", "2.5.29.72");
    }

    @Test
    void anAlternateKeyThatIsNoX448KeyGetsUnsupportedKey_V2G20_2534() throws Exception {
        // an Ed448 key, then 57 bytes labelled X448, in subjectAltPublicKeyInfo: well-formed signed refusals
        String pcid = "WMI0000000000NOX48";
        byPcid.put(pcid, List.of(new Contract(EMAID, true)));
        SubjectPublicKeyInfo ed448 = SubjectPublicKeyInfo.getInstance(KeyType.ED448.generate().getPublic().getEncoded());
        SubjectPublicKeyInfo long448 = new SubjectPublicKeyInfo(
                new org.bouncycastle.asn1.x509.AlgorithmIdentifier(org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_X448), new byte[57]);
        for (SubjectPublicKeyInfo held : List.of(ed448, long448)) {
            TestPki.Node car = ed448OemCertificate(pcid, s -> s.put(AlternatePublicKey.OID, false,
                    new org.bouncycastle.asn1.x509.SubjectAltPublicKeyInfo(held)));
            Outcome o = installation.handle(ed448Request(car));
            CertificateInstallationRes res = answered(o, ResponseCode.FAILED, Refusal.UNSUPPORTED_KEY);
            assertThat(((Outcome.Answered) o).reason()).contains("unusable", "2.5.29.72");
            // the placeholder is schema-valid: SECP521, 133 + 94 zero bytes, no contract
            assertThat(res.signedInstallationData().dhPublicKey()).hasSize(133);
        }
    }

    @Test
    void anAlternateKeyExtensionMarkedCriticalFailsTheOemChainProfile() throws Exception {
        // the -20 profile refuses every critical extension it does not process, this one included
        String pcid = "WMI0000000000CRIT0";
        byPcid.put(pcid, List.of(new Contract(EMAID, true)));
        TestPki.Node car = ed448OemCertificate(pcid, s -> s.put(AlternatePublicKey.OID, true,
                new org.bouncycastle.asn1.x509.SubjectAltPublicKeyInfo(SubjectPublicKeyInfo.getInstance(TestPki.x448().getPublic().getEncoded()))));
        answered(installation.handle(ed448Request(car)), ResponseCode.WARNING_CertificateValidationError, Refusal.OEM_CHAIN);
    }

    @Test
    void anOemCertificateThatIsNoCertificateGetsWarningCertificateValidationError() throws Exception {
        CertificateChain chain = new CertificateChain("id1", new byte[] {0x30, 0x03, 0x02, 0x01, 0x01}, List.of());
        byte[] req = signed(unsigned(chain, List.of(ours()), 1, null), oem.leaf().keys().getPrivate());
        answered(installation.handle(req), ResponseCode.WARNING_CertificateValidationError, Refusal.OEM_CHAIN);
    }
}
