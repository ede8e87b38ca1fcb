package io.ocppsec.security.cert;

import io.ocppsec.ocpp.message.type.CertificateHashData;

import java.util.Objects;

/**
 * The outcome of {@link CertificateIdentifier#validate(CertificateHashData)}: whether a
 * CertificateHashData (usually from a station) is well-formed, and if not, which field is wrong
 * and how, for a FormatViolation / PropertyConstraintViolation message.
 */
public sealed interface HashDataCheck permits HashDataCheck.WellFormed, HashDataCheck.Malformed {

    /** The field that is malformed. */
    enum Field { CERTIFICATE_HASH_DATA, HASH_ALGORITHM, ISSUER_NAME_HASH, ISSUER_KEY_HASH, SERIAL_NUMBER }

    /** What is wrong with it. */
    enum Problem {
        /** Absent (null). */
        MISSING,
        /** Empty string. */
        EMPTY,
        /** Longer than the schema allows (hashes 128, serialNumber 40), checked before scanning. */
        TOO_LONG,
        /** A hash whose length is not twice the digest length of hashAlgorithm (64/96/128 hex digits). */
        WRONG_LENGTH,
        /** A character that is not a hex digit. */
        NOT_HEX
    }

    /** Well-formed: hex of the right lengths. */
    record WellFormed() implements HashDataCheck {
    }

    /** Malformed; {@link #detail()} names the field and the problem, never the value. */
    record Malformed(Field field, Problem problem) implements HashDataCheck {
        public Malformed {
            Objects.requireNonNull(field, "field");
            Objects.requireNonNull(problem, "problem");
        }

        /** E.g. {@code "issuerKeyHash: wrong length for hashAlgorithm"}. */
        public String detail() {
            String f = switch (field) {
                case CERTIFICATE_HASH_DATA -> "certificateHashData";
                case HASH_ALGORITHM -> "hashAlgorithm";
                case ISSUER_NAME_HASH -> "issuerNameHash";
                case ISSUER_KEY_HASH -> "issuerKeyHash";
                case SERIAL_NUMBER -> "serialNumber";
            };
            String p = switch (problem) {
                case MISSING -> "missing";
                case EMPTY -> "empty";
                case TOO_LONG -> "too long";
                case WRONG_LENGTH -> "wrong length for hashAlgorithm";
                case NOT_HEX -> "not hexadecimal";
            };
            return f + ": " + p;
        }
    }

    /** True for {@link WellFormed}. */
    default boolean isWellFormed() {
        return this instanceof WellFormed;
    }
}
