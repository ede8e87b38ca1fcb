package io.ocppsec.pki.broker;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.message.type.OcspRequestData;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/** Builds brokers and requests for the tests. Names in {@code NAMES} resolve without DNS. */
final class Brokers {
    static final Map<String, String> NAMES = Map.of(
            "ocsp.test", "127.0.0.1",
            "crl.test", "127.0.0.1",
            "loopback.test", "127.0.0.1",
            "metadata.test", "169.254.169.254",
            "mapped.test", "::ffff:127.0.0.1",
            "private.test", "10.1.2.3");

    private Brokers() {
    }

    static InetAddress[] resolve(String host) throws UnknownHostException {
        String ip = NAMES.get(host);
        if (ip != null) {
            return new InetAddress[] {InetAddress.getByName(ip)};
        }
        if (host.equals("localhost") || host.matches("[0-9.]+") || host.contains(":")) {
            return InetAddress.getAllByName(host); // a literal, or the system's localhost: no DNS query
        }
        throw new UnknownHostException(host);
    }

    static OcspBroker broker(List<String> hosts, List<String> networks, List<X509Certificate> own,
                             LocalOcspResponder local, List<X509Certificate> external) {
        BrokerProperties p = new BrokerProperties(hosts, networks, null, null, null, null, null, null, null, null, null);
        return new OcspBroker(p, () -> own, external, () -> local, Brokers::resolve, Clock.systemUTC());
    }

    static CertificateHashData hashData(HashAlgorithm alg, X509Certificate issuer, X509Certificate cert) {
        HexFormat h = HexFormat.of();
        return new CertificateHashData(alg, h.formatHex(CertId.nameHash(alg, issuer)), h.formatHex(CertId.keyHash(alg, issuer)),
                cert.getSerialNumber().toString(16));
    }

    static OcspRequestData request(HashAlgorithm alg, X509Certificate issuer, X509Certificate cert, String url) {
        return hashData(alg, issuer, cert).withResponderUrl(url);
    }
}
