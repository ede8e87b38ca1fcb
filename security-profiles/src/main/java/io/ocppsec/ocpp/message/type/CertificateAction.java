package io.ocppsec.ocpp.message.type;

/**
 * CertificateActionEnumType: Get15118EVCertificate: install a new contract certificate or update one.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum CertificateAction {
    Install,
    Update
}
