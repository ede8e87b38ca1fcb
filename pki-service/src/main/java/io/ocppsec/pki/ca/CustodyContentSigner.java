package io.ocppsec.pki.ca;

import io.ocppsec.pki.custody.KeyCustody;
import io.ocppsec.pki.custody.KeyHandle;
import io.ocppsec.pki.custody.SigningAlgorithm;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;

/**
 * A Bouncy Castle {@link ContentSigner} whose signature comes from the custody backend: the CA
 * engine builds certificates, CRLs and OCSP responses with Bouncy Castle and never holds a key.
 */
public final class CustodyContentSigner implements ContentSigner {
    private static final DefaultSignatureAlgorithmIdentifierFinder FINDER = new DefaultSignatureAlgorithmIdentifierFinder();

    private final KeyCustody custody;
    private final KeyHandle key;
    private final SigningAlgorithm algorithm;
    private final AlgorithmIdentifier algorithmIdentifier;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(1024);

    public CustodyContentSigner(KeyCustody custody, KeyHandle key, SigningAlgorithm algorithm) {
        this.custody = custody;
        this.key = key;
        this.algorithm = algorithm;
        this.algorithmIdentifier = FINDER.find(algorithm.jcaName());
    }

    @Override
    public AlgorithmIdentifier getAlgorithmIdentifier() {
        return algorithmIdentifier;
    }

    @Override
    public OutputStream getOutputStream() {
        return buffer;
    }

    @Override
    public byte[] getSignature() {
        return custody.sign(key, algorithm, buffer.toByteArray());
    }
}
