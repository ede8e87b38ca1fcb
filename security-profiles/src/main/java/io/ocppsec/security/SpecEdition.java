package io.ocppsec.security;

import io.ocppsec.ocpp.OcppVersion;

/**
 * The published text of the OCPP specification a rule is taken from. Some security rules changed
 * between OCPP 2.0.1 Edition 3 as printed and the OCPP 2.0.1 errata of 2025-09 (which brought
 * 2.0.1 in line with OCPP 2.1): the BasicAuthPassword length and charset (A00.FR.205), the
 * security-profile downgrade exception (A00.FR.005, A05.FR.08-10, B09.FR.04/31) and the
 * {@code DiscardedRenewedClientCertificate} security event (A02.FR.29, A03.FR.25).
 *
 * <p>Which edition applies to a station is a per-deployment choice: stations certified against
 * Edition 3 before the errata behave like {@link #OCPP_201_EDITION_3}; current firmware follows
 * {@link #OCPP_201_ERRATA_2025_09}. {@link #latest(OcppVersion)} picks the newest text.
 */
public enum SpecEdition {
    /** OCPP 2.0.1 Edition 3 as published, without the 2025 errata. */
    OCPP_201_EDITION_3(OcppVersion.OCPP_2_0_1),
    /** OCPP 2.0.1 Edition 3 with the errata sheet 2025-09 applied. */
    OCPP_201_ERRATA_2025_09(OcppVersion.OCPP_2_0_1),
    /** OCPP 2.1 Edition 1 (whose text already contains the changes the 2.0.1 errata made). */
    OCPP_21_EDITION_1(OcppVersion.OCPP_2_1);

    private final OcppVersion version;

    SpecEdition(OcppVersion version) {
        this.version = version;
    }

    /** The protocol version this text describes. */
    public OcppVersion version() {
        return version;
    }

    /**
     * True when the rules of the 2.0.1 errata 2025-09 are in force: for the errata edition itself
     * and for OCPP 2.1, whose Edition 1 already carries them.
     */
    public boolean hasErrata202509Rules() {
        return this != OCPP_201_EDITION_3;
    }

    /**
     * The newest text for a version: the errata edition for 2.0.1, Edition 1 for 2.1. OCPP 1.6 has
     * no security profiles in its core text (they come from the 1.6 security whitepaper); it maps
     * to the strict {@link #OCPP_201_EDITION_3} rules, which match the whitepaper's "no downgrade".
     */
    public static SpecEdition latest(OcppVersion version) {
        if (version == null) {
            throw new NullPointerException("version");
        }
        return switch (version) {
            case OCPP_1_6 -> OCPP_201_EDITION_3;
            case OCPP_2_0_1 -> OCPP_201_ERRATA_2025_09;
            case OCPP_2_1 -> OCPP_21_EDITION_1;
        };
    }
}
