package io.ocppsec.pki.firmware;

import io.ocppsec.pki.broker.OcspBroker;
import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.Ledger;
import java.net.InetAddress;
import java.time.Clock;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Signed-firmware wiring: the manufacturer roots and signers, signing and checking. */
@Configuration
@EnableConfigurationProperties(FirmwareProperties.class)
public class FirmwareConfiguration {

    @Bean
    public FirmwarePki firmwarePki(KeyCustody custody, CertificateProfiles profiles, CaStore store, CertificateStore certificates,
                                   IssuerRegistry registry, Ledger ledger, FirmwareProperties properties,
                                   io.ocppsec.pki.config.OcppsecProperties ocppsec) {
        return new FirmwarePki(custody, profiles, store, certificates, registry, ledger, properties.signerValidity(),
                ocppsec.organization());
    }

    @Bean
    public FirmwareService firmwareService(FirmwarePki pki, KeyCustody custody, OcspBroker broker, FirmwareProperties properties,
                                           Ledger ledger) {
        return new FirmwareService(pki, custody, broker, properties, ledger, InetAddress::getAllByName, Clock.systemUTC());
    }
}
