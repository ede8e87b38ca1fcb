package io.ocppsec.ocpp.message.type;

import java.time.OffsetDateTime;

/** OCPP 2.1 CertificateStatusType: the status of one certificate and when to ask again (M07). */
public record CertificateStatus(
        CertificateHashData certificateHashData,
        CertificateStatusSource source,
        CertificateStatusEnum status,
        OffsetDateTime nextUpdate) {
}
