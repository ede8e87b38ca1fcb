package io.ocppsec.ocpp.message.type;

import java.time.OffsetDateTime;
import java.util.List;

/** IdTokenInfoType: the CSMS's verdict on an idToken. */
public record IdTokenInfo(
        AuthorizationStatus status,
        OffsetDateTime cacheExpiryDateTime,
        Integer chargingPriority,
        String language1,
        List<Integer> evseId,
        IdToken groupIdToken,
        String language2,
        MessageContent personalMessage) {

    public IdTokenInfo {
        evseId = evseId == null ? null : List.copyOf(evseId);
    }

    public static IdTokenInfo of(AuthorizationStatus status) {
        return new IdTokenInfo(status, null, null, null, null, null, null, null);
    }
}
