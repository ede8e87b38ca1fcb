package io.ocppsec.security.tls;

import java.util.Optional;

/**
 * The TLS cipher suites the OCPP security profiles 2 and 3 allow, with both the IANA name (used by
 * the JDK and by netty's {@code SSLSession}) and the OpenSSL name (used in OpenSSL / BoringSSL
 * cipher strings, e.g. netty-tcnative), since either form may be reported.
 *
 * <ul>
 *   <li>TLS 1.2: exactly the four suites the CSMS SHALL support (A00.FR.318 / A00.FR.421). All are
 *       AEAD (GCM), so none is "unsuitable for legacy use" in BSI TR-02102 (A00.FR.320/423).</li>
 *   <li>TLS 1.3: OCPP names no suites ("TLS v1.2 or above", A00.FR.313); we allow the three that
 *       BoringSSL always enables and cannot be configured away: AES-128-GCM, AES-256-GCM and
 *       ChaCha20-Poly1305. All TLS 1.3 suites have forward secrecy.</li>
 * </ul>
 */
public enum CipherSuite {
    TLS_AES_128_GCM_SHA256("TLS_AES_128_GCM_SHA256", "TLS_AES_128_GCM_SHA256", TlsProtocol.TLS_1_3, true),
    TLS_AES_256_GCM_SHA384("TLS_AES_256_GCM_SHA384", "TLS_AES_256_GCM_SHA384", TlsProtocol.TLS_1_3, true),
    TLS_CHACHA20_POLY1305_SHA256("TLS_CHACHA20_POLY1305_SHA256", "TLS_CHACHA20_POLY1305_SHA256", TlsProtocol.TLS_1_3, true),
    TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256("TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "ECDHE-ECDSA-AES128-GCM-SHA256", TlsProtocol.TLS_1_2, true),
    TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384("TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384", "ECDHE-ECDSA-AES256-GCM-SHA384", TlsProtocol.TLS_1_2, true),
    TLS_RSA_WITH_AES_128_GCM_SHA256("TLS_RSA_WITH_AES_128_GCM_SHA256", "AES128-GCM-SHA256", TlsProtocol.TLS_1_2, false),
    TLS_RSA_WITH_AES_256_GCM_SHA384("TLS_RSA_WITH_AES_256_GCM_SHA384", "AES256-GCM-SHA384", TlsProtocol.TLS_1_2, false);

    private static final int MAX_NAME_LENGTH = 64;

    private final String ianaName;
    private final String openSslName;
    private final TlsProtocol protocol;
    private final boolean forwardSecrecy;

    CipherSuite(String ianaName, String openSslName, TlsProtocol protocol, boolean forwardSecrecy) {
        this.ianaName = ianaName;
        this.openSslName = openSslName;
        this.protocol = protocol;
        this.forwardSecrecy = forwardSecrecy;
    }

    /** The IANA (RFC) name, as the JDK uses it. */
    public String ianaName() {
        return ianaName;
    }

    /** The OpenSSL/BoringSSL name (for TLS 1.3 suites OpenSSL uses the IANA name). */
    public String openSslName() {
        return openSslName;
    }

    /** The TLS version the suite belongs to. */
    public TlsProtocol protocol() {
        return protocol;
    }

    /** Whether the key exchange is ephemeral (ECDHE, or any TLS 1.3 suite). */
    public boolean forwardSecrecy() {
        return forwardSecrecy;
    }

    /**
     * The suite for an IANA name, an OpenSSL name, or a JDK/netty name with the legacy {@code SSL_}
     * prefix; empty for anything else, including suites OCPP does not allow. Total.
     */
    public static Optional<CipherSuite> fromName(String name) {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME_LENGTH) {
            return Optional.empty();
        }
        String normalized = name.startsWith("SSL_") ? "TLS_" + name.substring(4) : name;
        for (CipherSuite s : values()) {
            if (s.ianaName.equals(normalized) || s.openSslName.equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The IANA name for an allowed suite given in either form; empty for anything else. */
    public static Optional<String> toIanaName(String name) {
        return fromName(name).map(CipherSuite::ianaName);
    }

    /** The OpenSSL name for an allowed suite given in either form; empty for anything else. */
    public static Optional<String> toOpenSslName(String name) {
        return fromName(name).map(CipherSuite::openSslName);
    }
}
