package io.ocppsec.iso15118.envelope;

import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import io.ocppsec.iso15118.pki.Iso15118Crypto;

/**
 * The ISO 15118-2 contract private-key envelope (§7.9.2.4.3, [V2G2-814..823]; reference
 * iso15118.md §2.4):
 * <pre>
 * sender (MO/CPS, party U): ephemeral key pair on secp256r1, new per message
 * receiver (party V):        OEM provisioning key (installation [V2G2-820]) or old contract key (update [V2G2-821])
 * Z  = x-coordinate of ECDH(ephemeral, receiver), 32 bytes                            [V2G2-818]
 * K  = ConcatKDF-SHA-256(Z, OtherInfo 01 55 56), 16 bytes                             [V2G2-818]
 * C  = AES-128-CBC(K, IV, d) without padding; d = contract private scalar, 32 bytes  [V2G2-816]
 * ContractSignatureEncryptedPrivateKey = IV(16, random [V2G2-815]) ‖ C(32) = 48 bytes [V2G2-817]
 * DHpublickey = 04 ‖ X ‖ Y of the ephemeral key, 65 bytes                             [V2G2-819]
 * </pre>
 * The receiver checks 0 &lt; d &lt; n and d·G = contract certificate key [V2G2-823]. CBC carries no
 * integrity: the CPS signature over ContractSignatureEncryptedPrivateKey and DHpublickey is what
 * authenticates them, so verify it first. Intermediate secrets are wiped after use.
 */
public final class Iso15118_2Envelope {

    public static final int ENCRYPTED_KEY_LENGTH = 48;
    public static final int DH_PUBLIC_KEY_LENGTH = 65;
    private static final int FIELD = 32;
    private static final int IV = 16;
    private static final ECNamedCurveParameterSpec P256 = EnvelopeCrypto.curve("secp256r1");

    private Iso15118_2Envelope() {
    }

    /** Seals {@code contractKey} for {@code receiver} with a fresh ephemeral key and IV. */
    public static SealedKey wrap(ECPrivateKey contractKey, ECPublicKey receiver) {
        return wrap(contractKey, receiver, new SecureRandom());
    }

    /** Seals {@code contractKey} for {@code receiver}, drawing the ephemeral key and IV from {@code random}. */
    public static SealedKey wrap(ECPrivateKey contractKey, ECPublicKey receiver, SecureRandom random) {
        Objects.requireNonNull(random, "random");
        byte[] iv = new byte[IV];
        random.nextBytes(iv);
        return wrap(contractKey, receiver, ephemeral(random), iv);
    }

    /**
     * Seals with a given ephemeral key pair and IV — for test vectors only: both must be fresh for
     * every message [V2G2-815].
     *
     * @throws IllegalArgumentException if a key is not on secp256r1 or the IV is not 16 bytes
     */
    public static SealedKey wrap(ECPrivateKey contractKey, ECPublicKey receiver, KeyPair ephemeral, byte[] iv) {
        Objects.requireNonNull(contractKey, "contractKey");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(ephemeral, "ephemeral");
        Objects.requireNonNull(iv, "iv");
        if (iv.length != IV) {
            throw new IllegalArgumentException("IV must be 16 bytes");
        }
        if (!EnvelopeCrypto.onCurve(contractKey.getParams(), P256) || !EnvelopeCrypto.onCurve(receiver.getParams(), P256)
                || !(ephemeral.getPublic() instanceof ECPublicKey eph) || !EnvelopeCrypto.onCurve(eph.getParams(), P256)) {
            throw new IllegalArgumentException("ISO 15118-2 envelope keys must be on secp256r1");
        }
        byte[] z = null;
        byte[] k = null;
        byte[] d = null;
        try {
            z = EnvelopeCrypto.agree("ECDH", ephemeral.getPrivate(), receiver);
            k = EnvelopeCrypto.concatKdf(new SHA256Digest(), z, 16);
            d = BigIntegers.asUnsignedByteArray(FIELD, contractKey.getS());
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding", Iso15118Crypto.provider());
            aes.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new IvParameterSpec(iv));
            byte[] c = aes.doFinal(d);
            byte[] out = new byte[ENCRYPTED_KEY_LENGTH];
            System.arraycopy(iv, 0, out, 0, IV);
            System.arraycopy(c, 0, out, IV, c.length);
            return new SealedKey(out, EnvelopeCrypto.uncompressed(eph, FIELD));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDH/AES failed", e);
        } finally {
            wipe(z, k, d);
        }
    }

    /**
     * Opens a sealed key with the receiver's private key and checks it against the contract
     * certificate's public key [V2G2-823]. Total for any byte content of {@code sealed}.
     */
    public static Unsealed unwrap(SealedKey sealed, PrivateKey receiver, ECPublicKey expectedContractPublic) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(expectedContractPublic, "expectedContractPublic");
        byte[] enc = sealed.encryptedPrivateKey();
        if (enc.length != ENCRYPTED_KEY_LENGTH) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "ContractSignatureEncryptedPrivateKey is "
                    + enc.length + " bytes, not 48");
        }
        PublicKey dh = EnvelopeCrypto.decodePoint(sealed.dhPublicKey(), P256, FIELD);
        if (dh == null) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "DHpublickey is not an uncompressed secp256r1 point");
        }
        if (!EnvelopeCrypto.onCurve(expectedContractPublic.getParams(), P256)) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "the contract certificate key is not on secp256r1");
        }
        byte[] z = null;
        byte[] k = null;
        byte[] d = null;
        try {
            z = EnvelopeCrypto.agree("ECDH", receiver, dh);
            k = EnvelopeCrypto.concatKdf(new SHA256Digest(), z, 16);
            Cipher aes = Cipher.getInstance("AES/CBC/NoPadding", Iso15118Crypto.provider());
            aes.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new IvParameterSpec(enc, 0, IV));
            d = aes.doFinal(enc, IV, ENCRYPTED_KEY_LENGTH - IV);
            BigInteger s = new BigInteger(1, d);
            if (s.signum() == 0 || s.compareTo(P256.getN()) >= 0) {
                return new Unsealed.Refused(Unsealed.Reason.OUT_OF_RANGE, "decrypted value is not in 1..n-1 [V2G2-823]");
            }
            if (!EnvelopeCrypto.matches(s, expectedContractPublic, P256, FIELD)) {
                return new Unsealed.Refused(Unsealed.Reason.KEY_MISMATCH,
                        "decrypted key does not belong to the contract certificate [V2G2-823]");
            }
            return new Unsealed.Opened(EnvelopeCrypto.privateKey(s, P256));
        } catch (GeneralSecurityException | IllegalStateException e) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "ECDH with the receiver key failed");
        } finally {
            wipe(z, k, d);
        }
    }

    private static KeyPair ephemeral(SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC", Iso15118Crypto.provider());
            g.initialize(new ECGenParameterSpec("secp256r1"), random);
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate a secp256r1 key", e);
        }
    }

    static void wipe(byte[]... arrays) {
        for (byte[] a : arrays) {
            if (a != null) {
                Arrays.fill(a, (byte) 0);
            }
        }
    }
}
