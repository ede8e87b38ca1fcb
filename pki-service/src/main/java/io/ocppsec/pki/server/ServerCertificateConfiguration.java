package io.ocppsec.pki.server;

import io.ocppsec.pki.ca.CertificateProfiles;
import io.ocppsec.pki.ca.CertificateSigner;
import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.config.OcppsecProperties;
import io.ocppsec.pki.rotation.RotationStore;
import io.ocppsec.pki.store.Ledger;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Wiring of the terminators' server certificates. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ServerCertificateProperties.class)
public class ServerCertificateConfiguration {
    @Bean
    public ServerCertificateService serverCertificateService(ServerCertificateProperties properties, IssuerRegistry issuers,
                                                             CertificateSigner signer, CertificateProfiles profiles,
                                                             Ledger ledger, OcppsecProperties ocppsec, RotationStore rotations) {
        // After a root rotation, the link certificate of the rotation that made the active root.
        return new ServerCertificateService(properties, issuers, signer, profiles, ledger, ocppsec.organization(),
                rootId -> rotations.latest()
                        .filter(r -> r.state() == RotationStore.State.ACTIVATED && rootId.equals(r.newRootId()))
                        .map(RotationStore.RootRotation::linkPem)
                        .map(pem -> pem.endsWith("\n") ? pem : pem + "\n"));
    }
}
