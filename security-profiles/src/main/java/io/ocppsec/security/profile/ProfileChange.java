package io.ocppsec.security.profile;

import java.util.Objects;

/**
 * The decision of {@link ProfilePolicy#checkProfileChange}: whether the CSMS may ask a station to
 * switch to another security profile with SetNetworkProfile / NetworkConfigurationPriority.
 */
public sealed interface ProfileChange permits ProfileChange.Allowed, ProfileChange.Refused {

    /** The statusInfo reasonCode the 2.0.1/2.1 errata 2025-09 give a refused downgrade (B09.FR.04/31). */
    String NO_SECURITY_DOWNGRADE = "NoSecurityDowngrade";

    /** The change may be sent. */
    record Allowed(SecurityProfile from, SecurityProfile to) implements ProfileChange {
        public Allowed {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }

        /** True for a 3→2 downgrade permitted by AllowSecurityProfileDowngrade (A05.FR.08). */
        public boolean isDowngrade() {
            return to.lowerThan(from);
        }
    }

    /**
     * The change must not be sent; a station would reject it.
     *
     * @param reasonCode  {@value #NO_SECURITY_DOWNGRADE}, as a station would put in statusInfo
     * @param requirement the requirement id that forbids it
     * @param detail      a short explanation for operators
     */
    record Refused(String reasonCode, String requirement, String detail) implements ProfileChange {
        public Refused {
            Objects.requireNonNull(reasonCode, "reasonCode");
            Objects.requireNonNull(requirement, "requirement");
            Objects.requireNonNull(detail, "detail");
        }
    }

    /** True for {@link Allowed}. */
    default boolean isAllowed() {
        return this instanceof Allowed;
    }
}
