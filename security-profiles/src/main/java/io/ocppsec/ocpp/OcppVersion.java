package io.ocppsec.ocpp;

import java.util.Optional;

/**
 * The OCPP versions this service knows, by their registered WebSocket subprotocol names
 * (OCPP-J Part 4 §3.2, Table 1). Typed security messages exist for 2.0.1 and 2.1; 1.6 frames can
 * only be routed (its header is read by the same fast path) and proxied.
 */
public enum OcppVersion {
    OCPP_1_6("ocpp1.6"),
    OCPP_2_0_1("ocpp2.0.1"),
    OCPP_2_1("ocpp2.1");

    private final String subprotocol;

    OcppVersion(String subprotocol) {
        this.subprotocol = subprotocol;
    }

    /** The {@code Sec-WebSocket-Protocol} token, e.g. {@code ocpp2.0.1}. */
    public String subprotocol() {
        return subprotocol;
    }

    /** True when this version is the same as or newer than {@code other}. */
    public boolean atLeast(OcppVersion other) {
        return compareTo(other) >= 0;
    }

    /** Whether typed security messages (and their schema rules) exist for this version. */
    public boolean hasTypedMessages() {
        return this != OCPP_1_6;
    }

    /** Looks a subprotocol token up exactly; subprotocol names are case-sensitive (RFC 6455 §4.1). */
    public static Optional<OcppVersion> fromSubprotocol(String token) {
        if (token != null) {
            for (OcppVersion v : values()) {
                if (v.subprotocol.equals(token)) {
                    return Optional.of(v);
                }
            }
        }
        return Optional.empty();
    }

    @Override
    public String toString() {
        return subprotocol;
    }
}
