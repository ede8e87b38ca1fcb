package io.ocppsec.pki.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.pki.ca.Csrs;
import io.ocppsec.pki.ca.Pem;
import io.ocppsec.security.cert.PemCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.asn1.ocsp.OCSPObjectIdentifiers;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * Key and root rotation over real HTTP, run against each database by a subclass: the stations
 * are reached through a {@link TerminatorStandIn} that records every InstallCertificate, each
 * checked against the official OCPP schemas; the chains are checked by {@code openssl verify} as
 * an independent peer and by a PKIX validation with the trust anchors the terminator takes from
 * GET /api/v1/ca. The tests share one pki-service, so they run in order: the root rotation first,
 * while the fleet is exactly the stations it registers.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
abstract class RotationFlowContract {
    private static final AtomicInteger SEQ = new AtomicInteger();
    static final String ORG = "ocppsec development CPO";
    static final String ROTATIONS = "/api/v1/ca/rotations";

    @TempDir
    Path work;

    abstract Api api();

    abstract Path dataDir();

    String admin() {
        try {
            return Files.readString(dataDir().resolve("admin-token")).trim();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    String token(String role) {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"test " + role + "\",\"role\":\"" + role + "\"}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    /** A profile 3 station that may hold a ChargingStationCertificate. */
    String station(String prefix) {
        String id = prefix + "-" + SEQ.incrementAndGet() + "-" + System.nanoTime() % 100_000;
        Api.Reply r = api().post("/api/v1/stations", "{\"identity\":\"" + id + "\",\"serialNumber\":\"SN" + id
                + "\",\"securityProfile\":3,\"certificateTypes\":[\"ChargingStationCertificate\"]}", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return id;
    }

    /** A certificate for the station from whichever station CA is active: the chain, leaf first, without the root. */
    List<X509Certificate> issue(String station) {
        String csr = Csrs.p256("CN=SN" + station + ",O=" + ORG);
        Api.Reply r = api().post("/api/v1/certificates/sign", Api.object().put("station", station).put("csr", csr)
                .put("certificateType", "ChargingStationCertificate"), admin());
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        List<X509Certificate> chain = PemCertificates.read(r.json().get("certificateChain").asString());
        assertThat(chain).hasSize(2);
        return chain;
    }

    JsonNode caCertificates() {
        Api.Reply r = api().get("/api/v1/ca", admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return r.json().get("certificates");
    }

    JsonNode caCertificate(String id) {
        for (JsonNode c : caCertificates()) {
            if (c.get("id").asString().equals(id)) {
                return c;
            }
        }
        throw new AssertionError("no CA certificate " + id);
    }

    List<JsonNode> caCertificates(String role, String status) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : caCertificates()) {
            if (c.get("role").asString().equals(role) && (status == null || c.get("status").asString().equals(status))) {
                out.add(c);
            }
        }
        return out;
    }

    X509Certificate caPem(String id) {
        Api.Reply r = api().get("/api/v1/ca/certificates/" + id, admin());
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        return PemCertificates.read(r.body()).get(0);
    }

    /** What the terminator trusts for client certificates: every STATION_CA pki-service lists that is not revoked. */
    Set<TrustAnchor> terminatorAnchors() {
        Set<TrustAnchor> anchors = new HashSet<>();
        for (JsonNode c : caCertificates()) {
            if (c.get("role").asString().equals("STATION_CA") && !c.get("status").asString().equals("REVOKED")) {
                anchors.add(new TrustAnchor(caPem(c.get("id").asString()), null));
            }
        }
        return anchors;
    }

    static void pkixValidates(X509Certificate leaf, Set<TrustAnchor> anchors) throws Exception {
        PKIXParameters params = new PKIXParameters(anchors);
        params.setRevocationEnabled(false);
        CertPathValidator.getInstance("PKIX").validate(CertificateFactory.getInstance("X.509").generateCertPath(List.of(leaf)), params);
    }

    Openssl.Result verify(String purpose, X509Certificate trusted, List<X509Certificate> untrusted, X509Certificate leaf) {
        String n = SEQ.incrementAndGet() + "";
        Path ca = Openssl.write(work, "ca-" + n + ".pem", Pem.certificate(trusted));
        Path l = Openssl.write(work, "leaf-" + n + ".pem", Pem.certificate(leaf));
        List<String> args = new ArrayList<>(List.of("openssl", "verify", "-x509_strict", "-purpose", purpose, "-CAfile", ca.toString()));
        if (!untrusted.isEmpty()) {
            args.add("-untrusted");
            args.add(Openssl.write(work, "untrusted-" + n + ".pem", Pem.certificates(untrusted)).toString());
        }
        args.add(l.toString());
        return Openssl.run(work, args.toArray(String[]::new));
    }

    static String controlToken() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    void connect(String station, String terminatorId, String subprotocol, String terminatorToken) {
        Api.Reply r = api().put("/api/v1/terminator/sessions/" + station, Api.object().put("terminatorId", terminatorId)
                .put("securityProfile", 3).put("subprotocol", subprotocol).putNull("clientCertificateSha256")
                .put("remoteAddress", "192.0.2.9:40000"), terminatorToken);
        assertThat(r.status()).as(r.body()).isEqualTo(204);
    }

    JsonNode stationView(JsonNode status, String identity) {
        for (JsonNode s : status.get("stations")) {
            if (s.get("identity").asString().equals(identity)) {
                return s;
            }
        }
        throw new AssertionError("no station " + identity + " in " + status);
    }

    String audit() {
        Api.Reply r = api().get("/api/v1/audit?limit=1000", admin());
        assertThat(r.status()).isEqualTo(200);
        return r.body();
    }

    static TerminatorStandIn.Answer accepted(TerminatorStandIn.Request r) {
        return TerminatorStandIn.Answer.callResult("m" + SEQ.incrementAndGet(), "{\"status\":\"Accepted\"}");
    }

    // ---- the CSMS root (M05), staged ------------------------------------------------------------

    @Test
    @Order(1)
    void M05_rootRotationIsPreparedDistributedToTheFleetAndActivatedOnlyWhenTheFleetIsReady() throws Exception {
        OfficialSchemas.require();
        assumeTrue(Openssl.available(), "openssl not found");
        String control = controlToken();
        try (TerminatorStandIn standIn = new TerminatorStandIn(control)) {
            String term = token("terminator");
            String operator = token("operator");
            String terminatorId = "term-rotation-" + SEQ.incrementAndGet();
            Api.Reply reg = api().put("/api/v1/terminator/instances/" + terminatorId,
                    Api.object().put("controlUrl", standIn.url()).put("controlToken", control), term);
            assertThat(reg.status()).as(reg.body()).isEqualTo(204);
            String a = station("ROOT-A");
            String b = station("ROOT-B");
            String c = station("ROOT-C");
            String d = station("ROOT-D");
            standIn.holds(a, RotationFlowContract::accepted).holds(b, RotationFlowContract::accepted)
                    .holds(c, RotationFlowContract::accepted)
                    .holds(d, r -> TerminatorStandIn.Answer.callResult("m" + SEQ.incrementAndGet(),
                            "{\"status\":\"Rejected\",\"statusInfo\":{\"reasonCode\":\"TooManyCertificates\"}}"));
            connect(a, terminatorId, "ocpp2.0.1", term);
            connect(b, terminatorId, "ocpp2.1", term);
            connect(d, terminatorId, "ocpp2.1", term);
            // c is offline for now

            List<X509Certificate> oldChain = issue(a);
            X509Certificate oldRoot = PemCertificates.read(api().get("/api/v1/ca/chain", admin()).body()).get(0);
            String oldRootId = caCertificates("CSMS_ROOT", "ACTIVE").get(0).get("id").asString();
            String oldStationCaId = caCertificates("STATION_CA", "ACTIVE").get(0).get("id").asString();
            int caCount = caCertificates().size();

            // Stage 1: prepare. Nothing in use changes.
            Api.Reply prepared = api().post(ROTATIONS + "/root/prepare", "{}", admin());
            assertThat(prepared.status()).as(prepared.body()).isEqualTo(201);
            JsonNode p = prepared.json();
            assertThat(p.get("state").asString()).isEqualTo("PREPARED");
            assertThat(p.get("oldRoot").get("id").asString()).isEqualTo(oldRootId);
            assertThat(p.get("counts").get("stations").asInt()).isEqualTo(4);
            assertThat(p.get("counts").get("pending").asInt()).isEqualTo(4);
            assertThat(p.get("ready").booleanValue()).isFalse();
            assertThat(api().post(ROTATIONS + "/root/prepare", "{}", admin()).code()).isEqualTo("ROTATION_IN_PROGRESS");
            assertThat(caCertificates()).hasSize(caCount);
            assertThat(PemCertificates.read(api().get("/api/v1/ca/chain", admin()).body())).containsExactly(oldRoot);

            X509Certificate newRoot = PemCertificates.read(api().get(ROTATIONS + "/root/new-root", admin()).body()).get(0);
            X509Certificate link = PemCertificates.read(api().get(ROTATIONS + "/root/link", admin()).body()).get(0);
            assertThat(newRoot.getSubjectX500Principal()).isEqualTo(link.getSubjectX500Principal())
                    .isNotEqualTo(oldRoot.getSubjectX500Principal());
            assertThat(link.getPublicKey()).isEqualTo(newRoot.getPublicKey());
            assertThat(link.getIssuerX500Principal()).isEqualTo(oldRoot.getSubjectX500Principal());
            assertThat(link.getBasicConstraints()).isGreaterThanOrEqualTo(0);
            newRoot.verify(newRoot.getPublicKey());
            Openssl.Result linkOk = verify("any", oldRoot, List.of(), link);
            assertThat(linkOk.exit()).as("the old root certifies the new root's key: " + linkOk.output()).isZero();

            Api.Reply early = api().post(ROTATIONS + "/root/activate", "{}", admin());
            assertThat(early.status()).isEqualTo(409);
            assertThat(early.code()).isEqualTo("FLEET_NOT_READY");

            // Stage 2: distribute to the stations online now.
            assertThat(api().post(ROTATIONS + "/root/distribute", "{}", token("csms")).status()).isEqualTo(403);
            Api.Reply dist = api().post(ROTATIONS + "/root/distribute", "{}", operator);
            assertThat(dist.status()).as(dist.body()).isEqualTo(200);
            assertThat(dist.json().get("sent").asInt()).isEqualTo(3);
            assertThat(standIn.requests).hasSize(3);
            for (TerminatorStandIn.Request r : standIn.requests) {
                assertThat(r.body().get("action").asString()).isEqualTo("InstallCertificate");
                JsonNode payload = r.body().get("payload");
                assertThat(payload.get("certificateType").asString()).isEqualTo("CSMSRootCertificate");
                assertThat(PemCertificates.read(payload.get("certificate").asString())).containsExactly(newRoot);
                String subprotocol = r.station().equals(a) ? "ocpp2.0.1" : "ocpp2.1";
                assertThat(OfficialSchemas.requestViolations(subprotocol, "InstallCertificate", payload))
                        .as("InstallCertificateRequest to " + r.station() + " valid in " + subprotocol).isEmpty();
            }
            assertThat(standIn.requests.stream().map(TerminatorStandIn.Request::station)).containsExactlyInAnyOrder(a, b, d);

            JsonNode st = api().get(ROTATIONS + "/root", operator).json();
            assertThat(stationView(st, a).get("status").asString()).isEqualTo("ACCEPTED");
            assertThat(stationView(st, b).get("status").asString()).isEqualTo("ACCEPTED");
            assertThat(stationView(st, c).get("status").asString()).isEqualTo("PENDING");
            assertThat(stationView(st, c).get("connected").booleanValue()).isFalse();
            assertThat(stationView(st, d).get("status").asString()).isEqualTo("REJECTED");
            assertThat(stationView(st, d).get("detail").asString()).contains("TooManyCertificates");
            assertThat(st.get("counts").get("accepted").asInt()).isEqualTo(2);

            Api.Reply notReady = api().post(ROTATIONS + "/root/activate", "{}", admin());
            assertThat(notReady.code()).isEqualTo("FLEET_NOT_READY");
            assertThat(notReady.json().get("detail").asString()).contains("2 of 4");
            assertThat(api().post(ROTATIONS + "/root/activate", "{\"force\":true}", admin()).code()).isEqualTo("THRESHOLD_REQUIRED");
            assertThat(api().post(ROTATIONS + "/root/activate", "{\"force\":true,\"minAcceptedPercent\":75}", admin()).code())
                    .as("2 of 4 is below 75%").isEqualTo("FLEET_NOT_READY");
            assertThat(api().post(ROTATIONS + "/root/activate", "{\"force\":true,\"minAcceptedPercent\":101}", admin()).code())
                    .isEqualTo("BAD_THRESHOLD");
            assertThat(caCertificates()).as("refused activations change nothing").hasSize(caCount);

            // The offline station comes online: the run for stations not reached yet gets it, not the one that refused.
            connect(c, terminatorId, "ocpp2.0.1", term);
            Api.Reply newcomers = api().post(ROTATIONS + "/root/distribute", "{\"onlyNotYet\":true}", operator);
            assertThat(newcomers.status()).as(newcomers.body()).isEqualTo(200);
            assertThat(newcomers.json().get("sent").asInt()).isEqualTo(1);
            assertThat(standIn.requests).hasSize(4);
            assertThat(standIn.last().station()).isEqualTo(c);
            assertThat(OfficialSchemas.requestViolations("ocpp2.0.1", "InstallCertificate", standIn.last().body().get("payload")))
                    .isEmpty();
            // A full re-run tries every station that has not accepted: only d.
            Api.Reply rerun = api().post(ROTATIONS + "/root/distribute", "{}", operator);
            assertThat(rerun.json().get("sent").asInt()).isEqualTo(1);
            assertThat(standIn.last().station()).isEqualTo(d);
            st = rerun.json().get("status");
            assertThat(stationView(st, c).get("status").asString()).isEqualTo("ACCEPTED");
            assertThat(stationView(st, d).get("status").asString()).isEqualTo("REJECTED");
            assertThat(stationView(st, d).get("attempts").asInt()).isEqualTo(2);
            assertThat(st.get("counts").get("accepted").asInt()).isEqualTo(3);

            // Stage 3: activate with 3 of 4 (75%), forced.
            assertThat(api().post(ROTATIONS + "/root/activate", "{\"force\":true,\"minAcceptedPercent\":75}", operator).status())
                    .isEqualTo(403);
            Api.Reply activated = api().post(ROTATIONS + "/root/activate", "{\"force\":true,\"minAcceptedPercent\":75}", admin());
            assertThat(activated.status()).as(activated.body()).isEqualTo(200);
            JsonNode act = activated.json();
            assertThat(act.get("forced").booleanValue()).isTrue();
            assertThat(act.get("status").get("state").asString()).isEqualTo("ACTIVATED");
            String newRootId = act.get("status").get("newRoot").get("id").asString();
            String newStationCaId = act.get("stationCa").asString();
            assertThat(caCertificate(newRootId).get("status").asString()).isEqualTo("ACTIVE");
            assertThat(caCertificate(oldRootId).get("status").asString()).isEqualTo("RETIRED");
            assertThat(caCertificate(oldStationCaId).get("status").asString()).isEqualTo("RETIRED");
            assertThat(caCertificate(newStationCaId).get("parent").asString()).isEqualTo(newRootId);
            assertThat(caCertificate(act.get("ocspSigner").asString()).get("parent").asString()).isEqualTo(newStationCaId);
            assertThat(caCertificates("SERVER", "ACTIVE")).hasSize(2).allSatisfy(s ->
                    assertThat(s.get("parent").asString()).isEqualTo(newRootId));
            assertThat(caCertificates("SERVER", "RETIRED")).hasSize(2);
            assertThat(PemCertificates.read(api().get("/api/v1/ca/chain", admin()).body()))
                    .as("the new root first; the old one stays trusted for what it issued").containsExactly(newRoot, oldRoot);
            assertThat(api().post(ROTATIONS + "/root/activate", "{}", admin()).code()).isEqualTo("NO_ROTATION_PREPARED");

            // A certificate under the new root verifies for a station that has only the old root (through the link
            // certificate) and for one that has the new root; without the link the old root alone does not reach it.
            List<X509Certificate> newChain = issue(b);
            X509Certificate newCa = newChain.get(1);
            assertThat(newCa).isEqualTo(caPem(newStationCaId));
            Openssl.Result viaLink = verify("sslclient", oldRoot, List.of(newCa, link), newChain.get(0));
            assertThat(viaLink.exit()).as(viaLink.output()).isZero();
            Openssl.Result direct = verify("sslclient", newRoot, List.of(newCa), newChain.get(0));
            assertThat(direct.exit()).as(direct.output()).isZero();
            Openssl.Result noLink = verify("sslclient", oldRoot, List.of(newCa), newChain.get(0));
            assertThat(noLink.exit()).as("the old root alone must not reach the new chain").isNotZero();
            // A certificate from the retired station CA still verifies under the retired root.
            Openssl.Result retired = verify("sslclient", oldRoot, List.of(oldChain.get(1)), oldChain.get(0));
            assertThat(retired.exit()).as(retired.output()).isZero();
            // The terminator's trust anchors hold both station CAs: both stations' certificates still verify.
            Set<TrustAnchor> anchors = terminatorAnchors();
            pkixValidates(oldChain.get(0), anchors);
            pkixValidates(newChain.get(0), anchors);

            // The server certificates the terminator loads: leaf then link; old and new stations both verify them.
            for (String kind : List.of("server-ec", "server-rsa")) {
                List<X509Certificate> served = PemCertificates.read(Files.readString(dataDir().resolve("tls/" + kind + ".pem")));
                assertThat(served).hasSize(2);
                assertThat(served.get(1)).isEqualTo(link);
                Openssl.Result old = verify("sslserver", oldRoot, List.of(link), served.get(0));
                assertThat(old.exit()).as(kind + " for a station with the old root: " + old.output()).isZero();
                Openssl.Result fresh = verify("sslserver", newRoot, List.of(link), served.get(0));
                assertThat(fresh.exit()).as(kind + " for a station with the new root: " + fresh.output()).isZero();
            }
            // A terminator that gets its server certificate by CSR (A00.FR.701) is served the link too.
            Api.Reply byCsr = api().post("/api/v1/terminator/server-certificates",
                    Api.object().put("csr", Csrs.p256("CN=localhost")), admin());
            assertThat(byCsr.status()).as(byCsr.body()).isEqualTo(201);
            List<X509Certificate> csrChain = PemCertificates.read(byCsr.json().get("certificateChain").asString());
            assertThat(csrChain).hasSize(2);
            assertThat(csrChain.get(1)).isEqualTo(link);
            Openssl.Result csrOld = verify("sslserver", oldRoot, List.of(link), csrChain.get(0));
            assertThat(csrOld.exit()).as("CSR server certificate for a station with the old root: " + csrOld.output()).isZero();

            String log = audit();
            assertThat(log).contains("ca.rotate.root.prepare", "ca.rotate.root.install", "ca.rotate.root.distribute",
                    "ca.rotate.root.activate", "FLEET_NOT_READY", "ROTATION_IN_PROGRESS");
        }
    }

    // ---- the issuing station CA -------------------------------------------------------------------

    @Test
    @Order(2)
    void stationCaRotationIssuesFromTheNewKeyAndCertificatesFromBothKeysStillVerify() throws Exception {
        assumeTrue(Openssl.available(), "openssl not found");
        X509Certificate root = PemCertificates.read(api().get("/api/v1/ca/chain", admin()).body()).get(0);
        String before = caCertificates("STATION_CA", "ACTIVE").get(0).get("id").asString();
        String beforeSigner = caCertificates("OCSP_SIGNER", "ACTIVE").stream()
                .filter(s -> s.get("parent").asString().equals(before)).findFirst().orElseThrow().get("id").asString();
        String s1 = station("SCA");
        List<X509Certificate> first = issue(s1);
        assertThat(first.get(1)).isEqualTo(caPem(before));

        assertThat(api().post(ROTATIONS + "/station-ca", "{}", token("operator")).status()).isEqualTo(403);
        Api.Reply rotated = api().post(ROTATIONS + "/station-ca", "{}", admin());
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        JsonNode r = rotated.json();
        String after = r.get("id").asString();
        assertThat(after).isNotEqualTo(before);
        assertThat(r.get("retired").valueStream().map(JsonNode::asString).toList()).containsExactly(before);
        assertThat(r.get("key").asString()).startsWith("pkcs12:");

        assertThat(caCertificate(before).get("status").asString()).isEqualTo("RETIRED");
        assertThat(caCertificate(after).get("status").asString()).isEqualTo("ACTIVE");
        assertThat(caCertificate(r.get("ocspSigner").asString()).get("parent").asString()).isEqualTo(after);
        assertThat(caCertificate(beforeSigner).get("status").asString())
                .as("the retired CA keeps its OCSP signer: it still answers for what it issued").isEqualTo("ACTIVE");

        String s2 = station("SCA");
        List<X509Certificate> second = issue(s2);
        assertThat(second.get(1)).as("the new CA issues from now on").isEqualTo(caPem(after));
        assertThat(second.get(1).getPublicKey()).isNotEqualTo(first.get(1).getPublicKey());

        // Live stations with certificates from both keys: the terminator trusts both CAs, openssl verifies both.
        Set<TrustAnchor> anchors = terminatorAnchors();
        assertThat(anchors.stream().map(TrustAnchor::getTrustedCert)).contains(first.get(1), second.get(1));
        pkixValidates(first.get(0), anchors);
        pkixValidates(second.get(0), anchors);
        for (List<X509Certificate> chain : List.of(first, second)) {
            Openssl.Result v = verify("sslclient", root, List.of(chain.get(1)), chain.get(0));
            assertThat(v.exit()).as(v.output()).isZero();
        }
        assertThat(audit()).contains("ca.rotate.station-ca");
    }

    // ---- the OCSP signer ------------------------------------------------------------------------

    @Test
    @Order(3)
    void ocspSignerRotationRetiresThePreviousSignerOfThatIssuerOnly() throws Exception {
        String ca = caCertificates("STATION_CA", "ACTIVE").get(0).get("id").asString();
        List<String> previous = caCertificates("OCSP_SIGNER", "ACTIVE").stream()
                .filter(s -> s.get("parent").asString().equals(ca)).map(s -> s.get("id").asString()).toList();
        List<String> others = caCertificates("OCSP_SIGNER", "ACTIVE").stream()
                .filter(s -> !s.get("parent").asString().equals(ca)).map(s -> s.get("id").asString()).toList();
        assertThat(previous).isNotEmpty();

        Api.Reply rotated = api().post(ROTATIONS + "/ocsp-signer", "{}", admin());
        assertThat(rotated.status()).as(rotated.body()).isEqualTo(201);
        String signer = rotated.json().get("id").asString();
        assertThat(rotated.json().get("retired").valueStream().map(JsonNode::asString).toList())
                .containsExactlyInAnyOrderElementsOf(previous);
        assertThat(caCertificate(signer).get("parent").asString()).isEqualTo(ca);
        previous.forEach(id -> assertThat(caCertificate(id).get("status").asString()).isEqualTo("RETIRED"));
        others.forEach(id -> assertThat(caCertificate(id).get("status").asString()).as("another issuer's signer").isEqualTo("ACTIVE"));

        X509Certificate cert = caPem(signer);
        cert.verify(caPem(ca).getPublicKey());
        assertThat(cert.getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.9");
        assertThat(cert.getExtensionValue(OCSPObjectIdentifiers.id_pkix_ocsp_nocheck.getId())).isNotNull();
        assertThat(cert.getBasicConstraints()).isEqualTo(-1);

        // A retired station CA still answers OCSP, so its signer can be rotated too.
        String retiredCa = caCertificates("STATION_CA", "RETIRED").get(0).get("id").asString();
        Api.Reply forRetired = api().post(ROTATIONS + "/ocsp-signer", Api.object().put("issuerId", retiredCa), admin());
        assertThat(forRetired.status()).as(forRetired.body()).isEqualTo(201);
        assertThat(caCertificate(forRetired.json().get("id").asString()).get("parent").asString()).isEqualTo(retiredCa);

        int count = caCertificates().size();
        assertThat(api().post(ROTATIONS + "/ocsp-signer", Api.object().put("issuerId", "nope"), admin()).code())
                .isEqualTo("CA_CERTIFICATE_UNKNOWN");
        assertThat(api().post(ROTATIONS + "/ocsp-signer", Api.object().put("issuerId", signer), admin()).code())
                .isEqualTo("NOT_AN_ISSUER");
        String server = caCertificates("SERVER", "ACTIVE").get(0).get("id").asString();
        Api.Reply notIssuer = api().post(ROTATIONS + "/ocsp-signer", Api.object().put("issuerId", server), admin());
        assertThat(notIssuer.status()).isEqualTo(422);
        assertThat(notIssuer.body()).contains("\"code\":\"NOT_AN_ISSUER\"");
        assertThat(caCertificates()).as("refusals change nothing").hasSize(count);
        assertThat(audit()).contains("ca.rotate.ocsp-signer");
    }

    // ---- bad input and the rest of the root rotation's life ---------------------------------------

    @Test
    @Order(4)
    void badRequestsAreRefusedWithACodeAndChangeNothing() {
        int count = caCertificates().size();
        String csms = token("csms");
        String operator = token("operator");
        assertThat(api().post(ROTATIONS + "/station-ca", "{\"keyAlgorithm\":\"DSA_1024\"}", admin()).code()).isEqualTo("BAD_KEY_ALGORITHM");
        assertThat(api().post(ROTATIONS + "/root/prepare", "{\"keyAlgorithm\":\"RSA_1024\"}", admin()).code()).isEqualTo("BAD_KEY_ALGORITHM");
        assertThat(api().post(ROTATIONS + "/root/prepare", "{}", operator).status()).isEqualTo(403);
        assertThat(api().get(ROTATIONS + "/root", csms).status()).isEqualTo(403);
        assertThat(api().post(ROTATIONS + "/root/distribute", "{}", operator).code()).isEqualTo("NO_ROTATION_PREPARED");
        assertThat(api().post(ROTATIONS + "/root/activate", "{}", admin()).code()).isEqualTo("NO_ROTATION_PREPARED");
        assertThat(api().post(ROTATIONS + "/root/cancel", "{}", admin()).code()).isEqualTo("NO_ROTATION_PREPARED");
        assertThat(api().post(ROTATIONS + "/ocsp-signer", "{\"issuerId\":\"" + "x".repeat(65) + "\"}", admin()).code())
                .isEqualTo("BAD_ISSUER_ID");
        assertThat(api().post(ROTATIONS + "/station-ca", "{not json", admin()).status()).isEqualTo(400);
        assertThat(caCertificates()).hasSize(count);

        // A prepared rotation can be given up; the new root never enters the CA.
        Api.Reply prepared = api().post(ROTATIONS + "/root/prepare", "{}", admin());
        assertThat(prepared.status()).as(prepared.body()).isEqualTo(201);
        assertThat(api().post(ROTATIONS + "/root/distribute", "{\"timeoutSeconds\":0}", operator).code()).isEqualTo("BAD_TIMEOUT");
        assertThat(api().post(ROTATIONS + "/root/activate", "{\"minAcceptedPercent\":50}", admin()).code()).isEqualTo("FORCE_REQUIRED");
        Api.Reply cancelled = api().post(ROTATIONS + "/root/cancel", "{}", admin());
        assertThat(cancelled.status()).as(cancelled.body()).isEqualTo(200);
        assertThat(cancelled.json().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(api().get(ROTATIONS + "/root", operator).json().get("state").asString()).isEqualTo("CANCELLED");
        assertThat(api().post(ROTATIONS + "/root/distribute", "{}", operator).code()).isEqualTo("NO_ROTATION_PREPARED");
        assertThat(caCertificates()).hasSize(count);
        assertThat(audit()).contains("ca.rotate.root.cancel");
    }
}
