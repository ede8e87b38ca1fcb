package io.ocppsec.pki.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ocppsec.pki.flow.Api;
import io.ocppsec.pki.flow.Openssl;
import io.ocppsec.security.cert.PemCertificates;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The terminators' server certificates with fast expiration on (A00.FR.701: the CSMS certificate is
 * valid for less than 24 hours). The CSRs are made by the openssl CLI and the certificates checked
 * by it, as independent peers.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class ServerCertificatesFastExpiryTest {
    @TempDir
    static Path dir;

    @TempDir
    Path work;

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) {
        r.add("ocppsec.data-dir", () -> dir.resolve("data").toString());
        r.add("ocppsec.server-certificates.fast-expiry", () -> "on");
        r.add("ocppsec.server-certificates.names", () -> "localhost,127.0.0.1,csms.example.com");
    }

    @LocalServerPort
    int port;

    String admin;
    String terminator;

    @BeforeEach
    void tokens() throws Exception {
        admin = Files.readString(dir.resolve("data/admin-token")).trim();
        terminator = token("terminator");
    }

    String token(String role) {
        Api.Reply r = api().post("/api/v1/tokens", "{\"name\":\"test " + role + "\",\"role\":\"" + role + "\"}", admin);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        return r.json().get("token").asString();
    }

    Api api() {
        return new Api(port);
    }

    String opensslCsr(String keyOpt, String san) {
        Openssl.Result r = Openssl.run(work, "openssl", "req", "-new", "-newkey", keyOpt, "-nodes", "-keyout", "server.key",
                "-subj", "/CN=ignored", "-addext", "subjectAltName=" + san, "-out", "server.csr");
        assertThat(r.exit()).as(r.output()).isZero();
        try {
            return Files.readString(work.resolve("server.csr"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void a00fr701ServerCertificateIsValidForLessThan24HoursAndChainsToTheCsmsRoot() throws Exception {
        assumeTrue(Openssl.available(), "openssl CLI not found: the server certificate checks need it");
        String csr = opensslCsr("ec:" + ecParams(), "DNS:csms.example.com,IP:127.0.0.1");
        Api.Reply r = api().post("/api/v1/terminator/server-certificates", Api.object().put("csr", csr), terminator);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        assertThat(r.json().get("fastExpiry").asBoolean()).isTrue();
        List<X509Certificate> chain = PemCertificates.read(r.json().get("certificateChain").asString());
        X509Certificate leaf = chain.get(0);
        Duration validity = Duration.between(leaf.getNotBefore().toInstant(), leaf.getNotAfter().toInstant());
        assertThat(validity).isLessThan(Duration.ofHours(24)).isGreaterThan(Duration.ofHours(12));
        assertThat(leaf.getSubjectX500Principal().getName()).contains("CN=csms.example.com");
        assertThat(leaf.getExtendedKeyUsage()).contains("1.3.6.1.5.5.7.3.1");

        Path root = Openssl.write(work, "root.pem", api().get("/api/v1/ca/chain", admin).body());
        Path cert = Openssl.write(work, "server.pem", r.json().get("certificateChain").asString());
        Openssl.Result verify = Openssl.run(work, "openssl", "verify", "-x509_strict", "-purpose", "sslserver",
                "-CAfile", root.toString(), cert.toString());
        assertThat(verify.exit()).as(verify.output()).isZero();
        // openssl's own view: it expires within a day, and the names are the requested ones.
        assertThat(Openssl.run(work, "openssl", "x509", "-in", cert.toString(), "-noout", "-checkend", "86400").exit()).isEqualTo(1);
        assertThat(Openssl.run(work, "openssl", "x509", "-in", cert.toString(), "-noout", "-ext", "subjectAltName").output())
                .contains("DNS:csms.example.com").contains("IP Address:127.0.0.1").doesNotContain("localhost");
        // The key openssl kept matches the certificate.
        String certKey = Openssl.run(work, "openssl", "x509", "-in", cert.toString(), "-noout", "-pubkey").output();
        String ownKey = Openssl.run(work, "openssl", "pkey", "-in", "server.key", "-pubout").output();
        assertThat(certKey).isEqualTo(ownKey);

        Api.Reply audit = api().get("/api/v1/audit?limit=200", admin);
        assertThat(audit.body()).contains(r.json().get("serialNumber").asString());
    }

    @Test
    void rsaKeyGetsKeyEnciphermentAndAllConfiguredNamesWhenTheCsrAsksForNone() throws Exception {
        assumeTrue(Openssl.available(), "openssl CLI not found: the server certificate checks need it");
        Openssl.Result gen = Openssl.run(work, "openssl", "req", "-new", "-newkey", "rsa:2048", "-nodes", "-keyout", "rsa.key",
                "-subj", "/CN=x", "-out", "rsa.csr");
        assertThat(gen.exit()).as(gen.output()).isZero();
        Api.Reply r = api().post("/api/v1/terminator/server-certificates",
                Api.object().put("csr", Files.readString(work.resolve("rsa.csr"))), terminator);
        assertThat(r.status()).as(r.body()).isEqualTo(201);
        X509Certificate leaf = PemCertificates.read(r.json().get("certificateChain").asString()).get(0);
        assertThat(leaf.getKeyUsage()[2]).as("keyEncipherment").isTrue();
        assertThat(r.json().get("names").toString()).contains("localhost", "127.0.0.1", "csms.example.com");
    }

    @Test
    void namesOutsideTheConfiguredOnesAndBadCsrsAreRefusedAndNothingIsIssued() {
        assumeTrue(Openssl.available(), "openssl CLI not found: the server certificate checks need it");
        String evil = opensslCsr("ec:" + ecParams(), "DNS:csms.example.com,DNS:bank.example");
        Api.Reply r = api().post("/api/v1/terminator/server-certificates", Api.object().put("csr", evil), terminator);
        assertThat(r.status()).isEqualTo(422);
        assertThat(r.code()).isEqualTo("SERVER_NAME_NOT_ALLOWED");
        assertThat(r.body()).contains("bank.example");

        assertThat(api().post("/api/v1/terminator/server-certificates", Api.object().put("csr", "not a csr"), terminator).status())
                .isEqualTo(400);
        assertThat(api().post("/api/v1/terminator/server-certificates", "{}", terminator).code()).isEqualTo("MISSING_FIELD");
        assertThat(api().post("/api/v1/terminator/server-certificates", Api.object().put("csr", evil), token("csms")).status())
                .isEqualTo(403);
        assertThat(api().post("/api/v1/terminator/server-certificates", Api.object().put("csr", evil), null).status())
                .isEqualTo(401);
        assertThat(api().get("/api/v1/audit?limit=200", admin).body()).doesNotContain("bank.example");
    }

    @Test
    void policySaysFastExpiry() {
        Api.Reply p = api().get("/api/v1/terminator/server-certificates/policy", terminator);
        assertThat(p.status()).as(p.body()).isEqualTo(200);
        assertThat(p.json().get("fastExpiry").asBoolean()).isTrue();
        assertThat(Duration.parse(p.json().get("validity").asString())).isEqualTo(Duration.ofHours(23));
    }

    private Path ecParams() {
        Openssl.Result r = Openssl.run(work, "openssl", "ecparam", "-name", "prime256v1", "-out", "ec.param");
        assertThat(r.exit()).as(r.output()).isZero();
        return work.resolve("ec.param");
    }
}
