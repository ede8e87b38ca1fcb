package io.ocppsec.simulator;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/**
 * The station's client key and certificate chain (leaf first) for security profile 3.
 *
 * @param key   the private key
 * @param chain the certificate chain, leaf first, usually without the root
 */
public record StationCredentials(PrivateKey key, List<X509Certificate> chain) {
    public StationCredentials {
        Objects.requireNonNull(key, "key");
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("a certificate chain needs at least the leaf");
        }
    }

    /** The station's own certificate. */
    public X509Certificate leaf() {
        return chain.get(0);
    }

    @Override
    public String toString() {
        return "StationCredentials[" + leaf().getSubjectX500Principal().getName() + ", chain of " + chain.size() + "]";
    }
}
