package io.ocppsec.iso15118.pki;

import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;

/** The outcome of {@link Iso15118ChainValidator#validate}. */
public sealed interface ChainValidation permits ChainValidation.Valid, ChainValidation.Invalid {

    /** Why a chain is invalid. */
    enum Kind {
        /** A certificate of the path (leaf, Sub-CA or root) has expired at the instant checked. */
        EXPIRED,
        /** A certificate of the path is not yet valid at the instant checked. */
        NOT_YET_VALID,
        /** The certificates do not form one path: missing or surplus certificates, too long [V2G2-009], a root issuing a leaf [V2G2-867]. */
        CHAIN_ERROR,
        /** A certificate breaks the ISO profile of its position; see {@link Invalid#violations()}. */
        PROFILE_VIOLATION,
        /** A signature does not verify with the issuer's key. */
        SIGNATURE_ERROR,
        /** The path ends at no trusted root of a kind the use accepts [V2G2-925]. */
        UNKNOWN_ROOT
    }

    /**
     * A valid chain.
     *
     * @param path  leaf first, then the Sub-CAs, then the trusted root
     * @param roles the role of each certificate of {@code path}
     */
    record Valid(List<X509Certificate> path, List<Iso15118Role> roles) implements ChainValidation {
        public Valid {
            path = List.copyOf(path);
            roles = List.copyOf(roles);
        }

        public X509Certificate leaf() {
            return path.get(0);
        }

        public X509Certificate root() {
            return path.get(path.size() - 1);
        }
    }

    /**
     * An invalid chain.
     *
     * @param kind       the class of failure
     * @param reason     what failed, for logs and statusInfo (names no key material)
     * @param violations the profile violations when {@code kind} is PROFILE_VIOLATION, else empty
     */
    record Invalid(Kind kind, String reason, List<ProfileViolation> violations) implements ChainValidation {
        public Invalid {
            Objects.requireNonNull(kind, "kind");
            Objects.requireNonNull(reason, "reason");
            violations = List.copyOf(violations);
        }

        public Invalid(Kind kind, String reason) {
            this(kind, reason, List.of());
        }
    }

    default boolean isValid() {
        return this instanceof Valid;
    }
}
