package io.ocppsec.ocpp.message.type;

/**
 * VPNEnumType: VPN protocol of a VPN configuration.
 *
 * <p>Constants carry the exact wire values. Which values a version accepts is decided by the
 * schema rules in {@code io.ocppsec.ocpp.message.MessageSchemas}.
 */
public enum VpnEnum {
    IKEv2,
    IPSec,
    L2TP,
    PPTP
}
