package io.ocppsec.pki.custody.pkcs11;

import io.ocppsec.pki.custody.CustodyException;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Provider;
import javax.crypto.Cipher;
import org.bouncycastle.crypto.AsymmetricBlockCipher;
import org.bouncycastle.crypto.CipherParameters;

/**
 * The raw RSA private-key operation ({@code m^d mod n}, no padding) done by a PKCS#11 token, as a
 * Bouncy Castle {@link AsymmetricBlockCipher}: Bouncy Castle makes the padding (the PSS encoding of
 * a digest made elsewhere) and the token applies the key, which never leaves it.
 *
 * <p>SunPKCS11 performs {@code RSA/ECB/NoPadding} in encrypt mode with a private key as
 * {@code C_Sign} with {@code CKM_RSA_X_509}, so the key needs {@code CKA_SIGN}, not
 * {@code CKA_DECRYPT}. A token, or a provider configuration, without that mechanism gives a
 * {@link CustodyException} that says so.
 *
 * <p>Signing only; one instance per signature, not thread-safe.
 */
final class TokenRawRsa implements AsymmetricBlockCipher {
    private final Provider provider;
    private final PrivateKey key;
    private final String label;
    private final int modulusBytes;

    /**
     * @param modulusBits the bit length of the key's modulus (from its public key)
     * @param label       the key's label, for messages
     */
    TokenRawRsa(Provider provider, PrivateKey key, int modulusBits, String label) {
        this.provider = provider;
        this.key = key;
        this.label = label;
        this.modulusBytes = (modulusBits + 7) / 8;
    }

    @Override
    public void init(boolean forEncryption, CipherParameters params) {
        if (!forEncryption) {
            throw new IllegalArgumentException("the token's raw RSA operation is used to sign only");
        }
    }

    @Override
    public int getInputBlockSize() {
        return modulusBytes;
    }

    @Override
    public int getOutputBlockSize() {
        return modulusBytes;
    }

    /** The private-key operation on {@code in}, read as a big-endian number; the result is as long as the modulus. */
    @Override
    public byte[] processBlock(byte[] in, int inOff, int inLen) {
        if (inLen > modulusBytes) {
            throw new IllegalArgumentException("a raw RSA block is at most " + modulusBytes + " bytes, not " + inLen);
        }
        byte[] block = new byte[modulusBytes];
        System.arraycopy(in, inOff, block, modulusBytes - inLen, inLen);
        Cipher cipher;
        try {
            cipher = Cipher.getInstance("RSA/ECB/NoPadding", provider);
        } catch (GeneralSecurityException e) {
            throw new CustodyException("the PKCS#11 provider offers no raw RSA (CKM_RSA_X_509), which an RSA-PSS signature"
                    + " over a precomputed digest needs with key " + label + ": " + e.getMessage(), e);
        }
        byte[] out;
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key);
            out = cipher.doFinal(block);
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CustodyException("the token could not do the raw RSA operation (C_Sign with CKM_RSA_X_509) with key " + label
                    + " that an RSA-PSS signature over a precomputed digest needs: " + message(e), e);
        }
        if (out.length == modulusBytes) {
            return out;
        }
        if (out.length > modulusBytes) {
            throw new CustodyException("the token's raw RSA operation with key " + label + " returned " + out.length
                    + " bytes for a " + modulusBytes + "-byte modulus");
        }
        byte[] padded = new byte[modulusBytes];
        System.arraycopy(out, 0, padded, modulusBytes - out.length, out.length);
        return padded;
    }

    private static String message(Throwable e) {
        StringBuilder b = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
            b.append(": ").append(c.getMessage());
        }
        return b.toString();
    }
}
