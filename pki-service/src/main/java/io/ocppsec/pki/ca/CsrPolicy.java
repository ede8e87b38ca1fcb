package io.ocppsec.pki.ca;

import io.ocppsec.pki.store.Refusal;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.RSAPublicKey;
import org.bouncycastle.asn1.pkcs.RSASSAPSSparams;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.crypto.util.PublicKeyFactory;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.ContentVerifierProvider;
import org.bouncycastle.operator.DefaultDigestAlgorithmIdentifierFinder;
import org.bouncycastle.operator.bc.BcECContentVerifierProviderBuilder;
import org.bouncycastle.operator.jcajce.JcaContentVerifierProviderBuilder;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

/**
 * What a CSR must be before the CA signs anything for it (A02/A03, A00.FR.5xx):
 * <ul>
 *   <li>well-formed PEM PKCS#10, at most {@value Pem#MAX_CSR_CHARS} characters;</li>
 *   <li>proof of possession: its signature verifies with the key it carries;</li>
 *   <li>signed with SHA-256 or stronger (ECDSA, RSA PKCS#1 v1.5 or RSA-PSS): no SHA-1 or MD5
 *       anywhere (A00.FR.504/506);</li>
 *   <li>a key the certificate type allows: RSA 2048 to 8192 bits with a public exponent of at
 *       least 65537, or an EC key on a named curve the type allows (explicit curve parameters
 *       are refused).</li>
 * </ul>
 * The CSR's extensions and any other attributes are ignored: the CA decides every extension.
 * Thread-safe.
 */
public final class CsrPolicy {
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();
    private static final Map<ASN1ObjectIdentifier, CertificateType.KeyType> CURVES = Map.of(
            SECObjectIdentifiers.secp256r1, CertificateType.KeyType.P256,
            SECObjectIdentifiers.secp384r1, CertificateType.KeyType.P384,
            SECObjectIdentifiers.secp521r1, CertificateType.KeyType.P521);
    private static final Map<ASN1ObjectIdentifier, String> SIGNATURES = Map.of(
            X9ObjectIdentifiers.ecdsa_with_SHA256, "ecdsa-with-SHA256",
            X9ObjectIdentifiers.ecdsa_with_SHA384, "ecdsa-with-SHA384",
            X9ObjectIdentifiers.ecdsa_with_SHA512, "ecdsa-with-SHA512",
            PKCSObjectIdentifiers.sha256WithRSAEncryption, "sha256WithRSAEncryption",
            PKCSObjectIdentifiers.sha384WithRSAEncryption, "sha384WithRSAEncryption",
            PKCSObjectIdentifiers.sha512WithRSAEncryption, "sha512WithRSAEncryption",
            PKCSObjectIdentifiers.id_RSASSA_PSS, "RSASSA-PSS");
    private static final BigInteger MIN_EXPONENT = BigInteger.valueOf(65537);

    /** A CSR that passed every check. */
    public record CheckedCsr(PKCS10CertificationRequest request, SubjectPublicKeyInfo publicKey,
                             CertificateType.KeyType keyType, String sha256) {
    }

    /** Checks a PEM CSR for a certificate type; a failure is a {@link Refusal} with its reason. */
    public CheckedCsr check(String pem, CertificateType type) {
        byte[] der = Pem.csrDer(pem);
        PKCS10CertificationRequest csr;
        try {
            csr = new PKCS10CertificationRequest(der);
        } catch (Exception e) {
            throw Refusal.badRequest("CSR_MALFORMED", "not a PKCS#10 certification request");
        }
        checkSignatureAlgorithm(csr.getSignatureAlgorithm());
        SubjectPublicKeyInfo spki = csr.getSubjectPublicKeyInfo();
        CertificateType.KeyType keyType = keyType(spki);
        if (!type.allowedKeys().contains(keyType)) {
            throw Refusal.policy("KEY_TYPE_NOT_ALLOWED", keyType + " keys are not allowed for " + type
                    + " (allowed: " + type.allowedKeys() + ")");
        }
        if (!proofOfPossession(csr, keyType)) {
            throw Refusal.policy("CSR_SIGNATURE_INVALID", "the CSR's signature does not verify with its own key (no proof of possession)");
        }
        return new CheckedCsr(csr, spki, keyType, sha256(der));
    }

    private static void checkSignatureAlgorithm(AlgorithmIdentifier alg) {
        ASN1ObjectIdentifier oid = alg.getAlgorithm();
        if (!SIGNATURES.containsKey(oid)) {
            throw Refusal.policy("CSR_SIGNATURE_ALGORITHM_NOT_ALLOWED",
                    "the CSR is signed with " + oid.getId() + "; only SHA-256 or stronger with ECDSA, RSA or RSA-PSS is accepted");
        }
        if (oid.equals(PKCSObjectIdentifiers.id_RSASSA_PSS)) {
            RSASSAPSSparams params;
            try {
                params = RSASSAPSSparams.getInstance(alg.getParameters());
            } catch (RuntimeException e) {
                throw Refusal.badRequest("CSR_MALFORMED", "malformed RSASSA-PSS parameters");
            }
            ASN1ObjectIdentifier hash = params.getHashAlgorithm().getAlgorithm();
            if (!hash.equals(NISTObjectIdentifiers.id_sha256) && !hash.equals(NISTObjectIdentifiers.id_sha384)
                    && !hash.equals(NISTObjectIdentifiers.id_sha512)) {
                throw Refusal.policy("CSR_SIGNATURE_ALGORITHM_NOT_ALLOWED", "RSASSA-PSS with a hash weaker than SHA-256");
            }
        }
    }

    private static CertificateType.KeyType keyType(SubjectPublicKeyInfo spki) {
        ASN1ObjectIdentifier alg = spki.getAlgorithm().getAlgorithm();
        if (alg.equals(X9ObjectIdentifiers.id_ecPublicKey)) {
            if (!(spki.getAlgorithm().getParameters() instanceof ASN1ObjectIdentifier curve)) {
                throw Refusal.policy("KEY_TYPE_NOT_ALLOWED", "EC keys must name their curve (explicit parameters are refused)");
            }
            CertificateType.KeyType t = CURVES.get(curve);
            if (t == null) {
                throw Refusal.policy("KEY_TYPE_NOT_ALLOWED", "EC curve " + curve.getId() + " is not allowed");
            }
            return t;
        }
        if (alg.equals(PKCSObjectIdentifiers.rsaEncryption)) {
            RSAPublicKey rsa;
            try {
                rsa = RSAPublicKey.getInstance(spki.parsePublicKey());
            } catch (Exception e) {
                throw Refusal.badRequest("CSR_MALFORMED", "malformed RSA public key");
            }
            int bits = rsa.getModulus().bitLength();
            if (bits < 2048) {
                throw Refusal.policy("KEY_TOO_SMALL", "RSA keys must have at least 2048 bits (A00.FR.502), this one has " + bits);
            }
            if (bits > 8192) {
                throw Refusal.policy("KEY_TOO_LARGE", "RSA keys larger than 8192 bits are refused");
            }
            BigInteger e = rsa.getPublicExponent();
            if (e.compareTo(MIN_EXPONENT) < 0 || !e.testBit(0)) {
                throw Refusal.policy("KEY_TYPE_NOT_ALLOWED", "the RSA public exponent must be odd and at least 65537");
            }
            return CertificateType.KeyType.RSA;
        }
        throw Refusal.policy("KEY_TYPE_NOT_ALLOWED", "only RSA and EC keys are accepted (got " + alg.getId() + ")");
    }

    private static boolean proofOfPossession(PKCS10CertificationRequest csr, CertificateType.KeyType keyType) {
        try {
            ContentVerifierProvider verifier = keyType == CertificateType.KeyType.RSA
                    // RSA (and RSA-PSS) through the JCA API of an explicit Bouncy Castle provider instance.
                    ? new JcaContentVerifierProviderBuilder().setProvider(BC).build(csr.getSubjectPublicKeyInfo())
                    // EC through Bouncy Castle's lightweight API: the hot path of enrollment.
                    : new BcECContentVerifierProviderBuilder(new DefaultDigestAlgorithmIdentifierFinder())
                            .build(PublicKeyFactory.createKey(csr.getSubjectPublicKeyInfo()));
            return csr.isSignatureValid(verifier);
        } catch (Exception e) {
            return false;
        }
    }

    static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

}
