package io.ocppsec.ocpp.message.type;

/**
 * OCPPTransportEnumType: Transport of a NetworkConnectionProfile.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum OcppTransport {
    JSON,
    SOAP
}
