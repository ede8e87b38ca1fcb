package io.ocppsec.security.tls;

import io.ocppsec.security.event.SecurityEventType;

import java.util.Objects;

/** The outcome of {@link TlsPolicy#check}: the negotiated parameters are allowed, or why not. */
public sealed interface TlsCheck permits TlsCheck.Accepted, TlsCheck.Refused {

    /** Why a negotiated session is not acceptable. */
    enum Reason {
        /** SSL or TLS older than 1.2, or an unknown protocol name (A00.FR.315 / A00.FR.418). */
        PROTOCOL_NOT_ALLOWED(SecurityEventType.INVALID_TLS_VERSION),
        /** A TLS 1.2 version allowed by OCPP but not enabled in this policy. */
        PROTOCOL_NOT_ENABLED(SecurityEventType.INVALID_TLS_VERSION),
        /** A suite outside the allowed list (CBC, 3DES, NULL, RC4, ...) (A00.FR.320/322, 423/425). */
        CIPHER_SUITE_NOT_ALLOWED(SecurityEventType.INVALID_TLS_CIPHER_SUITE),
        /** An allowed suite this policy does not enable (e.g. TLS_RSA under forward secrecy only). */
        CIPHER_SUITE_NOT_ENABLED(SecurityEventType.INVALID_TLS_CIPHER_SUITE),
        /** A suite of another TLS version than the one negotiated (e.g. a TLS 1.3 suite on TLS 1.2). */
        CIPHER_SUITE_PROTOCOL_MISMATCH(SecurityEventType.INVALID_TLS_CIPHER_SUITE);

        private final SecurityEventType event;

        Reason(SecurityEventType event) {
            this.event = event;
        }

        /** The security event the CSMS should log for this refusal. */
        public SecurityEventType event() {
            return event;
        }
    }

    /** The session uses an allowed protocol and suite. */
    record Accepted(TlsProtocol protocol, CipherSuite cipherSuite) implements TlsCheck {
        public Accepted {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(cipherSuite, "cipherSuite");
        }
    }

    /**
     * The CSMS SHALL terminate the connection and should log {@link #event()}.
     *
     * @param reason  machine-readable reason
     * @param detail  a short text (the negotiated names, which are not secret, truncated)
     */
    record Refused(Reason reason, String detail) implements TlsCheck {
        public Refused {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
        }

        /** The security event to log: {@code InvalidTLSVersion} or {@code InvalidTLSCipherSuite}. */
        public SecurityEventType event() {
            return reason.event();
        }
    }

    /** True for {@link Accepted}. */
    default boolean isAccepted() {
        return this instanceof Accepted;
    }
}
