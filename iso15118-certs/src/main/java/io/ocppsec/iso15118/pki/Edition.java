package io.ocppsec.iso15118.pki;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;

import java.util.List;
import java.util.Set;

/**
 * The ISO 15118 edition whose certificate profile applies: the key types and signature
 * algorithms it allows, and the largest DER certificate its schema carries.
 */
public enum Edition {
    /**
     * ISO 15118-2:2014: keys on secp256r1 [V2G2-007], signatures ecdsa-with-SHA256 [V2G2-006],
     * certificates at most 800 bytes DER [V2G2-010].
     */
    ISO_15118_2(List.of(KeyType.SECP256R1), Set.of(X9ObjectIdentifiers.ecdsa_with_SHA256), 800),
    /**
     * ISO 15118-20:2022: secp521r1 keys with ecdsa-with-SHA512 [V2G20-2674], or Ed448 [V2G20-2319].
     * The -20 schema's certificate type allows 1600 bytes (our reading; the -20 XSDs are not in
     * the reference folder).
     */
    ISO_15118_20(List.of(KeyType.SECP521R1, KeyType.ED448),
            Set.of(X9ObjectIdentifiers.ecdsa_with_SHA512, EdECObjectIdentifiers.id_Ed448), 1600);

    private final List<KeyType> keyTypes;
    private final Set<ASN1ObjectIdentifier> signatureAlgorithms;
    private final int maxCertificateDerLength;

    Edition(List<KeyType> keyTypes, Set<ASN1ObjectIdentifier> signatureAlgorithms, int maxCertificateDerLength) {
        this.keyTypes = keyTypes;
        this.signatureAlgorithms = signatureAlgorithms;
        this.maxCertificateDerLength = maxCertificateDerLength;
    }

    /** The key types a certificate of this edition may carry; the first is the default. */
    public List<KeyType> keyTypes() {
        return keyTypes;
    }

    /** The default key type: secp256r1 for -2, secp521r1 for -20. */
    public KeyType defaultKeyType() {
        return keyTypes.get(0);
    }

    /** Whether a certificate of this edition may carry a key of this type. */
    public boolean allows(KeyType type) {
        return keyTypes.contains(type);
    }

    /** The certificate signature algorithm OIDs this edition allows. */
    public Set<ASN1ObjectIdentifier> signatureAlgorithms() {
        return signatureAlgorithms;
    }

    /** Whether a certificate of this edition may be signed with this algorithm. */
    public boolean allowsSignatureAlgorithm(ASN1ObjectIdentifier oid) {
        return signatureAlgorithms.contains(oid);
    }

    /** The largest DER encoding of one certificate (800 bytes for -2 [V2G2-010]). */
    public int maxCertificateDerLength() {
        return maxCertificateDerLength;
    }
}
