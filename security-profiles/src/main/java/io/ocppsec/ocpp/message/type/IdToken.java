package io.ocppsec.ocpp.message.type;

import java.util.List;

/**
 * IdTokenType. {@code type} is an enumeration in OCPP 2.0.1 (Central, eMAID, ISO14443, ...) and a
 * free string of at most 20 characters in 2.1, so it is kept as a string; the schema rules check
 * it per version.
 */
public record IdToken(String idToken, String type, List<AdditionalInfo> additionalInfo) {

    public IdToken {
        additionalInfo = additionalInfo == null ? null : List.copyOf(additionalInfo);
    }

    public static IdToken of(String idToken, String type) {
        return new IdToken(idToken, type, null);
    }

    /** The token type of a contract identifier (eMAID) used with Plug &amp; Charge. */
    public static final String TYPE_EMAID = "eMAID";
}
