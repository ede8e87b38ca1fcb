package io.ocppsec.ocpp.message.type;

/**
 * AuthorizeCertificateStatusEnumType: Outcome of the contract certificate check in AuthorizeResponse (C07).
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum AuthorizeCertificateStatus {
    Accepted,
    SignatureError,
    CertificateExpired,
    CertificateRevoked,
    NoCertificateAvailable,
    CertChainError,
    ContractCancelled
}
