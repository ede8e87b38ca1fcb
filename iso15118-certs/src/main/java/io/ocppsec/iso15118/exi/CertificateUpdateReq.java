package io.ocppsec.iso15118.exi;

import java.util.List;
import java.util.Objects;

/** {@code CertificateUpdateReq}: Id, the old contract chain, eMAID (14..15 chars), 1..20 root certificate ids. */
public record CertificateUpdateReq(String id, CertificateChain contractChain, String emaid,
        List<RootCertificateId> rootCertificateIds) implements Body {
    public CertificateUpdateReq {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(contractChain, "contractChain");
        Objects.requireNonNull(emaid, "emaid");
        rootCertificateIds = List.copyOf(rootCertificateIds);
    }
}
