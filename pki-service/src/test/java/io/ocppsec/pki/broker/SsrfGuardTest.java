package io.ocppsec.pki.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.GetCertificateStatusResponse;
import io.ocppsec.ocpp.message.type.GetCertificateStatusEnum;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SSRF guard (issue 5 bad input): station-supplied URLs to loopback, link-local (cloud
 * metadata), private, IPv4-mapped, file:// or other schemes, with credentials, or to hosts not on
 * the allow-list are refused with a reason, and nothing connects: a listener on 127.0.0.1 counts
 * the connections it gets and must see none. Every such host IS on the allow-list here, so the
 * refusal comes from the address check on the resolved address.
 */
class SsrfGuardTest {
    TestPki.Cert ca = TestPki.ca("SSRF CA");
    TestPki.Cert leaf = TestPki.leaf(ca, "leaf");
    BcOcspResponder responder = new BcOcspResponder(ca, ca);
    TinyHttpServer listener;
    int port;
    OcspBroker broker;

    @BeforeEach
    void start() throws Exception {
        responder.issued(leaf.certificate().getSerialNumber());
        listener = new TinyHttpServer(body -> TinyHttpServer.Reply.ok("application/ocsp-response", responder.respond(body).orElseThrow()));
        port = listener.port();
        broker = Brokers.broker(List.of("127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port, "loopback.test:" + port,
                "mapped.test:" + port, "metadata.test", "169.254.169.254", "127.0.0.1:22", "private.test:" + port,
                "[::ffff:127.0.0.1]:" + port, "*.corp.test:" + port), List.of(), List.of(), null, List.of(ca.certificate()));
    }

    @AfterEach
    void stop() throws Exception {
        listener.close();
    }

    GetCertificateStatusResponse ask(String url) {
        return broker.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(), leaf.certificate(), url),
                OcppVersion.OCPP_2_1);
    }

    void assertRefused(String url, String reason) {
        GetCertificateStatusResponse r = ask(url);
        assertThat(r.status()).as(url).isEqualTo(GetCertificateStatusEnum.Failed);
        assertThat(r.statusInfo().reasonCode()).as(url + ": " + r.statusInfo().additionalInfo()).isEqualTo(reason);
        assertThat(listener.connections()).as("connections after " + url).isZero();
    }

    @Test
    void loopbackIsRefusedBeforeConnecting() {
        assertRefused("http://127.0.0.1:" + port + "/", "AddressRefused");
        assertRefused("http://127.0.0.1:22/", "AddressRefused");
        assertRefused("http://[::1]:" + port + "/", "AddressRefused");
        assertRefused("http://[::ffff:127.0.0.1]:" + port + "/", "AddressRefused");
    }

    @Test
    void namesThatResolveToLoopbackArePrivateOrMappedAreRefused() {
        assertRefused("http://localhost:" + port + "/", "AddressRefused");
        assertRefused("http://loopback.test:" + port + "/", "AddressRefused");
        assertRefused("http://mapped.test:" + port + "/", "AddressRefused");
        assertRefused("http://private.test:" + port + "/", "AddressRefused");
    }

    @Test
    void cloudMetadataIsRefused() {
        assertRefused("http://169.254.169.254/latest/meta-data/", "AddressRefused");
        assertRefused("http://metadata.test/computeMetadata/v1/", "AddressRefused");
    }

    @Test
    void otherSchemesCredentialsAndOddUrlsAreRefused() {
        assertRefused("file:///etc/passwd", "UrlRefused");
        assertRefused("ftp://127.0.0.1:" + port + "/", "UrlRefused");
        assertRefused("gopher://127.0.0.1:" + port + "/_x", "UrlRefused");
        assertRefused("jar:http://127.0.0.1:" + port + "/x!/", "UrlRefused");
        assertRefused("http://user:secret@127.0.0.1:" + port + "/", "UrlRefused");
        assertRefused("http://127.0.0.1:" + port + "/ x", "UrlRefused");
        assertRefused("//127.0.0.1:" + port + "/", "UrlRefused");
    }

    @Test
    void hostsNotOnTheAllowListAreRefused() {
        assertRefused("http://not-listed.test:" + port + "/", "HostNotAllowed");
        assertRefused("http://127.0.0.2:" + port + "/", "HostNotAllowed");
        assertRefused("http://127.0.0.1:" + (port == 65535 ? 65534 : port + 1) + "/", "HostNotAllowed");
        assertRefused("http://corp.test:" + port + "/", "HostNotAllowed"); // the wildcard is for names below it
        assertRefused("http://a.corp.test/", "HostNotAllowed"); // port 80 is not the listed port
        assertRefused("http://a.corp.test:" + port + "/", "HostUnresolved"); // listed, does not resolve here
    }

    @Test
    void nothingIsFetchedWithTheDefaultEmptyAllowList() {
        OcspBroker defaults = Brokers.broker(List.of(), List.of(), List.of(), null, List.of(ca.certificate()));
        GetCertificateStatusResponse r = defaults.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(),
                leaf.certificate(), "http://ocsp.test:" + port + "/"), OcppVersion.OCPP_2_0_1);
        assertThat(r.statusInfo().reasonCode()).isEqualTo("HostNotAllowed");
        assertThat(listener.connections()).isZero();
    }

    @Test
    void anAllowedNetworkIsFetchedFrom() {
        OcspBroker internal = Brokers.broker(List.of("loopback.test:" + port), List.of("127.0.0.0/8"), List.of(), null,
                List.of(ca.certificate()));
        GetCertificateStatusResponse r = internal.certificateStatus(Brokers.request(HashAlgorithm.SHA256, ca.certificate(),
                leaf.certificate(), "http://loopback.test:" + port + "/"), OcppVersion.OCPP_2_0_1);
        assertThat(r.status()).as(String.valueOf(r.statusInfo())).isEqualTo(GetCertificateStatusEnum.Accepted);
        assertThat(listener.connections()).isEqualTo(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "0.0.0.0", "10.0.0.1", "172.16.5.4", "172.31.255.255",
            "192.168.1.1", "169.254.169.254", "169.254.0.1", "100.64.0.1", "224.0.0.1", "239.255.255.250",
            "255.255.255.255", "240.0.0.1", "192.0.2.1", "198.18.0.1", "::", "::1", "fe80::1", "fc00::1", "fd12:3456::1",
            "ff02::1", "::ffff:127.0.0.1", "::ffff:169.254.169.254", "::ffff:10.0.0.1", "::127.0.0.1",
            "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "2002:a00:1::", "2001:db8::1", "fec0::1"})
    void nonPublicAddressesAreRefused(String ip) throws Exception {
        assertThat(new AddressGuard(List.of()).refusal(InetAddress.getByName(ip))).as(ip).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8",
            "2002:808:808::1"})
    void publicAddressesPass(String ip) throws Exception {
        assertThat(new AddressGuard(List.of()).refusal(InetAddress.getByName(ip))).as(ip).isEmpty();
    }

    @Test
    void allowListPatterns() {
        AllowList a = AllowList.of(List.of("ocsp.example.com", "*.pki.example.net:8080", "OCSP.Upper.Test", "[2001:db8::5]:8443"));
        assertThat(a.permits("ocsp.example.com", 80, 80)).isTrue();
        assertThat(a.permits("OCSP.example.com.", 443, 443)).isTrue();
        assertThat(a.permits("ocsp.example.com", 8080, 80)).isFalse();
        assertThat(a.permits("evil-ocsp.example.com", 80, 80)).isFalse();
        assertThat(a.permits("ocsp.example.com.evil.test", 80, 80)).isFalse();
        assertThat(a.permits("a.pki.example.net", 8080, 80)).isTrue();
        assertThat(a.permits("a.b.pki.example.net", 8080, 80)).isTrue();
        assertThat(a.permits("pki.example.net", 8080, 80)).isFalse();
        assertThat(a.permits("xpki.example.net", 8080, 80)).isFalse();
        assertThat(a.permits("ocsp.upper.test", 80, 80)).isTrue();
        assertThat(a.permits("[2001:db8:0::5]", 8443, 443)).isTrue();
        for (String bad : List.of("*", "*.com", "http://x.test", "x.test:0", "x.test:99999", "a b", "*.1.2.3.4", "x.test/path")) {
            assertThatThrownBy(() -> AllowList.of(List.of(bad))).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
