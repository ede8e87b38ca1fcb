package io.ocppsec.ocpp.message.type;

import java.time.OffsetDateTime;

/**
 * FirmwareType: where to fetch an image, when to install it, and for a secure update (L01) the
 * signing certificate (PEM) and the signature (base64).
 */
public record Firmware(
        String location,
        OffsetDateTime retrieveDateTime,
        OffsetDateTime installDateTime,
        String signingCertificate,
        String signature) {
}
