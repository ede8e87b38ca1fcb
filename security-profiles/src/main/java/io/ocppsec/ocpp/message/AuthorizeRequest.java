package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.message.type.IdToken;
import io.ocppsec.ocpp.message.type.OcspRequestData;
import java.util.List;

/**
 * AuthorizeRequest, with the parts Plug &amp; Charge uses (C07): the contract certificate chain
 * (PEM, leaf first, for central validation when the station cannot validate it itself) and the
 * OCSP request data of the chain (1 to 4 entries).
 */
public record AuthorizeRequest(
        IdToken idToken,
        String certificate,
        List<OcspRequestData> iso15118CertificateHashData) implements OcppRequest {

    public AuthorizeRequest {
        iso15118CertificateHashData = iso15118CertificateHashData == null ? null : List.copyOf(iso15118CertificateHashData);
    }

    @Override
    public Action ocppAction() {
        return Action.Authorize;
    }
}
