package io.ocppsec.pki.broker;

import io.ocppsec.pki.ca.Issuer;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.security.cert.PemCertificates;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The OCSP broker's wiring. Our own responder is optional: while no {@link LocalOcspResponder}
 * bean exists, certificates of our own CAs get Failed/NoLocalResponder (never a network fetch).
 */
@Configuration
@EnableConfigurationProperties(BrokerProperties.class)
public class BrokerConfiguration {

    @Bean
    public OcspBroker ocspBroker(BrokerProperties props, IssuerRegistry issuers, ObjectProvider<LocalOcspResponder> local) {
        List<X509Certificate> external = List.of();
        if (props.issuerCertificates() != null) {
            try {
                external = PemCertificates.read(Files.readString(props.issuerCertificates()));
            } catch (IOException e) {
                throw new UncheckedIOException("ocppsec.ocsp-broker.issuer-certificates: cannot read "
                        + props.issuerCertificates(), e);
            }
        }
        // Our CAs: not the Plug & Charge trust anchors without a key (imported V2G/MO roots, OEM
        // roots), nor imported manufacturer roots: what they issue is answered by their operators'
        // responders, not ours.
        return new OcspBroker(props, () -> issuers.all().stream()
                .filter(i -> i.key() != null || !i.record().role().isPlugAndCharge() && !i.record().role().isFirmware())
                .map(Issuer::certificate).toList(), external,
                local::getIfAvailable, InetAddress::getAllByName, Clock.systemUTC());
    }
}
