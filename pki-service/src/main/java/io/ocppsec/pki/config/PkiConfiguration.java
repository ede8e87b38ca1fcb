package io.ocppsec.pki.config;

import io.ocppsec.pki.ca.CaInfo;
import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CertificateSigner;
import io.ocppsec.pki.ca.DevelopmentPki;
import io.ocppsec.pki.ca.IssuanceService;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.station.StationService;
import io.ocppsec.pki.store.CaStore;
import io.ocppsec.pki.store.CertificateStore;
import io.ocppsec.pki.store.Ledger;
import io.ocppsec.pki.store.StationStore;
import io.ocppsec.security.auth.PasswordHasher;
import io.ocppsec.security.cert.ClientCertificateIdentityPolicy;
import io.ocppsec.security.cert.CommonNameTemplate;
import io.ocppsec.security.cert.OrganizationRule;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The CA engine, the station registry and issuance, wired to the store and the key custody. */
@Configuration
public class PkiConfiguration {

    @Bean
    public CertificateProfiles certificateProfiles(OcppsecProperties properties) {
        return new CertificateProfiles(properties.publicUrl());
    }

    @Bean
    public CertificateSigner certificateSigner(KeyCustody custody) {
        return new CertificateSigner(custody);
    }

    @Bean
    public IssuerRegistry issuerRegistry(CaStore store) {
        return new IssuerRegistry(store);
    }

    @Bean
    public StationService stationService(StationStore store, Ledger ledger, OcppsecProperties properties) {
        return new StationService(store, ledger, new PasswordHasher(), properties.organization());
    }

    /**
     * The CN/O rule for station certificates; the terminator binds client certificates with the
     * same rule, so a certificate this CA issues is one the terminator accepts.
     */
    @Bean
    public ClientCertificateIdentityPolicy clientCertificateIdentityPolicy(OcppsecProperties properties) {
        String source = properties.issuance().cnSource();
        CommonNameTemplate template = switch (source) {
            case "serialNumber" -> CommonNameTemplate.SERIAL_NUMBER;
            case "identity" -> CommonNameTemplate.IDENTITY;
            default -> new CommonNameTemplate(source);
        };
        return new ClientCertificateIdentityPolicy(new ClientCertificateIdentityPolicy.Rules(template,
                ClientCertificateIdentityPolicy.CnMatch.EXACT, new OrganizationRule.MatchStation(java.util.Set.of())));
    }

    @Bean
    public IssuanceService issuanceService(StationService stations, CertificateStore certificates, IssuerRegistry issuers,
                                           CertificateSigner signer, CertificateProfiles profiles, Ledger ledger,
                                           OcppsecProperties properties, ClientCertificateIdentityPolicy identityPolicy) {
        return new IssuanceService(stations, certificates, issuers, signer, profiles, ledger, properties.issuance(), identityPolicy);
    }

    @Bean
    public DevelopmentPki developmentPki(KeyCustody custody, CertificateSigner signer, CertificateProfiles profiles,
                                         CaStore store, IssuerRegistry registry, Ledger ledger) {
        return new DevelopmentPki(custody, signer, profiles, store, registry, ledger);
    }

    @Bean
    public io.ocppsec.pki.ca.CaAdministration caAdministration(KeyCustody custody, CaStore store, IssuerRegistry registry,
                                                               Ledger ledger) {
        return new io.ocppsec.pki.ca.CaAdministration(custody, store, registry, ledger);
    }

    @Bean
    public CaInfo caInfo(OcppsecProperties properties, IssuerRegistry issuers, CustodyDescription custody) {
        return new CaInfo(properties.organization(), issuers, custody::describe);
    }
}
