package io.ocppsec.security.firmware;

/**
 * How a firmware image is signed: always over its SHA-256 (L01.FR.04).
 */
public enum FirmwareSignatureAlgorithm {
    /** ECDSA (P-256 or P-384 key) over SHA-256, DER ECDSA-Sig-Value: what stations verify in practice. */
    ECDSA_SHA256,
    /** RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 bytes when we sign (any salt length accepted on verify). */
    RSA_PSS_SHA256
}
