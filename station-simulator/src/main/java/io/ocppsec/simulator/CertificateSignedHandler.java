package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.CertificateSignedRequest;
import io.ocppsec.ocpp.message.OcppRequest;

/** CertificateSigned (A02/A03): the chain for the key of the pending SignCertificate. */
final class CertificateSignedHandler implements CsmsCallHandler {
    @Override
    public Reply handle(OcppRequest request, StationContext station) {
        return station.certificateSigned((CertificateSignedRequest) request);
    }
}
