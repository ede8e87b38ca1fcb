package io.ocppsec.pki.broker;

import io.ocppsec.pki.ca.IssuerRegistry;
import io.ocppsec.pki.revocation.CrlService;
import io.ocppsec.pki.revocation.OcspResponder;
import io.ocppsec.pki.revocation.RevocationSync;
import java.math.BigInteger;
import java.util.Optional;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The broker and our own OCSP responder together: for a CA we run, the broker asks the responder in
 * process (no network, no allow-list), and every revocation, made here or seen from another
 * instance, drops the broker's cached answers for that certificate at once. So GetCertificateStatus
 * and the terminator's client-certificate check see a revocation as soon as this instance does.
 */
@Configuration(proxyBeanMethods = false)
public class OwnResponderConfiguration {
    @Bean
    public LocalOcspResponder localOcspResponder(OcspResponder responder) {
        // The broker only asks for issuers it found in the IssuerRegistry; the responder answers for
        // the CAs that issue (CSMS root, station CAs), unauthorized for any other.
        return request -> Optional.of(responder.respond(request));
    }

    @Bean
    public InitializingBean brokerForgetsRevokedCertificates(RevocationSync sync, OcspBroker broker, IssuerRegistry registry) {
        return () -> sync.onRevoked((issuerId, serial) -> registry.byId(issuerId)
                .ifPresent(ca -> broker.forget(ca.certificate(), new BigInteger(serial, 16))));
    }

    /** M07's CRL source for our own CAs: the CRL we publish at /crl/{id}.crl, taken in process. */
    @Bean
    public InitializingBean brokerReadsOurCrls(OcspBroker broker, IssuerRegistry registry, CrlService crls) {
        return () -> broker.useLocalCrls(issuer -> registry.all().stream()
                .filter(i -> i.certificate().equals(issuer))
                .findFirst()
                .flatMap(i -> crls.current(i.id()))
                .map(CrlService.Crl::der));
    }
}
