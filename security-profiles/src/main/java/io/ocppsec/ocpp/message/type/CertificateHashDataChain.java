package io.ocppsec.ocpp.message.type;

import java.util.List;

/**
 * CertificateHashDataChainType: one installed certificate (GetInstalledCertificateIds), with the
 * hash data of its sub-CAs for a V2GCertificateChain (M03.FR.05).
 */
public record CertificateHashDataChain(
        GetCertificateIdUse certificateType,
        CertificateHashData certificateHashData,
        List<CertificateHashData> childCertificateHashData) {

    public CertificateHashDataChain {
        childCertificateHashData = childCertificateHashData == null ? null : List.copyOf(childCertificateHashData);
    }
}
