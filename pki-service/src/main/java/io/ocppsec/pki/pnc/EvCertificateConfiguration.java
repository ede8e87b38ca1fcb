package io.ocppsec.pki.pnc;

import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.store.Ledger;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who answers Get15118EVCertificate: we ourselves, as MO and CPS ({@code ocppsec.pnc.provisioning=local},
 * the default), or an external contract-certificate pool ({@code remote}, {@link RemoteContractPool}).
 * EV (OEM provisioning) and contract chains are held to the ISO profiles as
 * {@code ocppsec.pnc.profile-checks} says ({@link PncProperties#leniency()}).
 */
@Configuration(proxyBeanMethods = false)
public class EvCertificateConfiguration {

    @Bean
    @ConditionalOnProperty(name = "ocppsec.pnc.provisioning", havingValue = "local", matchIfMissing = true)
    public LocalContractProvisioner localContractProvisioner(PncPki pki, ContractStore contracts, IssuerRegistry registry,
                                                             Ledger ledger, PncProperties properties) {
        return new LocalContractProvisioner(pki, contracts, registry, ledger, properties.leniency(), Clock.systemUTC());
    }
}
