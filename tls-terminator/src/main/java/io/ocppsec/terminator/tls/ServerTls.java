package io.ocppsec.terminator.tls;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.OpenSslCachingX509KeyManagerFactory;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.ocppsec.security.tls.TlsPolicy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of TLS for the wss listener: BoringSSL through netty-tcnative (the JDK's TLS only
 * as a logged fallback), TLS 1.3 and 1.2 with exactly the suites of {@link TlsPolicy}, an ECDSA and
 * an RSA certificate (the handshake picks the one the client's offer allows), and client
 * certificates requested but not required, checked by {@link StationTrust}.
 *
 * <p>{@link #reloadIfChanged()} rebuilds the context when a certificate or key file changed; new
 * handshakes use the new context, established connections keep theirs (nothing is dropped).
 */
public final class ServerTls {
    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);
    private static final char[] NO_PASSWORD = new char[0];

    private final Path directory;
    private final StationTrust trust;
    private final TlsPolicy policy;
    private final SslProvider provider;
    private volatile SslContext context;
    private volatile SslContext rsaContext;
    private volatile long stamp;

    public ServerTls(Path directory, StationTrust trust, boolean forwardSecrecyOnly) {
        this(directory, trust, forwardSecrecyOnly, "auto");
    }

    /**
     * @param providerSetting {@code auto}: BoringSSL when netty-tcnative loads, else the JDK's TLS (logged);
     *                        {@code openssl}: BoringSSL or an error; {@code jdk}: the JDK's TLS
     */
    public ServerTls(Path directory, StationTrust trust, boolean forwardSecrecyOnly, String providerSetting) {
        this.directory = directory;
        this.trust = trust;
        TlsPolicy p = TlsPolicy.standard().withClientAuth(io.ocppsec.security.tls.ClientAuth.OPTIONAL);
        this.policy = forwardSecrecyOnly ? p.withForwardSecrecyOnly() : p;
        String setting = providerSetting == null ? "auto" : providerSetting;
        String cause = OpenSsl.unavailabilityCause() == null ? "unknown" : OpenSsl.unavailabilityCause().getMessage();
        if (setting.equals("openssl") && !OpenSsl.isAvailable()) {
            throw new IllegalStateException("tls-provider=openssl, but netty-tcnative (BoringSSL) is not available: " + cause);
        }
        if (!setting.equals("jdk") && OpenSsl.isAvailable()) {
            provider = SslProvider.OPENSSL;
            log.info("TLS through {} (netty-tcnative)", OpenSsl.versionString());
        } else {
            provider = SslProvider.JDK;
            // A JDK server must refuse renegotiation (TlsPolicy); BoringSSL does so by itself.
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
            if (setting.equals("jdk")) {
                log.info("TLS through the JDK (tls-provider=jdk); BoringSSL is several times faster");
            } else {
                log.warn("netty-tcnative (BoringSSL) is not available ({}); falling back to the JDK's TLS, which is much slower",
                        cause);
            }
        }
        buildBoth();
        this.stamp = stampOf();
    }

    /** The policy the listener enforces. */
    public TlsPolicy policy() {
        return policy;
    }

    /** BoringSSL or the JDK. */
    public SslProvider provider() {
        return provider;
    }

    /** The context for new handshakes (the ECDSA certificate, or the only one there is). */
    public SslContext context() {
        return context;
    }

    /** The context for a client that wants the RSA certificate ({@code rsa}) or the ECDSA one. */
    public SslContext context(boolean rsa) {
        return rsa ? rsaContext : context;
    }

    /** Rebuilds the context when a file changed; a broken new file keeps the old context and is logged. */
    public boolean reloadIfChanged() {
        long now = stampOf();
        if (now == stamp) {
            return false;
        }
        try {
            buildBoth();
            stamp = now;
            log.info("server certificates reloaded from {}", directory);
            return true;
        } catch (RuntimeException e) {
            log.error("server certificates in {} changed but cannot be used; keeping the previous ones: {}", directory,
                    e.getMessage());
            stamp = now;
            return false;
        }
    }

    /** Rebuilds the context now (after the trust anchors changed, for the CA names sent to clients). */
    public void rebuild() {
        buildBoth();
    }

    private void buildBoth() {
        SslContext ec = build("ec");
        SslContext rsa = build("rsa");
        if (ec == null && rsa == null) {
            throw new IllegalArgumentException("no server certificate in " + directory
                    + " (expected server-ec.pem/.key and/or server-rsa.pem/.key)");
        }
        context = ec != null ? ec : rsa;
        rsaContext = rsa != null ? rsa : ec;
    }

    private SslContext build(String kind) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            Path cert = directory.resolve("server-" + kind + ".pem");
            Path key = directory.resolve("server-" + kind + ".key");
            if (!Files.exists(cert) && !Files.exists(key)) {
                return null;
            }
            List<X509Certificate> chain = PemFiles.certificates(cert);
            PrivateKey pk = PemFiles.privateKey(key);
            ks.setKeyEntry(kind, pk, NO_PASSWORD, chain.toArray(new X509Certificate[0]));
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, NO_PASSWORD);
            KeyManagerFactory used = provider == SslProvider.OPENSSL ? new OpenSslCachingX509KeyManagerFactory(kmf) : kmf;
            SslContext ctx = SslContextBuilder.forServer(used)
                    .sslProvider(provider)
                    .protocols(policy.enabledProtocols())
                    .ciphers(List.of(policy.enabledCipherSuites()))
                    .clientAuth(ClientAuth.OPTIONAL)
                    .trustManager(trust)
                    .build();
            return ctx;
        } catch (java.security.GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("cannot build the TLS server context: " + e.getMessage(), e);
        }
    }

    private long stampOf() {
        long h = 17;
        for (String f : new String[] {"server-ec.pem", "server-ec.key", "server-rsa.pem", "server-rsa.key"}) {
            try {
                Path p = directory.resolve(f);
                h = h * 31 + (Files.exists(p) ? Files.getLastModifiedTime(p).toMillis() * 7 + Files.size(p) : 0);
            } catch (java.io.IOException e) {
                h = h * 31 + 1;
            }
        }
        return h;
    }
}
