package io.ocppsec.ocpp.message;

import io.ocppsec.ocpp.OcppVersion;
import io.ocppsec.ocpp.message.type.Firmware;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Objects;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds a secure UpdateFirmware request (L01) for OCPP 2.0.1 or 2.1: every field of the message,
 * the signing certificate and signature required (L01.FR.11), and the whole request checked against
 * the version's schema rules before it is handed out ({@link InvalidMessageException} says which
 * field breaks which rule: a location over 512 characters in 2.0.1, {@code retries} below 0 in 2.1,
 * ...). Check the signature itself before sending (pki-service {@code POST /api/v1/firmware/verify},
 * A00.FR.707).
 *
 * <pre>{@code
 * UpdateFirmwareRequest req = UpdateFirmwareBuilder.forVersion(OcppVersion.OCPP_2_0_1)
 *         .requestId(42).location("https://fw.example.com/cs-1.2.3.bin")
 *         .signingCertificate(pem).signature(base64)
 *         .installDateTime(OffsetDateTime.parse("2026-12-01T03:00:00Z"))
 *         .build();
 * }</pre>
 */
public final class UpdateFirmwareBuilder {
    private final OcppVersion version;
    private final Clock clock;
    private Integer requestId;
    private Integer retries;
    private Integer retryInterval;
    private String location;
    private OffsetDateTime retrieveDateTime;
    private OffsetDateTime installDateTime;
    private String signingCertificate;
    private String signature;

    private UpdateFirmwareBuilder(OcppVersion version, Clock clock) {
        if (!version.hasTypedMessages()) {
            throw new IllegalArgumentException("UpdateFirmware with a signature is OCPP 2.0.1 and 2.1, not " + version);
        }
        this.version = version;
        this.clock = clock;
    }

    public static UpdateFirmwareBuilder forVersion(OcppVersion version) {
        return new UpdateFirmwareBuilder(Objects.requireNonNull(version, "version"), Clock.systemUTC());
    }

    /** With the clock that decides the default retrieveDateTime (tests). */
    public static UpdateFirmwareBuilder forVersion(OcppVersion version, Clock clock) {
        return new UpdateFirmwareBuilder(Objects.requireNonNull(version, "version"), clock);
    }

    /** requestId: every FirmwareStatusNotification of this update carries it (L01.FR.10). Required. */
    public UpdateFirmwareBuilder requestId(int requestId) {
        this.requestId = requestId;
        return this;
    }

    /** How often the station retries the download; absent: the station decides. 2.1: 0 means no retries. */
    public UpdateFirmwareBuilder retries(Integer retries) {
        this.retries = retries;
        return this;
    }

    /** Seconds between download retries; absent: the station decides. */
    public UpdateFirmwareBuilder retryInterval(Integer seconds) {
        this.retryInterval = seconds;
        return this;
    }

    /** Where the station downloads the image (at most 512 characters in 2.0.1, 2000 in 2.1). Required. */
    public UpdateFirmwareBuilder location(String uri) {
        this.location = uri;
        return this;
    }

    /** When the station downloads it; default: now (UTC, whole seconds). */
    public UpdateFirmwareBuilder retrieveDateTime(OffsetDateTime when) {
        this.retrieveDateTime = when;
        return this;
    }

    /** When the station installs it; absent: as soon as it is downloaded and verified. */
    public UpdateFirmwareBuilder installDateTime(OffsetDateTime when) {
        this.installDateTime = when;
        return this;
    }

    /** The firmware signing certificate, PEM (at most 5500 characters). Required (L01.FR.11). */
    public UpdateFirmwareBuilder signingCertificate(String pem) {
        this.signingCertificate = pem;
        return this;
    }

    /** The signature over the image's SHA-256, base64 (at most 800 characters). Required. */
    public UpdateFirmwareBuilder signature(String base64) {
        this.signature = base64;
        return this;
    }

    /**
     * The request.
     *
     * @throws IllegalStateException   when a required field is missing or installDateTime is before retrieveDateTime
     * @throws InvalidMessageException when a field breaks the version's schema rules
     */
    public UpdateFirmwareRequest build() {
        UpdateFirmwareRequest request = request();
        OcppCodec.of(version).encode(request);
        return request;
    }

    /** The request as its JSON payload, checked like {@link #build()}. */
    public ObjectNode buildJson() {
        return OcppCodec.of(version).encode(request());
    }

    private UpdateFirmwareRequest request() {
        if (requestId == null) {
            throw new IllegalStateException("requestId is required");
        }
        if (location == null || location.isBlank()) {
            throw new IllegalStateException("location is required");
        }
        if (signingCertificate == null || signingCertificate.isBlank() || signature == null || signature.isBlank()) {
            throw new IllegalStateException("a secure update carries signingCertificate and signature (L01.FR.11)");
        }
        OffsetDateTime retrieve = retrieveDateTime != null ? retrieveDateTime
                : OffsetDateTime.now(clock).withOffsetSameInstant(ZoneOffset.UTC).truncatedTo(ChronoUnit.SECONDS);
        if (installDateTime != null && installDateTime.isBefore(retrieve)) {
            throw new IllegalStateException("installDateTime is before retrieveDateTime");
        }
        return new UpdateFirmwareRequest(retries, retryInterval, requestId,
                new Firmware(location, retrieve, installDateTime, signingCertificate, signature));
    }
}
