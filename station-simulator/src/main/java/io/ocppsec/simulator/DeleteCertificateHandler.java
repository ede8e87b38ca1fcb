package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.DeleteCertificateRequest;
import io.ocppsec.ocpp.message.DeleteCertificateResponse;
import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.DeleteCertificateStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;
import io.ocppsec.security.cert.CertificateIdentifier;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Optional;

/**
 * DeleteCertificate (M04): an installed root is removed (Accepted); a configured trust anchor is
 * not (Failed: the simulator's configuration is read-only); an unknown one is NotFound.
 */
final class DeleteCertificateHandler implements CsmsCallHandler {
    @Override
    public Reply handle(OcppRequest request, StationContext station) {
        CertificateHashData data = ((DeleteCertificateRequest) request).certificateHashData();
        List<InstalledCertificate> all = station.installedCertificates();
        for (InstalledCertificate i : all) {
            Optional<X509Certificate> issuer = GetInstalledCertificateIdsHandler.issuerOf(i.certificate(), all);
            if (issuer.isPresent() && CertificateIdentifier.identifies(data, i.certificate(), issuer.get())) {
                if (i.configured()) {
                    return Reply.of(new DeleteCertificateResponse(DeleteCertificateStatus.Failed,
                            StatusInfo.of("ReadOnly", "a configured trust anchor cannot be deleted over OCPP")));
                }
                station.state().remove(i);
                return Reply.of(new DeleteCertificateResponse(DeleteCertificateStatus.Accepted, null));
            }
        }
        return Reply.of(new DeleteCertificateResponse(DeleteCertificateStatus.NotFound, null));
    }
}
