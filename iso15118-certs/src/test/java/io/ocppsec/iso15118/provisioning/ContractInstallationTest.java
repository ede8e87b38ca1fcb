package io.ocppsec.iso15118.provisioning;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.iso15118.envelope.Iso15118_2Envelope;
import io.ocppsec.iso15118.envelope.SealedKey;
import io.ocppsec.iso15118.envelope.Unsealed;
import io.ocppsec.iso15118.exi.CertificateChain;
import io.ocppsec.iso15118.exi.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.CertificateUpdateReq;
import io.ocppsec.iso15118.exi.CertificateUpdateRes;
import io.ocppsec.iso15118.exi.Header;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.ResponseCode;
import io.ocppsec.iso15118.exi.RootCertificateId;
import io.ocppsec.iso15118.exi.V2gMessage;
import io.ocppsec.iso15118.pki.ChainValidation;
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
import io.ocppsec.iso15118.provisioning.ContractInstallation.Action;
import io.ocppsec.iso15118.provisioning.ContractInstallation.Contract;
import io.ocppsec.iso15118.provisioning.ContractInstallation.Outcome;
import io.ocppsec.iso15118.xmldsig.ExiSignatures;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.iso15118.xmldsig.XmlSignature;
import java.io.ByteArrayInputStream;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract certificate installation and update end to end (issue 6 "full round trip"): a request
 * built by our codec and signed with a generated OEM key, our response, the contract key decrypted
 * with the OEM key and matched to the contract certificate; and each refusal as a FAILED_* code in a
 * well-formed, signed response (OCPP M01/M02, peers.md pain point 9).
 */
class ContractInstallationTest {
    static final String PCID = "WMI0123456789ABCD";
    static final String EMAID = "DE-ABC-C123ABC56";
    static final byte[] SESSION = {1, 2, 3, 4, 5, 6, 7, 8};
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1));

    static TestPki.Node v2gRoot;
    static TestPki.Chain cps;
    static TestPki.Chain mo;
    static TestPki.Chain oem;
    static ContractInstallation installation;
    static final Map<String, Contract> byPcid = new ConcurrentHashMap<>();
    static final Map<String, Contract> byEmaid = new ConcurrentHashMap<>();

    @BeforeAll
    static void pki() {
        Edition e = Edition.ISO_15118_2;
        v2gRoot = TestPki.root(Iso15118Role.V2G_ROOT, e, "V2G Root", T0);
        cps = TestPki.chainUnder(v2gRoot, Iso15118Role.CPS_LEAF, e, "CPS Leaf", T0, Urls.NONE, true);
        mo = TestPki.chain(Iso15118Role.CONTRACT, e, "DEABCC000000001", T0, Urls.NONE);
        oem = TestPki.chain(Iso15118Role.OEM_PROVISIONING, e, PCID, T0, Urls.NONE);
        Iso15118ChainValidator validator = new Iso15118ChainValidator(
                new TrustAnchors(List.of(v2gRoot.cert()), List.of(mo.root().cert()), List.of(oem.root().cert())), Leniency.strict());
        var settings = new ContractInstallation.Settings(List.of(cps.leaf().cert(), cps.subCa2().cert(), cps.subCa1().cert()),
                v2gRoot.cert(), ExiSigner.ecdsaP256(cps.leaf().keys().getPrivate()), validator,
                List.of(oem.subCa2().cert(), oem.subCa1().cert()), Clock.systemUTC());
        installation = new ContractInstallation(settings, new ContractInstallation.ContractDirectory() {
            @Override
            public Contract forPcid(String pcid) {
                return byPcid.get(pcid);
            }

            @Override
            public Contract forEmaid(String emaid) {
                return byEmaid.get(emaid.replace("-", ""));
            }
        }, (emaid, key) -> List.of(
                Iso15118Certificates.issue(Iso15118Role.CONTRACT, e, Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, "Test MO", "DE"),
                        Iso15118Certificates.subjectPublicKeyInfo(key),
                        Issuer.ca(mo.subCa2().cert(), Iso15118Certificates.signer(mo.subCa2().keys().getPrivate(), KeyType.SECP256R1)),
                        TestPki.nextSerial(), Instant.now().minusSeconds(60), Urls.NONE),
                mo.subCa2().cert(), mo.subCa1().cert()));
        byPcid.put(PCID, new Contract(EMAID, true));
        byEmaid.put(EMAID.replace("-", ""), new Contract(EMAID, true));
    }

    static RootCertificateId ours() {
        return new RootCertificateId(v2gRoot.cert().getSubjectX500Principal().getName(), v2gRoot.cert().getSerialNumber());
    }

    static byte[] installRequest(X509Certificate oemCert, PrivateKey signingKey, List<RootCertificateId> roots) throws Exception {
        CertificateInstallationReq req = new CertificateInstallationReq("ID1", oemCert.getEncoded(), roots);
        XmlSignature sig = ExiSignatures.sign(Iso15118_2Codec.signedFragments(req), ExiSigner.ecdsaP256(signingKey));
        return Iso15118_2Codec.encode(new V2gMessage(new Header(SESSION, null, sig), req));
    }

    static V2gMessage answered(Outcome o, ResponseCode expected) throws Exception {
        assertThat(o).isInstanceOf(Outcome.Answered.class);
        Outcome.Answered a = (Outcome.Answered) o;
        assertThat(a.code()).as(a.reason()).isEqualTo(expected);
        V2gMessage res = Iso15118_2Codec.decode(a.exi());
        assertThat(res.header().sessionId()).isEqualTo(SESSION); // the request's SessionID
        // every answer, also a refusal, is signed by the CPS leaf over id1..id4 [V2G2-771]
        Map<String, byte[]> fragments = Iso15118_2Codec.signedFragments(res.body());
        assertThat(fragments.keySet()).containsExactlyInAnyOrder("id1", "id2", "id3", "id4");
        assertThat(ExiSignatures.verify(res.header().signature(), fragments, cps.leaf().cert().getPublicKey()).isValid()).isTrue();
        return res;
    }

    static X509Certificate cert(byte[] der) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(new ByteArrayInputStream(der));
    }

    @Test
    void installRoundTrip_theEvDecryptsTheContractKeyWithItsOemKey_M01() throws Exception {
        byte[] request = installRequest(oem.leaf().cert(), oem.leaf().keys().getPrivate(), List.of(ours()));
        V2gMessage res = answered(installation.handle(request, Action.INSTALL), ResponseCode.OK);
        CertificateInstallationRes body = (CertificateInstallationRes) res.body();
        // the CPS chain the EV verifies against its V2G root
        assertThat(cert(body.saProvisioningChain().certificate())).isEqualTo(cps.leaf().cert());
        X509Certificate contract = cert(body.contractChain().certificate());
        assertThat(contract.getSubjectX500Principal().getName()).contains("CN=" + EMAID);
        assertThat(body.emaid().value()).isEqualTo("DEABCC123ABC56");
        List<X509Certificate> chain = new ArrayList<>(List.of(contract));
        for (byte[] sub : body.contractChain().subCertificates()) {
            chain.add(cert(sub));
        }
        ChainValidation v = new Iso15118ChainValidator(new TrustAnchors(List.of(), List.of(mo.root().cert()), List.of()), Leniency.strict())
                .validate(chain, Iso15118Role.CONTRACT, Edition.ISO_15118_2, Instant.now());
        assertThat(v.isValid()).as(v.toString()).isTrue();
        // the EV opens the envelope with its OEM provisioning key [V2G2-820] and finds the contract certificate's key [V2G2-823]
        Unsealed opened = Iso15118_2Envelope.unwrap(new SealedKey(body.encryptedPrivateKey().value(), body.dhPublicKey().value()),
                oem.leaf().keys().getPrivate(), (ECPublicKey) contract.getPublicKey());
        assertThat(opened).isInstanceOf(Unsealed.Opened.class);
        assertThat(body.encryptedPrivateKey().value()).hasSize(48);
        assertThat(body.dhPublicKey().value()).hasSize(65);
    }

    @Test
    void updateRoundTrip_signedWithTheOldContractKeyAndWrappedToIt_M02() throws Exception {
        KeyPair oldKey = KeyType.SECP256R1.generate();
        X509Certificate old = Iso15118Certificates.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, EMAID, "Test MO", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(oldKey.getPublic()),
                Issuer.ca(mo.subCa2().cert(), Iso15118Certificates.signer(mo.subCa2().keys().getPrivate(), KeyType.SECP256R1)),
                TestPki.nextSerial(), T0, Urls.NONE);
        CertificateUpdateReq req = new CertificateUpdateReq("ID1", new CertificateChain(null, old.getEncoded(),
                List.of(mo.subCa2().cert().getEncoded(), mo.subCa1().cert().getEncoded())), "DEABCC123ABC56", List.of(ours()));
        XmlSignature sig = ExiSignatures.sign(Iso15118_2Codec.signedFragments(req), ExiSigner.ecdsaP256(oldKey.getPrivate()));
        byte[] request = Iso15118_2Codec.encode(new V2gMessage(new Header(SESSION, null, sig), req));
        V2gMessage res = answered(installation.handle(request, Action.UPDATE), ResponseCode.OK);
        CertificateUpdateRes body = (CertificateUpdateRes) res.body();
        X509Certificate fresh = cert(body.contractChain().certificate());
        assertThat(fresh.getPublicKey()).isNotEqualTo(old.getPublicKey());
        Unsealed opened = Iso15118_2Envelope.unwrap(new SealedKey(body.encryptedPrivateKey().value(), body.dhPublicKey().value()),
                oldKey.getPrivate(), (ECPublicKey) fresh.getPublicKey()); // [V2G2-821]
        assertThat(opened).isInstanceOf(Unsealed.Opened.class);

        // signed by someone else's key: FAILED_SignatureError
        XmlSignature wrong = ExiSignatures.sign(Iso15118_2Codec.signedFragments(req), ExiSigner.ecdsaP256(KeyType.SECP256R1.generate().getPrivate()));
        answered(installation.handle(Iso15118_2Codec.encode(new V2gMessage(new Header(SESSION, null, wrong), req)), Action.UPDATE),
                ResponseCode.FAILED_SignatureError);
    }

    @Test
    void aRequestSignedWithAnotherKeyGetsFailedSignatureError() throws Exception {
        byte[] request = installRequest(oem.leaf().cert(), KeyType.SECP256R1.generate().getPrivate(), List.of(ours()));
        answered(installation.handle(request, Action.INSTALL), ResponseCode.FAILED_SignatureError);
    }

    @Test
    void aTamperedRequestGetsFailedSignatureError() throws Exception {
        CertificateInstallationReq req = new CertificateInstallationReq("ID1", oem.leaf().cert().getEncoded(), List.of(ours()));
        XmlSignature sig = ExiSignatures.sign(Iso15118_2Codec.signedFragments(req), ExiSigner.ecdsaP256(oem.leaf().keys().getPrivate()));
        // the signed element changes after signing: another root id added
        CertificateInstallationReq changed = new CertificateInstallationReq("ID1", oem.leaf().cert().getEncoded(),
                List.of(ours(), new RootCertificateId("CN=Other Root", java.math.BigInteger.TEN)));
        byte[] request = Iso15118_2Codec.encode(new V2gMessage(new Header(SESSION, null, sig), changed));
        answered(installation.handle(request, Action.INSTALL), ResponseCode.FAILED_SignatureError);
    }

    @Test
    void anUnsignedRequestGetsFailedSignatureError() throws Exception {
        CertificateInstallationReq req = new CertificateInstallationReq("ID1", oem.leaf().cert().getEncoded(), List.of(ours()));
        byte[] request = Iso15118_2Codec.encode(new V2gMessage(new Header(SESSION, null, null), req));
        answered(installation.handle(request, Action.INSTALL), ResponseCode.FAILED_SignatureError);
    }

    @Test
    void unknownRootIdsGetFailedNoCertificateAvailable() throws Exception {
        byte[] request = installRequest(oem.leaf().cert(), oem.leaf().keys().getPrivate(),
                List.of(new RootCertificateId("CN=Somebody Else's V2G Root,DC=V2G", java.math.BigInteger.valueOf(77))));
        answered(installation.handle(request, Action.INSTALL), ResponseCode.FAILED_NoCertificateAvailable);
    }

    @Test
    void anExpiredOemCertificateGetsFailedCertificateExpired() throws Exception {
        KeyPair kp = KeyType.SECP256R1.generate();
        Instant start = Instant.now().minus(Duration.ofDays(40));
        X509Certificate expired = Iso15118Certificates.issue(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2,
                Iso15118Certificates.subjectFor(Iso15118Role.OEM_PROVISIONING, PCID, "Test OEM", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                Issuer.ca(oem.subCa2().cert(), Iso15118Certificates.signer(oem.subCa2().keys().getPrivate(), KeyType.SECP256R1)),
                TestPki.nextSerial(), start, start.plus(Duration.ofDays(10)), Urls.NONE);
        answered(installation.handle(installRequest(expired, kp.getPrivate(), List.of(ours())), Action.INSTALL),
                ResponseCode.FAILED_CertificateExpired);
    }

    @Test
    void anOemCertificateFromAnUntrustedOemGetsFailedCertChainError() throws Exception {
        TestPki.Chain other = TestPki.chain(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, PCID, T0, Urls.NONE);
        answered(installation.handle(installRequest(other.leaf().cert(), other.leaf().keys().getPrivate(), List.of(ours())),
                Action.INSTALL), ResponseCode.FAILED_CertChainError);
    }

    @Test
    void noContractForThePcidGetsFailedNoCertificateAvailable() throws Exception {
        TestPki.Node stranger = TestPki.issue(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, "WMI9999999999ZZZZ", oem.subCa2(), T0, Urls.NONE);
        answered(installation.handle(installRequest(stranger.cert(), stranger.keys().getPrivate(), List.of(ours())), Action.INSTALL),
                ResponseCode.FAILED_NoCertificateAvailable);
    }

    @Test
    void aCancelledContractGetsFailedContractCanceled() throws Exception {
        String pcid = "WMI0000000000CANC";
        byPcid.put(pcid, new Contract("DE-ABC-C000CANC0", false));
        TestPki.Node car = TestPki.issue(Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, pcid, oem.subCa2(), T0, Urls.NONE);
        answered(installation.handle(installRequest(car.cert(), car.keys().getPrivate(), List.of(ours())), Action.INSTALL),
                ResponseCode.FAILED_ContractCanceled);
    }

    @Test
    void anInstallSentAsUpdateGetsFailedSequenceError() throws Exception {
        byte[] request = installRequest(oem.leaf().cert(), oem.leaf().keys().getPrivate(), List.of(ours()));
        answered(installation.handle(request, Action.UPDATE), ResponseCode.FAILED_SequenceError);
    }

    @Test
    void bytesThatAreNoExiMessageCannotBeAnswered() {
        assertThat(installation.handle(new byte[] {(byte) 0x80, 0x12}, Action.INSTALL)).isInstanceOf(Outcome.Unanswerable.class);
        assertThat(installation.handle(new byte[Iso15118_2Codec.MAX_STREAM_BYTES + 1], Action.INSTALL)).isInstanceOf(Outcome.Unanswerable.class);
        assertThat(installation.handle(new byte[0], Action.INSTALL)).isInstanceOf(Outcome.Unanswerable.class);
    }

    @Test
    void oversizedFieldsInsideAValidStreamAreRefusedNotTrusted() throws Exception {
        // an OEM "certificate" above the 800-byte facet [V2G2-010]: the encoder refuses to write it, and a
        // decoder given such a stream refuses it as well (see the codec's own negative tests)
        byte[] big = new byte[801];
        CertificateInstallationReq req = new CertificateInstallationReq("ID1", big, List.of(ours()));
        try {
            Iso15118_2Codec.encode(new V2gMessage(new Header(SESSION, null, null), req));
            org.junit.jupiter.api.Assertions.fail("an 801-byte certificate was encoded");
        } catch (io.ocppsec.iso15118.exi.ExiException expected) {
            assertThat(expected.reason()).isEqualTo(io.ocppsec.iso15118.exi.ExiException.Reason.LIMIT_EXCEEDED);
        }
    }
}
