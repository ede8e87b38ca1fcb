package io.ocppsec.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.message.type.InstallCertificateUse;
import io.ocppsec.simulator.testing.TestCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.x500.X500Name;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StationStateTest {
    @TempDir
    Path dir;

    private final TestCa ca = TestCa.create("state");

    @Test
    void credentialsPasswordAndRootsSurviveARestartWithPrivateFilesPrivate() throws Exception {
        Path d = dir.resolve("a/b");
        StationState s = StationState.inDirectory(d);
        assertThat(s.credentials()).isEmpty();
        KeyPair keys = TestCa.keyPair();
        List<X509Certificate> chain = ca.issueStation(new X500Name("CN=SN1"), keys.getPublic());
        s.storeCredentials(new StationCredentials(keys.getPrivate(), chain));
        s.storePassword("a-password-of-16+".toCharArray());
        X509Certificate root = TestCa.otherRoot("r");
        assertThat(s.install(InstallCertificateUse.CSMSRootCertificate, root)).isTrue();
        assertThat(s.install(InstallCertificateUse.CSMSRootCertificate, root)).isTrue();

        assertThat(perms(d.resolve("key.pem"))).isEqualTo("rw-------");
        assertThat(perms(d.resolve("password"))).isEqualTo("rw-------");
        assertThat(perms(d)).isEqualTo("rwx------");
        assertThat(Files.readString(d.resolve("key.pem"))).startsWith("-----BEGIN PRIVATE KEY-----");

        StationState again = StationState.inDirectory(d);
        assertThat(again.credentials().orElseThrow().chain()).containsExactlyElementsOf(chain);
        assertThat(StationKeys.matches(again.credentials().orElseThrow().key(), chain.get(0).getPublicKey())).isTrue();
        assertThat(new String(again.password().orElseThrow())).isEqualTo("a-password-of-16+");
        assertThat(again.installed()).extracting(InstalledCertificate::certificate).containsExactly(root);
        assertThat(again.remove(again.installed().get(0))).isTrue();
        assertThat(StationState.inDirectory(d).installed()).isEmpty();
        try (var files = Files.list(d)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void aKeyThatDoesNotBelongToTheChainIsRefused() throws Exception {
        StationState s = StationState.inDirectory(dir);
        KeyPair keys = TestCa.keyPair();
        s.storeCredentials(new StationCredentials(keys.getPrivate(), ca.issueStation(new X500Name("CN=SN1"), keys.getPublic())));
        Files.writeString(dir.resolve("key.pem"), StationKeys.privateKeyPem(TestCa.keyPair().getPrivate()));
        assertThatThrownBy(() -> StationState.inDirectory(dir)).hasMessageContaining("does not belong");
    }

    @Test
    void chainChecksNameTheProblem() {
        KeyPair keys = TestCa.keyPair();
        List<X509Certificate> good = ca.issueStation(new X500Name("CN=SN1"), keys.getPublic());
        assertThat(StationKeys.chainProblem(good, keys.getPublic(), new Date())).isEmpty();
        assertThat(StationKeys.chainProblem(good, TestCa.keyPair().getPublic(), new Date())).get().asString()
                .contains("not for the key");
        assertThat(StationKeys.chainProblem(List.of(good.get(0), TestCa.otherRoot("x")), keys.getPublic(), new Date()))
                .get().asString().contains("not issued by the next");
        assertThat(StationKeys.chainProblem(ca.issueExpiredStation(new X500Name("CN=SN1"), keys.getPublic()),
                keys.getPublic(), new Date())).get().asString().contains("expired");
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
