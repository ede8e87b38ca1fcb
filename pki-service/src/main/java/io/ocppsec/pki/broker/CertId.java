package io.ocppsec.pki.broker;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.DERNull;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.nist.NISTObjectIdentifiers;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.ocsp.CertificateID;

/**
 * RFC 6960's CertID as OCPP's CertificateHashData carries it: hash algorithm, issuer name hash and
 * issuer key hash (hex), serial number (hex without leading zeroes). Equal CertIDs are the cache key.
 */
public record CertId(HashAlgorithm algorithm, byte[] issuerNameHash, byte[] issuerKeyHash, BigInteger serial) {
    private static final java.util.regex.Pattern HEX = java.util.regex.Pattern.compile("[0-9a-fA-F]*");

    /** Reads the station's hex fields; a malformed one is a {@link BrokerFailure} "InvalidCertId". */
    public static CertId of(CertificateHashData d) throws BrokerFailure {
        HashAlgorithm alg = d.hashAlgorithm();
        byte[] name = hex(d.issuerNameHash(), "issuerNameHash");
        byte[] key = hex(d.issuerKeyHash(), "issuerKeyHash");
        if (name.length != alg.length() || key.length != alg.length()) {
            throw new BrokerFailure("InvalidCertId", "issuerNameHash and issuerKeyHash must be " + alg.length()
                    + "-byte " + alg + " hashes in hex");
        }
        String s = d.serialNumber();
        if (s == null || s.isEmpty() || s.length() > 40 || !HEX.matcher(s).matches()) {
            throw new BrokerFailure("InvalidCertId", "serialNumber must be the serial number in hex");
        }
        return new CertId(alg, name, key, new BigInteger(s, 16));
    }

    private static byte[] hex(String s, String field) throws BrokerFailure {
        if (s == null || s.length() % 2 != 0 || !HEX.matcher(s).matches()) {
            throw new BrokerFailure("InvalidCertId", field + " must be hex");
        }
        return HexFormat.of().parseHex(s);
    }

    /** The CertID of a certificate with serial {@code serial} issued by {@code issuer}. */
    public static CertId of(HashAlgorithm alg, X509Certificate issuer, BigInteger serial) {
        return new CertId(alg, nameHash(alg, issuer), keyHash(alg, issuer), serial);
    }

    public static byte[] nameHash(HashAlgorithm alg, X509Certificate issuer) {
        return digest(alg, issuer.getSubjectX500Principal().getEncoded());
    }

    public static byte[] keyHash(HashAlgorithm alg, X509Certificate issuer) {
        return digest(alg, SubjectPublicKeyInfo.getInstance(issuer.getPublicKey().getEncoded()).getPublicKeyData().getBytes());
    }

    static byte[] digest(HashAlgorithm alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg.jcaName()).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code issuer}'s name and key hash to this CertID's issuer hashes. */
    public boolean issuedBy(X509Certificate issuer) {
        return MessageDigest.isEqual(issuerNameHash, nameHash(algorithm, issuer))
                && MessageDigest.isEqual(issuerKeyHash, keyHash(algorithm, issuer));
    }

    public AlgorithmIdentifier algorithmIdentifier() {
        // RFC 5754 §2: SHA-2 AlgorithmIdentifiers without parameters is preferred; both are accepted on reading
        return new AlgorithmIdentifier(switch (algorithm) {
            case SHA256 -> NISTObjectIdentifiers.id_sha256;
            case SHA384 -> NISTObjectIdentifiers.id_sha384;
            case SHA512 -> NISTObjectIdentifiers.id_sha512;
        });
    }

    /** As Bouncy Castle's CertificateID, for the request builder. */
    public CertificateID toBc() {
        return new CertificateID(new org.bouncycastle.asn1.ocsp.CertID(algorithmIdentifier(),
                new DEROctetString(issuerNameHash), new DEROctetString(issuerKeyHash), new ASN1Integer(serial)));
    }

    /** Whether a CertID from a response names the same certificate (hash OID, hashes, serial). */
    public boolean matches(CertificateID other) {
        AlgorithmIdentifier a = other.toASN1Primitive().getHashAlgorithm();
        boolean paramsOk = a.getParameters() == null || DERNull.INSTANCE.equals(a.getParameters());
        return paramsOk && algorithmIdentifier().getAlgorithm().equals(a.getAlgorithm())
                && Arrays.equals(issuerNameHash, other.getIssuerNameHash())
                && Arrays.equals(issuerKeyHash, other.getIssuerKeyHash())
                && serial.equals(other.getSerialNumber());
    }

    /** The cache key. */
    public String key() {
        HexFormat h = HexFormat.of();
        return algorithm.name() + '/' + h.formatHex(issuerNameHash) + '/' + h.formatHex(issuerKeyHash) + '/' + serial.toString(16);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertId c && c.algorithm == algorithm && Arrays.equals(c.issuerNameHash, issuerNameHash)
                && Arrays.equals(c.issuerKeyHash, issuerKeyHash) && c.serial.equals(serial);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * (31 * algorithm.hashCode() + Arrays.hashCode(issuerNameHash)) + Arrays.hashCode(issuerKeyHash))
                + serial.hashCode();
    }

    @Override
    public String toString() {
        return "CertId[" + key() + "]";
    }
}
