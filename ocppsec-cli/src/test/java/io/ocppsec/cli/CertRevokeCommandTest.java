package io.ocppsec.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocppsec.cli.FakePki.Answer;
import org.junit.jupiter.api.Test;

/** {@code ./ocppsec cert revoke}, run in-process against {@link FakePki} (issue 5 scope item 1). */
class CertRevokeCommandTest extends FakePkiCommandTest {

    private static final String REVOKED = """
            {"serialNumber":"1a2b","station":"CP001","issuer":"station-ca-1","status":"REVOKED",
             "revokedAt":"2026-11-22T01:02:03Z","revocationReason":"keyCompromise","revokedNow":%s}""";

    @Test
    void revokeBySerialSendsTheReasonAndSaysWhatHappened() {
        pki.on("POST /api/v1/certificates/1a2b/revoke", Answer.json(200, REVOKED.formatted("true")));
        Run r = api("cert", "revoke", "1a2b", "--reason", "keyCompromise");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Text.JSON.readTree(pki.last().body()).path("reason").asString()).isEqualTo("keyCompromise");
        assertThat(r.out()).contains("revoked certificate 1a2b (station CP001)", "reason keyCompromise");
    }

    @Test
    void revokingAgainSaysItWasAlreadyRevoked() {
        pki.on("POST /api/v1/certificates/1a2b/revoke", Answer.json(200, REVOKED.formatted("false")));
        Run r = api("cert", "revoke", "1a2b");
        assertThat(r.code()).isZero();
        assertThat(Text.JSON.readTree(pki.last().body()).path("reason").asString()).isEqualTo("unspecified");
        assertThat(r.out()).contains("already revoked");
    }

    @Test
    void revokeByStationPrintsEveryCertificate() {
        pki.on("POST /api/v1/stations/CP%20001/revoke-certificates", Answer.json(200, "{\"station\":\"CP 001\",\"revoked\":1,"
                + "\"certificates\":[" + REVOKED.formatted("true") + "]}"));
        Run r = api("cert", "revoke", "--station", "CP 001", "--reason", "cessationOfOperation");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(Text.JSON.readTree(pki.last().body()).path("reason").asString()).isEqualTo("cessationOfOperation");
        assertThat(r.out()).contains("revoked 1 certificate(s) of station CP 001", "1a2b", "REVOKED");
    }

    @Test
    void aBadReasonOrNeitherOrBothTargetsIsAUsageErrorAndSendsNothing() {
        assertThat(api("cert", "revoke", "1a2b", "--reason", "certificateHold").code()).isEqualTo(2);
        assertThat(api("cert", "revoke").code()).isEqualTo(2);
        assertThat(api("cert", "revoke", "1a2b", "--station", "CP001").code()).isEqualTo(2);
        assertThat(pki.requests).isEmpty();
    }

    @Test
    void anUnknownCertificateExitsOneWithTheProblemCode() {
        pki.on("POST /api/v1/certificates/ff/revoke", Answer.problem(404, "CERTIFICATE_UNKNOWN", "no certificate with this serial number"));
        Run r = api("cert", "revoke", "ff");
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err()).contains("CERTIFICATE_UNKNOWN");
    }
}
