package io.ocppsec.iso15118.pki;

import java.util.Objects;

/**
 * One way a certificate breaks the ISO 15118 profile of its role.
 *
 * @param role   the role the certificate was checked as
 * @param rule   the rule it breaks
 * @param detail what was found (never key material)
 */
public record ProfileViolation(Iso15118Role role, Rule rule, String detail) {

    /** The profile rules (reference iso15118.md §1.1–§1.4). */
    public enum Rule {
        /** Not an X.509 v3 certificate. */
        VERSION,
        /** DER longer than the edition allows [V2G2-010]. */
        DER_SIZE,
        /** Signature algorithm not the edition's [V2G2-006]. */
        SIGNATURE_ALGORITHM,
        /** Public key not on the edition's curve [V2G2-007]. */
        PUBLIC_KEY,
        /** BasicConstraints absent, not critical, or with the wrong CA flag. */
        BASIC_CONSTRAINTS,
        /** pathLen not the role's (Sub-CA 1: 1, Sub-CA 2: 0; roots none or >= 2). */
        PATH_LENGTH,
        /** KeyUsage absent, not critical, missing a required bit or carrying a bit the role does not have. */
        KEY_USAGE,
        /** An ExtendedKeyUsage extension (the profiles have none). */
        EXTENDED_KEY_USAGE,
        /** No SubjectKeyIdentifier. */
        SUBJECT_KEY_IDENTIFIER,
        /** Subject DC attribute absent or not the role's (V2G, CPO, CPS, MO, OEM). */
        DOMAIN_COMPONENT,
        /** No CN, or a CN that breaks the role's rule (contract: eMAID; OEM provisioning: PCID [V2G2-933]). */
        COMMON_NAME,
        /** A critical extension that must not be critical or that we do not process. */
        CRITICAL_EXTENSION,
        /** A non-critical extension outside the profile's list. */
        UNEXPECTED_EXTENSION,
        /** ISO 15118-20 contract chain certificate without CRLDP or AIA [V2G20-2590]. */
        REVOCATION_INFO,
        /** A root whose subject is not its issuer. */
        NOT_SELF_SIGNED
    }

    public ProfileViolation {
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(rule, "rule");
        Objects.requireNonNull(detail, "detail");
    }

    @Override
    public String toString() {
        return role + ": " + rule + ": " + detail;
    }
}
