package io.ocppsec.pki.custody;

import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * Where the CA's private keys live, behind the two operations the CA engine needs: the public key,
 * and a signature. The engine never sees which backend it talks to, nor any key material
 * (design §7, after smallstep's {@code kms/apiv1}).
 *
 * <p>Implementations: PKCS#12 file (default), PKCS#11 token (an HSM; SoftHSM2 in tests), HashiCorp
 * Vault Transit. All are thread-safe. Failures are {@link CustodyException}s whose messages never
 * contain secrets.
 */
public interface KeyCustody extends AutoCloseable {

    /** The backend's name as stored in {@link KeyHandle#backend()}: {@code pkcs12}, {@code pkcs11}, {@code vault}. */
    String name();

    /**
     * Creates a new key pair inside the backend, under {@code label}, not extractable where the
     * backend can enforce that (PKCS#11: CKA_SENSITIVE, not CKA_EXTRACTABLE; Vault: exportable=false).
     *
     * @throws CustodyException if the label is taken or the backend refuses
     */
    KeyHandle generate(String label, KeyAlgorithm algorithm);

    /** Whether a key with this label exists. */
    boolean exists(String label);

    /** The public key of a key held here. */
    PublicKey publicKey(KeyHandle key);

    /** Signs {@code data} (the backend hashes it, or hashes locally and has the key sign the digest). */
    byte[] sign(KeyHandle key, SigningAlgorithm algorithm, byte[] data);

    /**
     * Signs a digest made elsewhere (a firmware image hashed while it streamed past): the key signs
     * {@code digest} as the hash of {@code algorithm} (ECDSA: DER over the digest, any EC key may
     * sign a SHA-256 digest; RSA-PSS: SHA-256, MGF1-SHA-256, 32-byte salt). {@code digest} must be
     * as long as the algorithm's digest.
     *
     * <p>The result is what {@link #sign} gives for data whose digest is {@code digest}: DER
     * {@code ECDSA-Sig-Value} for ECDSA; RSASSA-PSS over the digest (not over a hash of it); for
     * PKCS#1 v1.5 the block over {@code DigestInfo(SHA-256) || digest}. Only the digest reaches the
     * backend, never the data, and the key never leaves it. Every backend checks the signature
     * against the key's public key before returning it.
     *
     * @throws CustodyException if {@code digest} is null or not {@link SigningAlgorithm#digestLength()}
     *                          bytes long, if {@code algorithm} does not fit the key (an ECDSA
     *                          algorithm for an RSA key and the reverse), or if the backend refuses
     */
    byte[] signDigest(KeyHandle key, SigningAlgorithm algorithm, byte[] digest);

    /**
     * Records the certificate chain (leaf first) that belongs to a key, for backends whose key
     * entries carry one (PKCS#12, PKCS#11 keystores). A no-op for Vault.
     */
    void attachCertificateChain(KeyHandle key, List<X509Certificate> chain);

    /**
     * Imports an existing private key (an existing CA being brought in from PEM or PKCS#12).
     * Backends that cannot take key material (an HSM, Vault Transit without import) throw
     * {@link CustodyException} with a reason; use a key already in the backend instead.
     */
    KeyHandle importKey(String label, java.security.PrivateKey key, List<X509Certificate> chain);

    /**
     * A key that is already in the backend, put there by other means (an HSM's own tools, Vault's
     * key import), by its label. Backends that only hold keys they made themselves refuse.
     */
    default KeyHandle useExisting(String label) {
        throw new CustodyException("the " + name() + " backend has no keys put there by other means; import the key instead");
    }

    @Override
    void close();
}
