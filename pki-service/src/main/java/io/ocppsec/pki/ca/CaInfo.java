package io.ocppsec.pki.ca;

import io.ocppsec.pki.store.CaCertificateRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** What {@code ca status} shows: the organization, every CA certificate, and where the keys are. */
public final class CaInfo {

    /** One CA certificate. */
    public record Certificate(String id, String role, String status, String subject, String serial,
                              String sha256Fingerprint, String parent, String key, String keyAlgorithm,
                              Instant notBefore, Instant notAfter) {
    }

    /** The status shown to operators. {@code custody} names the backend and where its secrets live. */
    public record Status(String organization, List<Certificate> certificates, Map<String, String> custody) {
    }

    private final String organization;
    private final IssuerRegistry issuers;
    private final Supplier<Map<String, String>> custody;

    public CaInfo(String organization, IssuerRegistry issuers, Supplier<Map<String, String>> custody) {
        this.organization = organization;
        this.issuers = issuers;
        this.custody = custody;
    }

    public Status status() {
        List<Certificate> certs = issuers.all().stream().map(i -> {
            CaCertificateRecord r = i.record();
            String fp = io.ocppsec.security.cert.CertificateFingerprint.sha256(der(i));
            return new Certificate(r.id(), r.role().name(), r.status().name(), r.subject(), r.serial(), fp, r.parentId(),
                    r.key() == null ? null : r.key().toString(), r.keyAlgorithm(), r.notBefore(), r.notAfter());
        }).toList();
        return new Status(organization, certs, custody.get());
    }

    private static byte[] der(Issuer i) {
        try {
            return i.certificate().getEncoded();
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }
}
