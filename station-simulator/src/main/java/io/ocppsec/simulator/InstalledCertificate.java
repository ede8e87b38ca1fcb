package io.ocppsec.simulator;

import io.ocppsec.ocpp.message.type.InstallCertificateUse;
import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * A root certificate the CSMS installed with InstallCertificate (M05), or one of the configured
 * CSMS trust anchors (reported as {@code CSMSRootCertificate}, not deletable).
 *
 * @param type        what it is for
 * @param certificate the certificate
 * @param configured  true for a trust anchor from the configuration
 */
public record InstalledCertificate(InstallCertificateUse type, X509Certificate certificate, boolean configured) {
    public InstalledCertificate {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(certificate, "certificate");
    }
}
