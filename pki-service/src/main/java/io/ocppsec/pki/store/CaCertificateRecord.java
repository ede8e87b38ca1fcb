package io.ocppsec.pki.store;

import io.ocppsec.pki.custody.KeyHandle;
import java.time.Instant;

/**
 * One of the CA's own certificates (a root, an issuing sub-CA, an OCSP signer, a TLS server
 * certificate) and the custody handle of its key, if the CA holds the key.
 */
public record CaCertificateRecord(
        String id,
        CaRole role,
        CaStatus status,
        String subject,
        String serial,
        String sha256,
        String parentId,
        KeyHandle key,
        String keyAlgorithm,
        Instant notBefore,
        Instant notAfter,
        String certificatePem,
        Instant createdAt) {

    /** What a CA certificate is for. */
    public enum CaRole {
        /** The CSMS root stations trust (installed as CSMSRootCertificate). */
        CSMS_ROOT,
        /** The sub-CA that issues station certificates. */
        STATION_CA,
        /** A delegated OCSP responder certificate. */
        OCSP_SIGNER,
        /** A TLS server certificate of the CSMS endpoint (the terminator's). */
        SERVER
    }

    /** Lifecycle of a CA certificate. */
    public enum CaStatus {
        /** In use. */
        ACTIVE,
        /** No longer issuing; still answers for what it issued. */
        RETIRED
    }
}
