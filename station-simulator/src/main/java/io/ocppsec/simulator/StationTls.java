package io.ocppsec.simulator;

import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ocppsec.security.tls.TlsPolicy;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * TLS client contexts for stations (profiles 2 and 3): TLS 1.3 and 1.2 with the cipher suites OCPP
 * allows ({@link TlsPolicy#standard()}), trusting only the given CSMS roots, with hostname
 * verification unless turned off, on OpenSSL (BoringSSL from netty-tcnative) when it is available
 * and the JDK otherwise.
 *
 * <p>An {@link SslContext} is thread-safe and meant to be shared: one profile-2 context serves any
 * number of stations that trust the same roots. A profile-3 context carries one station's key.
 */
public final class StationTls {
    private static final String ALIAS = "station";

    private StationTls() {
    }

    /** OpenSSL when netty-tcnative loaded, else the JDK. */
    public static SslProvider provider() {
        return OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    /** Most profile-2 contexts kept by {@link #sharedClientContext}; trust sets are few. */
    private static final int MAX_SHARED = 32;
    private static final java.util.Map<java.util.List<Object>, SslContext> SHARED = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * A profile-2 context for these roots, built once and shared by every station that trusts the
     * same ones (what a station uses when it is not given one).
     */
    public static SslContext sharedClientContext(List<X509Certificate> trustAnchors, boolean verifyHostname) {
        java.util.List<Object> key = java.util.List.of(java.util.List.copyOf(trustAnchors), verifyHostname);
        SslContext c = SHARED.get(key);
        if (c != null) {
            return c;
        }
        c = clientContext(trustAnchors, verifyHostname);
        if (SHARED.size() < MAX_SHARED) {
            SslContext earlier = SHARED.putIfAbsent(key, c);
            return earlier != null ? earlier : c;
        }
        return c;
    }

    /** A context without a client certificate (profile 2), trusting {@code trustAnchors}. */
    public static SslContext clientContext(List<X509Certificate> trustAnchors, boolean verifyHostname) {
        return clientContext(trustAnchors, null, verifyHostname);
    }

    /**
     * A context presenting {@code credentials} (profile 3; null for none), trusting {@code trustAnchors}.
     * The certificate is presented whatever CAs the server names in its request, as a station with
     * one certificate does (so a CSMS can be tested with certificates it should refuse).
     */
    public static SslContext clientContext(List<X509Certificate> trustAnchors, StationCredentials credentials,
                                           boolean verifyHostname) {
        if (trustAnchors.isEmpty()) {
            throw new IllegalArgumentException("no CSMS root certificate to trust");
        }
        TlsPolicy policy = TlsPolicy.standard();
        SslContextBuilder b = SslContextBuilder.forClient()
                .sslProvider(provider())
                .protocols(policy.enabledProtocols())
                .ciphers(Arrays.asList(policy.enabledCipherSuites()))
                .trustManager(trustAnchors);
        if (verifyHostname) {
            b.endpointIdentificationAlgorithm("HTTPS");
        } else {
            b.endpointIdentificationAlgorithm(null);
        }
        if (credentials != null) {
            b.keyManager(new FixedKeyManager(credentials));
        }
        try {
            return b.build();
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the TLS client context: " + e.getMessage(), e);
        }
    }

    /** Always offers the station's one certificate, whatever the server asks for. */
    private static final class FixedKeyManager extends X509ExtendedKeyManager {
        private final PrivateKey key;
        private final X509Certificate[] chain;

        FixedKeyManager(StationCredentials credentials) {
            this.key = credentials.key();
            this.chain = credentials.chain().toArray(new X509Certificate[0]);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[0];
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }
    }
}
