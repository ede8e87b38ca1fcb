package io.ocppsec.terminator.tls;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.ssl.SslClientHelloHandler;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

/**
 * Picks the server certificate from the ClientHello, before the TLS engine exists: BoringSSL serves
 * one certificate per context, so the terminator keeps an ECDSA and an RSA context and hands the
 * connection to the one the client can use. ECDSA when the client can take it (TLS 1.3 with an
 * ECDSA P-256 signature scheme, or TLS 1.2 with an ECDHE-ECDSA suite), RSA otherwise (e.g. a
 * station that only offers the TLS_RSA suites of A00.FR.318). Only the ClientHello's lists are read;
 * anything malformed falls back to ECDSA and the handshake itself then fails as it should.
 */
public final class CertificateSelector extends SslClientHelloHandler<Boolean> {
    private static final int EXT_SIGNATURE_ALGORITHMS = 13;
    private static final int EXT_SUPPORTED_VERSIONS = 43;

    private final ServerTls tls;
    private final long handshakeTimeoutMillis;

    public CertificateSelector(ServerTls tls, long handshakeTimeoutMillis) {
        super(16 * 1024);
        this.tls = tls;
        this.handshakeTimeoutMillis = handshakeTimeoutMillis;
    }

    @Override
    protected Future<Boolean> lookup(ChannelHandlerContext ctx, ByteBuf clientHello) {
        return ctx.executor().newSucceededFuture(clientHello != null && wantsRsa(clientHello));
    }

    @Override
    protected void onLookupComplete(ChannelHandlerContext ctx, Future<Boolean> future) {
        boolean rsa = future.isSuccess() && Boolean.TRUE.equals(future.getNow());
        SslHandler ssl = tls.context(rsa).newHandler(ctx.alloc());
        ssl.setHandshakeTimeoutMillis(handshakeTimeoutMillis);
        ctx.pipeline().replace(this, "tls", ssl);
    }

    /** Whether the client cannot use the ECDSA certificate but can use the RSA one. Visible for tests. */
    static boolean wantsRsa(ByteBuf hello) {
        try {
            int i = hello.readerIndex() + 34; // client_version + random
            int end = hello.writerIndex();
            i += 1 + hello.getUnsignedByte(i); // session id
            int suitesLength = hello.getUnsignedShort(i);
            i += 2;
            boolean ecdsa12 = false;
            boolean rsa12 = false;
            boolean tls13Suite = false;
            for (int s = i; s < i + suitesLength; s += 2) {
                int suite = hello.getUnsignedShort(s);
                if (suite == 0xC02B || suite == 0xC02C) {
                    ecdsa12 = true;
                } else if (suite == 0x009C || suite == 0x009D) {
                    rsa12 = true;
                } else if (suite >= 0x1301 && suite <= 0x1303) {
                    tls13Suite = true;
                }
            }
            i += suitesLength;
            i += 1 + hello.getUnsignedByte(i); // compression methods
            boolean tls13 = false;
            boolean sigalgsSeen = false;
            boolean ecdsaP256 = false;
            boolean anyEcdsa = false;
            boolean rsaSig = false;
            if (i + 2 <= end) {
                int extEnd = Math.min(end, i + 2 + hello.getUnsignedShort(i));
                i += 2;
                while (i + 4 <= extEnd) {
                    int type = hello.getUnsignedShort(i);
                    int len = hello.getUnsignedShort(i + 2);
                    int body = i + 4;
                    if (type == EXT_SUPPORTED_VERSIONS && len >= 1) {
                        int n = hello.getUnsignedByte(body);
                        for (int v = body + 1; v + 1 < body + 1 + n && v + 1 < extEnd; v += 2) {
                            tls13 |= hello.getUnsignedShort(v) == 0x0304;
                        }
                    } else if (type == EXT_SIGNATURE_ALGORITHMS && len >= 2) {
                        sigalgsSeen = true;
                        int n = hello.getUnsignedShort(body);
                        for (int v = body + 2; v + 1 < body + 2 + n && v + 1 < extEnd; v += 2) {
                            int scheme = hello.getUnsignedShort(v);
                            ecdsaP256 |= scheme == 0x0403;
                            anyEcdsa |= (scheme & 0xFF) == 0x03;
                            rsaSig |= (scheme & 0xFF) == 0x01 || (scheme >= 0x0804 && scheme <= 0x0806) || (scheme >= 0x0809 && scheme <= 0x080B);
                        }
                    }
                    i = body + len;
                }
            }
            if (tls13 && tls13Suite) {
                return sigalgsSeen && !ecdsaP256 && rsaSig;
            }
            if (ecdsa12 && (!sigalgsSeen || anyEcdsa)) {
                return false;
            }
            return rsa12;
        } catch (IndexOutOfBoundsException e) {
            return false;
        }
    }
}
