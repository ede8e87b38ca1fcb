package io.ocppsec.simulator;

import io.ocppsec.ocpp.OcppVersion;
import java.net.URI;

/**
 * One open WebSocket connection to the CSMS, as negotiated.
 *
 * @param securityProfile   the profile the station connected with (1, 2 or 3)
 * @param ocppVersion       the subprotocol the CSMS chose
 * @param url               the connection URL (with the percent-encoded identity)
 * @param tlsProtocol       e.g. {@code TLSv1.3}; null for {@code ws://}
 * @param cipherSuite       the negotiated suite; null for {@code ws://}
 * @param clientCertificate whether the station presented a client certificate
 * @param compression       whether permessage-deflate was negotiated
 */
public record Session(
        int securityProfile,
        OcppVersion ocppVersion,
        URI url,
        String tlsProtocol,
        String cipherSuite,
        boolean clientCertificate,
        boolean compression) {

    /** One line for people. */
    public String describe() {
        StringBuilder b = new StringBuilder("profile ").append(securityProfile).append(", ").append(ocppVersion)
                .append(", ").append(url);
        if (tlsProtocol != null) {
            b.append(", ").append(tlsProtocol).append(' ').append(cipherSuite);
            b.append(clientCertificate ? ", client certificate presented" : ", no client certificate");
        }
        if (compression) {
            b.append(", permessage-deflate");
        }
        return b.toString();
    }
}
