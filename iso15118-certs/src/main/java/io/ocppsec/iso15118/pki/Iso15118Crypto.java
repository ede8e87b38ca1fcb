package io.ocppsec.iso15118.pki;

import org.bouncycastle.jce.provider.BouncyCastleProvider;

import java.security.Provider;

/**
 * The one Bouncy Castle provider instance this module uses. It is not registered with
 * {@link java.security.Security}; JCA calls name it explicitly.
 */
public final class Iso15118Crypto {

    private static final Provider BC = new BouncyCastleProvider();

    private Iso15118Crypto() {
    }

    /** The Bouncy Castle provider. */
    public static Provider provider() {
        return BC;
    }
}
