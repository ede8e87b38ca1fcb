package io.ocppsec.ocpp.message.type;

/** AdditionalInfoType: an extra identifier attached to an IdToken. */
public record AdditionalInfo(String additionalIdToken, String type) {
}
