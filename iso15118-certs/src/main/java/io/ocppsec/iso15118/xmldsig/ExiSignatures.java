package io.ocppsec.iso15118.xmldsig;

import io.ocppsec.iso15118.exi.ExiException;
import io.ocppsec.iso15118.exi.Iso15118_2Codec;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * XML signatures over EXI fragments as ISO 15118-2 §7.9.2.4 defines them: one Reference per signed element
 * ({@code URI="#Id"}, canonical-EXI transform, digest of the element's EXI fragment encoding), SignedInfo
 * EXI-encoded with the xmldsig grammar and signed; no KeyInfo, no Object [V2G2-771].
 */
public final class ExiSignatures {

    private ExiSignatures() {
    }

    /**
     * Signs the given EXI fragments (Id to fragment bytes, e.g. from
     * {@link Iso15118_2Codec#signedFragments}); references follow the map's iteration order.
     */
    public static XmlSignature sign(Map<String, byte[]> fragmentsById, ExiSigner signer)
            throws ExiException, GeneralSecurityException {
        ExiSignatureAlgorithm alg = ExiSignatureAlgorithm.bySignatureMethod(signer.signatureMethod())
                .orElseThrow(() -> new IllegalArgumentException("unsupported SignatureMethod " + signer.signatureMethod()));
        if (fragmentsById.isEmpty()) {
            throw new IllegalArgumentException("nothing to sign");
        }
        List<Reference> refs = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : fragmentsById.entrySet()) {
            refs.add(Reference.of(e.getKey(), alg.digestMethod(), alg.digest(e.getValue())));
        }
        SignedInfo si = new SignedInfo(alg.signatureMethod(), refs);
        byte[] value = signer.sign(Iso15118_2Codec.encodeSignedInfo(si));
        return new XmlSignature(si, value);
    }

    /**
     * Verifies {@code signature}: it must reference exactly the Ids of {@code expectedFragments} (Id to the
     * EXI fragment the verifier encoded itself from the received message), each digest must match (constant
     * time), the constructs [V2G2-771] forbids must be absent, and the SignatureValue must verify over the
     * re-encoded SignedInfo with {@code key}.
     */
    public static SignatureVerification verify(XmlSignature signature, Map<String, byte[]> expectedFragments,
            PublicKey key) {
        SignedInfo si = signature.signedInfo();
        if (si.id() != null) {
            return invalid("SignedInfo/@Id is not allowed (V2G2-771)");
        }
        if (signature.signatureValueId() != null) {
            return invalid("SignatureValue/@Id is not allowed (V2G2-771)");
        }
        if (!SignedInfo.CANONICAL_EXI.equals(si.canonicalizationMethod())) {
            return invalid("CanonicalizationMethod must be " + SignedInfo.CANONICAL_EXI);
        }
        ExiSignatureAlgorithm alg = ExiSignatureAlgorithm.bySignatureMethod(si.signatureMethod()).orElse(null);
        if (alg == null) {
            return invalid("unsupported SignatureMethod " + si.signatureMethod());
        }
        if (!alg.accepts(key)) {
            return invalid("the signer's key does not fit " + alg.signatureMethod());
        }
        Set<String> seen = new HashSet<>();
        for (Reference r : si.references()) {
            if (r.type() != null) {
                return invalid("Reference/@Type is not allowed (V2G2-771)");
            }
            if (r.uri() == null || !r.uri().startsWith("#")) {
                return invalid("Reference URI must be a same-document #Id reference");
            }
            String id = r.uri().substring(1);
            if (!seen.add(id)) {
                return invalid("Id " + id + " is referenced twice");
            }
            for (String t : r.transforms()) {
                if (!SignedInfo.CANONICAL_EXI.equals(t)) {
                    return invalid("Transform " + t + " is not allowed (V2G2-771)");
                }
            }
            if (!alg.digestMethod().equals(r.digestMethod())) {
                return invalid("DigestMethod " + r.digestMethod() + " does not match " + alg.signatureMethod());
            }
            byte[] fragment = expectedFragments.get(id);
            if (fragment == null) {
                return invalid("reference to unexpected Id " + id);
            }
            if (!MessageDigest.isEqual(alg.digest(fragment), r.digestValue())) {
                return invalid("digest mismatch for Id " + id);
            }
        }
        if (!seen.equals(expectedFragments.keySet())) {
            Set<String> missing = new HashSet<>(expectedFragments.keySet());
            missing.removeAll(seen);
            return invalid("signature does not cover Id(s) " + missing);
        }
        byte[] value = signature.signatureValue();
        if (value.length != alg.signatureLength()) {
            return invalid("SignatureValue of " + value.length + " bytes, expected " + alg.signatureLength());
        }
        try {
            byte[] signedInfoExi = Iso15118_2Codec.encodeSignedInfo(si);
            if (alg.isEcdsa()) {
                Boolean ok = EcdsaRawVerifier.verify(alg, (ECPublicKey) key, signedInfoExi, value);
                if (ok != null) {
                    return ok ? new SignatureVerification.Valid() : invalid("SignatureValue does not verify");
                }
            }
            Signature s = Signature.getInstance(alg.jcaName(), ExiSigner.BC);
            s.initVerify(key);
            s.update(signedInfoExi);
            byte[] sig = alg.isEcdsa() ? ExiSigner.rawToDer(value, ((ECPublicKey) key).getParams().getOrder()) : value;
            return s.verify(sig) ? new SignatureVerification.Valid() : invalid("SignatureValue does not verify");
        } catch (ExiException e) {
            return invalid("SignedInfo cannot be encoded: " + e.getMessage());
        } catch (GeneralSecurityException | RuntimeException e) {
            return invalid("SignatureValue does not verify (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static SignatureVerification invalid(String reason) {
        return new SignatureVerification.Invalid(reason);
    }
}
