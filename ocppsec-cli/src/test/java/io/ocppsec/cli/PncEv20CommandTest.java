package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.cli.FakePki.Answer;
import io.ocppsec.iso15118.exi.Iso15118_20;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationReq;
import io.ocppsec.iso15118.exi.Iso15118_20.CertificateInstallationRes;
import io.ocppsec.iso15118.exi.Iso15118_20.SignedInstallationData;
import io.ocppsec.iso15118.exi.Iso15118_20Codec;
import io.ocppsec.iso15118.pki.Edition;
import io.ocppsec.iso15118.pki.Iso15118Certificates;
import io.ocppsec.iso15118.pki.Iso15118ChainValidator;
import io.ocppsec.iso15118.pki.Iso15118Role;
import io.ocppsec.iso15118.pki.Issuer;
import io.ocppsec.iso15118.pki.KeyType;
import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.iso15118.pki.TrustAnchors;
import io.ocppsec.iso15118.pki.Urls;
import io.ocppsec.iso15118.provisioning.ContractInstallation.Contract;
import io.ocppsec.iso15118.provisioning.ContractInstallation20;
import io.ocppsec.iso15118.xmldsig.ExiSignatureAlgorithm;
import io.ocppsec.iso15118.xmldsig.ExiSigner;
import io.ocppsec.security.cert.PemCertificates;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The EV stand-in as an ISO 15118-20 EV ({@code pnc ev init --edition 20}, {@code request}, {@code open}) and
 * {@code pnc install --edition 20} against a fake pki-service whose answers come from a real iso15118-certs
 * {@link ContractInstallation20} (a -20 V2G/CPS and MO PKI of this test's own, plus a -2 V2G root the -20 EV must not
 * list): secp521r1 and Ed448 (X448) EVs, what is sent, what is opened, what is refused.
 */
class PncEv20CommandTest extends FakePkiCommandTest {
    static final String PCID = "WMIV1234567890ABCD";
    static final String EMAID = "DE-ABC-C123ABC56";
    static final AtomicLong SERIAL = new AtomicLong(0x9000);
    static final Instant T0 = Instant.now().minus(Duration.ofDays(1));

    record Node(X509Certificate cert, KeyPair keys) {
    }

    static Node v2gRoot;
    static Node v2gRoot2;
    static Node cpsSub1;
    static Node cpsSub2;
    static Node cpsLeaf;
    static Node moRoot;
    static Node moSub1;
    static Node moSub2;

    static Node node(Edition e, Iso15118Role role, String cn, Node issuer) {
        KeyType t = e == Edition.ISO_15118_20 ? KeyType.SECP521R1 : KeyType.SECP256R1;
        KeyPair kp = t.generate();
        KeyPair signing = issuer == null ? kp : issuer.keys();
        X509Certificate c = Iso15118Certificates.issue(role, e, Iso15118Certificates.subjectFor(role, cn, "Test", "DE"),
                Iso15118Certificates.subjectPublicKeyInfo(kp.getPublic()),
                issuer == null ? Issuer.selfSigned(Iso15118Certificates.signer(signing.getPrivate(), t))
                        : Issuer.ca(issuer.cert(), Iso15118Certificates.signer(signing.getPrivate(), t)),
                BigInteger.valueOf(SERIAL.incrementAndGet()), T0, Urls.NONE);
        return new Node(c, kp);
    }

    static Node node(Iso15118Role role, String cn, Node issuer) {
        return node(Edition.ISO_15118_20, role, cn, issuer);
    }

    @BeforeAll
    static void cpsAndMoPki() {
        v2gRoot = node(Iso15118Role.V2G_ROOT, "Test V2G Root 20", null);
        v2gRoot2 = node(Edition.ISO_15118_2, Iso15118Role.V2G_ROOT, "Test V2G Root -2", null);
        cpsSub1 = node(Iso15118Role.CPS_SUB_CA_1, "Test CPS Sub-CA 1 20", v2gRoot);
        cpsSub2 = node(Iso15118Role.CPS_SUB_CA_2, "Test CPS Sub-CA 2 20", cpsSub1);
        cpsLeaf = node(Iso15118Role.CPS_LEAF, "Test CPS 20", cpsSub2);
        moRoot = node(Iso15118Role.MO_ROOT, "Test MO Root 20", null);
        moSub1 = node(Iso15118Role.MO_SUB_CA_1, "Test MO Sub-CA 1 20", moRoot);
        moSub2 = node(Iso15118Role.MO_SUB_CA_2, "Test MO Sub-CA 2 20", moSub1);
    }

    final Map<String, List<Contract>> byPcid = new ConcurrentHashMap<>();
    /** Contracts delivered so far per PCID: the series remainingContracts counts down in. */
    final Map<String, AtomicInteger> delivered = new ConcurrentHashMap<>();

    ContractInstallation20 cps(Path ev) throws Exception {
        List<X509Certificate> oem = PemCertificates.read(Files.readString(ev.resolve("oem-root.pem")));
        var validator = new Iso15118ChainValidator(new TrustAnchors(List.of(v2gRoot.cert()), List.of(moRoot.cert()), List.of(oem.get(0))),
                Leniency.strict());
        var settings = new ContractInstallation20.Settings(List.of(cpsLeaf.cert(), cpsSub2.cert(), cpsSub1.cert()), v2gRoot.cert(),
                ExiSigner.ecdsaP521(cpsLeaf.keys().getPrivate()), validator, List.of(oem.get(1)), Clock.systemUTC());
        return new ContractInstallation20(settings, pcid -> byPcid.getOrDefault(pcid, List.of()), (emaid, key) -> List.of(
                Iso15118Certificates.issue(Iso15118Role.CONTRACT, Edition.ISO_15118_20,
                        Iso15118Certificates.subjectFor(Iso15118Role.CONTRACT, emaid, "Test MO", "DE"),
                        Iso15118Certificates.subjectPublicKeyInfo(key),
                        Issuer.ca(moSub2.cert(), Iso15118Certificates.signer(moSub2.keys().getPrivate(), KeyType.SECP521R1)),
                        BigInteger.valueOf(SERIAL.incrementAndGet()), Instant.now().minusSeconds(60), Urls.NONE),
                moSub2.cert(), moSub1.cert()));
    }

    /** A -20 EV in DIR/ev ({@code extra} init options), a contract for its PCID, and the fake answering as a -20 CPS. */
    Path ev20(String... extra) throws Exception {
        Path ev = dir.resolve("ev");
        List<String> args = new ArrayList<>(List.of("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", PCID, "--edition", "20"));
        args.addAll(List.of(extra));
        Run init = run(args.toArray(String[]::new));
        assertThat(init.code()).as(init.err()).isZero();
        byPcid.put(PCID, List.of(new Contract(EMAID, true)));
        ContractInstallation20 cps = cps(ev);
        pki.on("GET /api/v1/pnc/roots", Answer.json(200, "[" + PncCommandTest.anchor("V2G", "V2G_ROOT", "CN=Test V2G Root -2",
                PncEv.pem(v2gRoot2.cert()), "aa", false) + "," + PncCommandTest.anchor("V2G", "V2G_ROOT_20", "CN=Test V2G Root 20",
                PncEv.pem(v2gRoot.cert()), "bb", false) + "," + PncCommandTest.anchor("MO", "MO_ROOT_20", "CN=Test MO Root 20",
                PncEv.pem(moRoot.cert()), "cc", false) + "]"));
        pki.on("POST /api/v1/pnc/ev-certificate", r -> {
            JsonNode req = Text.JSON.readTree(r.body()).path("request");
            Integer max = req.has("maximumContractCertificateChains") ? req.path("maximumContractCertificateChains").asInt() : null;
            List<String> prioritized = req.has("prioritizedEMAIDs")
                    ? req.path("prioritizedEMAIDs").valueStream().map(JsonNode::asString).toList() : null;
            byte[] exi = Base64.getDecoder().decode(req.path("exiRequest").asString());
            int n = delivered.computeIfAbsent(PCID, k -> new AtomicInteger()).get();
            var o = cps.handle(exi, new ContractInstallation20.OcppParameters(max, prioritized), n);
            ObjectNode a = Text.JSON.createObjectNode();
            if (o instanceof ContractInstallation20.Outcome.Answered ans) {
                a.put("status", ans.ok() ? "Accepted" : "Failed");
                if (ans.ok()) {
                    delivered.get(PCID).incrementAndGet();
                    a.put("remainingContracts", ans.remaining());
                } else {
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

    static List<X509Certificate> pemFile(Path p) throws Exception {
        return PemCertificates.read(Files.readString(p));
    }

    @Test
    void initEdition20WritesAMinus20OemPki_secp521r1ByDefault_ed448WithAnX448Key() throws Exception {
        Path ev = dir.resolve("ev");
        Run r = run("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", PCID, "--edition", "20");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("ISO 15118-20, secp521r1", "pnc oem-root add");
        assertThat(Files.readString(ev.resolve("edition")).strip()).isEqualTo("20");
        List<X509Certificate> trust = pemFile(ev.resolve("oem-root.pem"));
        List<X509Certificate> prov = pemFile(ev.resolve("prov-chain.pem"));
        var v = new Iso15118ChainValidator(new TrustAnchors(List.of(), List.of(), List.of(trust.get(0))), Leniency.strict())
                .validate(prov, Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_20, Instant.now());
        assertThat(v.isValid()).as(v.toString()).isTrue();
        assertThat(prov.get(0).getSigAlgName()).isEqualTo("SHA512withECDSA");
        assertThat(prov.get(0).getSubjectX500Principal().getName()).contains("CN=" + PCID);
        assertThat(ev.resolve("prov-x448.key")).doesNotExist();
        PncEv.requireKeyOf(PncEv20.readKey(ev.resolve("prov.key")), prov.get(0), ev.resolve("prov.key"), ev.resolve("prov-chain.pem"));

        Run ed = run("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", PCID, "--edition", "20", "--key", "ed448", "--force");
        assertThat(ed.code()).as(ed.err()).isZero();
        assertThat(ed.out()).contains("Ed448 with an X448 alternate key");
        for (String key : List.of("oem-root.key", "oem-sub-ca.key", "prov.key", "prov-x448.key")) {
            assertThat(perms(ev.resolve(key))).as(key).isEqualTo("rw-------");
        }
        prov = pemFile(ev.resolve("prov-chain.pem"));
        trust = pemFile(ev.resolve("oem-root.pem"));
        v = new Iso15118ChainValidator(new TrustAnchors(List.of(), List.of(), List.of(trust.get(0))), Leniency.strict())
                .validate(prov, Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_20, Instant.now());
        assertThat(v.isValid()).as(v.toString()).isTrue();
        assertThat(KeyType.of(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(prov.get(0).getPublicKey().getEncoded()))).contains(KeyType.ED448);
        PncEv.requireKeyOf(PncEv20.readKey(ev.resolve("prov.key")), prov.get(0), ev.resolve("prov.key"), ev.resolve("prov-chain.pem"));
        PncEv20.requireX448KeyOf(PncEv20.readKey(ev.resolve("prov-x448.key")), prov.get(0), ev.resolve("prov-x448.key"),
                ev.resolve("prov-chain.pem"));

        // back to -2: the X448 key goes, the edition says 2
        assertThat(run("pnc", "ev", "init", "--dir", ev.toString(), "--pcid", PCID, "--force").code()).isZero();
        assertThat(ev.resolve("prov-x448.key")).doesNotExist();
        assertThat(Files.readString(ev.resolve("edition")).strip()).isEqualTo("2");

        // a -20 PCID has 18 characters; the key types belong to their edition
        Run shortPcid = run("pnc", "ev", "init", "--dir", dir.resolve("e2").toString(), "--pcid", "WMIV1234567890ABC", "--edition", "20");
        assertThat(shortPcid.code()).isEqualTo(2);
        assertThat(shortPcid.err()).contains("not an ISO 15118-20 PCID");
        assertThat(dir.resolve("e2")).doesNotExist();
        Run edOn2 = run("pnc", "ev", "init", "--dir", dir.resolve("e3").toString(), "--pcid", PCID, "--key", "ed448");
        assertThat(edOn2.code()).isEqualTo(2);
        assertThat(edOn2.err()).contains("go with --edition 20");
        Run badKey = run("pnc", "ev", "init", "--dir", dir.resolve("e4").toString(), "--pcid", PCID, "--edition", "20", "--key", "rsa");
        assertThat(badKey.code()).isEqualTo(2);
        assertThat(badKey.err()).contains("--key must be secp521r1 or ed448");
        assertThat(run("pnc", "ev", "init", "--dir", dir.resolve("e5").toString(), "--pcid", PCID, "--edition", "3").code()).isEqualTo(2);
    }

    /** The signed request as the EV wrote it. */
    static CertificateInstallationReq written(Path req) throws Exception {
        return (CertificateInstallationReq) Iso15118_20Codec.decode(Base64.getDecoder().decode(Files.readString(req).strip()));
    }

    @Test
    void secp521r1Ev_requestInstallOpen_ecdhSecp521_theKeyMatchesTheContract_M01() throws Exception {
        Path ev = ev20();
        Path req = dir.resolve("req.b64");
        Run request = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString(), "--max-chains", "2",
                "--emaid", "DE-ABC-C00000009", "--emaid", "DEABCC123ABC56");
        assertThat(request.code()).as(request.err()).isZero();
        assertThat(request.out()).contains("ISO 15118-20", "ecdsa-sha512", "MaximumContractCertificateChains 2", "pnc install --edition 20");
        // only the -20 V2G root is listed and kept
        assertThat(pemFile(ev.resolve("v2g-roots.pem"))).containsExactly(v2gRoot.cert());
        CertificateInstallationReq sent = written(req);
        assertThat(sent.rootCertificateIds()).hasSize(1);
        assertThat(sent.rootCertificateIds().get(0).serial()).isEqualTo(v2gRoot.cert().getSerialNumber());
        assertThat(sent.maximumContractCertificateChains()).isEqualTo(2);
        assertThat(sent.prioritizedEmaids()).containsExactly("DE-ABC-C00000009", "DEABCC123ABC56");
        assertThat(sent.header().signature().signedInfo().signatureMethod()).isEqualTo(ExiSignatureAlgorithm.ECDSA_SHA512.signatureMethod());
        assertThat(sent.header().signature().signedInfo().references()).hasSize(1);
        assertThat(sent.header().signature().signedInfo().references().get(0).uri()).isEqualTo("#" + sent.oemProvisioningChain().id());

        Path res = dir.resolve("res.b64");
        Run install = api("pnc", "install", "--edition", "20", "--request", req.toString(), "--out", res.toString(), "--max-chains", "3",
                "--emaid", EMAID);
        assertThat(install.code()).as(install.out() + install.err()).isZero();
        assertThat(install.out()).contains("status: Accepted", "remainingContracts: 0");
        JsonNode body = Text.JSON.readTree(pki.last().body());
        assertThat(body.path("ocppVersion").asString()).isEqualTo("ocpp2.1");
        assertThat(body.path("request").path("iso15118SchemaVersion").asString()).isEqualTo("urn:iso:std:iso:15118:-20:CommonMessages");
        assertThat(body.path("request").path("maximumContractCertificateChains").asInt()).isEqualTo(3);
        assertThat(body.path("request").path("prioritizedEMAIDs").get(0).asString()).isEqualTo(EMAID);
        assertThat(body.path("request").path("prioritizedEMAIDs").size()).isEqualTo(1);

        Run open = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(open.code()).as(open.out() + open.err()).isZero();
        assertThat(open.out()).contains("ResponseCode OK", "verified", "contract key decrypted", "eMAID:      " + EMAID,
                "ECDHCurve:  SECP521", "RemainingContractCertificateChains: 0");
        assertThat(perms(ev.resolve("contract.key"))).isEqualTo("rw-------");
        X509Certificate leaf = pemFile(ev.resolve("contract-chain.pem")).get(0);
        assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=" + EMAID);
        PncEv.requireKeyOf(PncEv20.readKey(ev.resolve("contract.key")), leaf, ev.resolve("contract.key"), ev.resolve("contract-chain.pem"));

        // -20 has no CertificateUpdateReq
        Run update = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", dir.resolve("u.b64").toString(), "--update");
        assertThat(update.code()).isEqualTo(2);
        assertThat(update.err()).contains("ISO 15118-20 has no CertificateUpdateReq");
    }

    @Test
    void ed448Ev_theContractKeyComesUnderX448WithTheAlternateKey_V2G20_2534() throws Exception {
        Path ev = ev20("--key", "ed448");
        Path req = dir.resolve("req.b64");
        Run request = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString());
        assertThat(request.code()).as(request.err()).isZero();
        assertThat(request.out()).contains("Ed448", "MaximumContractCertificateChains 1");
        assertThat(written(req).header().signature().signedInfo().signatureMethod()).isEqualTo(ExiSignatureAlgorithm.ED448.signatureMethod());
        assertThat(written(req).prioritizedEmaids()).isNull();
        Path res = dir.resolve("res.b64");
        Run install = api("pnc", "install", "--ocpp", "2.1", "--schema", "urn:iso:std:iso:15118:-20:CommonMessages",
                "--request", req.toString(), "--out", res.toString());
        assertThat(install.code()).as(install.out() + install.err()).isZero();
        JsonNode body = Text.JSON.readTree(pki.last().body()).path("request");
        assertThat(body.has("maximumContractCertificateChains")).as("sent only when given").isFalse();
        assertThat(body.has("prioritizedEMAIDs")).isFalse();

        Run open = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(open.code()).as(open.out() + open.err()).isZero();
        assertThat(open.out()).contains("ResponseCode OK", "ECDHCurve:  X448", "SECP521_EncryptedPrivateKey");
        X509Certificate leaf = pemFile(ev.resolve("contract-chain.pem")).get(0);
        PncEv.requireKeyOf(PncEv20.readKey(ev.resolve("contract.key")), leaf, ev.resolve("contract.key"), ev.resolve("contract-chain.pem"));

        // without its X448 key the EV cannot open it
        Files.delete(ev.resolve("contract.key"));
        Files.move(ev.resolve("prov-x448.key"), dir.resolve("x448.key"));
        Run noKey = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(noKey.code()).isEqualTo(1);
        assertThat(noKey.err()).contains("ECDHCurve is X448 but this EV has no X448 key");
        assertThat(ev.resolve("contract.key")).doesNotExist();
    }

    @Test
    void anEd448OemPki_rootAndSubCa2OnEd448_isAcceptedEndToEnd_V2G20_2319() throws Exception {
        Path ev = ev20("--key", "ed448", "--oem-key", "ed448");
        List<X509Certificate> trust = pemFile(ev.resolve("oem-root.pem"));
        assertThat(trust).hasSize(2);
        for (X509Certificate c : trust) {
            assertThat(KeyType.of(org.bouncycastle.asn1.x509.SubjectPublicKeyInfo.getInstance(c.getPublicKey().getEncoded())))
                    .as(c.getSubjectX500Principal().getName()).contains(KeyType.ED448);
            assertThat(c.getSigAlgName()).isEqualTo("Ed448");
        }
        List<X509Certificate> prov = pemFile(ev.resolve("prov-chain.pem"));
        assertThat(prov.get(0).getSigAlgName()).as("the provisioning certificate is signed by the Ed448 Sub-CA 2").isEqualTo("Ed448");
        var v = new Iso15118ChainValidator(new TrustAnchors(List.of(), List.of(), List.of(trust.get(0))), Leniency.strict())
                .validate(prov, Iso15118Role.OEM_PROVISIONING, Edition.ISO_15118_20, Instant.now());
        assertThat(v.isValid()).as(v.toString()).isTrue();
        PncEv.requireKeyOf(PncEv20.readKey(ev.resolve("oem-root.key")), trust.get(0), ev.resolve("oem-root.key"), ev.resolve("oem-root.pem"));

        Path req = dir.resolve("req.b64");
        assertThat(api("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString()).code()).isZero();
        Path res = dir.resolve("res.b64");
        Run install = api("pnc", "install", "--edition", "20", "--request", req.toString(), "--out", res.toString());
        assertThat(install.code()).as(install.out() + install.err()).isZero();
        Run open = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(open.code()).as(open.out() + open.err()).isZero();
        assertThat(open.out()).contains("ResponseCode OK", "ECDHCurve:  X448");

        // --oem-key belongs to -20 and takes the -20 key types
        Run on2 = run("pnc", "ev", "init", "--dir", dir.resolve("e2").toString(), "--pcid", PCID, "--oem-key", "ed448");
        assertThat(on2.code()).isEqualTo(2);
        assertThat(on2.err()).contains("--oem-key", "go with --edition 20");
        Run bad = run("pnc", "ev", "init", "--dir", dir.resolve("e3").toString(), "--pcid", PCID, "--edition", "20", "--oem-key", "rsa");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--oem-key must be secp521r1 or ed448");
        assertThat(dir.resolve("e2")).doesNotExist();
        assertThat(dir.resolve("e3")).doesNotExist();
    }

    @Test
    void openRefusesAForgedOrForeignAnswer_andARefusalExitsNonZero() throws Exception {
        Path ev = ev20();
        Path req = dir.resolve("req.b64");
        assertThat(api("pnc", "ev", "request", "--dir", ev.toString(), "--out", req.toString()).code()).isZero();
        Path res = dir.resolve("res.b64");
        assertThat(api("pnc", "install", "--edition", "20", "--request", req.toString(), "--out", res.toString()).code()).isZero();
        CertificateInstallationRes answer = (CertificateInstallationRes) Iso15118_20Codec.decode(
                Base64.getDecoder().decode(Files.readString(res).strip()));

        // SignedInstallationData changed after signing: the CPS signature does not verify
        SignedInstallationData d = answer.signedInstallationData();
        byte[] enc = d.encryptedPrivateKey();
        enc[30] ^= 1;
        CertificateInstallationRes forged = new CertificateInstallationRes(answer.header(), answer.responseCode(), answer.evseProcessing(),
                answer.cpsChain(), new SignedInstallationData(d.id(), d.contractChain(), d.ecdhCurve(), d.dhPublicKey(),
                d.encryptedKeyType(), enc), answer.remainingContractCertificateChains());
        Path forgedFile = Files.writeString(dir.resolve("forged.b64"), Base64.getEncoder().encodeToString(Iso15118_20Codec.encode(forged)));
        Run sig = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", forgedFile.toString());
        assertThat(sig.code()).isEqualTo(1);
        assertThat(sig.err()).contains("CPS signature over SignedInstallationData does not verify");
        assertThat(ev.resolve("contract.key")).doesNotExist();

        // another session; a V2G root the EV does not trust
        String session = Files.readString(ev.resolve("session-id"));
        Files.writeString(ev.resolve("session-id"), "0000000000000000\n");
        Run other = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(other.code()).isEqualTo(1);
        assertThat(other.err()).contains("SessionID");
        Files.writeString(ev.resolve("session-id"), session);
        String roots = Files.readString(ev.resolve("v2g-roots.pem"));
        Files.writeString(ev.resolve("v2g-roots.pem"), PncEv.pem(node(Iso15118Role.V2G_ROOT, "Other V2G Root 20", null).cert()));
        Run chain = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res.toString());
        assertThat(chain.code()).isEqualTo(1);
        assertThat(chain.err()).contains("CPS chain does not verify");
        Files.writeString(ev.resolve("v2g-roots.pem"), roots);

        // a -2 answer is no -20 message
        Run junk = run("pnc", "ev", "open", "--dir", ev.toString(), "--response",
                Files.writeString(dir.resolve("junk.b64"), "AAECAwQF").toString());
        assertThat(junk.code()).isEqualTo(2);
        assertThat(junk.err()).contains("is no ISO 15118-20 EXI message");

        // no contract for the PCID: the signed refusal is printed, exit 1
        byPcid.clear();
        Path req2 = dir.resolve("req2.b64");
        assertThat(api("pnc", "ev", "request", "--dir", ev.toString(), "--out", req2.toString()).code()).isZero();
        Path res2 = dir.resolve("res2.b64");
        Run failed = api("pnc", "install", "--edition", "20", "--request", req2.toString(), "--out", res2.toString());
        assertThat(failed.code()).isEqualTo(1);
        Run refused = run("pnc", "ev", "open", "--dir", ev.toString(), "--response", res2.toString());
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.out()).contains("WARNING_NoContractMatchingPCIDFound", "the EV got no contract");
    }

    @Test
    void requestAndInstallOptionsAreCheckedBeforeAnythingIsSent() throws Exception {
        Path ev = ev20();
        Path out = dir.resolve("req.b64");
        List<String> nine = new ArrayList<>(List.of("pnc", "ev", "request", "--dir", ev.toString(), "--out", out.toString()));
        for (int i = 0; i < 9; i++) {
            nine.addAll(List.of("--emaid", "DE-ABC-C0000000" + i));
        }
        Run tooMany = api(nine.toArray(String[]::new));
        assertThat(tooMany.code()).isEqualTo(2);
        assertThat(tooMany.err()).contains("at most 8");
        Run max = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", out.toString(), "--max-chains", "256");
        assertThat(max.code()).isEqualTo(2);
        assertThat(max.err()).contains("between 0 and 255");
        Run notEmaid = api("pnc", "ev", "request", "--dir", ev.toString(), "--out", out.toString(), "--emaid", "x");
        assertThat(notEmaid.code()).isEqualTo(2);
        assertThat(out).doesNotExist();

        // a -2 EV has no -20 options
        Path ev2 = dir.resolve("ev2");
        assertThat(run("pnc", "ev", "init", "--dir", ev2.toString(), "--pcid", PCID).code()).isZero();
        Run on2 = api("pnc", "ev", "request", "--dir", ev2.toString(), "--out", out.toString(), "--max-chains", "2");
        assertThat(on2.code()).isEqualTo(2);
        assertThat(on2.err()).contains("go with an ISO 15118-20 EV");

        Path req = Files.writeString(dir.resolve("any.b64"), "AAAA");
        Path res = dir.resolve("res.b64");
        Run edition201 = api("pnc", "install", "--edition", "20", "--ocpp", "2.0.1", "--request", req.toString(), "--out", res.toString());
        assertThat(edition201.code()).isEqualTo(2);
        assertThat(edition201.err()).contains("does not fit OCPP 2.0.1");
        Run both = api("pnc", "install", "--edition", "20", "--schema", "urn:x", "--request", req.toString(), "--out", res.toString());
        assertThat(both.code()).isEqualTo(2);
        Run fields201 = api("pnc", "install", "--max-chains", "2", "--request", req.toString(), "--out", res.toString());
        assertThat(fields201.code()).isEqualTo(2);
        assertThat(fields201.err()).contains("OCPP 2.1 fields");
        assertThat(pki.requests.stream().filter(r -> r.path().contains("ev-certificate")).count()).isZero();
    }
}
