package io.ocppsec.security.tls;

/** Whether the TLS server asks the Charging Station for a client certificate. */
public enum ClientAuth {
    /** Do not ask (profile 2 only). */
    NONE,
    /**
     * Ask, but complete the handshake without one ("want"): our wss listener serves profile 2
     * and 3 stations alike, and decides at the upgrade, where a refusal can carry a reason and a
     * security event (design §3).
     */
    OPTIONAL,
    /** Require one ("need"): for a listener dedicated to profile 3 (A00.FR.006 one profile per port). */
    REQUIRED
}
