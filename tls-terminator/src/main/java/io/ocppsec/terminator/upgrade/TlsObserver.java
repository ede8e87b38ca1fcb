package io.ocppsec.terminator.upgrade;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.ocppsec.security.tls.TlsCheck;
import io.ocppsec.security.tls.TlsPolicy;
import io.ocppsec.terminator.Metrics;
import io.ocppsec.terminator.SecurityEvents;
import io.ocppsec.terminator.tls.StationTrust;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * Watches the end of the TLS handshake: counts it, double-checks the negotiated protocol and suite
 * against the policy (A00.FR.315/320/418/423), keeps the client certificate chain for the upgrade,
 * and turns a failed handshake into a security event with its reason (an untrusted client
 * certificate, an old protocol, no shared suite) and a failure for the IP's back-off.
 */
public final class TlsObserver extends ChannelInboundHandlerAdapter {
    private final TlsPolicy policy;
    private final Metrics metrics;
    private final SecurityEvents events;
    private final FailureLimiter ipFailures;

    public TlsObserver(TlsPolicy policy, Metrics metrics, SecurityEvents events, FailureLimiter ipFailures) {
        this.policy = policy;
        this.metrics = metrics;
        this.events = events;
        this.ipFailures = ipFailures;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent done) {
            String ip = AcceptGate.ip(ctx.channel());
            if (done.isSuccess()) {
                SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
                TlsCheck check = policy.check(session);
                if (check instanceof TlsCheck.Refused refused) {
                    metrics.handshake(false);
                    refuse(ip, refused.event().wireName(), refused.reason().name(), null, refused.detail());
                    ctx.close();
                    return;
                }
                metrics.handshake(true);
                ctx.channel().attr(Attributes.TLS_OK).set(Boolean.TRUE);
                try {
                    // Our own parsed copy, dropped after the upgrade: the session's certificates stay
                    // unparsed bytes, so an idle connection does not keep certificate objects.
                    Certificate[] peer = session.getPeerCertificates();
                    java.security.cert.CertificateFactory cf = java.security.cert.CertificateFactory.getInstance("X.509");
                    X509Certificate[] chain = new X509Certificate[peer.length];
                    for (int i = 0; i < peer.length; i++) {
                        chain[i] = (X509Certificate) cf.generateCertificate(new java.io.ByteArrayInputStream(peer[i].getEncoded()));
                    }
                    ctx.channel().attr(Attributes.CLIENT_CHAIN).set(chain);
                } catch (SSLPeerUnverifiedException none) {
                    // no client certificate: fine for profile 2; the upgrade decides
                }
            } else {
                metrics.handshake(false);
                failed(ip, done.cause());
            }
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void failed(String ip, Throwable cause) {
        StationTrust.Reason trust = StationTrust.reasonOf(cause);
        if (trust != null) {
            refuse(ip, "InvalidChargingStationCertificate", "CLIENT_CERTIFICATE_" + trust.name(), "A00.FR.407",
                    "client certificate refused at the TLS handshake: " + trust.name());
            return;
        }
        String text = describe(cause).toUpperCase(Locale.ROOT);
        if (text.contains("PROTOCOL") && (text.contains("VERSION") || text.contains("UNSUPPORTED"))) {
            refuse(ip, "InvalidTLSVersion", "TLS_VERSION", "A00.FR.418", "the client offered no TLS 1.2 or 1.3");
        } else if (text.contains("CIPHER")) {
            refuse(ip, "InvalidTLSCipherSuite", "TLS_CIPHER_SUITE", "A00.FR.425", "no allowed cipher suite in common");
        } else if (text.contains("TIMEOUT") || text.contains("TIMED OUT")) {
            // Not the address's fault as a rule (the terminator may be slow under a storm); idle
            // sockets are bounded by the per-IP pending cap instead of the back-off.
            metrics.refused("TLS_HANDSHAKE_TIMEOUT");
        } else if (text.contains("CLOSED") || text.contains("RESET")) {
            metrics.refused("TLS_ABORTED");
        } else {
            refuse(ip, "InvalidTLSHandshake", "TLS_HANDSHAKE_FAILED", null, "the TLS handshake failed (not TLS, or broken)");
        }
    }

    private void refuse(String ip, String type, String reason, String requirement, String detail) {
        metrics.refused(reason);
        ipFailures.failed(ip);
        events.terminator(null, ip, type, reason, requirement, detail);
    }

    private static String describe(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null && sb.length() < 2000; c = c.getCause()) {
            sb.append(c.getClass().getSimpleName()).append(':').append(c.getMessage()).append(' ');
        }
        return sb.toString();
    }
}
