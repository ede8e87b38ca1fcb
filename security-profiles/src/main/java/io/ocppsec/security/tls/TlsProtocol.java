package io.ocppsec.security.tls;

import java.util.Optional;

/**
 * The TLS versions OCPP allows: TLS 1.2 and above (A00.FR.313 / A00.FR.416). Anything older (TLS
 * 1.1, 1.0, SSL 3.0, SSL 2.0) is refused (A00.FR.315 / A00.FR.418).
 */
public enum TlsProtocol {
    TLS_1_3("TLSv1.3"),
    TLS_1_2("TLSv1.2");

    private final String jsseName;

    TlsProtocol(String jsseName) {
        this.jsseName = jsseName;
    }

    /** The name the JDK and netty use, e.g. {@code TLSv1.3}. */
    public String jsseName() {
        return jsseName;
    }

    /** The protocol for a JSSE name (exact); empty for older versions and anything else. */
    public static Optional<TlsProtocol> fromJsseName(String name) {
        if (name != null) {
            for (TlsProtocol p : values()) {
                if (p.jsseName.equals(name)) {
                    return Optional.of(p);
                }
            }
        }
        return Optional.empty();
    }
}
