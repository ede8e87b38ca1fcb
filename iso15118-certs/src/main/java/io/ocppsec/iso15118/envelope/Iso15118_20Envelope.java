package io.ocppsec.iso15118.envelope;

import io.ocppsec.iso15118.pki.Iso15118Crypto;
import io.ocppsec.iso15118.pki.Pcid;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.params.X448PrivateKeyParameters;
import org.bouncycastle.crypto.util.PrivateKeyInfoFactory;
import org.bouncycastle.jce.spec.ECNamedCurveParameterSpec;
import org.bouncycastle.util.BigIntegers;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * The ISO 15118-20 contract private-key envelope (reference iso15118.md §2.5):
 * <pre>
 * Z   = ECDH(ephemeral, receiver): secp521r1 x-coordinate (66 bytes) or X448 (56 bytes, RFC 7748)
 * K   = ConcatKDF-SHA-512(Z, OtherInfo 01 55 56), 32 bytes                          [V2G20-2535]
 * AAD = PCID (18 ASCII upper-case/digits) ‖ contract certificate SKI as upper-case hex [V2G20-2492]
 * out = IV(12, random) ‖ AES-256-GCM(K, IV, AAD, key) ‖ tag(16)                     [V2G20-2497..2510]
 *       secp521r1: key = d padded to 66 bytes (7 zero bits) → 94 bytes; X448: 56-byte key → 84 bytes
 * DHPublicKey: secp521r1 uncompressed point, 133 bytes; X448 raw, 56 bytes           [V2G20-2495]
 * </pre>
 * The receiver refuses a failed tag, set padding bits, or a key that is not the contract
 * certificate's. UNCONFIRMED (no third-party -20 vector exists): the AAD construction and, for
 * X448, which contract key the 56 bytes carry; the X448 variant here seals an X448 private key
 * and checks it against an X448 public key.
 */
public final class Iso15118_20Envelope {

    public static final int SECP521_ENCRYPTED_KEY_LENGTH = 94;
    public static final int SECP521_DH_PUBLIC_KEY_LENGTH = 133;
    public static final int X448_ENCRYPTED_KEY_LENGTH = 84;
    public static final int X448_DH_PUBLIC_KEY_LENGTH = 56;
    /** Longest SKI accepted for the AAD (the -20 profile uses 8 bytes). */
    public static final int MAX_SKI_LENGTH = 32;

    private static final int P521_FIELD = 66;
    private static final int X448_KEY = 56;
    private static final int IV = 12;
    private static final int TAG_BITS = 128;
    private static final ECNamedCurveParameterSpec P521 = EnvelopeCrypto.curve("secp521r1");

    private Iso15118_20Envelope() {
    }

    /** The AAD: PCID ‖ upper-case hex of the contract certificate's SKI [V2G20-2492]. */
    public static byte[] aad(String pcid, byte[] contractSki) {
        if (!Pcid.isValidForIso15118_20(pcid)) {
            throw new IllegalArgumentException("PCID must be 18 upper-case letters or digits [V2G20-2492]");
        }
        Objects.requireNonNull(contractSki, "contractSki");
        if (contractSki.length == 0 || contractSki.length > MAX_SKI_LENGTH) {
            throw new IllegalArgumentException("SKI must be 1.." + MAX_SKI_LENGTH + " bytes");
        }
        return (pcid + HexFormat.of().withUpperCase().formatHex(contractSki)).getBytes(StandardCharsets.US_ASCII);
    }

    // ------------------------------------------------------------------ secp521r1

    /** Seals a secp521r1 contract key for {@code receiver} with a fresh ephemeral key and IV. */
    public static SealedKey wrapSecp521(ECPrivateKey contractKey, ECPublicKey receiver, String pcid, byte[] contractSki) {
        SecureRandom random = new SecureRandom();
        byte[] iv = new byte[IV];
        random.nextBytes(iv);
        return wrapSecp521(contractKey, receiver, pcid, contractSki, generate("EC", "secp521r1", random), iv);
    }

    /** Seals with a given ephemeral key pair and 12-byte IV — for test vectors only. */
    public static SealedKey wrapSecp521(ECPrivateKey contractKey, ECPublicKey receiver, String pcid, byte[] contractSki,
                                        KeyPair ephemeral, byte[] iv) {
        Objects.requireNonNull(contractKey, "contractKey");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(ephemeral, "ephemeral");
        checkIv(iv);
        byte[] aad = aad(pcid, contractSki);
        if (!EnvelopeCrypto.onCurve(contractKey.getParams(), P521) || !EnvelopeCrypto.onCurve(receiver.getParams(), P521)
                || !(ephemeral.getPublic() instanceof ECPublicKey eph) || !EnvelopeCrypto.onCurve(eph.getParams(), P521)) {
            throw new IllegalArgumentException("ISO 15118-20 SECP521 envelope keys must be on secp521r1");
        }
        byte[] d = BigIntegers.asUnsignedByteArray(P521_FIELD, contractKey.getS());
        try {
            byte[] out = seal("ECDH", ephemeral.getPrivate(), receiver, iv, aad, d);
            return new SealedKey(out, EnvelopeCrypto.uncompressed(eph, P521_FIELD));
        } finally {
            Iso15118_2Envelope.wipe(d);
        }
    }

    /** Opens a SECP521 sealed key and checks it against the contract certificate's key. Total for any bytes. */
    public static Unsealed unwrapSecp521(SealedKey sealed, PrivateKey receiver, ECPublicKey expectedContractPublic,
                                         String pcid, byte[] contractSki) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(expectedContractPublic, "expectedContractPublic");
        byte[] aad;
        try {
            aad = aad(pcid, contractSki);
        } catch (IllegalArgumentException | NullPointerException e) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "bad AAD input: " + e.getMessage());
        }
        byte[] enc = sealed.encryptedPrivateKey();
        if (enc.length != SECP521_ENCRYPTED_KEY_LENGTH) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "SECP521_EncryptedPrivateKey is " + enc.length
                    + " bytes, not 94");
        }
        PublicKey dh = EnvelopeCrypto.decodePoint(sealed.dhPublicKey(), P521, P521_FIELD);
        if (dh == null) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "DHPublicKey is not an uncompressed secp521r1 point");
        }
        if (!EnvelopeCrypto.onCurve(expectedContractPublic.getParams(), P521)) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "the contract certificate key is not on secp521r1");
        }
        Opening o = open("ECDH", receiver, dh, enc, aad);
        if (o.refused != null) {
            return o.refused;
        }
        byte[] d = o.plain;
        try {
            if ((d[0] & 0xFE) != 0) {
                return new Unsealed.Refused(Unsealed.Reason.OUT_OF_RANGE, "the 7 padding bits of the P-521 key are not zero");
            }
            BigInteger s = new BigInteger(1, d);
            if (s.signum() == 0 || s.compareTo(P521.getN()) >= 0) {
                return new Unsealed.Refused(Unsealed.Reason.OUT_OF_RANGE, "decrypted value is not in 1..n-1");
            }
            if (!EnvelopeCrypto.matches(s, expectedContractPublic, P521, P521_FIELD)) {
                return new Unsealed.Refused(Unsealed.Reason.KEY_MISMATCH, "decrypted key does not belong to the contract certificate");
            }
            return new Unsealed.Opened(EnvelopeCrypto.privateKey(s, P521));
        } catch (GeneralSecurityException e) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "cannot build the key");
        } finally {
            Iso15118_2Envelope.wipe(d);
        }
    }

    // ------------------------------------------------------------------ X448

    /** Seals an X448 contract key for an X448 {@code receiver} with a fresh ephemeral key and IV. */
    public static SealedKey wrapX448(PrivateKey contractKey, PublicKey receiver, String pcid, byte[] contractSki) {
        SecureRandom random = new SecureRandom();
        byte[] iv = new byte[IV];
        random.nextBytes(iv);
        return wrapX448(contractKey, receiver, pcid, contractSki, generate("X448", null, random), iv);
    }

    /** Seals with a given ephemeral X448 key pair and 12-byte IV — for tests only. */
    public static SealedKey wrapX448(PrivateKey contractKey, PublicKey receiver, String pcid, byte[] contractSki,
                                     KeyPair ephemeral, byte[] iv) {
        Objects.requireNonNull(contractKey, "contractKey");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(ephemeral, "ephemeral");
        checkIv(iv);
        byte[] aad = aad(pcid, contractSki);
        byte[] raw = x448Raw(contractKey);
        byte[] ephPublic = x448RawPublic(ephemeral.getPublic());
        if (raw == null || ephPublic == null || x448RawPublic(receiver) == null) {
            throw new IllegalArgumentException("X448 envelope keys must be X448 keys");
        }
        try {
            return new SealedKey(seal("X448", ephemeral.getPrivate(), receiver, iv, aad, raw), ephPublic);
        } finally {
            Iso15118_2Envelope.wipe(raw);
        }
    }

    /** Opens an X448 sealed key and checks it against the expected X448 public key. Total for any bytes. */
    public static Unsealed unwrapX448(SealedKey sealed, PrivateKey receiver, PublicKey expectedContractPublic,
                                      String pcid, byte[] contractSki) {
        Objects.requireNonNull(sealed, "sealed");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(expectedContractPublic, "expectedContractPublic");
        byte[] aad;
        try {
            aad = aad(pcid, contractSki);
        } catch (IllegalArgumentException | NullPointerException e) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "bad AAD input: " + e.getMessage());
        }
        byte[] enc = sealed.encryptedPrivateKey();
        byte[] dhRaw = sealed.dhPublicKey();
        if (enc.length != X448_ENCRYPTED_KEY_LENGTH || dhRaw.length != X448_DH_PUBLIC_KEY_LENGTH) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "X448 fields must be 84 and 56 bytes");
        }
        byte[] expected = x448RawPublic(expectedContractPublic);
        if (expected == null) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "the expected contract key is not an X448 key");
        }
        PublicKey dh;
        try {
            dh = KeyFactory.getInstance("X448", Iso15118Crypto.provider()).generatePublic(new X509EncodedKeySpec(
                    new SubjectPublicKeyInfo(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                            org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_X448), dhRaw).getEncoded()));
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "DHPublicKey is not an X448 key");
        }
        Opening o = open("X448", receiver, dh, enc, aad);
        if (o.refused != null) {
            return o.refused;
        }
        byte[] raw = o.plain;
        try {
            X448PrivateKeyParameters k = new X448PrivateKeyParameters(raw, 0);
            if (!MessageDigest.isEqual(k.generatePublicKey().getEncoded(), expected)) {
                return new Unsealed.Refused(Unsealed.Reason.KEY_MISMATCH, "decrypted key does not belong to the contract certificate");
            }
            PrivateKey pk = KeyFactory.getInstance("X448", Iso15118Crypto.provider())
                    .generatePrivate(new PKCS8EncodedKeySpec(PrivateKeyInfoFactory.createPrivateKeyInfo(k).getEncoded()));
            return new Unsealed.Opened(pk);
        } catch (GeneralSecurityException | java.io.IOException e) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "cannot build the key");
        } finally {
            Iso15118_2Envelope.wipe(raw);
        }
    }

    // ------------------------------------------------------------------ common

    private record Opening(byte[] plain, Unsealed.Refused refused) {
    }

    private static byte[] seal(String agreement, PrivateKey ephemeral, PublicKey receiver, byte[] iv, byte[] aad, byte[] key) {
        byte[] z = null;
        byte[] k = null;
        try {
            z = EnvelopeCrypto.agree(agreement, ephemeral, receiver);
            k = EnvelopeCrypto.concatKdf(new SHA512Digest(), z, 32);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", Iso15118Crypto.provider());
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            gcm.updateAAD(aad);
            byte[] ct = gcm.doFinal(key);
            byte[] out = new byte[IV + ct.length];
            System.arraycopy(iv, 0, out, 0, IV);
            System.arraycopy(ct, 0, out, IV, ct.length);
            return out;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDH/AES-GCM failed", e);
        } finally {
            Iso15118_2Envelope.wipe(z, k);
        }
    }

    private static Opening open(String agreement, PrivateKey receiver, PublicKey dh, byte[] enc, byte[] aad) {
        byte[] z = null;
        byte[] k = null;
        try {
            z = EnvelopeCrypto.agree(agreement, receiver, dh);
            k = EnvelopeCrypto.concatKdf(new SHA512Digest(), z, 32);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", Iso15118Crypto.provider());
            gcm.init(Cipher.DECRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_BITS, enc, 0, IV));
            gcm.updateAAD(aad);
            return new Opening(gcm.doFinal(enc, IV, enc.length - IV), null);
        } catch (AEADBadTagException e) {
            return new Opening(null, new Unsealed.Refused(Unsealed.Reason.DECRYPTION_FAILED,
                    "AES-GCM authentication failed (tampered data, wrong key or wrong AAD)"));
        } catch (GeneralSecurityException | IllegalStateException e) {
            return new Opening(null, new Unsealed.Refused(Unsealed.Reason.MALFORMED, "key agreement with the receiver key failed"));
        } finally {
            Iso15118_2Envelope.wipe(z, k);
        }
    }

    private static void checkIv(byte[] iv) {
        Objects.requireNonNull(iv, "iv");
        if (iv.length != IV) {
            throw new IllegalArgumentException("IV must be 12 bytes");
        }
    }

    private static KeyPair generate(String alg, String curve, SecureRandom random) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg, Iso15118Crypto.provider());
            if (curve != null) {
                g.initialize(new ECGenParameterSpec(curve), random);
            }
            return g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot generate an ephemeral key", e);
        }
    }

    /** The 56 raw bytes of an X448 private key, or null. */
    private static byte[] x448Raw(PrivateKey key) {
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(key.getEncoded());
            if (!org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_X448.equals(info.getPrivateKeyAlgorithm().getAlgorithm())) {
                return null;
            }
            byte[] raw = ASN1OctetString.getInstance(info.parsePrivateKey()).getOctets();
            return raw.length == X448_KEY ? raw : null;
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /** The 56 raw bytes of an X448 public key, or null. */
    private static byte[] x448RawPublic(PublicKey key) {
        try {
            SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(key.getEncoded());
            if (!org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_X448.equals(spki.getAlgorithm().getAlgorithm())) {
                return null;
            }
            byte[] raw = spki.getPublicKeyData().getOctets();
            return raw.length == X448_KEY ? raw : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
