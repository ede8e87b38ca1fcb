package io.ocppsec.security.firmware;

import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.List;

/**
 * Checks an UpdateFirmware {@code signingCertificate} and {@code signature} against an image
 * digest, as a station would (L01.FR.21/22, L01.FR.03; A00.FR.707): the path from the signing
 * certificate to one of the manufacturer roots, validity, key usage (digitalSignature) and EKU
 * (codeSigning), revocation, then the signature over the whole image's SHA-256.
 */
public final class FirmwareVerifier {
    /** What to do when revocation status cannot be had. */
    public enum RevocationPolicy {
        /** UNKNOWN or UNAVAILABLE → InvalidCertificate. */
        REQUIRE,
        /** UNKNOWN or UNAVAILABLE pass (reported in {@link FirmwareVerification#revocation()}). */
        SOFT_FAIL,
        /** Revocation is not asked. */
        OFF
    }

    public FirmwareVerifier(List<X509Certificate> manufacturerRoots, RevocationCheck revocation, RevocationPolicy policy) {
        throw new UnsupportedOperationException();
    }

    /** @param signingCertificatePem the PEM as UpdateFirmware carries it (the signing certificate, optionally followed by intermediates) */
    public FirmwareVerification verify(byte[] sha256, String signatureBase64, String signingCertificatePem, Instant now) {
        throw new UnsupportedOperationException();
    }
}
