package io.ocppsec.ocpp.message.type;

/**
 * StatusInfoType: a reason code (at most 20 characters) and optional detail text.
 */
public record StatusInfo(String reasonCode, String additionalInfo) {

    public static StatusInfo of(String reasonCode) {
        return new StatusInfo(reasonCode, null);
    }

    public static StatusInfo of(String reasonCode, String additionalInfo) {
        return new StatusInfo(reasonCode, additionalInfo);
    }
}
