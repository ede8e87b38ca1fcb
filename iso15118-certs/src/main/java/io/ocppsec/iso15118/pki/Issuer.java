package io.ocppsec.iso15118.pki;

import org.bouncycastle.operator.ContentSigner;

import java.security.cert.X509Certificate;
import java.util.Objects;

/**
 * Who signs a certificate {@link Iso15118Certificates#issue issued} here: the subject itself (a
 * root), or a CA certificate with the signer of its key. The {@link ContentSigner} comes from the
 * caller (a key in a PKCS#12 file, an HSM, Vault); a ContentSigner is single-use state, so use one
 * per {@code issue} call.
 */
public sealed interface Issuer permits Issuer.SelfSigned, Issuer.Ca {

    /** The signer of the issuing key. */
    ContentSigner signer();

    /** A self-signed root: the signer holds the private key of the certificate's own public key. */
    record SelfSigned(ContentSigner signer) implements Issuer {
        public SelfSigned {
            Objects.requireNonNull(signer, "signer");
        }
    }

    /** A certificate issued by {@code certificate}'s key, which {@code signer} holds. */
    record Ca(X509Certificate certificate, ContentSigner signer) implements Issuer {
        public Ca {
            Objects.requireNonNull(certificate, "certificate");
            Objects.requireNonNull(signer, "signer");
        }
    }

    static Issuer selfSigned(ContentSigner signer) {
        return new SelfSigned(signer);
    }

    static Issuer ca(X509Certificate certificate, ContentSigner signer) {
        return new Ca(certificate, signer);
    }
}
