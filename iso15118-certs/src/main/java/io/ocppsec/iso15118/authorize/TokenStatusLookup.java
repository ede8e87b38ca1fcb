package io.ocppsec.iso15118.authorize;

import io.ocppsec.ocpp.message.type.AuthorizationStatus;

/**
 * The authorization status of an eMAID in the contract store (known, active, blocked, ...). The
 * service implements it. Called only once the certificate side is fine. A null answer counts as
 * {@link AuthorizationStatus#Unknown}; exceptions propagate (a store failure is no decision).
 */
@FunctionalInterface
public interface TokenStatusLookup {

    /**
     * @param emaid the eMAID in normal form (no separators, upper case) when it is a valid eMAID,
     *              else as the station sent it
     */
    AuthorizationStatus status(String emaid);
}
