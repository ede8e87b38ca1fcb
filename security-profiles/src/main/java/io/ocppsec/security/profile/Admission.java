package io.ocppsec.security.profile;

import java.util.Objects;

/** The decision of {@link ProfilePolicy#admit}: let the connection through, or refuse it and why. */
public sealed interface Admission permits Admission.Admit, Admission.Refuse {

    /** Why a connection is refused. */
    enum Reason {
        /** A05.FR.07: the station shows a profile below its floor (it was upgraded and falls back). */
        BELOW_FLOOR("A05.FR.07"),
        /** A00.FR.002: the station connects with a different profile than the one configured. */
        PROFILE_MISMATCH("A00.FR.002"),
        /** A00.FR.202/203 and A00.FR.301/302: profiles 1 and 2 need Basic credentials. */
        BASIC_AUTH_REQUIRED("A00.FR.203"),
        /** A00.FR.401/407: profile 3 needs a valid client certificate. */
        CLIENT_CERTIFICATE_REQUIRED("A00.FR.407");

        private final String requirement;

        Reason(String requirement) {
            this.requirement = requirement;
        }

        /** The requirement id the refusal enforces. */
        public String requirement() {
            return requirement;
        }
    }

    /** The connection may proceed with {@code profile}. */
    record Admit(SecurityProfile profile) implements Admission {
        public Admit {
            Objects.requireNonNull(profile, "profile");
        }
    }

    /**
     * The CSMS SHALL terminate the connection (reject the upgrade).
     *
     * @param reason   machine-readable reason
     * @param expected the profile the station is configured for
     * @param shown    the profile its connection shows
     */
    record Refuse(Reason reason, SecurityProfile expected, SecurityProfile shown) implements Admission {
        public Refuse {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(expected, "expected");
            Objects.requireNonNull(shown, "shown");
        }
    }
}
