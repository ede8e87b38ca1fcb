package io.ocppsec.iso15118.xmldsig;

/** Outcome of verifying an EXI XML signature. */
public sealed interface SignatureVerification {

    record Valid() implements SignatureVerification {
    }

    /** Why the signature does not verify (safe to show; no key material). */
    record Invalid(String reason) implements SignatureVerification {
    }

    default boolean isValid() {
        return this instanceof Valid;
    }
}
