package io.ocppsec.security.profile;

import java.util.Objects;

/**
 * What the CSMS knows about one Charging Station's security profile.
 *
 * @param configured                    the profile the station is configured to use now
 *                                      (SecurityCtrlr.SecurityProfile as the CSMS set it)
 * @param floor                         the lowest profile the station may still connect with:
 *                                      after an upgrade it is raised to the new profile (A05.FR.06/07)
 *                                      and it is never above {@code configured}
 * @param allowSecurityProfileDowngrade the station's SecurityCtrlr.AllowSecurityProfileDowngrade
 *                                      (false when the variable is not implemented)
 */
public record StationSecurityState(SecurityProfile configured, SecurityProfile floor,
                                   boolean allowSecurityProfileDowngrade) {

    public StationSecurityState {
        Objects.requireNonNull(configured, "configured");
        Objects.requireNonNull(floor, "floor");
        if (configured.lowerThan(floor)) {
            throw new IllegalArgumentException("configured profile " + configured.number()
                    + " is below the floor " + floor.number());
        }
    }

    /** A station provisioned at {@code profile}, with that profile as its floor and no downgrade allowed. */
    public static StationSecurityState of(SecurityProfile profile) {
        return new StationSecurityState(profile, profile, false);
    }

    /**
     * The state after the station has connected successfully with a higher profile (A05.FR.06:
     * the station removes lower profiles; A05.FR.07: the CSMS no longer lets it connect with a
     * lower one): configured and floor both become {@code upgraded}.
     *
     * @throws IllegalArgumentException if {@code upgraded} is lower than the current profile
     */
    public StationSecurityState afterUpgradeTo(SecurityProfile upgraded) {
        if (upgraded.lowerThan(configured)) {
            throw new IllegalArgumentException("not an upgrade");
        }
        return new StationSecurityState(upgraded, upgraded, allowSecurityProfileDowngrade);
    }

    /**
     * The state after a permitted downgrade (see {@link ProfilePolicy#checkProfileChange}) has
     * taken effect: configured and floor become {@code lowered}.
     *
     * @throws IllegalArgumentException for a "downgrade" to profile 1, which OCPP never permits
     *                                  (A00.FR.005, A05.FR.09)
     */
    public StationSecurityState afterPermittedDowngradeTo(SecurityProfile lowered) {
        if (lowered == SecurityProfile.UNSECURED_TRANSPORT_BASIC_AUTH && configured != lowered) {
            throw new IllegalArgumentException("a downgrade to profile 1 is never permitted");
        }
        return new StationSecurityState(lowered, lowered, allowSecurityProfileDowngrade);
    }
}
