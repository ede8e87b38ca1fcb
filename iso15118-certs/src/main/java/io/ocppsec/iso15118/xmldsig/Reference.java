package io.ocppsec.iso15118.xmldsig;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

/**
 * {@code ds:Reference}: optional Id/URI/Type attributes (null when absent), transform algorithms (empty list =
 * no Transforms element), DigestMethod algorithm and DigestValue.
 */
public record Reference(String id, String uri, String type, List<String> transforms, String digestMethod,
        byte[] digestValue) {
    public Reference {
        transforms = List.copyOf(transforms);
        Objects.requireNonNull(digestMethod, "digestMethod");
        digestValue = Objects.requireNonNull(digestValue, "digestValue").clone();
    }

    /** The ISO 15118 form: {@code URI="#id"}, one canonical-EXI transform. */
    public static Reference of(String elementId, String digestMethod, byte[] digestValue) {
        return new Reference(null, "#" + elementId, null, List.of(SignedInfo.CANONICAL_EXI), digestMethod, digestValue);
    }

    @Override
    public byte[] digestValue() {
        return digestValue.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reference r && Objects.equals(id, r.id) && Objects.equals(uri, r.uri)
                && Objects.equals(type, r.type) && transforms.equals(r.transforms)
                && digestMethod.equals(r.digestMethod) && Arrays.equals(digestValue, r.digestValue);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, uri, type, transforms, digestMethod, Arrays.hashCode(digestValue));
    }

    @Override
    public String toString() {
        return "Reference[uri=" + uri + ", digestMethod=" + digestMethod + ", digestValue="
                + HexFormat.of().formatHex(digestValue) + (id != null ? ", id=" + id : "")
                + (type != null ? ", type=" + type : "") + ", transforms=" + transforms + "]";
    }
}
