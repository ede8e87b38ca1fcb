package io.ocppsec.iso15118.exi;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * {@code CertificateChainType}: optional Id (null when absent), the leaf Certificate (DER, at most 800 bytes)
 * and 0..4 SubCertificates (empty list = no SubCertificates element).
 */
public record CertificateChain(String id, byte[] certificate, List<byte[]> subCertificates) {
    public CertificateChain {
        certificate = Bytes.copy(certificate, "certificate");
        subCertificates = Bytes.copy(subCertificates, "subCertificates");
    }

    @Override
    public byte[] certificate() {
        return certificate.clone();
    }

    @Override
    public List<byte[]> subCertificates() {
        return subCertificates.stream().map(byte[]::clone).toList();
    }

    byte[] certificateUnsafe() {
        return certificate;
    }

    List<byte[]> subCertificatesUnsafe() {
        return subCertificates;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateChain c && Objects.equals(id, c.id) && Arrays.equals(certificate, c.certificate)
                && Bytes.equal(subCertificates, c.subCertificates);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(certificate), Bytes.hash(subCertificates));
    }

    @Override
    public String toString() {
        return "CertificateChain[id=" + id + ", certificate=" + certificate.length + " bytes, subCertificates="
                + subCertificates.size() + "]";
    }
}
