package io.ocppsec.terminator.upgrade;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import io.ocppsec.terminator.tls.ServerTls;
import java.util.concurrent.TimeUnit;

/**
 * The station pipeline before the upgrade, one handler per step, in protocol order:
 * <pre>
 * gate -> tls (certificate selector, then the SslHandler) -> tls-observer -> http -> http-aggregator -> ws-deflate -> upgrade
 * </pre>
 * ({@code tls} and {@code tls-observer} only on the wss listener). A connection that has not
 * upgraded within twice the handshake timeout is closed.
 */
public final class StationChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** The largest upgrade request head and body accepted. */
    static final int MAX_REQUEST = 8192;

    private final ServerTls tls;
    private final TlsObserverFactory observers;
    private final AcceptGate gate;
    private final java.util.function.Supplier<UpgradeHandler> upgrades;
    private final long handshakeTimeoutMillis;
    private final int maxFrameBytes;

    /** Makes the per-channel TLS observer. */
    public interface TlsObserverFactory {
        TlsObserver create();
    }

    public StationChannelInitializer(ServerTls tls, TlsObserverFactory observers, AcceptGate gate,
                                     java.util.function.Supplier<UpgradeHandler> upgrades, long handshakeTimeoutMillis,
                                     int maxFrameBytes) {
        this.tls = tls;
        this.observers = observers;
        this.gate = gate;
        this.upgrades = upgrades;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline().addLast("gate", gate);
        if (tls != null) {
            // replaced by the SslHandler of the ECDSA or the RSA context once the ClientHello is read
            ch.pipeline().addLast("tls", new io.ocppsec.terminator.tls.CertificateSelector(tls, handshakeTimeoutMillis));
            ch.pipeline().addLast("tls-observer", observers.create());
        }
        ch.pipeline().addLast("http", new HttpServerCodec(4096, MAX_REQUEST, MAX_REQUEST));
        ch.pipeline().addLast("http-aggregator", new HttpObjectAggregator(MAX_REQUEST));
        ch.pipeline().addLast("ws-deflate", new WebSocketServerCompressionHandler(maxFrameBytes));
        ch.pipeline().addLast("upgrade", upgrades.get());
        ch.eventLoop().schedule(() -> {
            if (ch.pipeline().get(UpgradeHandler.class) != null && ch.isActive()) {
                ch.close();
            }
        }, handshakeTimeoutMillis * 2, TimeUnit.MILLISECONDS);
    }
}
