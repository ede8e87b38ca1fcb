package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.cli.FakePki.Answer;
import io.ocppsec.iso15118.exi.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Emaid;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import io.ocppsec.iso15118.exi.V2gMessage;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.provisioning.ContractInstallation;
import io.ocppsec.iso15118.provisioning.ContractInstallation.Contract;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The EV stand-in ({@code pnc ev init|request|open}) and {@code pnc install|update|authorize} against a
 * fake pki-service whose Get15118EVCertificate answers come from a real iso15118-certs
 * {@link ContractInstallation} (a test V2G/CPS and MO PKI of this test's own): what is sent, what is
 * written, what the EV accepts and what it refuses.
 */
class PncEvCommandTest extends FakePkiCommandTest {
    static final String PCID = "WMIV1234567890ABCD";
    static final String EMAID = "DE-ABC-C123ABC56";
    static final AtomicLong SERIAL = new AtomicLong(0x7000);
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1));

    record Node(X509Certificate cert, KeyPair keys) {
    }

    static Node v2gRoot;
    static Node cpsSub1;
    static Node cpsSub2;
    static Node cpsLeaf;
    static Node moRoot;
    static Node moSub1;
    static Node moSub2;

    static Node node(Iso15118Role role, String cn, Node issuer) {
        KeyPair kp = KeyType.SECP256R1.generate();
        KeyPair signing = issuer == null ? kp : issuer.keys();
        X509Certificate c = Iso15118Certificates.issue(role, Edition.ISO_15118_2, Iso15118Certificates.subjectFor(role, cn, "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                issuer == null ? Issuer.selfSigned(Iso15118Certificates.signer(signing.getPrivate(), KeyType.SECP256R1))
                        : Issuer.ca(issuer.cert(), Iso15118Certificates.signer(signing.getPrivate(), KeyType.SECP256R1)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), T0, Urls.NONE);
        return new Node(c, kp);
    }

    @BeforeAll
    static void cpsAndMoPki() {
        v2gRoot = node(Iso15118Role.V2G_ROOT, "Test V2G Root", null);
        cpsSub1 = node(Iso15118Role.CPS_SUB_CA_1, "Test CPS Sub-CA 1", v2gRoot);
        cpsSub2 = node(Iso15118Role.CPS_SUB_CA_2, "Test CPS Sub-CA 2", cpsSub1);
        cpsLeaf = node(Iso15118Role.CPS_LEAF, "Test CPS", cpsSub2);
        moRoot = node(Iso15118Role.MO_ROOT, "Test MO Root", null);
        moSub1 = node(Iso15118Role.MO_SUB_CA_1, "Test MO Sub-CA 1", moRoot);
        moSub2 = node(Iso15118Role.MO_SUB_CA_2, "Test MO Sub-CA 2", moSub1);
    }

    final Map<String, Contract> byPcid = new ConcurrentHashMap<>();
    final Map<String, Contract> byEmaid = new ConcurrentHashMap<>();

    /** The CPS/MO side the fake answers with, trusting the OEM PKI that 'ev init' wrote into {@code ev}. */
    ContractInstallation cps(Path ev) throws Exception {
        List<X509Certificate> oem = io.ocppsec.security.cert.PemCertificates.read(Files.readString(ev.resolve("oem-root.pem")));
        var validator = new Iso15118ChainValidator(new TrustAnchors(List.of(v2gRoot.cert()), List.of(moRoot.cert()), List.of(oem.get(0))),
                Leniency.strict());
        var settings = new ContractInstallation.Settings(List.of(cpsLeaf.cert(), cpsSub2.cert(), cpsSub1.cert()), v2gRoot.cert(),
                ExiSigner.ecdsaP256(cpsLeaf.keys().getPrivate()), validator, List.of(oem.get(1)), Clock.systemUTC());
        return new ContractInstallation(settings, new ContractInstallation.ContractDirectory() {
            @Override
            public Contract forPcid(String pcid) {
                return byPcid.get(pcid);
            }

            @Override
            public Contract forEmaid(String emaid) {
                return byEmaid.get(emaid.replace("-", ""));
            }
        }, (emaid, key) -> List.of(Iso15118Certificates.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_2,
                        Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, "Test MO", "DE"),
                        Iso15118Certificates.subjectPublicKeyInfo(key),
                        Issuer.ca(moSub2.cert(), Iso15118Certificates.signer(moSub2.keys().getPrivate(), KeyType.SECP256R1)),
                        BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minusSeconds(60), Urls.NONE),
                moSub2.cert(), moSub1.cert()));
    }

    /** An EV in DIR/ev with its OEM PKI, a contract for its PCID, and the fake answering roots and Get15118EVCertificate. */
    Path evWithFakeCps() throws Exception {
        Path ev = dir.resolve("ev");
        Run init = run("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", PCID);
        assertThat(init.code()).as(init.err()).isZero();
        byPcid.put(PCID, new Contract(EMAID, true));
        byEmaid.put(EMAID.replace("-", ""), new Contract(EMAID, true));
        ContractInstallation cps = cps(ev);
        pki.on("GET /api/v1/pnc/roots", Answer.json(200, "[" + PncCommandTest.anchor("V2G", "V2G_ROOT", "CN=Test V2G Root",
                PncEv.pem(v2gRoot.cert()), "aa", false) + "," + PncCommandTest.anchor("MO", "MO_ROOT", "CN=Test MO Root",
                PncEv.pem(moRoot.cert()), "bb", false) + "]"));
        pki.on("POST /api/v1/pnc/ev-certificate", r -> {
            JsonNode req = Text.JSON.readTree(r.body()).path("request");
            var o = cps.handle(Base64.getDecoder().decode(req.path("exiRequest").asString()),
                    "Update".equals(req.path("action").asString()) ? ContractInstallation.Action.UPDATE : ContractInstallation.Action.INSTALL);
            ObjectNode a = Text.JSON.createObjectNode();
            if (o instanceof ContractInstallation.Outcome.Answered ans) {
                a.put("status", ans.ok() ? "Accepted" : "Failed");
                if (!ans.ok()) {
                    a.putObject("statusInfo").put("reasonCode", "NoCertificate").put("additionalInfo", ans.reason());
                }
                a.put("exiResponse", Base64.getEncoder().encodeToString(ans.exi()));
            } else {
                a.put("status", "Failed").put("exiResponse", "");
                a.putObject("statusInfo").put("reasonCode", "InvalidExi");
            }
            return Answer.json(200, a.toString());
        });
        return ev;
    }

    static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    static X509Certificate contractLeaf(Path ev) throws Exception {
        return io.ocppsec.security.cert.PemCertificates.read(Files.readString(ev.resolve("contract-chain.pem"))).get(0);
    }

    @Test
    void evInitWritesAnIso15118_2OemPkiWithPrivateKeysOnlyForTheOwner() throws Exception {
        Path ev = dir.resolve("ev");
        Run r = run("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", PCID);
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("pnc oem-root add " + ev.resolve("oem-root.pem"), "contract add --pcid " + PCID);
        for (String key : List.of("oem-root.key", "oem-sub-ca.key", "prov.key")) {
            assertThat(perms(ev.resolve(key))).as(key).isEqualTo("rw-------");
        }
        List<X509Certificate> trust = io.ocppsec.security.cert.PemCertificates.read(Files.readString(ev.resolve("oem-root.pem")));
        List<X509Certificate> prov = io.ocppsec.security.cert.PemCertificates.read(Files.readString(ev.resolve("prov-chain.pem")));
        // the provisioning chain validates under the OEM root with the strict ISO 15118-2 profiles
        var v = new Iso15118ChainValidator(new TrustAnchors(List.of(), List.of(), List.of(trust.get(0))), Leniency.strict())
                .validate(prov, Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_2, Instant.now());
        assertThat(v.isValid()).as(v.toString()).isTrue();
        assertThat(prov.get(0).getSubjectX500Principal().getName()).contains("CN=" + PCID, "DC=OEM");
        PncEv.requireKeyOf(PncEv.readKey(ev.resolve("prov.key")), prov.get(0), ev.resolve("prov.key"), ev.resolve("prov-chain.pem"));

        assertThat(run("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", PCID).code()).as("exists: needs --force").isEqualTo(2);
        Run bad = run("pnc", "ev", "init", "--dir", dir.resolve("ev2").toString(), "--pcid", "short");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("is not a PCID");
    }

    @Test
    void installThenOpen_theEvDecryptsItsContractKey_thenUpdateRoundTrip_M02_V2G2_823() throws Exception {
        Path ev = evWithFakeCps();
        Path req = dir.resolve("req.b64");
        Run request = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString());
        assertThat(request.code()).as(request.err()).isZero();
        assertThat(request.out()).contains("CertificateInstallationReq", "signed by the provisioning key");
        assertThat(Files.readString(ev.resolve("v2g-roots.pem"))).isEqualTo(PncEv.pem(v2gRoot.cert()));

        Path res = dir.resolve("res.b64");
        Run install = api("pnc", "install", "--request", req.toString(), "--out", res.toString(), "--station", "CS-1");
        assertThat(install.code()).as(install.out() + install.err()).isZero();
        assertThat(install.out()).contains("status: Accepted", "written to " + res);
        JsonNode sent = Text.JSON.readTree(pki.last().body());
        assertThat(sent.path("ocppVersion").asString()).isEqualTo("ocpp2.0.1");
        assertThat(sent.path("station").asString()).isEqualTo("CS-1");
        assertThat(sent.path("request").path("action").asString()).isEqualTo("Install");
        assertThat(sent.path("request").path("iso15118SchemaVersion").asString()).isEqualTo("urn:iso:15118:2:2013:MsgDef");
        assertThat(sent.path("request").path("exiRequest").asString()).isEqualTo(Files.readString(req).strip());

        Run open = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(open.code()).as(open.out() + open.err()).isZero();
        assertThat(open.out()).contains("ResponseCode OK", "verified", "contract key decrypted", "eMAID:      " + EMAID);
        assertThat(perms(ev.resolve("contract.key"))).isEqualTo("rw-------");
        X509Certificate first = contractLeaf(ev);
        assertThat(first.getSubjectX500Principal().getName()).contains("CN=" + EMAID);
        PncEv.requireKeyOf(PncEv.readKey(ev.resolve("contract.key")), first, ev.resolve("contract.key"), ev.resolve("contract-chain.pem"));

        // Update: signed with the contract key, answered with a new contract sealed to the old contract key
        Path ureq = dir.resolve("ureq.b64");
        Run urequest = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", ureq.toString(), "--update");
        assertThat(urequest.code()).as(urequest.err()).isZero();
        assertThat(urequest.out()).contains("CertificateUpdateReq");
        Path ures = dir.resolve("ures.b64");
        Run update = api("pnc", "update", "--request", ureq.toString(), "--out", ures.toString(), "--ocpp", "2.1");
        assertThat(update.code()).as(update.out() + update.err()).isZero();
        assertThat(Text.JSON.readTree(pki.last().body()).path("request").path("action").asString()).isEqualTo("Update");
        assertThat(Text.JSON.readTree(pki.last().body()).path("ocppVersion").asString()).isEqualTo("ocpp2.1");
        Run uopen = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", ures.toString());
        assertThat(uopen.code()).as(uopen.out() + uopen.err()).isZero();
        assertThat(uopen.out()).contains("CertificateUpdateRes: ResponseCode OK");
        X509Certificate second = contractLeaf(ev);
        assertThat(second.getSerialNumber()).isNotEqualTo(first.getSerialNumber());
        PncEv.requireKeyOf(PncEv.readKey(ev.resolve("contract.key")), second, ev.resolve("contract.key"), ev.resolve("contract-chain.pem"));
    }

    @Test
    void openRefusesAnAnswerThatIsNotForThisEvOrNotFromATrustedCps() throws Exception {
        Path ev = evWithFakeCps();
        Path req = dir.resolve("req.b64");
        assertThat(api("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString()).code()).isZero();
        Path res = dir.resolve("res.b64");
        assertThat(api("pnc", "install", "--request", req.toString(), "--out", res.toString()).code()).isZero();
        String answer = Files.readString(res).strip();

        // a changed signed element (the eMAID): the CPS signature no longer verifies [V2G2-771]
        V2gMessage m = Iso15118_2Codec.decode(Base64.getDecoder().decode(answer));
        CertificateInstallationRes b = (CertificateInstallationRes) m.body();
        CertificateInstallationRes forged = new CertificateInstallationRes(b.responseCode(), b.saProvisioningChain(), b.contractChain(),
                b.encryptedPrivateKey(), b.dhPublicKey(), new Emaid(b.emaid().id(), "DEXYZC99999999"));
        Path forgedFile = Files.writeString(dir.resolve("forged.b64"),
                Base64.getEncoder().encodeToString(Iso15118_2Codec.encode(new V2gMessage(m.header(), forged))));
        Run sig = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", forgedFile.toString());
        assertThat(sig.code()).isEqualTo(1);
        assertThat(sig.err()).contains("CPS signature does not verify");
        assertThat(ev.resolve("contract.key")).doesNotExist();

        // an answer to another session
        String session = Files.readString(ev.resolve("session-id"));
        Files.writeString(ev.resolve("session-id"), "0000000000000000\n");
        Run other = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).contains("SessionID");
        Files.writeString(ev.resolve("session-id"), session);

        // a CPS under a V2G root the EV does not trust
        String roots = Files.readString(ev.resolve("v2g-roots.pem"));
        Files.writeString(ev.resolve("v2g-roots.pem"), PncEv.pem(node(Iso15118Role.V2G_ROOT, "Other V2G Root", null).cert()));
        Run chain = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(chain.code()).isEqualTo(1);
        assertThat(chain.err()).contains("CPS chain does not verify", "UNKNOWN_ROOT");
        Files.writeString(ev.resolve("v2g-roots.pem"), roots);

        // another EV's provisioning key cannot open the contract key
        Path otherEv = dir.resolve("other");
        assertThat(run("pnc", "ev", "init", "--dir", otherEv.toString(), "--pcid", "WMIV0000000000000").code()).isZero();
        Files.copy(otherEv.resolve("prov.key"), ev.resolve("prov.key"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Run key = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(key.code()).isEqualTo(1);
        assertThat(key.err()).contains("contract key cannot be opened");
        assertThat(ev.resolve("contract.key")).doesNotExist();

        // not EXI, not Base64
        Run junk = run("pnc", "ev", "open", "--dir", ev.toString(), "--response",
                Files.writeString(dir.resolve("junk.b64"), "AAECAwQF").toString());
        assertThat(junk.code()).isEqualTo(2);
        assertThat(junk.err()).contains("is no ISO 15118-2 EXI message");
        Run text = run("pnc", "ev", "open", "--dir", ev.toString(), "--response",
                Files.writeString(dir.resolve("text.b64"), "not base64!").toString());
        assertThat(text.code()).isEqualTo(2);
        assertThat(text.err()).contains("does not hold an EXI response in Base64");
    }

    @Test
    void anEvWithoutAContractGetsFailedWithTheExiAnswer_writtenAndOpenedAsFailed() throws Exception {
        Path ev = evWithFakeCps();
        byPcid.clear();
        Path req = dir.resolve("req.b64");
        assertThat(api("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString()).code()).isZero();
        Path res = dir.resolve("res.b64");
        Run install = api("pnc", "install", "--request", req.toString(), "--out", res.toString());
        assertThat(install.code()).isEqualTo(1);
        assertThat(install.out()).contains("status: Failed", "reasonCode:     NoCertificate", "(the EV gets this answer)");
        Run open = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(open.code()).isEqualTo(1);
        assertThat(open.out()).contains("FAILED_NoCertificateAvailable", "the EV got no contract");
        assertThat(ev.resolve("contract-chain.pem")).doesNotExist();

        // no contract, nothing to update; --contract belongs to --update
        int sent = pki.requests.size();
        Run update = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", dir.resolve("u.b64").toString(), "--update");
        assertThat(update.code()).isEqualTo(2);
        assertThat(update.err()).contains("holds no contract to update");
        Run stray = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", dir.resolve("u.b64").toString(), "--contract", "x.pem");
        assertThat(stray.code()).isEqualTo(2);
        assertThat(stray.err()).contains("--contract goes with --update");
        assertThat(pki.requests).hasSize(sent);
        assertThat(dir.resolve("u.b64")).doesNotExist();
    }

    @Test
    void installChecksTheRequestFileBeforeAsking() throws Exception {
        pki.on("POST /api/v1/pnc/ev-certificate", Answer.json(200, "{\"status\":\"Failed\",\"statusInfo\":{\"reasonCode\":\"InvalidExi\"},"
                + "\"exiResponse\":\"\"}"));
        Path out = dir.resolve("res.b64");
        Run missing = api("pnc", "install", "--request", dir.resolve("nope.b64").toString(), "--out", out.toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("no such file");
        Run notBase64 = api("pnc", "install", "--request", Files.writeString(dir.resolve("t.b64"), "ab*cd").toString(), "--out", out.toString());
        assertThat(notBase64.code()).isEqualTo(2);
        assertThat(notBase64.err()).contains("does not hold an EXI request in Base64");
        Path big = Files.writeString(dir.resolve("big.b64"), "A".repeat(5604));
        Run tooLong = api("pnc", "install", "--request", big.toString(), "--out", out.toString());
        assertThat(tooLong.code()).isEqualTo(2);
        assertThat(tooLong.err()).contains("5604 Base64 characters", "ocpp2.0.1 may hold at most 5600");
        Run badVersion = api("pnc", "install", "--request", big.toString(), "--out", out.toString(), "--ocpp", "1.6");
        assertThat(badVersion.code()).isEqualTo(2);
        assertThat(pki.requests).as("nothing sent for a refused file").isEmpty();

        // OCPP 2.1 allows 11000: sent; whitespace (line breaks of base64 -w 76) is dropped; Failed without EXI writes nothing
        Path wrapped = Files.writeString(dir.resolve("wrapped.b64"), "AAAA\nAAAA\r\n  AAAA\n");
        Run failed = api("pnc", "install", "--request", wrapped.toString(), "--out", out.toString(), "--ocpp", "2.1");
        assertThat(failed.code()).isEqualTo(1);
        assertThat(Text.JSON.readTree(pki.last().body()).path("request").path("exiRequest").asString()).isEqualTo("AAAAAAAAAAAA");
        assertThat(failed.out()).contains("status: Failed", "InvalidExi", "no exiResponse");
        assertThat(out).doesNotExist();
        assertThat(api("pnc", "install", "--request", big.toString(), "--out", out.toString(), "--ocpp", "2.1").code()).isEqualTo(1);

        // an --out that exists is refused before the API is asked (an Install issues a certificate)
        int sent = pki.requests.size();
        Files.writeString(out, "old");
        assertThat(api("pnc", "install", "--request", wrapped.toString(), "--out", out.toString()).code()).isEqualTo(2);
        assertThat(pki.requests).hasSize(sent);
    }

    @Test
    void installWhenTheApiIsUnreachableSaysSo() throws Exception {
        Path req = Files.writeString(dir.resolve("req.b64"), "AAAA");
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Run r = run("pnc", "install", "--request", req.toString(), "--out", dir.resolve("res.b64").toString(),
                "--api", "http://127.0.0.1:" + port, "--token-file", tokenFile.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("not reachable");
    }

    @Test
    void authorizeSendsTheEmaidAndChain_andExitsZeroOnlyWhenBothAreAccepted_C07() throws Exception {
        Path chain = Files.writeString(dir.resolve("chain.pem"), PncEv.pem(moSub2.cert(), moSub1.cert()));
        pki.on("POST /api/v1/pnc/authorize", Answer.json(200, "{\"idTokenInfo\":{\"status\":\"Accepted\"},\"certificateStatus\":\"Accepted\"}"));
        Run ok = api("pnc", "authorize", "--emaid", EMAID, "--certificate", chain.toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.out()).contains("idTokenInfo.status: Accepted", "certificateStatus:  Accepted");
        JsonNode body = Text.JSON.readTree(pki.last().body());
        assertThat(body.path("ocppVersion").asString()).isEqualTo("ocpp2.0.1");
        assertThat(body.path("request").path("idToken").path("idToken").asString()).isEqualTo(EMAID);
        assertThat(body.path("request").path("idToken").path("type").asString()).isEqualTo("eMAID");
        assertThat(body.path("request").path("certificate").asString()).isEqualTo(Files.readString(chain));

        pki.on("POST /api/v1/pnc/authorize", Answer.json(200, "{\"idTokenInfo\":{\"status\":\"Blocked\"},\"certificateStatus\":\"ContractCancelled\"}"));
        Run cancelled = api("pnc", "authorize", "--emaid", EMAID, "--certificate", chain.toString());
        assertThat(cancelled.code()).isEqualTo(1);
        assertThat(cancelled.out()).contains("Blocked", "ContractCancelled");

        Run notPem = api("pnc", "authorize", "--emaid", EMAID, "--certificate", Files.writeString(dir.resolve("x.pem"), "x").toString());
        assertThat(notPem.code()).isEqualTo(2);
        assertThat(notPem.err()).contains("does not hold a contract certificate chain");
    }
}
