package io.ocppsec.security.profile;

/**
 * What a connecting Charging Station actually showed by the time of the WebSocket upgrade: the
 * transport, whether it presented a TLS client certificate (that chained and passed
 * the identity checks, see {@code io.ocppsec.security.cert.ClientCertificateIdentityPolicy}), and whether
 * it sent HTTP Basic credentials (that verified, see {@code io.ocppsec.security.auth.BasicAuthVerifier}).
 *
 * @param tls                        the connection is TLS ({@code wss://})
 * @param clientCertificatePresented a verified client certificate was presented in the handshake
 * @param basicAuthPresented         verified Basic credentials were sent on the upgrade request
 */
public record ConnectionEvidence(boolean tls, boolean clientCertificatePresented, boolean basicAuthPresented) {

    /** A client certificate without TLS is impossible; refused as a programming error. */
    public ConnectionEvidence {
        if (clientCertificatePresented && !tls) {
            throw new IllegalArgumentException("a client certificate needs TLS");
        }
    }

    /** Plain {@code ws://} with Basic credentials (profile 1). */
    public static ConnectionEvidence plainWithBasic() {
        return new ConnectionEvidence(false, false, true);
    }

    /** TLS with Basic credentials and no client certificate (profile 2). */
    public static ConnectionEvidence tlsWithBasic() {
        return new ConnectionEvidence(true, false, true);
    }

    /** TLS with a client certificate (profile 3). */
    public static ConnectionEvidence tlsWithClientCertificate() {
        return new ConnectionEvidence(true, true, false);
    }

    /**
     * The profile the transport shows: plain ws → 1; TLS without a client certificate → 2; TLS
     * with a client certificate → 3. Says nothing about whether the credentials that profile needs
     * were sent; {@link ProfilePolicy#admit} checks that.
     */
    public SecurityProfile shownProfile() {
        if (!tls) {
            return SecurityProfile.UNSECURED_TRANSPORT_BASIC_AUTH;
        }
        return clientCertificatePresented ? SecurityProfile.TLS_CLIENT_CERTIFICATE : SecurityProfile.TLS_BASIC_AUTH;
    }
}
