package io.ocppsec.simulator;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.GetInstalledCertificateIdsRequest;
import io.ocppsec.ocpp.message.GetInstalledCertificateIdsResponse;
import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.message.type.CertificateHashDataChain;
import io.ocppsec.ocpp.message.type.GetCertificateIdUse;
import io.ocppsec.ocpp.message.type.GetInstalledCertificateStatus;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.security.cert.CertificateIdentifier;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * GetInstalledCertificateIds (M03): the configured CSMS roots and the installed ones, as SHA-256
 * CertificateHashData, filtered by the types asked for; NotFound when none match.
 */
final class GetInstalledCertificateIdsHandler implements CsmsCallHandler {
    @Override
    public Reply handle(OcppRequest request, StationContext station) {
        List<GetCertificateIdUse> wanted = ((GetInstalledCertificateIdsRequest) request).certificateType();
        List<InstalledCertificate> all = station.installedCertificates();
        List<CertificateHashDataChain> found = new ArrayList<>();
        for (InstalledCertificate i : all) {
            GetCertificateIdUse use = GetCertificateIdUse.valueOf(i.type().name());
            if (use == GetCertificateIdUse.OEMRootCertificate && station.version() == OcppVersion.OCPP_2_0_1) {
                continue; // no such type in 2.0.1
            }
            if (wanted != null && !wanted.isEmpty() && !wanted.contains(use)) {
                continue;
            }
            Optional<X509Certificate> issuer = issuerOf(i.certificate(), all);
            if (issuer.isEmpty()) {
                continue; // without its issuer the issuerKeyHash cannot be computed
            }
            found.add(new CertificateHashDataChain(use,
                    CertificateIdentifier.of(i.certificate(), issuer.get(), HashAlgorithm.SHA256), null));
        }
        if (found.isEmpty()) {
            return Reply.of(new GetInstalledCertificateIdsResponse(GetInstalledCertificateStatus.NotFound, null, null));
        }
        return Reply.of(new GetInstalledCertificateIdsResponse(GetInstalledCertificateStatus.Accepted, null, found));
    }

    /** The certificate itself when self-signed, else an installed certificate whose subject is its issuer. */
    static Optional<X509Certificate> issuerOf(X509Certificate c, List<InstalledCertificate> all) {
        if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            return Optional.of(c);
        }
        for (InstalledCertificate i : all) {
            if (i.certificate().getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                return Optional.of(i.certificate());
            }
        }
        return Optional.empty();
    }
}
