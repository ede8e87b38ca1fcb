package io.ocppsec.pki.pnc;

import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.store.Ledger;
import java.time.Clock;
import javax.sql.DataSource;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Who answers Get15118EVCertificate: we ourselves, as MO and CPS ({@code ocppsec.pnc.provisioning=local},
 * the default), or an external contract-certificate pool ({@code remote}, {@link RemoteContractPool}).
 * EV (OEM provisioning) and contract chains are held to the ISO profiles as
 * {@code ocppsec.pnc.profile-checks} says ({@link PncProperties#leniency()}). Local ISO 15118-20 installation
 * series live in the database ({@link InstallSeries}, {@code ocppsec.pnc.install-series-ttl}).
 */
@Configuration(proxyBeanMethods = false)
public class EvCertificateConfiguration {

    @Bean
    @ConditionalOnProperty(name = "ocppsec.pnc.provisioning", havingValue = "local", matchIfMissing = true)
    public LocalContractProvisioner localContractProvisioner(PncPki pki, ContractStore contracts, IssuerRegistry registry,
                                                             Ledger ledger, PncProperties properties, DataSource dataSource) {
        InstallSeries series = new InstallSeries(dataSource, properties.installSeriesTtl(), Clock.systemUTC());
        return new LocalContractProvisioner(pki, contracts, series, registry, ledger, properties.leniency(), Clock.systemUTC());
    }
}
