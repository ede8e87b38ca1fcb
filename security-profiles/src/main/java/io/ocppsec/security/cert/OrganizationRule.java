package io.ocppsec.security.cert;

import java.util.Set;

/**
 * How the client certificate's subject O (organizationName) is checked (A00.FR.404: it must be the
 * CSO's name, or that of an organization the CSO trusts; A00.FR.509: O = SecurityCtrlr.OrganizationName).
 */
public sealed interface OrganizationRule permits OrganizationRule.MatchStation, OrganizationRule.NotChecked {

    /**
     * O must equal (exactly, case-sensitive) the station's organization or one of
     * {@code additionallyTrusted}. Exact rather than the spec's literal "contains": with "contains",
     * {@code O=Not ACME Ltd} would pass for ACME.
     */
    record MatchStation(Set<String> additionallyTrusted) implements OrganizationRule {
        public MatchStation {
            additionallyTrusted = Set.copyOf(additionallyTrusted);
        }
    }

    /**
     * O is not checked at all. Only for deployments where the chain (A00.FR.403) alone proves
     * ownership, e.g. a CA that issues for exactly one CSO; choosing it must be deliberate, hence
     * this named factory and no default that leads here.
     */
    record NotChecked() implements OrganizationRule {
    }

    /** O must equal the station's organization (the default). */
    static OrganizationRule stationOrganization() {
        return new MatchStation(Set.of());
    }

    /** O must equal the station's organization or one of the given trusted organizations. */
    static OrganizationRule stationOrTrusted(Set<String> trusted) {
        return new MatchStation(trusted);
    }

    /** Explicitly switches the O check off; see {@link NotChecked}. */
    static OrganizationRule notChecked() {
        return new NotChecked();
    }
}
