package io.ocppsec.ocpp.message.type;

/**
 * OCPPInterfaceEnumType: Network interface of a NetworkConnectionProfile. Any is new in OCPP 2.1.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum OcppInterface {
    Wired0,
    Wired1,
    Wired2,
    Wired3,
    Wireless0,
    Wireless1,
    Wireless2,
    Wireless3,
    Any
}
