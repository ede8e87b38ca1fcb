package io.ocppsec.security.auth;

import java.util.Objects;

/**
 * The profile 1/2 authentication of a Charging Station on its WebSocket upgrade request
 * (A00.FR.207 / A00.FR.324: the CSMS SHALL validate that identity and password match the
 * user-id and password in the Authorization header): parse the header ({@link BasicAuthHeader}),
 * require the user-id to equal the URL identity (A00.FR.204 / A00.FR.303), and verify the
 * password against the station's stored hash ({@link PasswordHasher}, constant-time).
 *
 * <p>After a successful SetVariables(BasicAuthPassword) the caller replaces the stored hash, so
 * the old password stops working (A01.FR.03); after any other status it keeps the old hash
 * (A01.FR.04).
 */
public final class BasicAuthVerifier {

    private final PasswordHasher hasher;

    public BasicAuthVerifier(PasswordHasher hasher) {
        this.hasher = Objects.requireNonNull(hasher, "hasher");
    }

    /**
     * @param authorizationHeader the raw header value, may be null
     * @param urlIdentity         the identity decoded from the connection URL
     * @param storedHash          the station's PHC password hash, or null if it has none
     */
    public BasicAuthDecision verify(String authorizationHeader, StationIdentity urlIdentity, String storedHash) {
        Objects.requireNonNull(urlIdentity, "urlIdentity");
        BasicAuthResult parsed = BasicAuthHeader.parse(authorizationHeader);
        if (parsed instanceof BasicAuthResult.Refused refused) {
            return new BasicAuthDecision.Refused(BasicAuthDecision.Reason.BAD_HEADER, refused.reason());
        }
        BasicCredentials credentials = (BasicCredentials) parsed;
        char[] password = credentials.password();
        try {
            if (!credentials.usernameEquals(urlIdentity)) {
                return new BasicAuthDecision.Refused(BasicAuthDecision.Reason.USERNAME_MISMATCH, null);
            }
            if (storedHash == null) {
                return new BasicAuthDecision.Refused(BasicAuthDecision.Reason.NO_PASSWORD_ON_RECORD, null);
            }
            if (!hasher.verify(password, storedHash)) {
                return new BasicAuthDecision.Refused(BasicAuthDecision.Reason.WRONG_PASSWORD, null);
            }
            return new BasicAuthDecision.Authenticated(urlIdentity);
        } finally {
            java.util.Arrays.fill(password, '\0');
            credentials.clear();
        }
    }
}
