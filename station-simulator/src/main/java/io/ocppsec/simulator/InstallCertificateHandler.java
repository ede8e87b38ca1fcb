package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.InstallCertificateRequest;
import io.ocppsec.ocpp.message.InstallCertificateResponse;
import io.ocppsec.ocpp.message.OcppRequest;
import io.ocppsec.ocpp.message.type.InstallCertificateStatus;
import io.ocppsec.ocpp.message.type.StatusInfo;
import io.ocppsec.security.cert.PemCertificates;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * InstallCertificate (M05): one CA certificate, valid now, is kept in the state; a CSMS root is
 * trusted from the next connection on. Anything else is Rejected (M05.FR.07), and so is one more
 * than {@link StationState#MAX_INSTALLED_PER_TYPE} of a type (M05.FR.06).
 */
final class InstallCertificateHandler implements CsmsCallHandler {
    @Override
    public Reply handle(OcppRequest request, StationContext station) {
        InstallCertificateRequest r = (InstallCertificateRequest) request;
        List<X509Certificate> certs;
        try {
            certs = PemCertificates.read(r.certificate());
        } catch (IllegalArgumentException e) {
            return rejected("InvalidCertificate", e.getMessage());
        }
        if (certs.size() != 1) {
            return rejected("InvalidCertificate", "expected one certificate, got " + certs.size());
        }
        X509Certificate c = certs.get(0);
        if (c.getBasicConstraints() < 0) {
            return rejected("InvalidCertificate", "not a CA certificate");
        }
        try {
            c.checkValidity();
        } catch (GeneralSecurityException e) {
            return rejected("InvalidCertificate", "not valid now");
        }
        if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
            try {
                c.verify(c.getPublicKey());
            } catch (GeneralSecurityException | RuntimeException e) {
                return rejected("InvalidCertificate", "a self-signed certificate whose signature does not verify");
            }
        }
        if (!station.state().install(r.certificateType(), c)) {
            return rejected("TooManyCertificates", "at most " + StationState.MAX_INSTALLED_PER_TYPE + " of a type");
        }
        return Reply.of(new InstallCertificateResponse(InstallCertificateStatus.Accepted, null));
    }

    private static Reply rejected(String code, String detail) {
        return Reply.of(new InstallCertificateResponse(InstallCertificateStatus.Rejected, StatusInfo.of(code, detail)));
    }
}
