package io.ocppsec.security.firmware;

import java.io.IOException;
import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Null;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.engines.RSABlindedEngine;
import org.bouncycastle.crypto.engines.RSAEngine;
import org.bouncycastle.crypto.generators.MGF1BytesGenerator;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.MGFParameters;
import org.bouncycastle.crypto.params.ParametersWithRandom;
import org.bouncycastle.crypto.params.RSAKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.HMacDSAKCalculator;
import org.bouncycastle.crypto.signers.PSSSigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.crypto.util.PrivateKeyFactory;
import org.bouncycastle.crypto.util.PublicKeyFactory;

/**
 * The UpdateFirmware {@code signature} field: strict base64 of a signature over the image's SHA-256.
 *
 * <p>What is signed is the 32-byte SHA-256 of the whole image (L01.FR.04), the way EVerest's
 * libevse-security verifies it ({@code EVP_PKEY_verify} with signature digest SHA-256 over the
 * file's digest) and {@code openssl dgst -sha256 -sign} makes it:
 * <ul>
 *   <li>ECDSA with a P-256, P-384 or P-521 key: a DER {@code ECDSA-Sig-Value}, strictly encoded
 *       (a raw {@code r||s} or a BER variant does not verify);</li>
 *   <li>RSA of 2,048 to 4,096 bits: RSASSA-PSS with SHA-256 and MGF1-SHA-256 and any salt length
 *       (openssl 3.0 signs with the longest salt by default, we sign with 32 bytes). The salt
 *       length is read from the encoded message, then Bouncy Castle's PSS verifier checks the
 *       signature with exactly that length.</li>
 * </ul>
 * Verification uses Bouncy Castle's lightweight API: no provider, thread-safe, and it never
 * throws for a malformed signature (it answers false).
 */
public final class FirmwareSignatures {
    /** Longest {@code signature} field (UpdateFirmware {@code firmware.signature}, maxLength 800 in 2.0.1 and 2.1). */
    public static final int MAX_SIGNATURE_CHARS = 800;
    /** Salt length of the RSA-PSS signatures {@link #sign} makes. */
    public static final int PSS_SALT_LENGTH = 32;

    private static final int MIN_RSA_BITS = 2048;
    private static final int MAX_RSA_BITS = 4096;
    /** Largest RSA public exponent accepted (FIPS 186-5: 2^16 < e < 2^256); bounds the cost of one verification. */
    private static final int MAX_RSA_EXPONENT_BITS = 256;
    private static final int HASH_LENGTH = ImageDigest.LENGTH;
    private static final SecureRandom RANDOM = new SecureRandom();

    private FirmwareSignatures() {
    }

    /**
     * Strict base64 (RFC 4648 §4); throws {@link FirmwareSignatureException} with a reason code:
     * SIGNATURE_EMPTY (null or empty), SIGNATURE_TOO_LONG (over {@value #MAX_SIGNATURE_CHARS}
     * characters, checked first), SIGNATURE_NOT_BASE64 (anything but canonical padded base64:
     * whitespace, line breaks, the URL-safe alphabet, missing padding, non-zero trailing bits).
     */
    public static byte[] decode(String base64) {
        if (base64 == null || base64.isEmpty()) {
            throw new FirmwareSignatureException("SIGNATURE_EMPTY", "The firmware signature is empty.");
        }
        if (base64.length() > MAX_SIGNATURE_CHARS) {
            throw new FirmwareSignatureException("SIGNATURE_TOO_LONG", "The firmware signature is longer than "
                    + MAX_SIGNATURE_CHARS + " characters.");
        }
        if (!StrictBase64.isCanonical(base64)) {
            throw new FirmwareSignatureException("SIGNATURE_NOT_BASE64",
                    "The firmware signature is not base64 (RFC 4648 section 4, padded, without line breaks).");
        }
        return StrictBase64.decode(base64);
    }

    /** Base64 (RFC 4648 §4, no line breaks) of a signature. */
    public static String encode(byte[] signature) {
        Objects.requireNonNull(signature, "signature");
        return Base64.getEncoder().encodeToString(signature);
    }

    /**
     * Whether {@code signature} is a valid signature of {@code sha256} with {@code key} (ECDSA DER,
     * or RSA-PSS any salt). False for a malformed signature and for a key {@link #algorithmFor}
     * refuses; never throws for those.
     *
     * @throws IllegalArgumentException when {@code sha256} is not 32 bytes
     */
    public static boolean verify(PublicKey key, byte[] sha256, byte[] signature) {
        Objects.requireNonNull(key, "key");
        requireDigest(sha256);
        if (signature == null || signature.length == 0) {
            return false;
        }
        try {
            AsymmetricKeyParameter pub = publicParameters(key);
            if (pub instanceof ECPublicKeyParameters) {
                return verifyEcdsa((ECPublicKeyParameters) pub, sha256, signature);
            }
            if (pub instanceof RSAKeyParameters) {
                return verifyPss((RSAKeyParameters) pub, sha256, signature);
            }
            return false;
        } catch (IOException | RuntimeException e) {
            // A malformed signature (not DER, s >= n, ...) or an unsupported key: not valid.
            return false;
        }
    }

    /**
     * The algorithm a key of this type signs firmware with; throws {@link FirmwareSignatureException}
     * UNSUPPORTED_KEY for anything but an EC key on P-256, P-384 or P-521 or an RSA key of 2,048 to
     * 4,096 bits (A00.FR.502/503).
     */
    public static FirmwareSignatureAlgorithm algorithmFor(PublicKey key) {
        Objects.requireNonNull(key, "key");
        AsymmetricKeyParameter pub = publicParameters(key);
        if (pub instanceof ECPublicKeyParameters) {
            return FirmwareSignatureAlgorithm.ECDSA_SHA256;
        }
        if (pub instanceof RSAKeyParameters) {
            return FirmwareSignatureAlgorithm.RSA_PSS_SHA256;
        }
        throw unsupported(key.getAlgorithm());
    }

    /**
     * Signs a SHA-256 image digest (for tests and tools; pki-service signs through its key
     * custody): ECDSA with a deterministic nonce (RFC 6979, HMAC-SHA-256) as DER, or RSA-PSS with
     * SHA-256, MGF1-SHA-256 and a {@value #PSS_SALT_LENGTH}-byte salt.
     *
     * @throws FirmwareSignatureException UNSUPPORTED_KEY when the key cannot be exported (an HSM
     *                                    key), is not of a supported kind, or does not fit {@code algorithm}
     * @throws IllegalArgumentException   when {@code sha256} is not 32 bytes
     */
    public static byte[] sign(PrivateKey key, FirmwareSignatureAlgorithm algorithm, byte[] sha256) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(algorithm, "algorithm");
        requireDigest(sha256);
        AsymmetricKeyParameter priv = privateParameters(key);
        try {
            if (algorithm == FirmwareSignatureAlgorithm.ECDSA_SHA256 && priv instanceof ECPrivateKeyParameters) {
                ECPrivateKeyParameters ec = (ECPrivateKeyParameters) priv;
                ECDSASigner signer = new ECDSASigner(new HMacDSAKCalculator(new SHA256Digest()));
                signer.init(true, ec);
                BigInteger[] rs = signer.generateSignature(sha256);
                return StandardDSAEncoding.INSTANCE.encode(ec.getParameters().getN(), rs[0], rs[1]);
            }
            if (algorithm == FirmwareSignatureAlgorithm.RSA_PSS_SHA256 && priv instanceof RSAKeyParameters) {
                PSSSigner signer = PSSSigner.createRawSigner(new RSABlindedEngine(), new SHA256Digest(), new SHA256Digest(),
                        PSS_SALT_LENGTH, PSSSigner.TRAILER_IMPLICIT);
                signer.init(true, new ParametersWithRandom(priv, RANDOM));
                signer.update(sha256, 0, sha256.length);
                return signer.generateSignature();
            }
        } catch (CryptoException | IOException e) {
            throw new FirmwareSignatureException("SIGNING_FAILED", "Signing the firmware digest failed.");
        }
        throw new FirmwareSignatureException("UNSUPPORTED_KEY", "A " + key.getAlgorithm() + " key cannot sign with " + algorithm + ".");
    }

    private static boolean verifyEcdsa(ECPublicKeyParameters key, byte[] sha256, byte[] signature) throws IOException {
        // StandardDSAEncoding.decode accepts DER only: it re-encodes r and s and compares with the input.
        BigInteger[] rs = StandardDSAEncoding.INSTANCE.decode(key.getParameters().getN(), signature);
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, key);
        return verifier.verifySignature(sha256, rs[0], rs[1]);
    }

    /**
     * RSASSA-PSS with the salt length the signer chose (RFC 8017 §9.1.2): the public operation and
     * the MGF1 unmasking give the salt length; Bouncy Castle's PSS verifier then checks the whole
     * signature with it.
     */
    private static boolean verifyPss(RSAKeyParameters key, byte[] sha256, byte[] signature) {
        BigInteger n = key.getModulus();
        int modBits = n.bitLength();
        int k = (modBits + 7) / 8;
        if (signature.length != k) {
            return false;
        }
        BigInteger s = new BigInteger(1, signature);
        if (s.compareTo(n) >= 0) {
            return false;
        }
        int emBits = modBits - 1;
        int emLen = (emBits + 7) / 8;
        byte[] em = toFixedLength(s.modPow(key.getExponent(), n), emLen);
        if (em == null || emLen < HASH_LENGTH + 2 || (em[emLen - 1] & 0xff) != 0xbc) {
            return false;
        }
        int dbLen = emLen - HASH_LENGTH - 1;
        byte[] db = new byte[dbLen];
        MGF1BytesGenerator mgf = new MGF1BytesGenerator(new SHA256Digest());
        mgf.init(new MGFParameters(em, dbLen, HASH_LENGTH));
        mgf.generateBytes(db, 0, dbLen);
        for (int i = 0; i < dbLen; i++) {
            db[i] ^= em[i];
        }
        db[0] &= (byte) (0xff >>> (8 * emLen - emBits));
        int one = 0;
        while (one < dbLen && db[one] == 0) {
            one++;
        }
        if (one == dbLen || db[one] != 0x01) {
            return false;
        }
        int saltLength = dbLen - one - 1;
        PSSSigner verifier = PSSSigner.createRawSigner(new RSAEngine(), new SHA256Digest(), new SHA256Digest(),
                saltLength, PSSSigner.TRAILER_IMPLICIT);
        verifier.init(false, key);
        verifier.update(sha256, 0, sha256.length);
        return verifier.verifySignature(signature);
    }

    /** {@code m} as exactly {@code length} big-endian bytes, or null if it does not fit. */
    private static byte[] toFixedLength(BigInteger m, int length) {
        byte[] raw = m.toByteArray();
        if (raw.length == length) {
            return raw;
        }
        if (raw.length > length) {
            for (int i = 0; i < raw.length - length; i++) {
                if (raw[i] != 0) {
                    return null;
                }
            }
            return Arrays.copyOfRange(raw, raw.length - length, raw.length);
        }
        byte[] out = new byte[length];
        System.arraycopy(raw, 0, out, length - raw.length, raw.length);
        return out;
    }

    /** Bouncy Castle parameters of a supported public key; FirmwareSignatureException UNSUPPORTED_KEY otherwise. */
    private static AsymmetricKeyParameter publicParameters(PublicKey key) {
        byte[] encoded = key.getEncoded();
        if (encoded == null) {
            throw unsupported(key.getAlgorithm());
        }
        SubjectPublicKeyInfo spki;
        AsymmetricKeyParameter pub;
        try {
            spki = SubjectPublicKeyInfo.getInstance(encoded);
            pub = PublicKeyFactory.createKey(spki);
        } catch (IOException | RuntimeException e) {
            throw unsupported(key.getAlgorithm());
        }
        requireSupported(spki.getAlgorithm(), pub, key.getAlgorithm());
        return pub;
    }

    private static AsymmetricKeyParameter privateParameters(PrivateKey key) {
        byte[] pkcs8 = key.getEncoded();
        if (pkcs8 == null) {
            throw new FirmwareSignatureException("UNSUPPORTED_KEY", "The private key cannot be exported (an HSM key?); sign through its key store.");
        }
        try {
            PrivateKeyInfo info = PrivateKeyInfo.getInstance(pkcs8);
            AsymmetricKeyParameter priv = PrivateKeyFactory.createKey(info);
            requireSupported(info.getPrivateKeyAlgorithm(), priv, key.getAlgorithm());
            return priv;
        } catch (FirmwareSignatureException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw unsupported(key.getAlgorithm());
        } finally {
            Arrays.fill(pkcs8, (byte) 0);
        }
    }

    /** EC on a named NIST curve (P-256, P-384, P-521) or RSA of 2,048 to 4,096 bits with a public exponent below 2^256. */
    private static void requireSupported(AlgorithmIdentifier algorithm, AsymmetricKeyParameter params, String name) {
        ASN1ObjectIdentifier oid = algorithm.getAlgorithm();
        if (X9ObjectIdentifiers.id_ecPublicKey.equals(oid) && (params instanceof ECPublicKeyParameters
                || params instanceof ECPrivateKeyParameters)) {
            ASN1Encodable curve = algorithm.getParameters();
            if (X9ObjectIdentifiers.prime256v1.equals(curve) || SECObjectIdentifiers.secp384r1.equals(curve)
                    || SECObjectIdentifiers.secp521r1.equals(curve)) {
                return;
            }
            throw new FirmwareSignatureException("UNSUPPORTED_KEY",
                    "Only EC keys on P-256, P-384 or P-521 (named curves) can sign firmware.");
        }
        if ((PKCSObjectIdentifiers.rsaEncryption.equals(oid) || pssKeyForSha256(oid, algorithm.getParameters()))
                && params instanceof RSAKeyParameters) {
            RSAKeyParameters rsa = (RSAKeyParameters) params;
            int bits = rsa.getModulus().bitLength();
            if (bits < MIN_RSA_BITS || bits > MAX_RSA_BITS) {
                throw new FirmwareSignatureException("UNSUPPORTED_KEY",
                        "An RSA firmware signing key must have 2048 to 4096 bits, this one has " + bits + ".");
            }
            if (!rsa.isPrivate() && rsa.getExponent().bitLength() > MAX_RSA_EXPONENT_BITS) {
                throw new FirmwareSignatureException("UNSUPPORTED_KEY", "The RSA public exponent is larger than 2^256.");
            }
            return;
        }
        throw unsupported(name);
    }

    /** An RSASSA-PSS key (RFC 4055) whose parameters, if any, name SHA-256: it may make our signatures. */
    private static boolean pssKeyForSha256(ASN1ObjectIdentifier oid, ASN1Encodable parameters) {
        if (!PKCSObjectIdentifiers.id_RSASSA_PSS.equals(oid)) {
            return false;
        }
        if (parameters == null || parameters instanceof ASN1Null) {
            return true;
        }
        RSASSAPSSparams pss = RSASSAPSSparams.getInstance(parameters);
        return NISTObjectIdentifiers.id_sha256.equals(pss.getHashAlgorithm().getAlgorithm());
    }

    private static FirmwareSignatureException unsupported(String algorithm) {
        return new FirmwareSignatureException("UNSUPPORTED_KEY", "A " + algorithm
                + " key cannot sign firmware: EC (P-256, P-384, P-521) or RSA (2048 to 4096 bits) only.");
    }

    private static void requireDigest(byte[] sha256) {
        if (sha256 == null || sha256.length != HASH_LENGTH) {
            throw new IllegalArgumentException("a SHA-256 digest is " + HASH_LENGTH + " bytes, got "
                    + (sha256 == null ? "none" : sha256.length));
        }
    }
}
