package io.ocppsec.pki.firmware;

import io.ocppsec.pki.broker.AddressGuard;
import io.ocppsec.pki.broker.AllowList;
import io.ocppsec.security.firmware.FirmwareVerifier.RevocationPolicy;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Signed-firmware settings under {@code ocppsec.firmware.*}, checked at start.
 *
 * @param developmentPki  {@code auto} (default): create a development manufacturer root and firmware
 *                        signing certificates when the development CSMS PKI is in use; {@code true}:
 *                        whenever no manufacturer root with a key exists; {@code false}: never
 * @param maxImageSize    the largest image hashed from an upload or a URL (default 4 GB); a larger
 *                        one is refused with 413 after at most this many bytes were read
 * @param allowedHosts    the hosts images may be fetched from for validation (same syntax as
 *                        {@code ocppsec.ocsp-broker.allowed-hosts}: exact names, {@code *.example.com},
 *                        optional {@code :port}); empty (default): no URL is fetched
 * @param allowedNetworks CIDR blocks the SSRF guard lets through although they are not public (an
 *                        internal firmware server); empty by default
 * @param connectTimeout  TCP+TLS connect timeout for an image URL (default 5 s)
 * @param readTimeout     the longest silence while an image streams in (default 30 s)
 * @param fetchTimeout    the whole download of one image (default 10 min)
 * @param revocation      {@code soft-fail} (default: a signing certificate whose status cannot be had
 *                        passes, and the answer says so), {@code require} (it is InvalidCertificate)
 *                        or {@code off}
 * @param signerValidity  how long firmware signing certificates we issue are valid (default 3 years)
 */
@ConfigurationProperties("ocppsec.firmware")
public record FirmwareProperties(String developmentPki, DataSize maxImageSize, List<String> allowedHosts,
                                 List<String> allowedNetworks, Duration connectTimeout, Duration readTimeout,
                                 Duration fetchTimeout, String revocation, Duration signerValidity) {

    public FirmwareProperties {
        developmentPki = developmentPki == null || developmentPki.isBlank() ? "auto" : developmentPki.toLowerCase(Locale.ROOT);
        if (!List.of("auto", "true", "false").contains(developmentPki)) {
            throw new IllegalArgumentException("ocppsec.firmware.development-pki must be auto, true or false");
        }
        maxImageSize = maxImageSize == null ? DataSize.ofGigabytes(4) : maxImageSize;
        if (maxImageSize.toBytes() < 1) {
            throw new IllegalArgumentException("ocppsec.firmware.max-image-size must be positive");
        }
        allowedHosts = allowedHosts == null ? List.of() : List.copyOf(allowedHosts);
        allowedNetworks = allowedNetworks == null ? List.of() : List.copyOf(allowedNetworks);
        connectTimeout = positive(connectTimeout, Duration.ofSeconds(5), Duration.ofMinutes(1), "connect-timeout");
        readTimeout = positive(readTimeout, Duration.ofSeconds(30), Duration.ofMinutes(5), "read-timeout");
        fetchTimeout = positive(fetchTimeout, Duration.ofMinutes(10), Duration.ofHours(6), "fetch-timeout");
        revocation = revocation == null || revocation.isBlank() ? "soft-fail" : revocation.toLowerCase(Locale.ROOT);
        if (!List.of("soft-fail", "require", "off").contains(revocation)) {
            throw new IllegalArgumentException("ocppsec.firmware.revocation must be soft-fail, require or off");
        }
        signerValidity = positive(signerValidity, Duration.ofDays(3 * 365), Duration.ofDays(20 * 365), "signer-validity");
        // fail at start, naming the property, rather than at the first request
        try {
            AllowList.of(allowedHosts);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("ocppsec.ocsp-broker.", "ocppsec.firmware."), e);
        }
        try {
            new AddressGuard(allowedNetworks);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(e.getMessage().replace("ocppsec.ocsp-broker.", "ocppsec.firmware."), e);
        }
    }

    public static FirmwareProperties defaults() {
        return new FirmwareProperties(null, null, null, null, null, null, null, null, null);
    }

    /** The verifier's revocation policy. */
    public RevocationPolicy revocationPolicy() {
        return switch (revocation) {
            case "require" -> RevocationPolicy.REQUIRE;
            case "off" -> RevocationPolicy.OFF;
            default -> RevocationPolicy.SOFT_FAIL;
        };
    }

    private static Duration positive(Duration d, Duration dflt, Duration max, String name) {
        if (d == null) {
            return dflt;
        }
        if (d.isZero() || d.isNegative() || d.compareTo(max) > 0) {
            throw new IllegalArgumentException("ocppsec.firmware." + name + " must be positive and at most " + max);
        }
        return d;
    }
}
