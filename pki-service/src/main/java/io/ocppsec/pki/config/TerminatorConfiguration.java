package io.ocppsec.pki.config;

import io.ocppsec.pki.station.StationService;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.SecurityEventStore;
import io.ocppsec.pki.store.TerminatorStore;
import io.ocppsec.pki.terminator.ControlClient;
import io.ocppsec.pki.terminator.SecurityEvents;
import io.ocppsec.pki.terminator.StationCalls;
import io.ocppsec.pki.terminator.TerminatorService;
import javax.sql.DataSource;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * pki-service's side of the TLS terminator contract: terminator instances and station sessions,
 * calls to stations through a terminator's control API, and the security events terminators report.
 */
@Configuration
public class TerminatorConfiguration {

    @Bean
    public TerminatorStore terminatorStore(DataSource dataSource) {
        return new TerminatorStore(dataSource);
    }

    @Bean
    public SecurityEventStore securityEventStore(DataSource dataSource) {
        return new SecurityEventStore(dataSource);
    }

    @Bean
    public TerminatorService terminatorService(TerminatorStore store, StationService stations, CertificateStore certificates,
                                               Ledger ledger) {
        return new TerminatorService(store, stations, certificates, ledger);
    }

    @Bean
    public ControlClient controlClient() {
        return new ControlClient();
    }

    @Bean
    public StationCalls stationCalls(StationService stations, TerminatorService terminators, ControlClient client, Ledger ledger) {
        return new StationCalls(stations, terminators, client, ledger);
    }

    @Bean
    public SecurityEvents securityEvents(SecurityEventStore store, Ledger ledger) {
        return new SecurityEvents(store, ledger);
    }
}
