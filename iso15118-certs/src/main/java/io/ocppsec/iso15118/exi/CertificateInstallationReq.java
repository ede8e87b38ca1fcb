package io.ocppsec.iso15118.exi;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/** {@code CertificateInstallationReq}: Id, OEMProvisioningCert (DER), 1..20 root certificate ids. */
public record CertificateInstallationReq(String id, byte[] oemProvisioningCert, List<RootCertificateId> rootCertificateIds)
        implements Body {
    public CertificateInstallationReq {
        Objects.requireNonNull(id, "id");
        oemProvisioningCert = Bytes.copy(oemProvisioningCert, "oemProvisioningCert");
        rootCertificateIds = List.copyOf(rootCertificateIds);
    }

    @Override
    public byte[] oemProvisioningCert() {
        return oemProvisioningCert.clone();
    }

    byte[] oemProvisioningCertUnsafe() {
        return oemProvisioningCert;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CertificateInstallationReq r && id.equals(r.id)
                && Arrays.equals(oemProvisioningCert, r.oemProvisioningCert)
                && rootCertificateIds.equals(r.rootCertificateIds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, Arrays.hashCode(oemProvisioningCert), rootCertificateIds);
    }

    @Override
    public String toString() {
        return "CertificateInstallationReq[id=" + id + ", oemProvisioningCert=" + oemProvisioningCert.length
                + " bytes, rootCertificateIds=" + rootCertificateIds + "]";
    }
}
