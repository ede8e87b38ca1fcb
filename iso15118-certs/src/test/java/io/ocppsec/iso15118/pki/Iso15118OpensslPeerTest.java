package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The chains we issue pass {@code openssl verify -x509_strict} (an independent RFC 5280 path
 * validator), and OpenSSL refuses the critical key identifiers of -20 Annex B, which is why
 * {@link Leniency#criticalKeyIdAndRevocationExtensions()} exists.
 */
class Iso15118OpensslPeerTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant AT = T0.plus(Duration.ofDays(10));

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(value = Iso15118Role.class, names = {"SECC", "CPS_LEAF", "CONTRACT", "OEM_PROVISIONING"})
    void opensslStrictVerifiesOurIso15118_2Chains(Iso15118Role use) throws Exception {
        assumeTrue(opensslAvailable(), "openssl CLI not found: independent-peer test skipped");
        TestPki.Chain c = TestPki.chain(use, Edition.ISO_15118_2, TestPki.cnFor(use), T0, Urls.ocsp("http://ocsp.example.com/"));
        assertThat(verify(c.root().cert(), List.of(c.subCa1().cert(), c.subCa2().cert()), c.leaf().cert())).endsWith("OK");
    }

    @Test
    void opensslStrictVerifiesOurIso15118_20Chain() throws Exception {
        assumeTrue(opensslAvailable(), "openssl CLI not found: independent-peer test skipped");
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_20, "DEABCC123ABC56", T0,
                Urls.ocsp("http://ocsp.example.com/"));
        assertThat(verify(c.root().cert(), List.of(c.subCa1().cert(), c.subCa2().cert()), c.leaf().cert())).endsWith("OK");
    }

    @Test
    void opensslRefusesACriticalKeyIdentifierAsMinus20AnnexBWritesIt() throws Exception {
        assumeTrue(opensslAvailable(), "openssl CLI not found: independent-peer test skipped");
        TestPki.Chain c = TestPki.chain(Iso15118Role.CONTRACT, Edition.ISO_15118_2, "DEABCC123ABC56", T0, Urls.NONE);
        TestPki.Node leaf = Craft.node(Iso15118Role.CONTRACT, "DEABCC123ABC56", c.subCa2(), T0,
                s -> s.extensions.put(Extension.subjectKeyIdentifier, new Extension(Extension.subjectKeyIdentifier, true,
                        s.extensions.get(Extension.subjectKeyIdentifier).getExtnValue())));
        String out = verify(c.root().cert(), List.of(c.subCa1().cert(), c.subCa2().cert()), leaf.cert());
        assertThat(out).doesNotEndWith("OK").contains("unhandled critical extension");
        // and our validator agrees strictly, while knownDeviations() accepts it
        List<X509Certificate> wire = List.of(leaf.cert(), c.subCa2().cert(), c.subCa1().cert());
        TrustAnchors a = TrustAnchors.none().withMoRoot(c.root().cert());
        assertThat(new Iso15118ChainValidator(a, Leniency.strict()).validate(wire, Iso15118Role.CONTRACT, Edition.ISO_15118_2, AT)
                .isValid()).isFalse();
        assertThat(new Iso15118ChainValidator(a, Leniency.knownDeviations()).validate(wire, Iso15118Role.CONTRACT, Edition.ISO_15118_2, AT)
                .isValid()).isTrue();
    }

    private String verify(X509Certificate root, List<X509Certificate> subs, X509Certificate leaf) throws Exception {
        Path rootPem = write("root.pem", List.of(root));
        Path subsPem = write("subs.pem", subs);
        Path leafPem = write("leaf.pem", List.of(leaf));
        return run("openssl", "verify", "-x509_strict", "-attime", Long.toString(AT.getEpochSecond()),
                "-CAfile", rootPem.toString(), "-untrusted", subsPem.toString(), leafPem.toString()).strip();
    }

    private Path write(String name, List<X509Certificate> certs) throws Exception {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : certs) {
            sb.append("-----BEGIN CERTIFICATE-----\n")
                    .append(Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(c.getEncoded()))
                    .append("\n-----END CERTIFICATE-----\n");
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    private static boolean opensslAvailable() {
        try {
            return run("openssl", "version").startsWith("OpenSSL");
        } catch (Exception e) {
            return false;
        }
    }

    private static String run(String... cmd) throws Exception {
        Process p = new ProcessBuilder(new ArrayList<>(List.of(cmd))).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException("openssl did not finish");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
