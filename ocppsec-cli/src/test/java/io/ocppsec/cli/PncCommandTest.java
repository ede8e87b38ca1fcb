package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.cli.FakePki.Answer;
import io.ocppsec.security.cert.CertificateFingerprint;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code ./ocppsec pnc ...} against a fake pki-service: what is sent, what is written and printed. */
class PncCommandTest extends FakePkiCommandTest {

    static String anchor(String type, String role, String subject, String pem, String fp, boolean dev) {
        var o = Text.JSON.createObjectNode().put("id", role.toLowerCase() + "-1").put("type", type).put("role", role)
                .put("subject", subject).put("sha256Fingerprint", fp).put("developmentKey", dev)
                .put("notBefore", "2026-01-01T00:00:00Z").put("notAfter", "2036-01-01T00:00:00Z").put("certificate", pem);
        return o.toString();
    }

    @Test
    void rootsAreWrittenAsPemFilesPerKind_andNotOverwrittenWithoutForce() throws Exception {
        TestCertificates v2g = new TestCertificates();
        TestCertificates mo = new TestCertificates();
        String fpV2g = CertificateFingerprint.sha256(v2g.root);
        pki.on("GET /api/v1/pnc/roots", Answer.json(200, "[" + anchor("V2G", "V2G_ROOT", "CN=V2G Root", v2g.rootPem(), fpV2g, true) + ","
                + anchor("MO", "MO_ROOT", "CN=MO Root", mo.rootPem(), CertificateFingerprint.sha256(mo.root), false) + "]"));
        Path out = dir.resolve("roots");
        Run r = api("pnc", "roots", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Files.readString(out.resolve("v2g-roots.pem"))).isEqualTo(v2g.rootPem());
        assertThat(Files.readString(out.resolve("mo-roots.pem"))).isEqualTo(mo.rootPem());
        assertThat(r.out()).contains("1 V2G root written to", "1 MO root written to", fpV2g, "(development)");
        assertThat(api("pnc", "roots", "--out", out.toString()).code()).as("exists: needs --force (usage error)").isEqualTo(2);
        assertThat(api("pnc", "roots", "--out", out.toString(), "--force").code()).isZero();
    }

    @Test
    void noRootsIsAnErrorNotAnEmptyFile() {
        pki.on("GET /api/v1/pnc/roots", Answer.json(200, "[]"));
        Run r = api("pnc", "roots", "--out", dir.resolve("roots").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no V2G or MO root");
        assertThat(dir.resolve("roots")).doesNotExist();
    }

    @Test
    void rootImportSendsThePemAndType() throws Exception {
        TestCertificates c = new TestCertificates();
        Path file = Files.writeString(dir.resolve("mo.pem"), c.rootPem());
        pki.on("POST /api/v1/pnc/roots", Answer.json(201, anchor("MO", "MO_ROOT", "CN=Test CSMS Root", c.rootPem(), "ab12", false)));
        Run r = api("pnc", "root", "import", file.toString(), "--type", "MO");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode body = Text.JSON.readTree(pki.last().body());
        assertThat(body.path("certificate").asString()).isEqualTo(c.rootPem());
        assertThat(body.path("type").asString()).isEqualTo("MO");
        assertThat(r.out()).contains("trusted MO root: CN=Test CSMS Root", "ab12");
    }

    @Test
    void oemRootAddListAndRemove() throws Exception {
        TestCertificates c = new TestCertificates();
        Path file = Files.writeString(dir.resolve("oem.pem"), c.rootPem());
        pki.on("POST /api/v1/pnc/oem-roots", Answer.json(201, "[" + anchor("OEM", "OEM_ROOT", "CN=OEM Root", c.rootPem(), "cd34", false) + "]"));
        Run add = api("pnc", "oem-root", "add", file.toString());
        assertThat(add.code()).as(add.err()).isZero();
        assertThat(Text.JSON.readTree(pki.last().body()).path("certificate").asString()).isEqualTo(c.rootPem());
        assertThat(add.out()).contains("trusted OEM root: CN=OEM Root", "cd34");

        pki.on("GET /api/v1/pnc/oem-roots", Answer.json(200, "[" + anchor("OEM", "OEM_ROOT", "CN=OEM Root", c.rootPem(), "cd34", true) + ","
                + anchor("OEM", "OEM_SUB_CA", "CN=OEM Sub", c.leafPem(), "ef56", true) + "]"));
        Run list = api("pnc", "oem-root", "list");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(list.out()).contains("ROLE", "root", "sub-CA", "CN=OEM Root [dev]", "ef56");

        pki.on("DELETE /api/v1/pnc/oem-roots/cd34", Answer.noContent());
        Run rm = api("pnc", "oem-root", "remove", "cd:34");
        assertThat(rm.code()).as(rm.err()).isZero();
        assertThat(pki.last().method()).isEqualTo("DELETE");
        assertThat(pki.last().path()).isEqualTo("/api/v1/pnc/oem-roots/cd34");
    }

    @Test
    void contractAddListAndCancel() {
        String contract = "{\"emaid\":\"DE-ABC-C123ABC56\",\"pcid\":\"WMIV1234567890ABCD\",\"status\":\"%s\",\"tokenStatus\":\"%s\","
                + "\"createdAt\":\"2026-01-01T00:00:00Z\",\"updatedAt\":\"2026-01-02T00:00:00Z\"}";
        pki.on("POST /api/v1/pnc/contracts", Answer.json(201, contract.formatted("ACTIVE", "Accepted")));
        Run add = api("pnc", "contract", "add", "--pcid", "WMIV1234567890ABCD", "--emaid", "DE-ABC-C123ABC56");
        assertThat(add.code()).as(add.err()).isZero();
        JsonNode body = Text.JSON.readTree(pki.last().body());
        assertThat(body.path("pcid").asString()).isEqualTo("WMIV1234567890ABCD");
        assertThat(body.path("emaid").asString()).isEqualTo("DE-ABC-C123ABC56");
        assertThat(add.out()).contains("contract DE-ABC-C123ABC56 for PCID WMIV1234567890ABCD: ACTIVE");

        pki.on("GET /api/v1/pnc/contracts", Answer.json(200, "[" + contract.formatted("ACTIVE", "Accepted") + "]"));
        Run list = api("pnc", "contract", "list", "--pcid", "WMIV1234567890ABCD");
        assertThat(list.code()).as(list.err()).isZero();
        assertThat(pki.last().query()).isEqualTo("pcid=WMIV1234567890ABCD");
        assertThat(list.out()).contains("EMAID", "DE-ABC-C123ABC56", "WMIV1234567890ABCD", "Accepted");

        pki.on("POST /api/v1/pnc/contracts/DE-ABC-C123ABC56/cancel", Answer.json(200, contract.formatted("CANCELLED", "Blocked")));
        Run cancel = api("pnc", "contract", "cancel", "DE-ABC-C123ABC56", "--token-status", "Blocked");
        assertThat(cancel.code()).as(cancel.err()).isZero();
        assertThat(Text.JSON.readTree(pki.last().body()).path("tokenStatus").asString()).isEqualTo("Blocked");
        assertThat(cancel.out()).contains("cancelled contract DE-ABC-C123ABC56 (token status Blocked)");
    }

    @Test
    void aRefusedContractExitsOneWithTheProblemCode_andMissingOptionsSendNothing() {
        pki.on("POST /api/v1/pnc/contracts", Answer.problem(400, "BAD_EMAID", "emaid must be an ISO 15118 eMAID"));
        Run r = api("pnc", "contract", "add", "--pcid", "WMIV1234567890ABCD", "--emaid", "nope");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("BAD_EMAID");
        int sent = pki.requests.size();
        assertThat(api("pnc", "contract", "add", "--pcid", "WMIV1234567890ABCD").code()).isEqualTo(2);
        assertThat(pki.requests).hasSize(sent);
    }
}
