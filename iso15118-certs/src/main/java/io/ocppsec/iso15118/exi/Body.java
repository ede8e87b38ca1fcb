package io.ocppsec.iso15118.exi;

/** The supported ISO 15118-2 body elements (certificate installation and update). */
public sealed interface Body
        permits CertificateInstallationReq, CertificateInstallationRes, CertificateUpdateReq, CertificateUpdateRes {
}
