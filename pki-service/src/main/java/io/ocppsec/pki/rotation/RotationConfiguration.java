package io.ocppsec.pki.rotation;

import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CertificateSigner;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.config.DataDirectory;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.station.StationService;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.TerminatorStore;
import io.ocppsec.pki.terminator.StationCalls;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Key and root rotation. {@code ocppsec.rotation.redistribute-interval} (default PT1M; PT0S turns
 * it off): how often a prepared root rotation sends the new root to stations it has not reached
 * yet (those that were offline and have come online).
 */
@Configuration
public class RotationConfiguration {
    private static final Logger log = LoggerFactory.getLogger(RotationConfiguration.class);

    @Bean
    public RotationStore rotationStore(DataSource dataSource) {
        return new RotationStore(dataSource);
    }

    @Bean
    public KeyRotation keyRotation(KeyCustody custody, CertificateSigner signer, CertificateProfiles profiles,
                                   IssuerRegistry registry, Ledger ledger) {
        return new KeyRotation(custody, signer, profiles, registry, ledger);
    }

    @Bean
    public RootRotation rootRotation(KeyRotation keys, KeyCustody custody, CertificateSigner signer, CertificateProfiles profiles,
                                     IssuerRegistry registry, Ledger ledger, RotationStore store, StationService stations,
                                     TerminatorStore sessions, StationCalls calls, DataDirectory dataDirectory) {
        registry.alsoTrust(store::replacedRoots);
        return new RootRotation(keys, custody, signer, profiles, registry, ledger, store, stations, sessions, calls, dataDirectory);
    }

    /** The background run that reaches stations coming online during a prepared root rotation. */
    @Bean(destroyMethod = "shutdownNow")
    public ScheduledExecutorService rootRedistribution(RootRotation rotation,
                                                       @Value("${ocppsec.rotation.redistribute-interval:PT1M}") Duration every) {
        ScheduledExecutorService s = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "ocppsec-root-redistribution");
            t.setDaemon(true);
            return t;
        });
        if (!every.isZero() && !every.isNegative()) {
            s.scheduleWithFixedDelay(() -> {
                try {
                    rotation.distributeToNewcomers();
                } catch (RuntimeException e) {
                    log.warn("background root distribution failed: {}", e.toString());
                }
            }, every.toMillis(), every.toMillis(), TimeUnit.MILLISECONDS);
        }
        return s;
    }
}
