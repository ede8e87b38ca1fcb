package io.ocppsec.pki.pnc;

import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.Ledger;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Plug & Charge wiring: trust anchors, contracts, the remote contract pool. */
@Configuration
@EnableConfigurationProperties(PncProperties.class)
public class PncConfiguration {

    @Bean
    public ContractStore contractStore(DataSource dataSource) {
        return new ContractStore(dataSource);
    }

    @Bean
    public ContractService contractService(ContractStore store, Ledger ledger) {
        return new ContractService(store, ledger);
    }

    @Bean
    public PncTrust pncTrust(CaStore store, IssuerRegistry registry, Ledger ledger, PncProperties properties) {
        return new PncTrust(store, registry, ledger, properties.leniency());
    }

    @Bean
    public PncDevelopmentPki pncDevelopmentPki(io.ocppsec.pki.custody.KeyCustody custody, io.ocppsec.pki.ca.CertificateProfiles profiles,
                                               CaStore store, IssuerRegistry registry, Ledger ledger) {
        return new PncDevelopmentPki(custody, profiles, store, registry, ledger);
    }

    /** The Plug & Charge PKI for the integrator: CPS signing chain and signer, contract issuer, trust anchors. */
    @Bean
    public PncPki pncPki(IssuerRegistry registry, io.ocppsec.pki.custody.KeyCustody custody,
                         io.ocppsec.pki.ca.CertificateProfiles profiles, PncTrust trust) {
        return new PncPki(registry, custody, profiles, trust);
    }

    /** With {@code ocppsec.pnc.provisioning=remote}: the external contract-certificate pool. */
    @Bean
    @ConditionalOnProperty(name = "ocppsec.pnc.provisioning", havingValue = "remote")
    public RemoteContractPool remoteContractPool(PncProperties properties) {
        return new RemoteContractPool(properties.remote());
    }
}
