package io.ocppsec.pki.ca;

import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.PlaceholderCertificates;
import io.ocppsec.pki.custody.SigningAlgorithm;
import org.bouncycastle.operator.ContentSigner;

/**
 * Bouncy Castle {@link ContentSigner}s whose signature comes from the custody backend: the CA
 * engine builds certificates, CRLs and OCSP responses with Bouncy Castle and never holds a key.
 */
public final class CustodyContentSigner {
    private CustodyContentSigner() {
    }

    /** Signs with {@code key} in {@code custody}. */
    public static ContentSigner of(KeyCustody custody, KeyHandle key, SigningAlgorithm algorithm) {
        return PlaceholderCertificates.contentSigner(algorithm, tbs -> custody.sign(key, algorithm, tbs));
    }
}
