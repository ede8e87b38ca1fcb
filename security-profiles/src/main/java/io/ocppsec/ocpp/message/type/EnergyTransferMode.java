package io.ocppsec.ocpp.message.type;

/**
 * EnergyTransferModeEnumType: OCPP 2.1: energy transfer modes (AuthorizeResponse.allowedEnergyTransfer).
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum EnergyTransferMode {
    AC_single_phase,
    AC_two_phase,
    AC_three_phase,
    DC,
    AC_BPT,
    AC_BPT_DER,
    AC_DER,
    DC_BPT,
    DC_ACDP,
    DC_ACDP_BPT,
    WPT
}
