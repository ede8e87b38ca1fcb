package io.ocppsec.iso15118.xmldsig;

import java.util.List;
import java.util.Objects;

/** {@code ds:SignedInfo}: optional Id (null; forbidden by [V2G2-771]), algorithms and 1..n references. */
public record SignedInfo(String id, String canonicalizationMethod, String signatureMethod, List<Reference> references) {
    /** The EXI canonicalization URI ISO 15118 uses for SignedInfo and for each Transform. */
    public static final String CANONICAL_EXI = "http://www.w3.org/TR/canonical-exi/";

    public SignedInfo {
        Objects.requireNonNull(canonicalizationMethod, "canonicalizationMethod");
        Objects.requireNonNull(signatureMethod, "signatureMethod");
        references = List.copyOf(references);
    }

    public SignedInfo(String signatureMethod, List<Reference> references) {
        this(null, CANONICAL_EXI, signatureMethod, references);
    }
}
