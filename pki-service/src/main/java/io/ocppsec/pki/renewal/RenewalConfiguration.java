package io.ocppsec.pki.renewal;

import io.micrometer.core.instrument.MeterRegistry;
import io.ocppsec.pki.fleet.FleetView;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.terminator.StationCalls;
import java.net.InetAddress;
import java.time.Clock;
import java.util.UUID;
import javax.sql.DataSource;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Renewal before expiry and the fleet view: the store, the scheduler (started once the service is ready), metrics. */
@Configuration
@EnableConfigurationProperties(RenewalProperties.class)
public class RenewalConfiguration {

    @Bean
    public RenewalStore renewalStore(DataSource dataSource) {
        return new RenewalStore(dataSource);
    }

    @Bean
    public RenewalMetrics renewalMetrics(MeterRegistry registry, RenewalStore store, RenewalProperties settings) {
        return new RenewalMetrics(registry, store, settings);
    }

    @Bean(destroyMethod = "close")
    public RenewalScheduler renewalScheduler(RenewalStore store, StationCalls calls, Ledger ledger,
                                             RenewalProperties settings, RenewalMetrics metrics) {
        return new RenewalScheduler(store, calls, ledger, settings, metrics, instanceId(), Clock.systemUTC());
    }

    @Bean
    public ApplicationListener<ApplicationReadyEvent> renewalStart(RenewalScheduler scheduler, RenewalMetrics metrics) {
        return event -> {
            metrics.refresh(Clock.systemUTC().instant());
            scheduler.start();
        };
    }

    @Bean
    public FleetView fleetView(DataSource dataSource, RenewalProperties settings) {
        return new FleetView(dataSource, settings, Clock.systemUTC());
    }

    /** Names this instance in leases and the audit log: host name and a random suffix (at most 64 characters). */
    static String instanceId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "");
        } catch (Exception e) {
            host = "pki";
        }
        if (host.length() > 40) {
            host = host.substring(0, 40);
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
