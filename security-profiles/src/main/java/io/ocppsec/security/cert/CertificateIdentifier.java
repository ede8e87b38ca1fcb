package io.ocppsec.security.cert;

import io.ocppsec.ocpp.message.type.CertificateHashData;
import io.ocppsec.ocpp.message.type.HashAlgorithm;
import io.ocppsec.ocpp.message.type.OcspRequestData;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x509.AccessDescription;
import org.bouncycastle.asn1.x509.AuthorityInformationAccess;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateHolder;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Identifies certificates the way OCPP's CertificateHashDataType and OCSPRequestDataType do, which
 * is RFC 6960's CertID (OCPP 2.0.1/2.1 Part 2 datatypes; OCPP 1.6 security whitepaper):
 *
 * <ul>
 *   <li>{@code issuerNameHash} = H(DER of the <em>issuer</em> Name field of the certificate being
 *       identified), taken byte for byte from its TBSCertificate (not a re-encoded principal);</li>
 *   <li>{@code issuerKeyHash} = H(the issuer certificate's subjectPublicKey BIT STRING value,
 *       without tag, length and unused-bits octet); for a self-signed root the issuer is itself;</li>
 *   <li>{@code serialNumber} = the serial as hex without leading zeroes (4095 → {@code fff});</li>
 * </ul>
 * hashes are written as lower-case hex, two digits per byte. Used for GetInstalledCertificateIds /
 * DeleteCertificate (M03/M04; M04.FR.07: use the algorithm the station used), GetCertificateStatus
 * (M06), Authorize's iso15118CertificateHashData (C07) and 2.1 GetCertificateChainStatus (M07).
 *
 * <p>Comparison ({@link #matches}, {@link #identifies}) is total: identifierString is
 * case-insensitive, so hex compares ignoring case; serials compare as numbers (leading zeroes and
 * case ignored); anything malformed — odd or wrong lengths, non-hex, huge strings, nulls — gives
 * {@code false}, and lengths are checked before any scanning. {@link #validate} says why a
 * station-supplied value is malformed.
 */
public final class CertificateIdentifier {

    /** Schema maximum of issuerNameHash / issuerKeyHash. */
    public static final int MAX_HASH_LENGTH = 128;
    /** Schema maximum of serialNumber (20 octets, RFC 5280 §4.1.2.2). */
    public static final int MAX_SERIAL_LENGTH = 40;

    private static final HexFormat HEX = HexFormat.of();

    private CertificateIdentifier() {
    }

    /**
     * The CertificateHashData of {@code cert}, issued by {@code issuer} (pass the certificate
     * itself for a self-signed root).
     *
     * @throws IllegalArgumentException if {@code issuer}'s subject is not {@code cert}'s issuer, a
     *                                  certificate cannot be encoded, or the serial is negative
     */
    public static CertificateHashData of(X509Certificate cert, X509Certificate issuer, HashAlgorithm alg) {
        Objects.requireNonNull(cert, "cert");
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(alg, "alg");
        X509CertificateHolder certHolder = holder(cert);
        X509CertificateHolder issuerHolder = holder(issuer);
        if (!certHolder.getIssuer().equals(issuerHolder.getSubject())) {
            throw new IllegalArgumentException("the given issuer certificate did not issue this certificate");
        }
        byte[] issuerName = RawIssuerName.of(tbs(cert));
        byte[] issuerKey;
        try {
            issuerKey = issuerHolder.getSubjectPublicKeyInfo().getPublicKeyData().getBytes();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("issuer public key is not octet-aligned", e);
        }
        BigInteger serial = cert.getSerialNumber();
        if (serial.signum() < 0) {
            throw new IllegalArgumentException("negative serial number (RFC 5280 §4.1.2.2 requires a positive one)");
        }
        return new CertificateHashData(alg,
                HEX.formatHex(digest(alg, issuerName)),
                HEX.formatHex(digest(alg, issuerKey)),
                serial.toString(16));
    }

    /** {@link #of(X509Certificate, X509Certificate, HashAlgorithm)} with a responder URL. */
    public static OcspRequestData of(X509Certificate cert, X509Certificate issuer, HashAlgorithm alg, String responderUrl) {
        Objects.requireNonNull(responderUrl, "responderUrl");
        return of(cert, issuer, alg).withResponderUrl(responderUrl);
    }

    /**
     * The OCSPRequestData of {@code cert} with the responder URL from its Authority Information
     * Access extension; empty when the certificate names no OCSP responder.
     */
    public static Optional<OcspRequestData> ocspRequestData(X509Certificate cert, X509Certificate issuer, HashAlgorithm alg) {
        return ocspResponderUrl(cert).map(url -> of(cert, issuer, alg, url));
    }

    /**
     * The first OCSP responder URI (accessMethod id-ad-ocsp, a uniformResourceIdentifier) in the
     * certificate's Authority Information Access extension (RFC 5280 §4.2.2.1); empty when absent or
     * unreadable. Total. The URL is returned as written; the caller applies the length limit of the
     * message it goes into (responderURL ≤ 512 in 2.0.1, ≤ 2000 in 2.1).
     */
    public static Optional<String> ocspResponderUrl(X509Certificate cert) {
        if (cert == null) {
            return Optional.empty();
        }
        try {
            byte[] ext = cert.getExtensionValue(Extension.authorityInfoAccess.getId());
            if (ext == null) {
                return Optional.empty();
            }
            AuthorityInformationAccess aia = AuthorityInformationAccess.getInstance(
                    ASN1OctetString.getInstance(ext).getOctets());
            for (AccessDescription d : aia.getAccessDescriptions()) {
                GeneralName location = d.getAccessLocation();
                if (AccessDescription.id_ad_ocsp.equals(d.getAccessMethod())
                        && location.getTagNo() == GeneralName.uniformResourceIdentifier
                        && location.getName() instanceof ASN1String uri) {
                    return Optional.of(uri.getString());
                }
            }
            return Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Whether two CertificateHashData name the same certificate: same algorithm, hashes equal
     * ignoring case, serials equal as hex numbers (case and leading zeroes ignored). Total: false
     * if either is null or malformed.
     */
    public static boolean matches(CertificateHashData a, CertificateHashData b) {
        if (!validate(a).isWellFormed() || !validate(b).isWellFormed() || a.hashAlgorithm() != b.hashAlgorithm()) {
            return false;
        }
        return a.issuerNameHash().equalsIgnoreCase(b.issuerNameHash())
                && a.issuerKeyHash().equalsIgnoreCase(b.issuerKeyHash())
                && stripLeadingZeroes(a.serialNumber()).equalsIgnoreCase(stripLeadingZeroes(b.serialNumber()));
    }

    /**
     * Whether {@code data} identifies {@code cert} issued by {@code issuer}, computed with
     * {@code data}'s algorithm. Total: false for malformed data, a wrong issuer or any failure.
     */
    public static boolean identifies(CertificateHashData data, X509Certificate cert, X509Certificate issuer) {
        if (!validate(data).isWellFormed() || cert == null || issuer == null) {
            return false;
        }
        try {
            return matches(data, of(cert, issuer, data.hashAlgorithm()));
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * Checks the form of a CertificateHashData: algorithm present; each hash exactly twice the
     * digest length in hex (64/96/128 digits for SHA256/384/512); serial 1..40 hex digits. Lengths
     * are checked before characters are scanned. Total.
     */
    public static HashDataCheck validate(CertificateHashData data) {
        if (data == null) {
            return new HashDataCheck.Malformed(HashDataCheck.Field.CERTIFICATE_HASH_DATA, HashDataCheck.Problem.MISSING);
        }
        if (data.hashAlgorithm() == null) {
            return new HashDataCheck.Malformed(HashDataCheck.Field.HASH_ALGORITHM, HashDataCheck.Problem.MISSING);
        }
        int hexLength = data.hashAlgorithm().length() * 2;
        HashDataCheck.Problem p = hashProblem(data.issuerNameHash(), hexLength);
        if (p != null) {
            return new HashDataCheck.Malformed(HashDataCheck.Field.ISSUER_NAME_HASH, p);
        }
        p = hashProblem(data.issuerKeyHash(), hexLength);
        if (p != null) {
            return new HashDataCheck.Malformed(HashDataCheck.Field.ISSUER_KEY_HASH, p);
        }
        String serial = data.serialNumber();
        if (serial == null) {
            return new HashDataCheck.Malformed(HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.MISSING);
        }
        if (serial.isEmpty()) {
            return new HashDataCheck.Malformed(HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.EMPTY);
        }
        if (serial.length() > MAX_SERIAL_LENGTH) {
            return new HashDataCheck.Malformed(HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.TOO_LONG);
        }
        if (!isHex(serial)) {
            return new HashDataCheck.Malformed(HashDataCheck.Field.SERIAL_NUMBER, HashDataCheck.Problem.NOT_HEX);
        }
        return new HashDataCheck.WellFormed();
    }

    private static HashDataCheck.Problem hashProblem(String hex, int expectedLength) {
        if (hex == null) {
            return HashDataCheck.Problem.MISSING;
        }
        if (hex.isEmpty()) {
            return HashDataCheck.Problem.EMPTY;
        }
        if (hex.length() > MAX_HASH_LENGTH) {
            return HashDataCheck.Problem.TOO_LONG;
        }
        if (hex.length() != expectedLength) {
            return HashDataCheck.Problem.WRONG_LENGTH;
        }
        return isHex(hex) ? null : HashDataCheck.Problem.NOT_HEX;
    }

    private static boolean isHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'))) {
                return false;
            }
        }
        return true;
    }

    private static String stripLeadingZeroes(String hex) {
        int i = 0;
        while (i < hex.length() - 1 && hex.charAt(i) == '0') {
            i++;
        }
        return hex.substring(i).toLowerCase(Locale.ROOT);
    }

    private static X509CertificateHolder holder(X509Certificate cert) {
        try {
            return new JcaX509CertificateHolder(cert);
        } catch (CertificateEncodingException | RuntimeException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    private static byte[] tbs(X509Certificate cert) {
        try {
            return cert.getTBSCertificate();
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("certificate cannot be encoded", e);
        }
    }

    private static byte[] digest(HashAlgorithm alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg.jcaName()).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("JDK lacks " + alg.jcaName(), e);
        }
    }

    /**
     * Extracts the issuer Name TLV from DER TBSCertificate bytes:
     * {@code SEQUENCE { [0] version OPTIONAL, serialNumber, signature, issuer, ... }}.
     */
    static final class RawIssuerName {
        private RawIssuerName() {
        }

        static byte[] of(byte[] tbs) {
            int[] outer = header(tbs, 0);
            if (tbs[0] != 0x30) {
                throw new IllegalArgumentException("TBSCertificate is not a SEQUENCE");
            }
            int pos = outer[0];
            int end = pos + outer[1];
            if (end != tbs.length) {
                throw new IllegalArgumentException("TBSCertificate length mismatch");
            }
            if (pos < end && (tbs[pos] & 0xff) == 0xA0) {
                pos = skip(tbs, pos);                 // version
            }
            pos = skip(tbs, pos);                     // serialNumber
            pos = skip(tbs, pos);                     // signature AlgorithmIdentifier
            if (pos >= end || tbs[pos] != 0x30) {
                throw new IllegalArgumentException("issuer is not a SEQUENCE");
            }
            int next = skip(tbs, pos);
            if (next > end) {
                throw new IllegalArgumentException("issuer exceeds TBSCertificate");
            }
            return Arrays.copyOfRange(tbs, pos, next);
        }

        private static int skip(byte[] der, int pos) {
            int[] h = header(der, pos);
            long next = (long) h[0] + h[1];
            if (next > der.length) {
                throw new IllegalArgumentException("truncated DER");
            }
            return (int) next;
        }

        /** Returns {content offset, content length} of the TLV at {@code pos}; definite lengths only. */
        private static int[] header(byte[] der, int pos) {
            if (pos + 2 > der.length || (der[pos] & 0x1f) == 0x1f) {
                throw new IllegalArgumentException("bad DER tag");
            }
            int lenByte = der[pos + 1] & 0xff;
            if (lenByte < 0x80) {
                return new int[] {pos + 2, lenByte};
            }
            int n = lenByte & 0x7f;
            if (n == 0 || n > 3 || pos + 2 + n > der.length) {
                throw new IllegalArgumentException("bad DER length");
            }
            int len = 0;
            for (int i = 0; i < n; i++) {
                len = (len << 8) | (der[pos + 2 + i] & 0xff);
            }
            return new int[] {pos + 2 + n, len};
        }
    }
}
