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
 * DHPublicKey: secp521r1 uncompressed point, 133 bytes; X448 raw, 56 bytes, no padding [V2G20-2495]
 * </pre>
 * Two independent choices make an envelope: the {@link Ecdh key agreement} (ECDHCurve, chosen by the OEM
 * provisioning certificate: its secp521r1 key, or for an Ed448 certificate its X448 "Alternate Subject Public
 * Key" [V2G20-2534]) and the {@link ContractKey contract key} it carries (SECP521_ or X448_EncryptedPrivateKey,
 * chosen by the contract certificate's curve [V2G20-2493] NOTE 1); the session key is the same for both
 * [V2G20-2500]. {@link #wrap} and {@link #unwrap} take both; {@code wrapSecp521}/{@code wrapX448} and their
 * unwraps are the two combinations where they agree.
 * <p>
 * The receiver refuses a failed tag, set padding bits, or a key that is not the contract
 * certificate's. UNCONFIRMED (no third-party -20 vector exists): the AAD construction and, for
 * X448, which contract key the 56 bytes carry; the X448 contract key here is an X448 private key,
 * checked against an X448 public key.
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

    /** The key agreement of the envelope: the response's ECDHCurve and the form of its DHPublicKey. */
    public enum Ecdh {
        /** ECDH on secp521r1 with the OEM provisioning key; DHPublicKey 04 ‖ X ‖ Y, 133 bytes [V2G20-2674]. */
        SECP521(SECP521_DH_PUBLIC_KEY_LENGTH),
        /** X448 (RFC 7748) with the OEM certificate's alternate X448 key; DHPublicKey raw, 56 bytes [V2G20-2495]. */
        X448(X448_DH_PUBLIC_KEY_LENGTH);

        private final int dhPublicKeyLength;

        Ecdh(int dhPublicKeyLength) {
            this.dhPublicKeyLength = dhPublicKeyLength;
        }

        /** The length of DHPublicKey with this agreement. */
        public int dhPublicKeyLength() {
            return dhPublicKeyLength;
        }
    }

    /** The contract private key the envelope carries: which *_EncryptedPrivateKey element [V2G20-2493]. */
    public enum ContractKey {
        /** A secp521r1 scalar padded to 528 bits: SECP521_EncryptedPrivateKey, 94 bytes [V2G20-2674]. */
        SECP521(SECP521_ENCRYPTED_KEY_LENGTH),
        /** A 56-byte X448 private key: X448_EncryptedPrivateKey, 84 bytes [V2G20-2500]. */
        X448(X448_ENCRYPTED_KEY_LENGTH);

        private final int encryptedLength;

        ContractKey(int encryptedLength) {
            this.encryptedLength = encryptedLength;
        }

        /** The length of the encrypted private key field. */
        public int encryptedLength() {
            return encryptedLength;
        }

        String element() {
            return name() + "_EncryptedPrivateKey";
        }
    }

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

    // ------------------------------------------------------------------ any combination

    /**
     * Seals {@code contractKey} (of type {@code type}) for {@code receiver} under {@code ecdh}, with a fresh
     * ephemeral key and IV.
     *
     * @param receiver the OEM provisioning key: a secp521r1 key for {@link Ecdh#SECP521}, the X448 alternate
     *                 key for {@link Ecdh#X448}
     * @throws IllegalArgumentException when a key does not fit {@code ecdh} or {@code type}, or the AAD inputs
     *                                  are invalid
     */
    public static SealedKey wrap(Ecdh ecdh, ContractKey type, PrivateKey contractKey, PublicKey receiver, String pcid,
                                 byte[] contractSki) {
        Objects.requireNonNull(ecdh, "ecdh");
        SecureRandom random = new SecureRandom();
        byte[] iv = new byte[IV];
        random.nextBytes(iv);
        return wrap(ecdh, type, contractKey, receiver, pcid, contractSki, ephemeral(ecdh, random), iv);
    }

    /** Seals with a given ephemeral key pair (of {@code ecdh}) and 12-byte IV — for test vectors only. */
    public static SealedKey wrap(Ecdh ecdh, ContractKey type, PrivateKey contractKey, PublicKey receiver, String pcid,
                                 byte[] contractSki, KeyPair ephemeral, byte[] iv) {
        Objects.requireNonNull(ecdh, "ecdh");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(contractKey, "contractKey");
        Objects.requireNonNull(receiver, "receiver");
        Objects.requireNonNull(ephemeral, "ephemeral");
        checkIv(iv);
        byte[] aad = aad(pcid, contractSki);
        if (!isPublicKeyOf(ecdh, receiver)) {
            throw new IllegalArgumentException("the receiver key of a " + ecdh + " envelope must be " + keyName(ecdh));
        }
        byte[] dhPublicKey = dhPublicKey(ecdh, ephemeral.getPublic());
        if (dhPublicKey == null) {
            throw new IllegalArgumentException("the ephemeral key of a " + ecdh + " envelope must be " + keyName(ecdh));
        }
        byte[] plain = plaintext(type, contractKey);
        if (plain == null) {
            throw new IllegalArgumentException("a " + type.element() + " carries " + keyName(type) + " contract key");
        }
        try {
            return new SealedKey(seal(ecdh, ephemeral.getPrivate(), receiver, iv, aad, plain), dhPublicKey);
        } finally {
            Iso15118_2Envelope.wipe(plain);
        }
    }

    /**
     * Opens a sealed key as the EV does: ECDH of {@code ecdh} with {@code receiver} (the OEM provisioning private
     * key, or the private key of its X448 alternate key), then checks the key (of {@code type}) against the
     * contract certificate's public key. Total for any bytes: a DHPublicKey that is not of {@code ecdh} (133 vs
     * 56 bytes), an encrypted field that is not of {@code type}, or a contract certificate key of another type is
     * MALFORMED.
     */
    public static Unsealed unwrap(Ecdh ecdh, ContractKey type, SealedKey sealed, PrivateKey receiver,
                                  PublicKey expectedContractPublic, String pcid, byte[] contractSki) {
        Objects.requireNonNull(ecdh, "ecdh");
        Objects.requireNonNull(type, "type");
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
        if (enc.length != type.encryptedLength()) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, type.element() + " is " + enc.length
                    + " bytes, not " + type.encryptedLength());
        }
        byte[] dhBytes = sealed.dhPublicKey();
        PublicKey dh = ecdh == Ecdh.SECP521 ? EnvelopeCrypto.decodePoint(dhBytes, P521, P521_FIELD) : x448PublicKey(dhBytes);
        if (dh == null) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "DHPublicKey (" + dhBytes.length + " bytes) is not "
                    + (ecdh == Ecdh.SECP521 ? "an uncompressed secp521r1 point (133 bytes)" : "an X448 key (56 bytes) [V2G20-2495]"));
        }
        if (!isContractPublicKey(type, expectedContractPublic)) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "the contract certificate key is not "
                    + keyName(type) + " key, as " + type.element() + " needs");
        }
        Opening o = open(ecdh, receiver, dh, enc, aad);
        if (o.refused != null) {
            return o.refused;
        }
        byte[] plain = o.plain;
        try {
            return type == ContractKey.SECP521 ? openedSecp521(plain, (ECPublicKey) expectedContractPublic)
                    : openedX448(plain, x448RawPublic(expectedContractPublic));
        } finally {
            Iso15118_2Envelope.wipe(plain);
        }
    }

    // ------------------------------------------------------------------ the same curve for both

    /** Seals a secp521r1 contract key for a secp521r1 {@code receiver} (ECDH P-521) with a fresh ephemeral key and IV. */
    public static SealedKey wrapSecp521(ECPrivateKey contractKey, ECPublicKey receiver, String pcid, byte[] contractSki) {
        return wrap(Ecdh.SECP521, ContractKey.SECP521, contractKey, receiver, pcid, contractSki);
    }

    /** Seals with a given ephemeral key pair and 12-byte IV — for test vectors only. */
    public static SealedKey wrapSecp521(ECPrivateKey contractKey, ECPublicKey receiver, String pcid, byte[] contractSki,
                                        KeyPair ephemeral, byte[] iv) {
        return wrap(Ecdh.SECP521, ContractKey.SECP521, contractKey, receiver, pcid, contractSki, ephemeral, iv);
    }

    /** Opens a SECP521 sealed key (ECDH P-521) and checks it against the contract certificate's key. Total for any bytes. */
    public static Unsealed unwrapSecp521(SealedKey sealed, PrivateKey receiver, ECPublicKey expectedContractPublic,
                                         String pcid, byte[] contractSki) {
        return unwrap(Ecdh.SECP521, ContractKey.SECP521, sealed, receiver, expectedContractPublic, pcid, contractSki);
    }

    /** Seals an X448 contract key for an X448 {@code receiver} with a fresh ephemeral key and IV. */
    public static SealedKey wrapX448(PrivateKey contractKey, PublicKey receiver, String pcid, byte[] contractSki) {
        return wrap(Ecdh.X448, ContractKey.X448, contractKey, receiver, pcid, contractSki);
    }

    /** Seals with a given ephemeral X448 key pair and 12-byte IV — for tests only. */
    public static SealedKey wrapX448(PrivateKey contractKey, PublicKey receiver, String pcid, byte[] contractSki,
                                     KeyPair ephemeral, byte[] iv) {
        return wrap(Ecdh.X448, ContractKey.X448, contractKey, receiver, pcid, contractSki, ephemeral, iv);
    }

    /** Opens an X448 sealed key (ECDH X448) and checks it against the expected X448 public key. Total for any bytes. */
    public static Unsealed unwrapX448(SealedKey sealed, PrivateKey receiver, PublicKey expectedContractPublic,
                                      String pcid, byte[] contractSki) {
        return unwrap(Ecdh.X448, ContractKey.X448, sealed, receiver, expectedContractPublic, pcid, contractSki);
    }

    // ------------------------------------------------------------------ the contract key

    /** The bytes a contract key is sealed as: d padded to 66 bytes (7 zero bits), or the 56 X448 bytes; null if not of {@code type}. */
    private static byte[] plaintext(ContractKey type, PrivateKey key) {
        if (type == ContractKey.X448) {
            return x448Raw(key);
        }
        return key instanceof ECPrivateKey ec && EnvelopeCrypto.onCurve(ec.getParams(), P521)
                ? BigIntegers.asUnsignedByteArray(P521_FIELD, ec.getS()) : null;
    }

    private static boolean isContractPublicKey(ContractKey type, PublicKey key) {
        return type == ContractKey.SECP521 ? isP521(key) : x448RawPublic(key) != null;
    }

    private static Unsealed openedSecp521(byte[] d, ECPublicKey expected) {
        if ((d[0] & 0xFE) != 0) {
            return new Unsealed.Refused(Unsealed.Reason.OUT_OF_RANGE, "the 7 padding bits of the P-521 key are not zero");
        }
        BigInteger s = new BigInteger(1, d);
        if (s.signum() == 0 || s.compareTo(P521.getN()) >= 0) {
            return new Unsealed.Refused(Unsealed.Reason.OUT_OF_RANGE, "decrypted value is not in 1..n-1");
        }
        if (!EnvelopeCrypto.matches(s, expected, P521, P521_FIELD)) {
            return new Unsealed.Refused(Unsealed.Reason.KEY_MISMATCH, "decrypted key does not belong to the contract certificate");
        }
        try {
            return new Unsealed.Opened(EnvelopeCrypto.privateKey(s, P521));
        } catch (GeneralSecurityException e) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "cannot build the key");
        }
    }

    private static Unsealed openedX448(byte[] raw, byte[] expected) {
        X448PrivateKeyParameters k = new X448PrivateKeyParameters(raw, 0);
        if (!MessageDigest.isEqual(k.generatePublicKey().getEncoded(), expected)) {
            return new Unsealed.Refused(Unsealed.Reason.KEY_MISMATCH, "decrypted key does not belong to the contract certificate");
        }
        try {
            PrivateKey pk = KeyFactory.getInstance("X448", Iso15118Crypto.provider())
                    .generatePrivate(new PKCS8EncodedKeySpec(PrivateKeyInfoFactory.createPrivateKeyInfo(k).getEncoded()));
            return new Unsealed.Opened(pk);
        } catch (GeneralSecurityException | java.io.IOException e) {
            return new Unsealed.Refused(Unsealed.Reason.MALFORMED, "cannot build the key");
        }
    }

    // ------------------------------------------------------------------ the key agreement

    private static KeyPair ephemeral(Ecdh ecdh, SecureRandom random) {
        return ecdh == Ecdh.SECP521 ? generate("EC", "secp521r1", random) : generate("X448", null, random);
    }

    private static String agreement(Ecdh ecdh) {
        return ecdh == Ecdh.SECP521 ? "ECDH" : "X448";
    }

    /** Whether {@code key} is a public key of the agreement's curve. */
    private static boolean isPublicKeyOf(Ecdh ecdh, PublicKey key) {
        return ecdh == Ecdh.SECP521 ? isP521(key) : x448RawPublic(key) != null;
    }

    /** DHPublicKey for an ephemeral public key: the uncompressed P-521 point or the raw X448 key; null if not of {@code ecdh}. */
    private static byte[] dhPublicKey(Ecdh ecdh, PublicKey ephemeral) {
        if (ecdh == Ecdh.X448) {
            return x448RawPublic(ephemeral);
        }
        return isP521(ephemeral) ? EnvelopeCrypto.uncompressed((ECPublicKey) ephemeral, P521_FIELD) : null;
    }

    private static boolean isP521(PublicKey key) {
        return key instanceof ECPublicKey ec && EnvelopeCrypto.onCurve(ec.getParams(), P521);
    }

    private static String keyName(Ecdh ecdh) {
        return ecdh == Ecdh.SECP521 ? "a secp521r1 key" : "an X448 key";
    }

    private static String keyName(ContractKey type) {
        return type == ContractKey.SECP521 ? "a secp521r1" : "an X448";
    }

    // ------------------------------------------------------------------ common

    private record Opening(byte[] plain, Unsealed.Refused refused) {
    }

    private static byte[] seal(Ecdh ecdh, PrivateKey ephemeral, PublicKey receiver, byte[] iv, byte[] aad, byte[] key) {
        byte[] z = null;
        byte[] k = null;
        try {
            z = EnvelopeCrypto.agree(agreement(ecdh), ephemeral, receiver);
            k = EnvelopeCrypto.concatKdf(new SHA512Digest(), z, 32);
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding", Iso15118Crypto.provider());
            gcm.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(k, "AES"), new GCMParameterSpec(TAG_BITS, iv));
            gcm.updateAAD(aad);
            byte[] ct = gcm.doFinal(key);
            byte[] out = new byte[IV + ct.length];
            System.arraycopy(iv, 0, out, 0, IV);
            System.arraycopy(ct, 0, out, IV, ct.length);
            return out;
        } catch (IllegalStateException e) {
            // BC refuses an X448 agreement whose result is all zero (a low-order receiver key, RFC 7748 §6.2)
            throw new IllegalArgumentException("the key agreement with the receiver key failed: " + e.getMessage(), e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("ECDH/AES-GCM failed", e);
        } finally {
            Iso15118_2Envelope.wipe(z, k);
        }
    }

    private static Opening open(Ecdh ecdh, PrivateKey receiver, PublicKey dh, byte[] enc, byte[] aad) {
        byte[] z = null;
        byte[] k = null;
        try {
            z = EnvelopeCrypto.agree(agreement(ecdh), receiver, dh);
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

    /** An X448 public key from its 56 raw bytes (DHPublicKey), or null. */
    private static PublicKey x448PublicKey(byte[] raw) {
        if (raw.length != X448_KEY) {
            return null;
        }
        try {
            return KeyFactory.getInstance("X448", Iso15118Crypto.provider()).generatePublic(new X509EncodedKeySpec(
                    new SubjectPublicKeyInfo(new org.bouncycastle.asn1.x509.AlgorithmIdentifier(
                            org.bouncycastle.asn1.edec.EdECObjectIdentifiers.id_X448), raw).getEncoded()));
        } catch (GeneralSecurityException | java.io.IOException | RuntimeException e) {
            return null;
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
