package io.ocppsec.ocpp.message.type;

import java.util.List;

/**
 * OCPP 2.1 CertificateStatusRequestInfoType: one certificate whose status the station wants, and
 * the OCSP responder or CRL distribution URLs to ask (M07). These URLs come from the station: the
 * broker must check them against its allow-list before fetching anything.
 */
public record CertificateStatusRequestInfo(
        CertificateHashData certificateHashData,
        CertificateStatusSource source,
        List<String> urls) {

    public CertificateStatusRequestInfo {
        urls = urls == null ? null : List.copyOf(urls);
    }
}
