package io.ocppsec.pki.revocation;

import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.StationStore;
import java.time.Duration;
import javax.sql.DataSource;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/**
 * Revocation, CRLs and the OCSP responder. Settings (durations, e.g. {@code 24h}, {@code 10s}):
 * <ul>
 *   <li>{@code ocppsec.revocation.crl-validity} (24h): nextUpdate - thisUpdate of a CRL;</li>
 *   <li>{@code ocppsec.revocation.crl-refresh} (12h): a CRL older than this is regenerated;</li>
 *   <li>{@code ocppsec.revocation.ocsp-validity} (24h): nextUpdate - thisUpdate of an OCSP response;</li>
 *   <li>{@code ocppsec.revocation.ocsp-refresh} (12h): a pre-signed response is re-signed at this age;</li>
 *   <li>{@code ocppsec.revocation.poll-interval} (10s): how often revocations made by other
 *       instances on the same database are picked up.</li>
 * </ul>
 */
@Configuration
public class RevocationConfiguration {

    @Bean
    public RevocationStore revocationStore(DataSource dataSource) {
        return new RevocationStore(dataSource);
    }

    @Bean
    public RevocationIssuers revocationIssuers(IssuerRegistry registry) {
        return new RevocationIssuers(registry);
    }

    @Bean
    public CrlService crlService(RevocationIssuers issuers, RevocationStore store, KeyCustody custody,
                                 @Value("${ocppsec.revocation.crl-validity:24h}") Duration validity,
                                 @Value("${ocppsec.revocation.crl-refresh:12h}") Duration refresh) {
        return new CrlService(issuers, store, custody, validity, refresh);
    }

    @Bean
    public OcspResponder ocspResponder(RevocationIssuers issuers, CertificateStore certificates, KeyCustody custody,
                                       @Value("${ocppsec.revocation.ocsp-validity:24h}") Duration validity,
                                       @Value("${ocppsec.revocation.ocsp-refresh:12h}") Duration refresh) {
        return new OcspResponder(issuers, certificates, custody, validity, refresh);
    }

    @Bean(destroyMethod = "close")
    public RevocationSync revocationSync(RevocationStore store, RevocationIssuers issuers, CrlService crls,
                                         OcspResponder ocsp, RevocationService revocations,
                                         @Value("${ocppsec.revocation.poll-interval:10s}") Duration interval) {
        if (interval.compareTo(Duration.ofSeconds(30)) > 0 || interval.isNegative() || interval.isZero()) {
            throw new IllegalArgumentException("ocppsec.revocation.poll-interval must be between 1ms and 30s "
                    + "(a revocation must show on every instance within a minute), not " + interval);
        }
        RevocationSync sync = new RevocationSync(store, issuers, crls, ocsp, interval);
        revocations.onRevoked(sync::revokedHere);
        return sync;
    }

    @Bean
    public RevocationService revocationService(CertificateStore certificates, StationStore stations, Ledger ledger) {
        return new RevocationService(certificates, stations, ledger);
    }

    @Bean
    public ServletRegistrationBean<RevocationEndpoints.Ocsp> ocspServlet(OcspResponder responder) {
        ServletRegistrationBean<RevocationEndpoints.Ocsp> b =
                new ServletRegistrationBean<>(new RevocationEndpoints.Ocsp(responder), "/ocsp", "/ocsp/*");
        b.setName("ocsp");
        return b;
    }

    @Bean
    public ServletRegistrationBean<RevocationEndpoints.Crl> crlServlet(CrlService crls) {
        ServletRegistrationBean<RevocationEndpoints.Crl> b = new ServletRegistrationBean<>(new RevocationEndpoints.Crl(crls), "/crl/*");
        b.setName("crl");
        return b;
    }

    /**
     * RFC 6960 appendix A.1 GET requests carry URL-encoded base64, where '/' arrives as %2F; Tomcat
     * refuses an encoded solidus by default. Passing it through undecoded keeps it out of path
     * matching (no traversal) while the OCSP servlet decodes its own segment.
     */
    @Bean
    public org.springframework.boot.tomcat.TomcatConnectorCustomizer ocspEncodedSlash() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    /** Starts the sync once the development PKI or the imported CAs are in the registry. */
    @EventListener(ApplicationReadyEvent.class)
    public void startSync(ApplicationReadyEvent event) {
        RevocationIssuers issuers = event.getApplicationContext().getBean(RevocationIssuers.class);
        issuers.refresh();
        event.getApplicationContext().getBean(RevocationSync.class).start();
    }
}
