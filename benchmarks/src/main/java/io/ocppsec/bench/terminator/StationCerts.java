package io.ocppsec.bench.terminator;

import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import org.bouncycastle.operator.ContentSigner;

/**
 * The stations' client certificates for a load run: one per station {@code CS<n>} (CN = the
 * serial number = the identity, O = "Bench CPO", clientAuth), all issued by the bench station CA
 * for ONE shared EC P-256 key pair (a per-station key would only cost set-up time: the TLS
 * handshake's work is the same). Issued before the clock starts.
 *
 * <p>{@link #keyManager()} serves them to one shared client {@code SslContext}: the connection's
 * {@link SSLEngine} is registered with its station number before the handshake, and BoringSSL's
 * certificate callback asks {@code chooseEngineClientAlias} with that engine. Netty's
 * non-caching key-material provider turns the chosen certificate into native form per handshake
 * (a few tens of microseconds), so the client holds no per-station native state between handshakes.
 */
final class StationCerts {
    private final X509Certificate ca;
    private final KeyPair stationKey = BenchCrypto.ecKeyPair();
    private final X509Certificate[] certs;
    private final int first;
    private final Map<SSLEngine, Integer> engines = new ConcurrentHashMap<>();

    /** Issues the certificates of stations {@code first .. first+count-1}, on {@code threads} threads. */
    StationCerts(Path dir, int first, int count, int threads) throws InterruptedException {
        this.ca = BenchCrypto.readCertificates(dir.resolve("station-ca.pem")).get(0);
        PrivateKey caKey = BenchCrypto.readKey(dir.resolve("station-ca.key"));
        this.first = first;
        this.certs = new X509Certificate[count];
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        int chunk = (count + threads - 1) / threads;
        for (int t = 0; t < threads; t++) {
            int from = t * chunk;
            int to = Math.min(count, from + chunk);
            pool.execute(() -> {
                ContentSigner signer = BenchCrypto.signer(caKey);
                for (int i = from; i < to; i++) {
                    String id = "CS" + (first + i);
                    certs[i] = BenchCrypto.stationCertificate(ca, signer, stationKey.getPublic(), id, BenchPki.ORGANIZATION);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
    }

    /** The serial numbers of the issued certificates, lower-case hex (as the terminator asks OCSP for them). */
    java.util.List<String> serialsHex() {
        java.util.List<String> out = new java.util.ArrayList<>(certs.length);
        for (X509Certificate c : certs) {
            out.add(c.getSerialNumber().toString(16));
        }
        return out;
    }

    /** Tells the key manager which station the engine's handshake is for. */
    void register(SSLEngine engine, int station) {
        engines.put(engine, station);
    }

    void unregister(SSLEngine engine) {
        engines.remove(engine);
    }

    X509ExtendedKeyManager keyManager() {
        return new X509ExtendedKeyManager() {
            @Override
            public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
                Integer n = engines.get(engine);
                return n == null ? null : Integer.toString(n);
            }

            @Override
            public X509Certificate[] getCertificateChain(String alias) {
                int i = Integer.parseInt(alias) - first;
                return i >= 0 && i < certs.length ? new X509Certificate[] {certs[i]} : null;
            }

            @Override
            public PrivateKey getPrivateKey(String alias) {
                return stationKey.getPrivate();
            }

            @Override
            public String[] getClientAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
                return null;
            }

            @Override
            public String[] getServerAliases(String keyType, Principal[] issuers) {
                return null;
            }

            @Override
            public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
                return null;
            }
        };
    }
}
