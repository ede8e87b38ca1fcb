package io.ocppsec.iso15118.xmldsig;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * {@code ds:Signature} as ISO 15118 uses it: SignedInfo and SignatureValue (raw r||s for ECDSA). The optional
 * {@code Id} attributes are kept (null when absent) so a verifier can refuse them; KeyInfo and Object are
 * never represented (the codec refuses them, [V2G2-771]).
 */
public record XmlSignature(String id, SignedInfo signedInfo, byte[] signatureValue, String signatureValueId) {
    public XmlSignature {
        Objects.requireNonNull(signedInfo, "signedInfo");
        signatureValue = Objects.requireNonNull(signatureValue, "signatureValue").clone();
    }

    /** A signature without Id attributes (the only form [V2G2-771] allows). */
    public XmlSignature(SignedInfo signedInfo, byte[] signatureValue) {
        this(null, signedInfo, signatureValue, null);
    }

    @Override
    public byte[] signatureValue() {
        return signatureValue.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof XmlSignature s && Objects.equals(id, s.id) && signedInfo.equals(s.signedInfo)
                && Arrays.equals(signatureValue, s.signatureValue) && Objects.equals(signatureValueId, s.signatureValueId);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, signedInfo, Arrays.hashCode(signatureValue), signatureValueId);
    }

    @Override
    public String toString() {
        return "XmlSignature[id=" + id + ", signedInfo=" + signedInfo + ", signatureValue="
                + HexFormat.of().formatHex(signatureValue) + ", signatureValueId=" + signatureValueId + "]";
    }
}
