package io.ocppsec.ocpp.message.type;

/**
 * OCPPVersionEnumType: OCPP version of a NetworkConnectionProfile (OCPP20 means 2.0.1 in OCPP 2.0.1). OCPP201 and OCPP21 are new in OCPP 2.1, where the field is ignored.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum OcppVersionEnum {
    OCPP12,
    OCPP15,
    OCPP16,
    OCPP20,
    OCPP201,
    OCPP21
}
