package io.ocppsec.terminator.upgrade;

import io.netty.util.AttributeKey;
import java.security.cert.X509Certificate;

/** Channel attributes shared by the pre-upgrade handlers. */
final class Attributes {
    static final AttributeKey<String> PENDING_IP = AttributeKey.valueOf("ocppsec.pendingIp");
    /** Set by the listener when it counted the connection as in progress (handshake or upgrade). */
    static final AttributeKey<Boolean> IN_PROGRESS = AttributeKey.valueOf("ocppsec.inProgress");
    static final AttributeKey<X509Certificate[]> CLIENT_CHAIN = AttributeKey.valueOf("ocppsec.clientChain");
    static final AttributeKey<Boolean> TLS_OK = AttributeKey.valueOf("ocppsec.tlsOk");

    private Attributes() {
    }
}
