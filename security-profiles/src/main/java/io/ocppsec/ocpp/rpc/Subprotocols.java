package io.ocppsec.ocpp.rpc;

import io.ocppsec.ocpp.OcppVersion;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * WebSocket subprotocol negotiation for OCPP-J (Part 4 §3.2/§3.3). The station lists the versions
 * it speaks in {@code Sec-WebSocket-Protocol}; the CSMS picks one and echoes it. When none is
 * acceptable the CSMS completes the handshake without the header and closes the connection. A
 * version in the URL never decides (§3.3).
 */
public final class Subprotocols {
    /** Most tokens read from the header(s); a station offers a handful at most. */
    public static final int MAX_TOKENS = 16;
    /** Longest token considered; longer ones are skipped. */
    public static final int MAX_TOKEN_LENGTH = 32;
    /** Longest header value read; the rest is ignored. */
    public static final int MAX_HEADER_LENGTH = 1024;

    private Subprotocols() {
    }

    /**
     * The tokens of one or more {@code Sec-WebSocket-Protocol} header values, in order, trimmed,
     * with empty and oversized tokens skipped (RFC 6455 §4.1: comma-separated, may repeat).
     */
    public static List<String> parse(List<String> headerValues) {
        List<String> tokens = new ArrayList<>();
        if (headerValues == null) {
            return tokens;
        }
        for (String value : headerValues) {
            if (value == null) {
                continue;
            }
            String v = value.length() > MAX_HEADER_LENGTH ? value.substring(0, MAX_HEADER_LENGTH) : value;
            for (String part : v.split(",", MAX_TOKENS + 1)) {
                String t = part.trim();
                if (!t.isEmpty() && t.length() <= MAX_TOKEN_LENGTH && tokens.size() < MAX_TOKENS) {
                    tokens.add(t);
                }
            }
        }
        return tokens;
    }

    /**
     * Picks the version to speak: the first of {@code allowed} (in the server's order of
     * preference, best first) that the station offered. TC_B_58_CSMS: a supported version is
     * chosen even when the station also offers an unsupported one. Empty when nothing matches.
     */
    public static Optional<OcppVersion> select(List<String> offered, List<OcppVersion> allowed) {
        for (OcppVersion v : allowed) {
            if (offered.contains(v.subprotocol())) {
                return Optional.of(v);
            }
        }
        return Optional.empty();
    }
}
