package io.ocppsec.pki.pnc;

import io.ocppsec.iso15118.pki.Leniency;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.store.Ledger;
import java.time.Clock;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Who answers Get15118EVCertificate: we ourselves, as MO and CPS ({@code ocppsec.pnc.provisioning=local},
 * the default), or an external contract-certificate pool ({@code remote}, {@link RemoteContractPool}).
 * {@code ocppsec.pnc.leniency}: {@code strict} (default) checks EV and contract certificates to the
 * letter of the ISO profiles; {@code known-deviations} accepts the deviations real PKIs are known for
 * (see {@link Leniency#knownDeviations()}).
 */
@Configuration(proxyBeanMethods = false)
public class EvCertificateConfiguration {

    @Bean
    @ConditionalOnProperty(name = "ocppsec.pnc.provisioning", havingValue = "local", matchIfMissing = true)
    public LocalContractProvisioner localContractProvisioner(PncPki pki, ContractStore contracts, IssuerRegistry registry,
                                                             Ledger ledger, Environment env) {
        return new LocalContractProvisioner(pki, contracts, registry, ledger, leniency(env.getProperty("ocppsec.pnc.leniency",
                "strict")), Clock.systemUTC());
    }

    static Leniency leniency(String name) {
        return switch (name.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "strict" -> Leniency.strict();
            case "known-deviations" -> Leniency.knownDeviations();
            default -> throw new IllegalArgumentException("ocppsec.pnc.leniency must be strict or known-deviations, not " + name);
        };
    }
}
